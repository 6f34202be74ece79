"""Browser-facing protections every response gets, registered once by the composition root.

Pages load only this site's files: no inline script anywhere, and the few inline ``<style>``
blocks (each storefront's and institution's brand colours, filled in from its spec) carry a
per-response nonce, so ``style-src`` needs no ``'unsafe-inline'``.

Forms post to this site only, but Chromium applies ``form-action`` to the redirect that answers
a form too, and two forms end on another site when the parties run apart: an institution's
redeem form is answered with a redirect to the gateway's Scan Wajah page (``GATEWAY_URL``), and
the Scan Wajah form with a redirect to the institution's registered ``redirect_uri``. The first
is allowed from the configuration, the second by its page (``csp_form_target``).
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g

NONCE = "csp_nonce"
FORM_TARGETS = "csp_form_targets"
HOST = re.compile(r"[a-z0-9.:-]+")  # a name, IPv4 or IPv6 (urlsplit lowercases it)


def csp_nonce() -> str:
    """The nonce of this response's ``<style>`` blocks (made when a template first asks)."""
    if NONCE not in g:
        setattr(g, NONCE, secrets.token_urlsafe(16))
    return getattr(g, NONCE)


def csp_form_target(url: str | None) -> str:
    """Let this page's forms end on ``url``'s site (http or https only); renders nothing."""
    origin = _origin(url)
    if origin:
        g.setdefault(FORM_TARGETS, set()).add(origin)
    return ""


def _origin(url: str | None) -> str | None:
    """``scheme://host[:port]`` of an http(s) URL; None for anything else or anything odd."""
    parts = urlsplit(url or "")
    try:
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not HOST.fullmatch(host):
        return None  # nothing that could end the directive or the header value
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def content_security_policy(nonce: str | None, form_targets: set[str] = frozenset()) -> str:
    style = "'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    form_action = " ".join(["'self'", *sorted(form_targets)])
    return "; ".join(
        (
            "default-src 'self'",
            "img-src 'self' data:",
            f"style-src {style}",
            "script-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            f"form-action {form_action}",
            "base-uri 'self'",
        )
    )


def register_security_headers(app: Flask) -> None:
    app.add_template_global(csp_nonce)
    app.add_template_global(csp_form_target)

    @app.after_request
    def _security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if response.mimetype == "text/html":
            targets = set(g.get(FORM_TARGETS, ()))
            if gateway := _origin(current_app.config.get("GATEWAY_URL")):
                targets.add(gateway)
            policy = content_security_policy(g.get(NONCE), targets)
            headers.setdefault("Content-Security-Policy", policy)
            headers.setdefault("X-Frame-Options", "DENY")
        return response
