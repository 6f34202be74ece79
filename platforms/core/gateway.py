"""How a storefront reaches the Prakerja gateway: only through its signed partner client.

In-process over WSGI by default (the gateway runs in the same app); over HTTP when
``GATEWAY_URL`` is configured, so a storefront can run as its own process.
"""

from __future__ import annotations

from flask import current_app

from marketplace.db import db
from prakerja_gateway.client import GatewayClient, HttpTransport, WsgiTransport


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


def outside_transaction() -> None:
    """End this request's transaction before a gateway call.

    In-process, the gateway runs on the same SQLite file: a transaction left open here would
    hold a snapshot (or the write lock) the gateway's own transaction must not wait for.
    """
    db.session.commit()
