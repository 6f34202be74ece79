"""One OpenAPI document for every party's API: parties contribute their paths when the app is
built (``contribute``), and the gateway's ``/api/openapi.json`` merges them, so no party imports
another to be documented."""

from __future__ import annotations

from typing import Any

from flask import Flask

EXTENSION = "marketplace.openapi_contributions"


def contribute(app: Flask, *, tag: str, description: str, paths: dict[str, Any]) -> None:
    app.extensions.setdefault(EXTENSION, []).append(
        {"tag": {"name": tag, "description": description}, "paths": paths}
    )


def merge_contributions(app: Flask, spec: dict[str, Any]) -> dict[str, Any]:
    """The document with every contributed tag and path added."""
    for contribution in app.extensions.get(EXTENSION, []):
        spec["tags"].append(contribution["tag"])
        spec["paths"].update(contribution["paths"])
    return spec
