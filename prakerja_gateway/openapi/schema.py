"""The pieces every operation of the document is built from: an endpoint's description and
small JSON-schema helpers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marketplace.errors import ErrorCatalogue
from marketplace.jsonforms import JsonForm
from prakerja_gateway.api import PREFIX
from prakerja_gateway.errors import GATEWAY_ERRORS

AUTH_ERRORS = (
    "invalid_json",
    "missing_auth_headers",
    "stale_timestamp",
    "unknown_client",
    "invalid_signature",
    "wrong_partner_kind",
    "replayed_request",  # not on the read-only calls, which may be repeated freely
)


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    description: str
    form: type[JsonForm]
    data: dict[str, Any] | None
    errors: tuple[str, ...]
    idempotent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    prefix: str = PREFIX
    tag: str = "Platform payment API"
    catalogue: ErrorCatalogue = GATEWAY_ERRORS
    operation_prefix: str = ""  # keeps operation ids unique across the two partner APIs
    message: str = "OK"  # the success message
    extension: bool = False  # the simulator's own: no real counterpart
    # Examples for the document (and the /api/docs page): a request body, and the success
    # answer's ``data`` (None: the answer has no ``data``).
    request_example: dict[str, Any] | None = None
    data_example: dict[str, Any] | None = None

    @property
    def operation_id(self) -> str:
        return self.operation_prefix + self.path.replace("/", "_").replace("-", "_")


def scalar(kind: str, description: str = "", **more: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind, **more}
    if description:
        schema["description"] = description
    return schema


RUPIAH = scalar("integer", "Integer rupiah.")
INSTANT = scalar("string", "UTC instant, ISO 8601.", format="date-time")
NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}


def obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


def failure_responses(codes: tuple[str, ...], catalogue: ErrorCatalogue) -> dict[str, Any]:
    """The failure responses of an operation, by status: each code with its message, whether it
    is real or ours, and an example body (the integration API's and the SSO's share the shape)."""
    by_status: dict[int, list] = {}
    for code in codes:
        kind = catalogue[code]
        by_status.setdefault(kind.status, []).append(kind)
    return {
        str(status): {
            "description": "; ".join(
                f"`{kind.code}` ({'real' if kind.real else 'ours'}): {kind.message}"
                for kind in kinds
            ),
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Failure"},
                    "examples": {
                        kind.code: {
                            "value": {
                                "code": kind.code,
                                "message": kind.message,
                                "success": False,
                            }
                        }
                        for kind in kinds
                    },
                }
            },
        }
        for status, kinds in sorted(by_status.items())
    }
