"""Configuration: defaults, then ``MARKETPLACE_*`` environment variables, then the mapping given
to ``create_app``. ``DATABASE_URL`` (unprefixed, as the contract says) chooses the database."""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from marketplace.db import normalise_database_url

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # unset: a SQLite file in the instance folder
    "AUTO_INIT_DB": True,  # create tables and load the demo data into an empty database
    "LOAD_DEMO_DATA": True,
    "OTP_TTL_SECONDS": 300,
    "OTP_MAX_ATTEMPTS": 3,
    "OTP_RESEND_COOLDOWN_SECONDS": 30,
    "OTP_MAX_RESENDS": 3,
    "PAYMENT_TTL_SECONDS": 1800,
    # Bounded guessing: new payments per card and OTP texts per phone in a rolling hour.
    "PAYMENTS_PER_CARD_PER_HOUR": 10,
    "OTP_SMS_PER_PHONE_PER_HOUR": 10,
    # Off the sandbox: {"client_code": "sign_key", ...} replaces the seeded demo keys at start.
    "PARTNER_CREDENTIALS": None,
    # A storefront's voucher API keys per institution client: {"tokopedia": {"lpdigi-lp": "key"}}.
    "VOUCHER_API_KEYS": None,
    "SIGNATURE_TOLERANCE_SECONDS": 300,
    # How long a SQLite request waits for the write lock before answering 503 database_busy.
    "SQLITE_BUSY_TIMEOUT_SECONDS": 30,
    # `flask run` keeps headers like client_code, which Werkzeug's server would drop.
    "DEV_SERVER_UNDERSCORE_HEADERS": True,
    "SANDBOX_ENABLED": True,
    "SANDBOX_TOKEN": None,
    "SANDBOX_SLOW_SECONDS": 3.0,
    "SANDBOX_MAX_WAIT_SECONDS": 30,
    # Error answers under these prefixes are JSON; the HTML pages below them are the exceptions.
    "JSON_PATH_PREFIXES": ("/api/", "/sandbox/"),
    "HTML_PATH_PREFIXES": ("/api/docs", "/sandbox/phone/"),
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    # Session cookies: not sent by other sites' forms or scripts; Secure only behind HTTPS.
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SECURE": False,
    # How long a storefront process reuses Prakerja's answer to quota-schedule for the seats it
    # shows (0: ask on every page). Prakerja still checks the seat at payment.
    "STOREFRONT_QUOTA_SECONDS": 2.0,
    # How long a storefront process reuses a course list it showed (search results with their
    # counts, its home page, Pintaria's menu); 0: read on every visit. platforms.core.listing.
    "STOREFRONT_CATALOG_SECONDS": 2.0,
    # Werkzeug's method for stored passwords (marketplace.passwords); None: its default, scrypt.
    "PASSWORD_HASH_METHOD": None,
}


def configure(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("MARKETPLACE")
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.from_mapping(overrides)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path) / "secret_key")
    url = (
        app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'marketplace.sqlite3'}"
    )
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(url)


def _instance_secret(path: Path) -> str:
    """A secret made once per instance folder and shared by every worker process.

    Readable by its owner only: whoever reads it can sign any session (a participant's too).
    """
    try:
        secret = path.read_text().strip()
    except FileNotFoundError:
        pass
    else:
        _owner_only(path)
        return secret
    candidate = path.with_suffix(f".{os.getpid()}.tmp")
    candidate.unlink(missing_ok=True)  # left by a crashed process that had our pid
    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_hex(32))
    try:
        os.link(candidate, path)  # atomic: the first process to get here wins
    except FileExistsError:
        pass
    finally:
        candidate.unlink()
    _owner_only(path)
    return path.read_text().strip()


def _owner_only(path: Path) -> None:
    """Tighten a secret file made world- or group-readable (by an older version, say)."""
    if path.stat().st_mode & 0o077:
        try:
            path.chmod(0o600)
        except OSError as error:  # not ours to change: say so, but still start
            logging.getLogger(__name__).warning("%s is readable by others: %s", path, error)
