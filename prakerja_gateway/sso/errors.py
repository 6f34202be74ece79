"""The SSO API's refusals: always HTTP 400 and ``{"code": "ERROAUTH…", "message":
"Unauthorized", "success": false}``, as every SSO page of the public docs shows.

Four codes are the real ones (``ERROAUTH4024``, ``4029``, ``4030``, ``4031``); the SSO's general
error list is not public, so the rest are ours, numbered on from the last real one.
"""

from __future__ import annotations

from typing import Any

from marketplace.errors import AppError, ErrorCatalogue, ErrorKind

E = ErrorKind
UNAUTHORIZED = "Unauthorized"

SSO_ERRORS = ErrorCatalogue(
    # NotFoundContextClientId: no X-Client-Id header (or an empty one).
    E("missing_client_id", 400, UNAUTHORIZED, "ERROAUTH4024", real=True),
    # ErrOauthClientIdNotFound: X-Client-Id names no registered client.
    E("unknown_client", 400, UNAUTHORIZED, "ERROAUTH4029", real=True),
    # NotFoundContextUserId: no (usable) participant behind the token.
    E("no_user", 400, UNAUTHORIZED, "ERROAUTH4030", real=True),
    # ErrOauthAuthCodeNotFound: unknown, used or expired code.
    E("code_not_found", 400, UNAUTHORIZED, "ERROAUTH4031", real=True),
    # Ours from here on.
    E("invalid_signature", 400, UNAUTHORIZED, "ERROAUTH4032"),
    E("stale_timestamp", 400, UNAUTHORIZED, "ERROAUTH4033"),
    E("invalid_request", 400, "Bad Request", "ERROAUTH4034"),
    E("uri_not_registered", 400, UNAUTHORIZED, "ERROAUTH4035"),
)


class SsoError(AppError):
    """A refusal of the SSO API; ``hint`` (ours, Indonesian) says what is wrong."""

    def __init__(self, name: str, hint: str, **details: Any):
        super().__init__(SSO_ERRORS[name], None, hint=hint, **details)
