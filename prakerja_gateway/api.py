"""The platform (DP) payment API of the public Prakerja API: signed JSON calls under
``/api/v1/integration/payment/`` (quota-schedule, send-otp, authorize, status, void), and our
extension for storefront pages under ``/api/v1/integration/ext/payment/``.

Thin views: authenticate, validate the shape, call one service, commit once, answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request

from marketplace.clock import current_clock, wall_now
from marketplace.db import begin_write, db, end_transaction
from marketplace.errors import AppError, success_envelope
from marketplace.jsonforms import parse_json_object
from marketplace.signed import is_demo_key
from prakerja_gateway import forms
from prakerja_gateway.client import EXTENSION_PREFIX, PAYMENT_PREFIX
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.services import (
    idempotency,
    partners,
    payments,
    replay,
    schedules,
    transactions,
)
from prakerja_gateway.services.cards import inquiry
from prakerja_gateway.services.policy import Outcome, PaymentPolicy
from prakerja_gateway.signing import compact_json

PREFIX = PAYMENT_PREFIX
bp = Blueprint("payment_api", __name__, url_prefix=PREFIX)


def policy() -> PaymentPolicy:
    return current_app.extensions["prakerja_gateway.policy"]


# Calls that change nothing: the same signed question asked twice (two shoppers looking at one
# schedule in the same second) is no replay worth refusing.
READ_ONLY = frozenset(
    {
        "payment_api.quota_schedule",
        "payment_api.status",
        "payment_ext_api.card_inquiry",
        "institution_api.redeem_code_status",
        "institution_api.tpm_submission_status",
        "institution_api.url_generate",
    }
)

# Calls that write nothing at all: they must not take SQLite's one write lock (a storefront page
# asks quota-schedule for every schedule it shows while purchases are being written).
WRITES_NOTHING = frozenset(
    {"payment_api.quota_schedule", "payment_api.status", "payment_ext_api.card_inquiry"}
)

IDEMPOTENT = frozenset({"payment_api.authorize", "payment_api.void"})


# Calls that take the write lock in ``_respond`` (the replay check goes with it), after the clock
# and, for send-otp, the purchase's checks: on SQLite the one write lock is then held for the
# writes only, and that lock is what bounds checkouts per second there.
LOCKS_LATE = frozenset({"payment_api.send_otp", "payment_api.authorize", "payment_api.void"})


def authenticate_signed_call(kind: str) -> None:
    """The preamble of every partner call (platform ``dp`` or institution ``lp``): the auth
    headers, the JSON object, the signature (read before the write lock: a refused caller never
    queues for it), then the write transaction and no replay; sets ``g.payload`` and
    ``g.partner`` or raises the refusal."""
    _apply_configured_keys()
    now, tolerance = wall_now(), current_app.config["SIGNATURE_TOLERANCE_SECONDS"]
    auth = partners.read_auth_headers(request.headers, now, tolerance)
    raw_body = request.get_data()
    g.payload = parse_json_object(raw_body)
    g.partner = partners.verify_partner(
        db.session,
        auth,
        method=request.method,
        path=request.script_root + request.path,
        payload=g.payload,
        raw_body=raw_body,
        kind=kind,
        authorization=request.headers.get("Authorization"),
    )
    if not current_app.config["SANDBOX_ENABLED"] and is_demo_key(g.partner.sign_key):
        raise GatewayError("invalid_signature", reason="demo keys work only in the sandbox")
    if request.endpoint in WRITES_NOTHING:
        return
    g.write_lock_due = (auth.client_code, auth.signature, now, tolerance)
    if request.endpoint not in LOCKS_LATE:
        take_write_lock()


def take_write_lock() -> None:
    """Begin the call's write transaction (keeping what was read before it) and refuse a
    replay; once per call."""
    due = g.pop("write_lock_due", None)
    if due is None:
        return
    begin_write(db.session, keep_loaded=True)
    if request.endpoint not in READ_ONLY and not _idempotent_call():
        replay.refuse_replay(db.session, *due)


def _idempotent_call() -> bool:
    """An ``Idempotency-Key`` on an endpoint that honours it: a repeat replays the first answer
    (the header is not signed, so on any other endpoint it exempts nothing)."""
    return request.endpoint in IDEMPOTENT and request.headers.get("Idempotency-Key") is not None


def _apply_configured_keys() -> None:
    """Once per process: ``PARTNER_CREDENTIALS`` replaces the seeded keys (its own short
    transaction, so a refused call cannot undo it)."""
    state = current_app.extensions.setdefault("prakerja_gateway.keys_applied", [])
    configured = current_app.config.get("PARTNER_CREDENTIALS")
    if state or not configured:
        return
    begin_write(db.session)
    partners.apply_configured_keys(db.session, configured)
    db.session.commit()
    state.append(True)


@bp.before_request
def authenticate_partner() -> None:
    authenticate_signed_call("dp")


@bp.post("/quota-schedule")
def quota_schedule():
    form = forms.QuotaScheduleForm.load(g.payload)
    if not (form.course_code.data and form.schedule_code.data):
        raise GatewayError("quota_fields_missing")
    return _respond(
        lambda _now: schedules.quota_schedule(
            db.session, course_code=form.course_code.data, schedule_code=form.schedule_code.data
        )
    )


@bp.post("/send-otp")
def send_otp():
    return _respond(
        lambda now, checked: payments.send_otp_checked(db.session, now, policy(), checked),
        check=_check_purchase,
    )


def _check_purchase(now: datetime) -> payments.CheckedPurchase:
    form = forms.SendOtpForm.load(g.payload)
    return payments.check_purchase(
        db.session,
        now,
        policy(),
        g.partner,
        prakerja_id=form.prakerja_id.data,
        user_platform_id=form.user_platform_id.data,
        course_code=form.course_code.data,
        schedule_code=form.schedule_code.data,
        amount=form.amount.data,
    )


@bp.post("/authorize")
def authorize():
    return _respond(
        lambda now, checked: payments.authorize(
            db.session,
            now,
            policy(),
            g.partner,
            payment_token=checked[0],
            otp=checked[1].otp.data,
            invoice_code=checked[1].invoice_code.data,
            invoice_url=checked[1].invoice_url.data,
        ),
        idempotent=True,
        check=lambda _now: (
            payment_token(request.headers.get("Authorization")),
            forms.AuthorizeForm.load(g.payload),
        ),
    )


def payment_token(authorization: str | None) -> str:
    """The token of ``Authorization: Payment <payment_token>`` (the scheme word in any case)."""
    scheme, _, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "payment" or not token or len(token) > 64 or not token.isascii():
        raise GatewayError("invalid_payment_token")
    return token


@bp.post("/status")
def status():
    form = forms.StatusForm.load(g.payload)
    return _respond(
        lambda _now: transactions.payment_status(
            db.session, g.partner, invoice_code=form.invoice_code.data
        )
    )


@bp.post("/void")
def void():
    return _respond(
        lambda now, form: transactions.void(
            db.session,
            now,
            g.partner,
            invoice_code=form.invoice_code.data,
            transaction_code=form.transaction_code.data,
        ),
        idempotent=True,
        check=lambda _now: forms.VoidForm.load(g.payload),
    )


# --- the simulator's extensions for platforms -------------------------------------------------
ext_bp = Blueprint("payment_ext_api", __name__, url_prefix=EXTENSION_PREFIX + "/payment")


@ext_bp.before_request
def authenticate_extension_caller() -> None:
    authenticate_signed_call("dp")


@ext_bp.post("/card-inquiry")
def card_inquiry():
    """Saldo and purchase readiness of a card, for a storefront page (no real counterpart)."""
    form = forms.CardInquiryForm.load(g.payload)
    return _respond(
        lambda now: Outcome(inquiry(db.session, now, form.prakerja_id.data, form.amount.data))
    )


def _respond(
    operation: Callable[..., Outcome],
    *,
    idempotent: bool = False,
    check: Callable[[datetime], Any] | None = None,
) -> Response:
    """Run the service at the simulated now (read once) and commit once: its result, or what it
    recorded about a refusal. A 5xx refusal rolls back and is not remembered, so a retry runs anew.

    ``check``: the request's validation and the service's reads, run before the write lock
    (``LOCKS_LATE``); ``operation`` then gets their result too. A refusal found there still
    passes the replay check first, as every refusal did when the lock came first."""
    now = current_clock().now()
    try:
        checked = check(now) if check is not None else None
    except AppError as refusal:
        if refusal.status >= 500:
            db.session.rollback()
            raise
        take_write_lock()  # a replayed request is refused as one, whatever else is wrong
        end_transaction(db.session, keep_loaded=True)
        return _json(refusal.envelope(), refusal.status)
    take_write_lock()
    record = None
    key = request.headers.get("Idempotency-Key") if idempotent else None
    if key is not None:
        reserved = _reserve_key(key, now)
        if isinstance(reserved, idempotency.Replay):
            db.session.rollback()
            return _json(reserved.body, reserved.status, replayed=True)
        record = reserved
    delay = 0.0
    try:
        outcome = operation(now, checked) if check is not None else operation(now)
    except AppError as refusal:
        if refusal.status >= 500:
            db.session.rollback()
            raise
        status_code, body = refusal.status, refusal.envelope()
    else:
        status_code, delay = 200, outcome.delay_seconds
        body = success_envelope(outcome.data, outcome.message)
    if record is not None:
        idempotency.remember(db.session, record, status_code, body)
    # A storefront calling in-process shares this session (Flask reuses its app context): what
    # it read before the call stays loaded rather than being read again after it.
    end_transaction(db.session, keep_loaded=True)
    if delay:
        time.sleep(delay)  # the 'slow' persona: after commit, so no lock is held while waiting
    return _json(body, status_code)


def _reserve_key(key: str, now: datetime):
    if not key or len(key) > 255 or not key.isascii() or not key.isprintable():
        raise GatewayError(
            "invalid_request", fields={"Idempotency-Key": ["1–255 karakter ASCII yang terbaca."]}
        )
    # The token is part of what is asked: the same body with another token is another request.
    request_text = request.headers.get("Authorization", "") + compact_json(g.payload)
    fingerprint = idempotency.fingerprint(request.path, request_text)
    return idempotency.reserve(db.session, g.partner.id, key, fingerprint, now)


def _json(body: dict, status_code: int, *, replayed: bool = False) -> Response:
    response = jsonify(body)
    response.status_code = status_code
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
