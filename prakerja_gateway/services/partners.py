"""Authenticating a partner call: headers, timestamp window, HMAC-SHA1 signature."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from marketplace.signed import SignedHeaderError, SignedHeaders, read_signed_headers
from prakerja_gateway import signing
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Partner

AuthHeaders = SignedHeaders


def read_auth_headers(
    headers: Mapping[str, str], wall_now: datetime, tolerance_seconds: int
) -> AuthHeaders:
    """The three auth headers, well-formed and with a fresh timestamp, or a 401."""
    try:
        return read_signed_headers(headers, wall_now.timestamp(), tolerance_seconds)
    except SignedHeaderError as wrong:
        raise GatewayError(wrong.reason, **wrong.details) from None


# Every signed call reads its partner: the statement is built once.
PARTNER_BY_CLIENT_CODE = select(Partner).where(Partner.client_code == bindparam("client_code"))


def verify_partner(
    session: Session,
    auth: AuthHeaders,
    *,
    method: str,
    path: str,
    payload: Any,
    raw_body: bytes,
    kind: str,
    authorization: str | None = None,
) -> Partner:
    """The partner that signed this request, or a 401 saying what is wrong.

    ``authorization``: the ``Authorization`` header of ``payment/authorize``, which the official
    Go sample signs between path and body (as sent, or the bare token); unsigned is fine too.
    """
    partner = session.execute(PARTNER_BY_CLIENT_CODE, {"client_code": auth.client_code}).scalar()
    if partner is None:
        raise GatewayError("unknown_client")
    bodies = signing.candidate_bodies(payload, raw_body)
    slots = ["", authorization, authorization.partition(" ")[2]] if authorization else [""]
    if not signing.signature_matches(
        partner.sign_key,
        auth.client_code,
        auth.timestamp,
        method,
        path,
        bodies,
        auth.signature,
        slots=slots,
    ):
        raise GatewayError("invalid_signature")
    if partner.kind != kind:
        raise GatewayError("wrong_partner_kind", expected=kind)
    return partner


def apply_configured_keys(session: Session, configured: Mapping[str, str] | None) -> None:
    """``PARTNER_CREDENTIALS`` (client_code → sign_key) replaces the stored keys."""
    for client_code, sign_key in (configured or {}).items():
        session.execute(
            update(Partner)
            .where(Partner.client_code == client_code, Partner.sign_key != sign_key)
            .values(sign_key=sign_key)
            .execution_options(synchronize_session=False)
        )
