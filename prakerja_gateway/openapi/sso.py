"""The SSO API ("Login dengan Prakerja") in the OpenAPI document: its own envelope (``message``,
``success``, ``errorCode``, ``data``), headers instead of the integration signature, and every
refusal HTTP 400 in the ``ERROAUTH…`` family (from ``sso.errors.SSO_ERRORS``)."""

from __future__ import annotations

from typing import Any

from prakerja_gateway.openapi.schema import failure_responses, obj, scalar
from prakerja_gateway.sso.errors import SSO_ERRORS

TAG = "SSO API"
TAG_DESCRIPTION = (
    '"Login dengan Prakerja", as the public SSO docs (api-proxy.prakerja.go.id). The consent '
    "page is `GET /consent-sso` (a browser page, not in this document). Success: "
    '`{"message": "no error", "success": true, "errorCode": "0", "data": {...}}`; every refusal '
    'HTTP 400 `{"code": "ERROAUTH…", "message": "Unauthorized", "success": false}`.'
)
CLIENT_ID = "tokopedia-sso"
TOKEN_DATA_EXAMPLE = {
    "access_token": "q3Vt0yJm1m1oV0bWk9mXo8Zb9p4o1Vt0yJm1m1oV0bW",
    "expires_in": "1764250533",
    "refresh_token": "Zb9p4o1Vt0yJm1m1oV0bWk9mXo8q3Vt0yJm1m1oV0bW",
    "scope": "name email prakerjaid notelp",
    "token_type": "Bearer",
}
TOKEN_DATA = obj(
    {
        "access_token": scalar("string", "For `resource/user_profile`."),
        "expires_in": scalar("string", "Absolute expiry, unix seconds, as a string (1 hour)."),
        "refresh_token": scalar("string", "Single use (rotated), valid 30 days."),
        "scope": scalar("string", "The scope granted at the consent page, space-joined."),
        "token_type": {"const": "Bearer"},
    }
)
PROFILE_EXAMPLE = {
    "dp_user_id": "",
    "email": "peserta@contoh.id",
    "name": "Siti Rahayu",
    "no_prakerja": "5204890000000015",
    "phone_number": "081200000001",
    "user_id": "42",
}
PROFILE = obj(
    {
        "dp_user_id": scalar("string", "The calling platform's own account id, else empty."),
        "email": scalar("string", "Empty unless `email` was granted."),
        "name": scalar("string", "Empty unless `name` was granted."),
        "no_prakerja": scalar("string", "Empty unless `prakerjaid` was granted."),
        "phone_number": scalar("string", "Empty unless `notelp` was granted."),
        "user_id": scalar("string", "The Prakerja account's id."),
    }
)


def _header(name: str, description: str, example: str, required: bool = True) -> dict:
    return {
        "name": name,
        "in": "header",
        "required": required,
        "description": description,
        "schema": {"type": "string"},
        "example": example,
    }


def _query(name: str, description: str, example: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
        "example": example,
    }


CLIENT_HEADER = _header("X-Client-Id", "The SSO client id.", CLIENT_ID)


def _failures(*names: str) -> dict[str, Any]:
    return failure_responses(names, SSO_ERRORS)


def _success(data: dict, example: dict) -> dict[str, Any]:
    envelope = {"message": "no error", "success": True, "errorCode": "0", "data": example}
    schema = obj(
        {
            "message": scalar("string", examples=["no error"]),
            "success": {"const": True},
            "errorCode": {"const": "0"},
            "data": data,
        }
    )
    return {
        "200": {
            "description": "Success envelope of the SSO API.",
            "content": {"application/json": {"schema": schema, "example": envelope}},
        }
    }


def _operation(method: str, operation_id: str, summary: str, description: str, **more) -> dict:
    return {
        method: {
            "x-simulator-extension": False,
            "tags": [TAG],
            "summary": summary,
            "description": description,
            "operationId": operation_id,
            **more,
        }
    }


