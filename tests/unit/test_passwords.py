"""Stored passwords: Werkzeug's scrypt unless configured, and any stored method still checks."""

from __future__ import annotations

from flask import Flask

from marketplace.passwords import hash_secret, secret_matches


def test_the_default_method_is_scrypt_and_a_configured_one_is_used():
    assert hash_secret("rahasia-123").startswith("scrypt:")
    app = Flask(__name__)
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1"
    with app.app_context():
        cheap = hash_secret("rahasia-123")
    assert cheap.startswith("pbkdf2:sha256:1$")
    assert secret_matches(cheap, "rahasia-123") and not secret_matches(cheap, "salah")
