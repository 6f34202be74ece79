"""Wiring the storefronts into an app: one blueprint per platform, shared assets."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from marketplace.apidocs import contribute
from platforms import registry
from platforms.core.voucher_api import openapi_paths, voucher_api

CORE = Path(__file__).parent / "core"


def register_storefronts(app: Flask) -> None:
    assets = Blueprint(
        "storefront_assets",
        __name__,
        static_folder=str(CORE / "static"),
        static_url_path="/storefront-static",
        template_folder=str(CORE / "templates"),
    )
    app.register_blueprint(assets)
    app.add_template_global(csrf_token_field)
    for spec in registry.PLATFORMS:  # read at build time, so a test can add a platform
        blueprint = spec.flow(spec).blueprint()
        blueprint.template_folder = str(Path(__file__).parent / spec.slug / "templates")
        app.register_blueprint(blueprint)
        app.register_blueprint(voucher_api(spec))
    contribute(
        app,
        tag="Storefront voucher API",
        description="For institutions: check and use the vouchers a storefront sold, signed "
        "like the Prakerja API with the institution's key at that storefront.",
        paths=openapi_paths(registry.PLATFORMS),
    )


def csrf_token_field() -> Markup:
    """The hidden CSRF input for forms that are only a button (sign out, resend)."""
    return Markup(f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">')
