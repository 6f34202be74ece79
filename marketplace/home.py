"""The marketplace's front page: where a newcomer finds every party and the test cards."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from institutions import registry as institution_registry
from marketplace.db import db
from platforms import registry
from prakerja_gateway.sandbox.personas import documented_personas

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    # Off the sandbox the test cards, their fixed OTPs and the sandbox pages are not shown.
    sandbox = bool(current_app.config["SANDBOX_ENABLED"])
    return render_template(
        "home.html",
        storefronts=registry.PLATFORMS,
        institutions=institution_registry.SITES,
        personas=documented_personas(db.session) if sandbox else [],
        sandbox=sandbox,
    )
