"""The OpenAPI document of the partner APIs and the sandbox (``build_spec``)."""

from prakerja_gateway.openapi.document import build_spec

__all__ = ["build_spec"]
