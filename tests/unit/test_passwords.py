"""Stored passwords: Werkzeug's scrypt unless configured, and any stored method still checks;
texted codes: salted and fast."""

from __future__ import annotations

from flask import Flask

from marketplace.passwords import hash_code, hash_secret, secret_matches


def test_the_default_method_is_scrypt_and_a_configured_one_is_used():
    assert hash_secret("rahasia-123").startswith("scrypt:")
    app = Flask(__name__)
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1"
    with app.app_context():
        cheap = hash_secret("rahasia-123")
    assert cheap.startswith("pbkdf2:sha256:1$")
    assert secret_matches(cheap, "rahasia-123") and not secret_matches(cheap, "salah")


def test_a_texted_code_is_salted_and_fast_whatever_the_password_method():
    first, second = hash_code("123456"), hash_code("123456")
    assert first != second  # salted: equal codes do not look equal
    assert first.startswith("pbkdf2:sha256:1$")
    assert secret_matches(first, "123456") and not secret_matches(first, "654321")
