"""The signed partner client: what a platform's (or institution's) backend uses to call the gateway.

Speaks the real HTTP API, signature and all, over one of two transports:
- ``WsgiTransport(app)``: in-process, through the WSGI interface (no socket), the default for a
  storefront running in the same process as the gateway;
- ``HttpTransport(base_url)``: over HTTP, for a gateway in another process or machine.
"""

from __future__ import annotations

import io
import json
import secrets
import sys
import threading
import time
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, unquote_to_bytes, urlencode

import requests
from flask import has_request_context, request

from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.signing import compact_json, sign

INTEGRATION_PREFIX = "/api/v1/integration"
PAYMENT_PREFIX = f"{INTEGRATION_PREFIX}/payment"
# The simulator's own signed endpoints, where the real API has nothing equivalent.
EXTENSION_PREFIX = f"{INTEGRATION_PREFIX}/ext"
# "Login dengan Prakerja" (shared/prakerja-api/sso.md): the consent page and the SSO API.
CONSENT_PATH = "/consent-sso"
SSO_PREFIX = "/api/v1"
SSO_SCOPE = "name email prakerjaid notelp"


@dataclass(frozen=True)
class GatewayResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.body.get("success"))

    @property
    def data(self) -> dict[str, Any]:
        return self.body.get("data") or {}

    @property
    def error_code(self) -> str | None:
        return self.body.get("code") if not self.body.get("success") else None

    @property
    def message(self) -> str:
        return self.body.get("message", "")


class Transport(Protocol):
    def post(self, path: str, body: bytes, headers: dict[str, str]) -> GatewayResponse: ...

    def get(self, path: str, headers: dict[str, str]) -> GatewayResponse: ...


class WsgiTransport:
    """Calls a WSGI app directly, as a server would: one environ per call, no socket (so it is
    thread-safe). Not werkzeug's test ``Client``: its cookie jar, redirect handling and test
    response cost about 250 µs a call, more than half of a small API answer, and a storefront
    checkout makes two such calls (send-otp, authorize)."""

    def __init__(self, app):
        self.app = app

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> GatewayResponse:
        return self._call("POST", path, body, headers)

    def get(self, path: str, headers: dict[str, str]) -> GatewayResponse:
        return self._call("GET", path, b"", headers)

    def _call(self, method: str, path: str, body: bytes, headers: dict[str, str]):
        answer: list = []

        def start_response(status: str, response_headers: list, exc_info=None):
            answer[:] = [int(status[:3]), dict(response_headers)]

        chunks = self.app(_environ(method, path, body, headers), start_response)
        try:
            raw = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()  # WSGI: the server closes what the app returned
        return GatewayResponse(answer[0], _json_or_empty(raw), answer[1])


def _environ(method: str, path: str, body: bytes, headers: Mapping[str, str]) -> dict:
    """The WSGI environ of one request to ``path`` (with its query string, percent-encoded),
    on the host the current request came in on (``_calling_host``)."""
    scheme, host = _calling_host()
    server_name, _, port = host.partition(":")
    path, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        # WSGI (PEP 3333): the path decoded, as bytes seen through latin-1.
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": server_name,
        "SERVER_PORT": port or ("443" if scheme == "https" else "80"),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers.items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{key}"] = value
    return environ


def _calling_host() -> tuple[str, str]:
    """In-process, the gateway is the same server: addresses it builds for people (the Scan
    Wajah page) must use the scheme and host the current request came in on (outside a
    request: localhost, as werkzeug's test client had it)."""
    if has_request_context():
        return request.scheme, request.host
    return "http", "localhost"


