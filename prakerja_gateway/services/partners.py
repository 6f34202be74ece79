"""Authenticating a partner call: headers, timestamp window, HMAC-SHA1 signature."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prakerja_gateway import signing
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Partner


@dataclass(frozen=True)
class AuthHeaders:
    client_code: str
    signature: str
    timestamp: str


def read_auth_headers(
    headers: Mapping[str, str], wall_now: datetime, tolerance_seconds: int
) -> AuthHeaders:
    """The three auth headers, present and with a fresh timestamp, or a 401."""
    client_code = headers.get("client_code")
    signature = headers.get("signature")
    timestamp = headers.get("timestamp")
    if not (client_code and signature and timestamp):
        raise GatewayError("missing_auth_headers")
    _check_timestamp(timestamp, wall_now, tolerance_seconds)
    return AuthHeaders(client_code, signature, timestamp)


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
    partner = session.execute(
        select(Partner).where(Partner.client_code == auth.client_code)
    ).scalar()
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


def _check_timestamp(timestamp: str, wall_now: datetime, tolerance_seconds: int) -> None:
    """Unix seconds of wall-clock time (never the simulated clock), within the tolerance."""
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > 12:
        raise GatewayError("stale_timestamp", reason="timestamp must be unix seconds")
    skew = abs(wall_now.timestamp() - int(timestamp))
    if skew > tolerance_seconds:
        raise GatewayError("stale_timestamp", skew_seconds=int(skew))
