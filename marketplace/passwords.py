"""Passwords and texted codes as salted hashes (Werkzeug's); passwords by a configured method.

``PASSWORD_HASH_METHOD`` is Werkzeug's default (scrypt) unless configured: deliberately slow
(about 75 ms a hash), which is right for people and wrong for a test suite or a load test that
registers thousands of accounts; those configure a cheaper method (the tests use
``pbkdf2:sha256:1``). A stored hash names its own method, so checking works whatever the
setting was when it was made.
"""

from __future__ import annotations

from flask import current_app, has_app_context
from werkzeug.security import check_password_hash, generate_password_hash

DEFAULT_METHOD = "scrypt"
# A texted code is six digits, lives minutes, is used once and allows five wrong tries: a slow
# hash adds nothing there (a million guesses are cheap either way) but costs every sign-up 150 ms.
CODE_METHOD = "pbkdf2:sha256:1"


def hash_secret(secret: str) -> str:
    method = DEFAULT_METHOD
    if has_app_context():
        method = current_app.config.get("PASSWORD_HASH_METHOD") or DEFAULT_METHOD
    return generate_password_hash(secret, method=method)


def secret_matches(stored_hash: str, secret: str) -> bool:
    return check_password_hash(stored_hash, secret)


def hash_code(code: str) -> str:
    """A texted one-time code, salted and hashed (fast: see ``CODE_METHOD``)."""
    return generate_password_hash(code, method=CODE_METHOD)
