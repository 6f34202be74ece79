"""How an institution reaches the others: Prakerja through the gateway's signed client, and the
storefront that sold a voucher through that storefront's signed voucher API.

In-process over WSGI by default; over HTTP when ``GATEWAY_URL`` / ``STOREFRONT_URL`` are set.
"""

from __future__ import annotations

from flask import current_app

from marketplace.db import db
from prakerja_gateway.client import (
    GatewayClient,
    GatewayResponse,
    HttpTransport,
    SsoClient,
    WsgiTransport,
)


def _transport(url_setting: str):
    url = current_app.config.get(url_setting)
    return HttpTransport(url) if url else WsgiTransport(current_app._get_current_object())


def prakerja(code: str) -> GatewayClient:
    """The institution's client for the Prakerja institution API: ``INSTITUTION_CREDENTIALS
    [code]``, else the documented sandbox credentials."""
    configured = (current_app.config.get("INSTITUTION_CREDENTIALS") or {}).get(code) or {}
    return GatewayClient(
        configured.get("client_code", f"{code.lower()}-sandbox"),
        configured.get("sign_key", f"sk_sandbox_{code.lower()}_demo"),
        _transport("GATEWAY_URL"),
    )


def prakerja_sso(code: str, name: str) -> SsoClient:
    """The institution's "Login dengan Prakerja" client: ``INSTITUTION_SSO_CLIENTS[code]``
    (``client_id``, ``client_name``), else the documented sandbox client ``<code>-sso``."""
    configured = (current_app.config.get("INSTITUTION_SSO_CLIENTS") or {}).get(code) or {}
    return SsoClient(
        configured.get("client_id", f"{code.lower()}-sso"),
        configured.get("client_name", name),
        _transport("GATEWAY_URL"),
        consent_base=current_app.config.get("GATEWAY_URL") or "",
    )


def storefront(platform: str, code: str) -> GatewayClient:
    """The institution's client for a storefront's voucher API: ``STOREFRONT_CREDENTIALS
    [platform][code]``, else the documented demo credentials."""
    configured = (current_app.config.get("STOREFRONT_CREDENTIALS") or {}).get(platform, {}).get(
        code
    ) or {}
    return GatewayClient(
        configured.get("client_code", f"{code.lower()}-lp"),
        configured.get("sign_key", f"sk_{platform}_{code.lower()}_demo"),
        _transport("STOREFRONT_URL"),
    )


def redeem_voucher(platform: str, code: str, voucher_code: str) -> GatewayResponse:
    return storefront(platform, code).call(
        f"/{platform}/api/v1/voucher/redeem", {"voucher_code": voucher_code}
    )


def outside_transaction() -> None:
    """End this request's transaction before calling another party in-process (SQLite: the
    other party's transaction must not wait for a lock or snapshot held here)."""
    db.session.commit()
