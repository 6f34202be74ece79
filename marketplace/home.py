"""The marketplace's front page: where a newcomer finds every party and the test cards."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from institutions import registry as institution_registry
from platforms import registry
from prakerja_gateway.sandbox import pages as sandbox_pages

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    # Off the sandbox the test cards, their fixed OTPs and the sandbox pages are not shown.
    sandbox = bool(current_app.config["SANDBOX_ENABLED"])
    return render_template(
        "home.html",
        storefronts=registry.PLATFORMS,
        institutions=institution_registry.SITES,
        sandbox=sandbox,
        **(sandbox_pages.home_context() if sandbox else {}),
    )


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it at the root whatever the page says."""
    return send_from_directory(
        current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon"
    )
