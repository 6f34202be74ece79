"""The composition root: ``create_app()`` wires every party of the marketplace into one app.

``flask --app marketplace run`` serves it all; gunicorn and tests call ``create_app()``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from marketplace.clock import Clock, SimulatedClock


def create_app(config: Mapping[str, Any] | None = None, *, clock: Clock | None = None) -> Flask:
    """Build the marketplace app. ``config`` overrides defaults and environment."""
    app = Flask(__name__, instance_relative_config=True)
    # Keys in the order the code writes them, which is the real API's order
    # (success, message, data; code, message, success), not sorted.
    app.json.sort_keys = False
    _configure(app, config)
    _register_database(app, clock)
    _register_parties(app)
    _register_web(app)
    if app.config["DEV_SERVER_UNDERSCORE_HEADERS"]:
        from marketplace.devserver import keep_underscore_headers

        keep_underscore_headers()
    if app.config["AUTO_INIT_DB"]:
        from marketplace.database import init_database

        init_database(app, load_demo=app.config["LOAD_DEMO_DATA"])
    return app


def _configure(app: Flask, config: Mapping[str, Any] | None) -> None:
    from marketplace.config import configure

    configure(app, config)


def _register_database(app: Flask, clock: Clock | None) -> None:
    from marketplace.db import configure_engine, db, engine_options

    defaults = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"],
        sqlite_busy_timeout=float(app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]),
    )
    # Options given in the configuration win, one by one; ours (hide_parameters) stay otherwise.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **defaults,
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, busy_timeout=float(app.config["SQLITE_BUSY_TIMEOUT_SECONDS"]))
    app.extensions["marketplace.clock"] = clock or SimulatedClock(lambda: db.session)
    _import_models()


def _import_models() -> None:
    """Every party's tables must be known to the metadata before ``create_all``."""
    import institutions.models  # noqa: F401
    import marketplace.catalog.models  # noqa: F401
    import marketplace.outbox  # noqa: F401
    import platforms.core.models  # noqa: F401
    import prakerja_gateway.models  # noqa: F401
    import prakerja_gateway.sso.models  # noqa: F401


def _register_parties(app: Flask) -> None:
    from institutions.web import register_institutions
    from platforms.web import register_storefronts
    from prakerja_gateway.web import register_gateway

    register_gateway(app)
    register_storefronts(app)
    register_institutions(app)


def _register_web(app: Flask) -> None:
    from marketplace import cli, home
    from marketplace.errors import register_error_handlers
    from marketplace.security import register_security_headers
    from marketplace.sessions import KeptSerializerSessionInterface
    from marketplace.templating import register_template_helpers

    app.session_interface = KeptSerializerSessionInterface()
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    app.register_blueprint(home.bp)
    cli.register_commands(app)
