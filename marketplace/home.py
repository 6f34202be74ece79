"""The marketplace's front page: where a newcomer finds every party and the test cards."""

from __future__ import annotations

from flask import Blueprint, render_template

from marketplace.catalog.models import Platform
from marketplace.db import db
from prakerja_gateway.sandbox.personas import documented_personas

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    platforms = db.session.execute(db.select(Platform).order_by(Platform.name)).scalars().all()
    return render_template(
        "home.html", platforms=platforms, personas=documented_personas(db.session)
    )
