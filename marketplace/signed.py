"""The signed-call headers every signed API shares: ``client_code``, ``signature``, ``timestamp``.

Strict on purpose (a header arrives as Latin-1 text and may hold anything): ASCII only, bounded
lengths, a timestamp of plain ASCII digits (the signature itself is compared, in constant time
and on ASCII only, by ``prakerja_gateway.signing``). The kernel names what is wrong with a neutral
``SignedHeaderError``; each API maps its ``reason`` to its own refusal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MISSING = "missing_auth_headers"
UNKNOWN_CLIENT = "unknown_client"
INVALID_SIGNATURE = "invalid_signature"
STALE_TIMESTAMP = "stale_timestamp"

_CLIENT_CODE = re.compile(r"[\x21-\x7e]{1,64}")
_SIGNATURE = re.compile(r"[\x21-\x7e]{1,256}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")


class SignedHeaderError(Exception):
    """What is wrong with a signed call's headers: ``reason`` is one of the names above."""

    def __init__(self, reason: str, /, **details: Any):
        super().__init__(reason)
        self.reason = reason
        self.details = details


@dataclass(frozen=True)
class SignedHeaders:
    client_code: str
    signature: str
    timestamp: str


def read_signed_headers(
    headers: Mapping[str, str], wall_now: float, tolerance_seconds: int
) -> SignedHeaders:
    """The three headers, well-formed and with a timestamp (unix seconds of wall-clock time, never
    the simulated clock) within the tolerance; or a ``SignedHeaderError``."""
    client_code = headers.get("client_code") or ""
    signature = headers.get("signature") or ""
    timestamp = headers.get("timestamp") or ""
    if not (client_code and signature and timestamp):
        raise SignedHeaderError(MISSING)
    check_timestamp(timestamp, wall_now, tolerance_seconds)
    if not _CLIENT_CODE.fullmatch(client_code):
        raise SignedHeaderError(UNKNOWN_CLIENT)
    if not _SIGNATURE.fullmatch(signature):
        raise SignedHeaderError(INVALID_SIGNATURE)
    return SignedHeaders(client_code, signature, timestamp)


def check_timestamp(timestamp: str, wall_now: float, tolerance_seconds: int) -> None:
    """ASCII digits only (``int`` would take ``"١٦"``; ``"²"`` passes ``isdigit``), bounded."""
    if not _TIMESTAMP.fullmatch(timestamp):
        raise SignedHeaderError(STALE_TIMESTAMP, reason="timestamp must be unix seconds")
    skew = abs(wall_now - int(timestamp))
    if skew > tolerance_seconds:
        raise SignedHeaderError(STALE_TIMESTAMP, skew_seconds=int(skew))


def is_demo_key(sign_key: str) -> bool:
    """A documented demo key (``sk_sandbox_<ref>_demo`` for the Prakerja APIs,
    ``sk_<platform>_<institution>_demo`` for a storefront's voucher API): public, so never
    valid with the sandbox off."""
    return sign_key.startswith("sk_") and sign_key.endswith("_demo")
