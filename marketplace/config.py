"""Configuration: defaults, then ``MARKETPLACE_*`` environment variables, then the mapping given
to ``create_app``. ``DATABASE_URL`` (unprefixed, as the contract says) chooses the database."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from marketplace.db import normalise_database_url

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # unset: a SQLite file in the instance folder
    "AUTO_INIT_DB": True,  # create tables and load the demo data into an empty database
    "LOAD_DEMO_DATA": True,
    "OTP_TTL_SECONDS": 300,
    "OTP_MAX_ATTEMPTS": 3,
    "OTP_RESEND_COOLDOWN_SECONDS": 30,
    "OTP_MAX_RESENDS": 3,
    "PAYMENT_TTL_SECONDS": 1800,
    "SIGNATURE_TOLERANCE_SECONDS": 300,
    # How long a SQLite request waits for the write lock before answering 503 database_busy.
    "SQLITE_BUSY_TIMEOUT_SECONDS": 30,
    # `flask run` keeps headers like client_code, which Werkzeug's server would drop.
    "DEV_SERVER_UNDERSCORE_HEADERS": True,
    "SANDBOX_ENABLED": True,
    "SANDBOX_TOKEN": None,
    "SANDBOX_SLOW_SECONDS": 3.0,
    "SANDBOX_MAX_WAIT_SECONDS": 30,
    # Error answers under these prefixes are JSON; the HTML pages below them are the exceptions.
    "JSON_PATH_PREFIXES": ("/api/", "/sandbox/"),
    "HTML_PATH_PREFIXES": ("/api/docs", "/sandbox/phone/"),
    "MAX_CONTENT_LENGTH": 1024 * 1024,
}


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MARKETPLACE")
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    url = (
        app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'marketplace.sqlite3'}"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)


def _instance_secret(path: Path) -> str:
    """A secret made once per instance folder and shared by every worker process."""
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    candidate = path.with_suffix(f".{os.getpid()}.tmp")
    candidate.write_text(secrets.token_hex(32))
    try:
        os.link(candidate, path)  # atomic: the first process to get here wins
    except FileExistsError:
        pass
    finally:
        candidate.unlink()
    return path.read_text().strip()
