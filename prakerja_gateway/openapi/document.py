"""The OpenAPI 3.1 document: the partner APIs' operations with their failures, and the sandbox.

Request schemas are derived from the JSON forms and error codes from the error catalogue, so the
document cannot drift from what the code accepts and answers."""

from __future__ import annotations

from typing import Any

from prakerja_gateway.openapi.institution import INSTITUTION_ENDPOINTS
from prakerja_gateway.openapi.payment import ENDPOINTS, PAYMENT_TOKEN, TRANSACTION
from prakerja_gateway.openapi.schema import AUTH_ERRORS, Endpoint, failure_responses, scalar
from prakerja_gateway.openapi.sso import TAG as SSO_TAG
from prakerja_gateway.openapi.sso import TAG_DESCRIPTION as SSO_TAG_DESCRIPTION
from prakerja_gateway.openapi.sso import sso_paths
from prakerja_gateway.sandbox.openapi import sandbox_paths


def _payment_operation(endpoint: Endpoint) -> dict[str, Any]:
    parameters = []
    if endpoint.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Same key and request: the first answer again (header "
                "`Idempotent-Replayed: true`). Another request under the key: 400 `ERRPLT40032`; "
                "while the first is still running: 409 `ERRPLT40901`.",
                "schema": {"type": "string", "maxLength": 255},
                "example": "b3f1c2d4-6a7e-4f8a-9c0d-1e2f3a4b5c6d",
            }
        )
    if endpoint.path == "authorize":
        parameters.append(
            {
                "name": "Authorization",
                "in": "header",
                "required": True,
                "description": "`Payment <payment_token>`, the token from send-otp.",
                "schema": {"type": "string"},
                "example": f"Payment {PAYMENT_TOKEN}",
            }
        )
    properties: dict[str, Any] = {
        "success": {"const": True},
        "message": scalar("string", examples=[endpoint.message]),
    }
    if endpoint.data is not None:
        properties["data"] = endpoint.data
    success_json: dict[str, Any] = {
        "schema": {"type": "object", "properties": properties, "required": list(properties)}
    }
    if endpoint.data is None or endpoint.data_example is not None:
        example = {"success": True, "message": endpoint.message}
        if endpoint.data is not None:
            example["data"] = endpoint.data_example
        success_json["example"] = example
    success = {"description": "Success envelope.", "content": {"application/json": success_json}}
    request_json: dict[str, Any] = {"schema": endpoint.form.json_schema()}
    if endpoint.request_example is not None:
        request_json["example"] = endpoint.request_example
    return {
        "post": {
            "x-simulator-extension": endpoint.extension,
            "tags": [endpoint.tag],
            "summary": endpoint.summary,
            "description": endpoint.description,
            "operationId": endpoint.operation_id,
            "security": [{"client_code": [], "signature": [], "timestamp": []}],
            "parameters": parameters,
            "requestBody": {"required": True, "content": {"application/json": request_json}},
            "responses": {
                "200": success,
                **failure_responses(AUTH_ERRORS + endpoint.errors, endpoint.catalogue),
            },
        }
    }


def _header_scheme(name: str, description: str) -> dict[str, str]:
    return {"type": "apiKey", "in": "header", "name": name, "description": description}


def build_spec() -> dict[str, Any]:
    """The whole document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Prakerja gateway (simulator)",
            "version": "1.0.0",
            "description": (
                "The programme office's platform payment API and the sandbox for testers. "
                "Every partner call is a signed POST: `signature = lowercase hex "
                'HMAC-SHA1(sign_key, client_code + timestamp + "POST" + path + body)` where '
                "`body` is the exact bytes sent or the compact re-serialisation of the JSON (keys "
                "in the order sent). `timestamp` is unix seconds of wall-clock time, within "
                '±300 s (the window is ours). Answers: `{"success": true, "message", "data"}` or '
                '`{"code": "ERR…", "message" (Indonesian), "success": false}`, HTTP 400 for '
                "every business refusal. Operations with `x-simulator-extension: true` are the "
                "simulator's own. Amounts are integer rupiah."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "Platform payment API", "description": "For digital platforms (DP)."},
            {
                "name": "Simulator extensions",
                "description": "Signed like the real API, but the simulator's own.",
            },
            {
                "name": "Institution API",
                "description": "For training institutions (LP), as the public Prakerja API. "
                "Sandbox: `redeem_code` ERRTRX40020, ERRTRX40001, ERRTRX40027, ERRTRX40028, "
                "ERRTRX40022, ERRTRX40101 or USED forces that failure.",
            },
            {"name": SSO_TAG, "description": SSO_TAG_DESCRIPTION},
            {"name": "Sandbox", "description": "For testers; no signature."},
        ],
        "paths": {
            **{
                f"{endpoint.prefix}/{endpoint.path}": _payment_operation(endpoint)
                for endpoint in ENDPOINTS + INSTITUTION_ENDPOINTS
            },
            **sso_paths(),
            **sandbox_paths(),
        },
        "components": {
            "securitySchemes": {
                "client_code": _header_scheme("client_code", "The partner's client code."),
                "signature": _header_scheme("signature", "HMAC-SHA1 hex, see above."),
                "timestamp": _header_scheme("timestamp", "Unix seconds (wall clock)."),
            },
            "schemas": {
                "Failure": {
                    "type": "object",
                    "properties": {
                        "code": scalar("string", "Stable, for programs (ERR…)."),
                        "message": scalar("string", "Indonesian, for people."),
                        "success": {"const": False},
                        "details": scalar("object", "Simulator extra: which field, tries left, …"),
                    },
                    "required": ["code", "message", "success"],
                },
                "Transaction": TRANSACTION,
            },
        },
    }