def _json_body(field: str, description: str, example: str) -> dict[str, Any]:
    schema = obj({field: scalar("string", description)})
    return {
        "required": True,
        "description": "Read as JSON whatever the Content-Type (the docs' curl sends none).",
        "content": {"application/json": {"schema": schema, "example": {field: example}}},
    }


CLIENT_ERRORS = ("missing_client_id", "unknown_client", "invalid_request")


def sso_paths() -> dict[str, Any]:
    """The four SSO operations."""
    return {
        "/api/v1/oauth/authorize": _operation(
            "get",
            "sso_authorize",
            "Generate the login URL",
            "Signed: `X-Signature` = hex HMAC-SHA1(sign_key, client_id + X-Timestamp + `GET` "
            "+ path [+ `?` + query as sent] + ``) (ours: the raw string is not public; with "
            "or without the query is accepted). `data.redirect_url` is the consent page.",
            parameters=[
                CLIENT_HEADER,
                _header("X-Signature", "HMAC-SHA1 hex, see above.", "0" * 40),
                _header("X-Timestamp", "Unix seconds (wall clock), within ±300 s.", "1764246933"),
                _query("scope", "Space-joined: name email prakerjaid notelp.", "name email"),
                _query("state", "The client's own value, returned on redirect_uri.", "STATE-1"),
                _query(
                    "redirect_uri",
                    "Registered callback for the code.",
                    "http://127.0.0.1:5000/tokopedia/sso/kembali",
                ),
                _query(
                    "login_uri",
                    "Registered address when login fails or is refused.",
                    "http://127.0.0.1:5000/tokopedia/masuk",
                ),
                {
                    **_query("client_id", "The client id (optional; as X-Client-Id).", CLIENT_ID),
                    "required": False,
                },
            ],  # fmt: skip
            responses={
                **_success(
                    obj({"redirect_url": scalar("string", "The consent page to open.")}),
                    {"redirect_url": "http://127.0.0.1:5000/consent-sso?client_id=tokopedia-sso"},
                ),
                **_failures(
                    *CLIENT_ERRORS, "invalid_signature", "stale_timestamp", "uri_not_registered"
                ),
            },
        ),
        "/api/v1/oauth/token": _operation(
            "post",
            "sso_create_token",
            "Create token",
            "Exchanges the one-time `code` (valid 5 minutes, single use) for tokens. A body "
            '`{"token": refresh_token}` without `code` refreshes, as the docs\' curl does.',
            parameters=[CLIENT_HEADER],
            requestBody=_json_body("code", "The `code` from the redirect_uri.", "kOdE-sAtU-kAlI"),
            responses={
                **_success(TOKEN_DATA, TOKEN_DATA_EXAMPLE),
                **_failures(*CLIENT_ERRORS, "code_not_found", "no_user"),
            },
        ),
        "/api/v1/oauth/token/refresh": _operation(
            "post",
            "sso_refresh_token",
            "Renew the tokens with the refresh token",
            "A new token pair for a refresh token, which is then revoked (rotation). An "
            "unknown, used or expired refresh token: `ERROAUTH4030`.",
            parameters=[CLIENT_HEADER],
            requestBody=_json_body("token", "The refresh_token.", "Zb9p4o1Vt0yJm1m1oV0bW"),
            responses={
                **_success(TOKEN_DATA, TOKEN_DATA_EXAMPLE),
                **_failures(*CLIENT_ERRORS, "no_user"),
            },
        ),
        "/api/v1/resource/user_profile": _operation(
            "get",
            "sso_user_profile",
            "Get profile",
            "The participant's account. Fields outside the granted scope are empty strings. "
            "Unknown or expired access token, or a revoked participant: `ERROAUTH4030`.",
            parameters=[
                CLIENT_HEADER,
                _header(
                    "Authorization",
                    "`<access_token>` or `Bearer <access_token>`.",
                    "Bearer q3Vt0yJm1m1oV0bWk9mXo8Zb9p4o1Vt0yJm1m1oV0bW",
                ),
            ],  # fmt: skip
            responses={
                **_success(PROFILE, PROFILE_EXAMPLE),
                **_failures("missing_client_id", "unknown_client", "no_user"),
            },
        ),
    }