class HttpTransport:
    """Calls a gateway over HTTP with a pooled session."""

    def __init__(self, base_url: str, *, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> GatewayResponse:
        response = self.session.post(
            self.base_url + path, data=body, headers=headers, timeout=self.timeout
        )
        return GatewayResponse(
            response.status_code, _json_or_empty(response.content), dict(response.headers)
        )

    def get(self, path: str, headers: dict[str, str]) -> GatewayResponse:
        response = self.session.get(self.base_url + path, headers=headers, timeout=self.timeout)
        return GatewayResponse(
            response.status_code, _json_or_empty(response.content), dict(response.headers)
        )


def _json_or_empty(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# The gateway's refusal of a signature it has already seen, and how often to sign anew.
REPLAYED = GATEWAY_ERRORS["replayed_request"].code
REPLAY_RETRIES = 8
# How far ahead a retry's stamp may go: well inside the gateway's window of 300 s.
REPLAY_SPREAD_SECONDS = 240

# The stamps this process has signed each request (client, path, body) with, from now on.
_used_stamps: dict[tuple[str, str, str], set[int]] = {}
_stamps_lock = threading.Lock()


def _fresh_stamp(request_key: tuple[str, str, str], *, spread: bool = False) -> int:
    """A stamp this process has not signed this very request with: now, or the next free
    second (the gateway refuses a signature it has already seen as a replay, and two identical
    calls a moment apart, one buyer buying the same schedule twice in a second, are two
    requests). ``spread``: a free second at random within ``REPLAY_SPREAD_SECONDS`` ahead, for a
    retry after another process's call took the stamp: both processes step through the same
    next seconds, so the next free one here is often taken there too (seen in the bench: a
    one-second step left 2-3 % of storefront card steps refused after five retries)."""
    now = int(time.time())
    with _stamps_lock:
        if len(_used_stamps) > 10_000:  # forget requests whose stamps are all past
            for key in [k for k, used in _used_stamps.items() if max(used) < now]:
                del _used_stamps[key]
        used = {stamp for stamp in _used_stamps.get(request_key, ()) if stamp >= now}
        stamp = now
        if spread:
            for _ in range(20):
                stamp = now + 1 + secrets.randbelow(REPLAY_SPREAD_SECONDS)
                if stamp not in used:
                    break
        while stamp in used:
            stamp += 1
        used.add(stamp)
        _used_stamps[request_key] = used
    return stamp


class GatewayClient:
    """Signed calls to the Prakerja gateway as one partner."""

    def __init__(self, client_code: str, sign_key: str, transport: Transport):
        self.client_code = client_code
        self.sign_key = sign_key
        self.transport = transport

    def call(
        self,
        path: str,
        payload: dict[str, Any],
        *,
        idempotency_key: str | None = None,
        timestamp: int | None = None,
        authorization: str | None = None,
    ) -> GatewayResponse:
        """Sign as the official samples do: compact body, no Authorization slot.

        With no ``timestamp`` given, a call refused as a replay is signed again with a later
        stamp (at most ``REPLAY_RETRIES`` times; ``_fresh_stamp``): another process of the same
        site may have sent the very same request in the same second (one buyer buying the same
        schedule twice in a row, the two purchases served by two gunicorn workers), and the
        stamps of ``_fresh_stamp`` are only this process's."""
        body = compact_json(payload)
        if timestamp is not None:
            return self._send(path, body, timestamp, idempotency_key, authorization)
        for attempt in range(REPLAY_RETRIES):
            stamp = _fresh_stamp((self.client_code, path, body), spread=attempt > 0)
            answer = self._send(path, body, stamp, idempotency_key, authorization)
            if answer.error_code != REPLAYED:
                return answer
        return answer

    def _send(
        self, path: str, body: str, timestamp: int, idempotency_key: str | None,
        authorization: str | None,
    ) -> GatewayResponse:  # fmt: skip
        stamp = str(timestamp)
        headers = {
            "Content-Type": "application/json",
            "client_code": self.client_code,
            "timestamp": stamp,
            "signature": sign(self.sign_key, self.client_code, stamp, "POST", path, body),
        }
        if authorization is not None:
            headers["Authorization"] = authorization
        if idempotency_key is not None:
            headers["Idempotency-Key"] = idempotency_key
        return self.transport.post(path, body.encode(), headers)

    # --- the platform payment API (as the public Prakerja API has it) ---
    def quota_schedule(self, course_code: str, schedule_code: str) -> GatewayResponse:
        return self.call(
            f"{PAYMENT_PREFIX}/quota-schedule",
            {"schedule_code": schedule_code, "course_code": course_code},
        )

    def send_otp(
        self,
        *,
        prakerja_id: str,
        user_platform_id: str,
        course_code: str,
        schedule_code: str,
        amount: int,
    ) -> GatewayResponse:
        """Validate the purchase and text the OTP; ``data.payment_token`` goes to authorize.
        Calling it again for the same purchase while it waits re-sends the OTP."""
        return self.call(
            f"{PAYMENT_PREFIX}/send-otp",
            {
                "user_platform_id": user_platform_id,
                "prakerja_id": prakerja_id,
                "course_code": course_code,
                "schedule_code": schedule_code,
                "amount": amount,
            },
        )

    def authorize(
        self,
        payment_token: str,
        *,
        otp: str,
        invoice_code: str,
        invoice_url: str,
        idempotency_key: str | None = None,
    ) -> GatewayResponse:
        return self.call(
            f"{PAYMENT_PREFIX}/authorize",
            {"otp": otp, "invoice_url": invoice_url, "invoice_code": invoice_code},
            authorization=f"Payment {payment_token}",
            idempotency_key=idempotency_key,
        )

    def payment_status(self, invoice_code: str) -> GatewayResponse:
        return self.call(f"{PAYMENT_PREFIX}/status", {"invoice_code": invoice_code})

    def void(
        self, invoice_code: str, transaction_code: str, *, idempotency_key: str | None = None
    ) -> GatewayResponse:
        return self.call(
            f"{PAYMENT_PREFIX}/void",
            {"invoice_code": invoice_code, "transaction_code": transaction_code},
            idempotency_key=idempotency_key,
        )

    # --- the simulator's extensions for platforms (no real counterpart) ---
    def card_inquiry(self, prakerja_id: str, amount: int | None = None) -> GatewayResponse:
        """Saldo and whether the card may buy now, for a storefront page."""
        payload: dict[str, Any] = {"prakerja_id": prakerja_id}
        if amount is not None:
            payload["amount"] = amount
        return self.call(f"{EXTENSION_PREFIX}/payment/card-inquiry", payload)

    # --- the institution (LP) API ---
    # Bodies in the order public clients send them.
    def redeem_code_status(self, redeem_code: str, sequence: int | None = None) -> GatewayResponse:
        payload: dict[str, Any] = {"redeem_code": redeem_code}
        if sequence is not None:
            payload["sequence"] = sequence
        return self.call(f"{PAYMENT_PREFIX}/redeem-code/status", payload)

    def face_check_url(
        self, redeem_code: str, *, redirect_uri: str, email: str, sequence: int | None = None
    ) -> GatewayResponse:
        """``oauth/url-generate``: where the participant does Scan Wajah for ``sequence``."""
        payload: dict[str, Any] = {
            "redeem_code": redeem_code,
            "redirect_uri": redirect_uri,
            "email": email,
        }
        if sequence is not None:
            payload["sequence"] = sequence
        return self.call(f"{INTEGRATION_PREFIX}/oauth/url-generate", payload)

    def redeem_code_commit(self, redeem_code: str) -> GatewayResponse:
        """The 2022 flow: declare the code used (the current flow redeems with Scan Wajah)."""
        return self.call(f"{PAYMENT_PREFIX}/redeem-code/commit", {"redeem_code": redeem_code})

    def redeem_code_reset(self, redeem_code: str) -> GatewayResponse:
        """Sandbox: a test code back to where it started."""
        return self.call(f"{PAYMENT_PREFIX}/redeem-code/reset", {"redeem_code": redeem_code})

    def submit_task(
        self, redeem_code: str, *, scope: str, sequence: int, url_file: str
    ) -> GatewayResponse:
        return self.call(
            f"{INTEGRATION_PREFIX}/tpm/submission",
            {
                "redeem_code": redeem_code,
                "scope": scope,
                "sequence": sequence,
                "url_file": url_file,
            },
        )

    def task_status(self, redeem_code: str, *, scope: str, sequence: int) -> GatewayResponse:
        return self.call(
            f"{INTEGRATION_PREFIX}/tpm/submission/status",
            {"redeem_code": redeem_code, "scope": scope, "sequence": sequence},
        )

    def submit_feedback(
        self, redeem_code: str, *, scope: str, sequence: int, notes: str, url_file: str = ""
    ) -> GatewayResponse:
        """The institution's assessment of a handed-in task."""
        return self.call(
            f"{INTEGRATION_PREFIX}/tpm/feedback/submission",
            {
                "redeem_code": redeem_code,
                "scope": scope,
                "sequence": sequence,
                "notes": notes,
                "url_file": url_file,
            },
        )

    # --- the simulator's extensions for institutions (no real counterpart) ---
    def report_completion(self, redeem_code: str, certificate_number: str) -> GatewayResponse:
        return self.call(
            f"{EXTENSION_PREFIX}/redeem-code/complete",
            {"redeem_code": redeem_code, "certificate_number": certificate_number},
        )

    def register_redirect_uri(self, redirect_uri: str) -> GatewayResponse:
        """Register a Scan Wajah callback (at Prakerja, a form does this)."""
        return self.call(f"{EXTENSION_PREFIX}/oauth/redirect-uri", {"redirect_uri": redirect_uri})


class SsoClient:
    """ "Login dengan Prakerja" as its clients use it (an institution's or a platform's backend):
    the consent address the browser is sent to (the docs' "Construct OAuth URL"), then the
    one-time ``code`` exchanged for tokens and the participant's profile. These calls carry only
    ``X-Client-Id``, as documented; ``consent_base`` is the gateway's address when it runs
    elsewhere (in-process, the consent page is on this very host)."""

    def __init__(self, client_id: str, client_name: str, transport: Transport, *,
                 consent_base: str = ""):  # fmt: skip
        self.client_id, self.client_name = client_id, client_name
        self.transport, self.consent_base = transport, consent_base.rstrip("/")

    def consent_url(
        self, *, redirect_uri: str, login_uri: str, state: str, scope: str = SSO_SCOPE
    ) -> str:
        """Values encoded as ``encodeURIComponent`` does (a space is ``%20``), in the docs'
        order."""
        query = urlencode(
            {
                "client_id": self.client_id,
                "client_name": self.client_name,
                "login_uri": login_uri,
                "redirect_uri": redirect_uri,
                "scope": scope,
                "state": state,
            },
            quote_via=quote,
            safe="",
        )
        return f"{self.consent_base}{CONSENT_PATH}?{query}"

    def exchange_code(self, code: str) -> GatewayResponse:
        """``POST oauth/token``: ``data.access_token``, ``refresh_token``, ``expires_in``."""
        body = compact_json({"code": code}).encode()
        headers = {"X-Client-Id": self.client_id, "Content-Type": "application/json"}
        return self.transport.post(f"{SSO_PREFIX}/oauth/token", body, headers)

    def profile(self, access_token: str) -> GatewayResponse:
        """``GET resource/user_profile``: the fields the granted scope allows."""
        headers = {"X-Client-Id": self.client_id, "Authorization": f"Bearer {access_token}"}
        return self.transport.get(f"{SSO_PREFIX}/resource/user_profile", headers)


@dataclass(frozen=True)
class SsoLogin:
    """The client side of one "Login dengan Prakerja", for a site with a cookie session: where
    to send the browser (a fresh ``state`` kept in ``store`` under ``key``), then, back on the
    ``redirect_uri``, the state checked once and the code turned into the participant's
    profile. The same steps for an institution and a platform."""

    client: SsoClient
    store: MutableMapping[str, Any]  # the site's session
    key: str

    def begin(self, *, redirect_uri: str, login_uri: str, next_page: str = "") -> str:
        state = secrets.token_urlsafe(24)
        self.store[self.key] = {"state": state, "next": next_page}
        return self.client.consent_url(redirect_uri=redirect_uri, login_uri=login_uri, state=state)

    def finish(self, args: Mapping[str, str]) -> tuple[dict | None, str, str]:
        """(profile, next page, refusal): the profile is None with a message in Indonesian
        when the state does not match (a replayed or forged callback) or Prakerja refuses."""
        pending = self.store.pop(self.key, None) or {}
        state, code = args.get("state", ""), args.get("code", "")
        next_page = pending.get("next", "")
        if not (pending.get("state") and code) or state != pending["state"]:
            return None, next_page, SSO_STATE_MISMATCH
        tokens = self.client.exchange_code(code)
        if not tokens.ok:
            refusal = tokens.error_code or tokens.status
            return None, next_page, SSO_CODE_REFUSED.format(refusal=refusal)
        profile = self.client.profile(tokens.data.get("access_token", ""))
        if not profile.ok:
            refusal = profile.error_code or profile.status
            return None, next_page, SSO_PROFILE_REFUSED.format(refusal=refusal)
        return profile.data, next_page, ""


SSO_STATE_MISMATCH = (
    "Masuk dengan Prakerja tidak dapat diselesaikan: permintaan ini tidak dimulai dari halaman "
    "ini atau sudah dipakai. Silakan coba lagi."
)
SSO_CODE_REFUSED = (
    "Prakerja menolak kode masuk ({refusal}). Kode hanya berlaku sekali dan beberapa menit; "
    "silakan masuk dengan Prakerja lagi."
)
SSO_PROFILE_REFUSED = "Prakerja tidak memberikan profil Anda ({refusal}). Silakan coba lagi."
SSO_CANCELLED = (
    "Masuk dengan Prakerja dibatalkan. Masuk dengan email dan kata sandi, atau coba "
    "\u201cMasuk dengan Prakerja\u201d lagi."
)
