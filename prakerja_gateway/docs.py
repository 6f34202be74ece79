"""``/api/openapi.json`` and a readable page of it for people (``/api/docs``), all local."""

from __future__ import annotations

import re

from flask import Blueprint, current_app, jsonify, render_template
from markupsafe import Markup, escape

from marketplace.apidocs import merge_contributions
from prakerja_gateway.openapi import build_spec

bp = Blueprint("api_docs", __name__, url_prefix="/api", template_folder="templates")


@bp.app_template_filter("inline_code")
def inline_code(text: str) -> Markup:
    """OpenAPI descriptions are Markdown: show their `code` spans as code (text escaped first)."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


def whole_spec() -> dict:
    """The gateway's APIs and the sandbox, plus what other parties contributed."""
    return merge_contributions(current_app, build_spec())


@bp.get("/openapi.json")
def spec():
    return jsonify(whole_spec())


@bp.get("/docs")
def page():
    return render_template("gateway/docs.html", spec=whole_spec())
