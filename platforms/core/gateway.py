"""How a storefront reaches the Prakerja gateway: only through its signed partner client.

In-process over WSGI by default (the gateway runs in the same app); over HTTP when
``GATEWAY_URL`` is configured, so a storefront can run as its own process.
"""

from __future__ import annotations

from collections.abc import Callable

import requests
from flask import current_app, request

from marketplace.db import db, end_transaction
from platforms.core.refusals import UNREACHABLE, UNREACHABLE_MESSAGE
from prakerja_gateway.client import (
    GatewayClient,
    GatewayResponse,
    HttpTransport,
    SsoClient,
    WsgiTransport,
)

# Where Prakerja shows a participant their redeem codes (the gateway's participant dashboard).
DASHBOARD_PATH = "/prakerja/dashboard"


def credentials(slug: str) -> tuple[str, str]:
    """(client_code, sign_key): ``PLATFORM_CREDENTIALS[slug]``, else the demo sandbox ones."""
    configured = (current_app.config.get("PLATFORM_CREDENTIALS") or {}).get(slug) or {}
    return (
        configured.get("client_code", f"{slug}-sandbox"),
        configured.get("sign_key", f"sk_sandbox_{slug}_demo"),
    )


def client_for(slug: str) -> GatewayClient:
    client_code, sign_key = credentials(slug)
    url = current_app.config.get("GATEWAY_URL")
    transport = HttpTransport(url) if url else WsgiTransport(current_app._get_current_object())
    return GatewayClient(client_code, sign_key, transport)


def sso_client_for(slug: str, name: str) -> SsoClient:
    """The platform's "Login dengan Prakerja" client: ``PLATFORM_SSO_CLIENTS[slug]``
    (``client_id``, ``client_name``), else the documented sandbox client ``<slug>-sso``."""
    configured = (current_app.config.get("PLATFORM_SSO_CLIENTS") or {}).get(slug) or {}
    url = current_app.config.get("GATEWAY_URL")
    transport = HttpTransport(url) if url else WsgiTransport(current_app._get_current_object())
    return SsoClient(
        configured.get("client_id", f"{slug}-sso"),
        configured.get("client_name", name),
        transport,
        consent_base=url or "",
    )


def call(slug: str, operation: Callable[[GatewayClient], GatewayResponse]) -> GatewayResponse:
    """One gateway call as platform ``slug``, outside any local transaction. A gateway that does
    not answer becomes a refusal the buyer can retry, never a 500 (an ``authorize`` retried with
    the same OTP carries the same idempotency key, so it cannot pay twice)."""
    outside_transaction()
    try:
        return operation(client_for(slug))
    except requests.RequestException:
        body = {"code": UNREACHABLE, "message": UNREACHABLE_MESSAGE, "success": False}
        return GatewayResponse(503, body, {})


def outside_transaction() -> None:
    """End this request's transaction before a gateway call.

    In-process, the gateway runs on the same SQLite file: a transaction left open here would
    hold a snapshot (or the write lock) the gateway's own transaction must not wait for. What
    the request read so far stays loaded (a page built after the call reads no row twice); a
    step that must see the latest state re-reads it (``payment.fresh_order``).
    """
    end_transaction(db.session, keep_loaded=True)


def dashboard_url() -> str:
    """The Prakerja dashboard, absolute (it goes into emails): ``PRAKERJA_DASHBOARD_URL``, else
    the configured gateway's, else this host's (the gateway runs in the same app)."""
    configured = current_app.config.get("PRAKERJA_DASHBOARD_URL")
    if configured:
        return configured
    base = current_app.config.get("GATEWAY_URL") or request.host_url
    return base.rstrip("/") + DASHBOARD_PATH
