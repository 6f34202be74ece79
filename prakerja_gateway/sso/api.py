"""The SSO API under ``/api/v1/`` (``api-proxy.prakerja.go.id`` in reality): ``oauth/authorize``,
``oauth/token``, ``oauth/token/refresh`` and ``resource/user_profile``.

Its own envelope, not the integration API's: success ``{"message": "no error", "success": true,
"errorCode": "0", "data": {...}}``; every refusal HTTP 400 ``{"code": "ERROAUTH…", "message":
"Unauthorized", "success": false}`` (see ``errors.py``).
"""

from __future__ import annotations

import hmac
import json
from typing import Any
from urllib.parse import quote, urlencode

from flask import Blueprint, current_app, jsonify, request, url_for

from marketplace.clock import current_clock, wall_now
from marketplace.db import begin_write, db
from marketplace.signed import SignedHeaderError, check_timestamp, is_demo_key
from prakerja_gateway.signing import sign_bytes
from prakerja_gateway.sso import services
from prakerja_gateway.sso.errors import SsoError
from prakerja_gateway.sso.models import SsoClient

bp = Blueprint("sso_api", __name__, url_prefix="/api/v1")


def sso_success(data: dict[str, Any]):
    return jsonify({"message": "no error", "success": True, "errorCode": "0", "data": data})


def _client() -> SsoClient:
    """The caller named by ``X-Client-Id``."""
    client_id = (request.headers.get("X-Client-Id") or "").strip()
    if not client_id:
        raise SsoError("missing_client_id", "Header X-Client-Id wajib dikirim.")
    client = services.find_client(db.session, client_id)
    if client is None:
        raise SsoError("unknown_client", "X-Client-Id tidak terdaftar.")
    return client


@bp.get("/oauth/authorize")
def authorize():
    """The login URL for a participant (the consent page), for a signed request."""
    client = _client()
    _check_signature(client)
    if (request.args.get("client_id") or client.client_id) != client.client_id:
        raise SsoError("invalid_request", "client_id di query berbeda dengan X-Client-Id.")
    args = {**request.args.to_dict(), "client_id": client.client_id}
    try:
        login = services.read_login_request(
            db.session, args, request.host, sandbox=bool(current_app.config["SANDBOX_ENABLED"])
        )
    except services.LoginRefusal as refusal:
        raise SsoError(refusal.kind, refusal.message) from None
    return sso_success({"redirect_url": consent_url(login)})


def consent_url(login: services.LoginRequest) -> str:
    """The consent page's absolute address, query encoded as ``encodeURIComponent`` does (a
    space is ``%20``, as in the docs' example)."""
    base = url_for("sso.consent", _external=True)
    return f"{base}?{urlencode(login.query(), quote_via=quote, safe='')}"


def _check_signature(client: SsoClient) -> None:
    """``X-Signature`` = hex HMAC-SHA1(sign_key, client_id + X-Timestamp + "GET" + path [+ "?" +
    query as sent] + ""): the SSO's raw string is not public, so the integration API's form is
    taken, with or without the query."""
    signature = (request.headers.get("X-Signature") or "").strip().lower()
    timestamp = (request.headers.get("X-Timestamp") or "").strip()
    if not signature or not timestamp:
        raise SsoError("invalid_signature", "Header X-Signature dan X-Timestamp wajib dikirim.")
    try:
        check_timestamp(
            timestamp, wall_now().timestamp(), current_app.config["SIGNATURE_TOLERANCE_SECONDS"]
        )
    except SignedHeaderError:
        raise SsoError("stale_timestamp", "X-Timestamp bukan detik unix saat ini.") from None
    path = request.script_root + request.path
    query = request.query_string.decode("latin-1")
    paths = [path, f"{path}?{query}"] if query else [path]
    prefix = f"{client.client_id}{timestamp}GET"
    if not signature.isascii() or not any(
        hmac.compare_digest(sign_bytes(client.sign_key, prefix + candidate, b""), signature)
        for candidate in paths
    ):
        raise SsoError("invalid_signature", "X-Signature tidak cocok.")
    if not current_app.config["SANDBOX_ENABLED"] and is_demo_key(client.sign_key):
        raise SsoError("invalid_signature", "Kunci demo hanya berlaku di sandbox.")


def _body_field(name: str) -> str:
    """A field of the JSON body, whatever the Content-Type (the docs' curl sends none)."""
    try:
        body = json.loads(request.get_data() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise SsoError("invalid_request", "Isi permintaan harus objek JSON.") from None
    if not isinstance(body, dict):
        raise SsoError("invalid_request", "Isi permintaan harus objek JSON.")
    value = body.get(name)
    return value.strip() if isinstance(value, str) else ""


@bp.post("/oauth/token")
def token():
    """Exchange ``code`` for tokens; ``{"token": refresh_token}`` refreshes, as the docs' curl
    for refresh posts here."""
    client = _client()
    code = _body_field("code")
    if not code and _body_field("token"):
        return _refresh(client, _body_field("token"))
    if not code or len(code) > 200 or not code.isascii():
        raise SsoError("code_not_found", "Field code wajib diisi.")
    begin_write(db.session)
    data = services.exchange_code(db.session, current_clock().now(), client, code)
    db.session.commit()
    return sso_success(data)


@bp.post("/oauth/token/refresh")
def refresh_token():
    client = _client()
    return _refresh(client, _body_field("token"))


def _refresh(client: SsoClient, token: str):
    begin_write(db.session)
    data = services.refresh(db.session, current_clock().now(), client, token)
    db.session.commit()
    return sso_success(data)


@bp.get("/resource/user_profile")
def user_profile():
    client = _client()
    scheme, _, rest = (request.headers.get("Authorization") or "").strip().partition(" ")
    token = rest.strip() if scheme.lower() == "bearer" else scheme  # "Bearer x" or bare "x"
    data = services.profile(db.session, current_clock().now(), client, token)
    return sso_success(data)
