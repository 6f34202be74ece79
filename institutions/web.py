"""Wiring the institution sites into an app: one blueprint per institution."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from institutions import registry
from institutions.views import site_blueprint


def register_institutions(app: Flask) -> None:
    for spec in registry.SITES:
        blueprint = site_blueprint(spec)
        blueprint.template_folder = str(Path(__file__).parent / "templates")
        app.register_blueprint(blueprint)
