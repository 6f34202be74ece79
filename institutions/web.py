"""Wiring the institution sites into an app: one blueprint per institution, shared assets."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask

from institutions import registry
from institutions.views import site_blueprint

HERE = Path(__file__).parent


def register_institutions(app: Flask) -> None:
    app.register_blueprint(
        Blueprint(
            "institution_assets",
            __name__,
            static_folder=str(HERE / "static"),
            static_url_path="/lembaga-static",
        )
    )
    for spec in registry.SITES:
        blueprint = site_blueprint(spec)
        blueprint.template_folder = str(HERE / "templates")
        app.register_blueprint(blueprint)
