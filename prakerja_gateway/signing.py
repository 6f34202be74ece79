"""The partner signature: ``hex(HMAC_SHA1(sign_key, client_code + timestamp + METHOD + path +
compact_body))``, as the public Prakerja integration API defines it.

Clients in the wild sign the compact body but send ``json.dumps`` output (with spaces), so the
server verifies against the compact re-serialisation of what it parsed, keys in the order sent.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


def compact_json(payload: Any, *, ensure_ascii: bool = True) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=ensure_ascii)


def sign(sign_key: str, client_code: str, timestamp: str, method: str, path: str, body: str) -> str:
    message = f"{client_code}{timestamp}{method.upper()}{path}{body}".encode()
    return hmac.new(sign_key.encode(), message, hashlib.sha1).hexdigest()


def candidate_bodies(payload: Any) -> list[str]:
    """The compact texts a client may have signed for this body.

    The contract: compact re-serialisation with ``ensure_ascii`` as the client sent it. We cannot
    see which the client used, so a body with non-ASCII text is checked both ways.
    """
    ascii_text = compact_json(payload, ensure_ascii=True)
    unicode_text = compact_json(payload, ensure_ascii=False)
    return [ascii_text] if ascii_text == unicode_text else [ascii_text, unicode_text]


def signature_matches(
    sign_key: str,
    client_code: str,
    timestamp: str,
    method: str,
    path: str,
    bodies: list[str],
    given: str,
) -> bool:
    given = given.strip().lower()
    return any(
        hmac.compare_digest(sign(sign_key, client_code, timestamp, method, path, body), given)
        for body in bodies
    )
