"""The marketplace's front page: where a newcomer finds every party and the test cards."""

from __future__ import annotations

from flask import Blueprint, render_template

from institutions import registry as institution_registry
from marketplace.db import db
from platforms import registry
from prakerja_gateway.sandbox.personas import documented_personas

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    return render_template(
        "home.html",
        storefronts=registry.PLATFORMS,
        institutions=institution_registry.SITES,
        personas=documented_personas(db.session),
    )
