"""The partner signature of the public Prakerja integration API:
``hex(HMAC_SHA1(sign_key, client_code + timestamp + METHOD + path + body))``.

What real clients put in ``body`` differs, so the server accepts any of (see
``shared/prakerja-api/README.md`` §3):
- the exact bytes sent (PHP's ``json_encode`` escapes ``/`` as ``\\/`` and signs what it sends);
- the compact re-serialisation of the parsed body, keys in the order sent, with or without
  ``\\uXXXX`` escapes (the official Python sample signs compact JSON but sends ``json.dumps``
  output, with spaces).
On ``payment/authorize`` the official Go sample also puts the ``Authorization`` value between
the path and the body; whether the real server expects it is unknown, so every form is accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from typing import Any


def compact_json(payload: Any, *, ensure_ascii: bool = True) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=ensure_ascii)


def sign(sign_key: str, client_code: str, timestamp: str, method: str, path: str, body: str) -> str:
    """The signature a client sends (``path`` may end with the Authorization slot)."""
    return sign_bytes(sign_key, f"{client_code}{timestamp}{method.upper()}{path}", body.encode())


def sign_bytes(sign_key: str, prefix: str, body: bytes) -> str:
    return hmac.new(sign_key.encode(), prefix.encode() + body, hashlib.sha1).hexdigest()


def candidate_bodies(payload: Any, raw: bytes | None = None) -> list[bytes]:
    """The body texts a client may have signed: the bytes sent, then compact re-serialisations."""
    candidates = [] if raw is None else [raw]
    for ensure_ascii in (True, False):
        text = compact_json(payload, ensure_ascii=ensure_ascii).encode()
        if text not in candidates:
            candidates.append(text)
    return candidates


def signature_matches(
    sign_key: str,
    client_code: str,
    timestamp: str,
    method: str,
    path: str,
    bodies: list[bytes],
    given: str,
    *,
    slots: Iterable[str] = ("",),
) -> bool:
    """True if ``given`` signs any candidate body, with any of the Authorization ``slots``."""
    given = given.strip().lower()
    if not given.isascii():
        return False
    return any(
        hmac.compare_digest(
            sign_bytes(sign_key, f"{client_code}{timestamp}{method.upper()}{path}{slot}", body),
            given,
        )
        for slot in slots
        for body in bodies
    )
