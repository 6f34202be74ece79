"""``/api/openapi.json`` and a readable page of it for people (``/api/docs``), all local."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template

from prakerja_gateway.openapi import build_spec

bp = Blueprint("api_docs", __name__, url_prefix="/api", template_folder="templates")


@bp.get("/openapi.json")
def spec():
    return jsonify(build_spec())


@bp.get("/docs")
def page():
    return render_template("gateway/docs.html", spec=build_spec())
