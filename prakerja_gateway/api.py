"""The platform (DP) payment API: signed JSON calls under ``/api/v1/integration/payment/``.

Thin views: authenticate, validate the shape, call one service, commit once, answer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, current_app, g, jsonify, request

from marketplace.clock import current_clock, wall_now
from marketplace.db import begin_write, db
from marketplace.errors import AppError, success_envelope
from marketplace.jsonforms import parse_json_object
from prakerja_gateway import forms
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.services import idempotency, partners, payments
from prakerja_gateway.services.cards import inquiry
from prakerja_gateway.services.policy import Outcome, PaymentPolicy
from prakerja_gateway.signing import compact_json

PREFIX = "/api/v1/integration/payment"
bp = Blueprint("payment_api", __name__, url_prefix=PREFIX)


def policy() -> PaymentPolicy:
    return current_app.extensions["prakerja_gateway.policy"]


def authenticate_signed_call(kind: str) -> None:
    """The preamble of every partner call (platform ``dp`` or institution ``lp``): the write
    transaction, the auth headers, the JSON object, the signature; sets ``g.payload`` and
    ``g.partner`` or raises the refusal."""
    begin_write(db.session)
    auth = partners.read_auth_headers(
        request.headers, wall_now(), current_app.config["SIGNATURE_TOLERANCE_SECONDS"]
    )
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


@bp.before_request
def authenticate_partner() -> None:
    authenticate_signed_call("dp")


@bp.post("/card/inquiry")
def card_inquiry():
    form = forms.CardInquiryForm.load(g.payload)
    return _respond(
        lambda now: Outcome(inquiry(db.session, now, form.card_number.data, form.amount.data))
    )


@bp.post("/otp/request")
def otp_request():
    form = forms.OtpRequestForm.load(g.payload)
    return _respond(
        lambda now: payments.request_otp(
            db.session,
            now,
            policy(),
            g.partner,
            card_number=form.card_number.data,
            amount=form.amount.data,
            invoice_code=form.invoice_code.data,
            course_code=form.course_code.data,
            account_id=form.account_id.data,
        )
    )


@bp.post("/otp/resend")
def otp_resend():
    form = forms.PaymentRefForm.load(g.payload)
    return _respond(
        lambda now: payments.resend_otp(db.session, now, policy(), g.partner, form.payment_id.data)
    )


@bp.post("/charge")
def charge():
    form = forms.ChargeForm.load(g.payload)
    return _respond(
        lambda now: payments.charge(
            db.session,
            now,
            policy(),
            g.partner,
            payment_ref=form.payment_id.data,
            otp=form.otp.data,
        ),
        idempotent=True,
    )


@bp.post("/refund")
def refund():
    form = forms.RefundForm.load(g.payload)
    return _respond(
        lambda now: payments.refund(
            db.session,
            now,
            g.partner,
            payment_ref=form.payment_id.data,
            reason=form.reason.data,
        ),
        idempotent=True,
    )


@bp.post("/status")
def status():
    form = forms.StatusForm.load(g.payload)
    return _respond(
        lambda now: payments.payment_status(
            db.session,
            now,
            g.partner,
            payment_ref=form.payment_id.data or None,
            invoice_code=form.invoice_code.data or None,
        )
    )


def _respond(operation: Callable[[datetime], Outcome], *, idempotent: bool = False) -> Response:
    """Run the service at the simulated now (read once) and commit once: its result, or what it
    recorded about a refusal. A 5xx refusal rolls back and is not remembered, so a retry runs anew.
    """
    now = current_clock().now()
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
        outcome = operation(now)
    except AppError as refusal:
        if refusal.status >= 500:
            db.session.rollback()
            raise
        status_code, body = refusal.status, refusal.envelope()
    else:
        status_code, body, delay = 200, success_envelope(outcome.data), outcome.delay_seconds
    if record is not None:
        idempotency.remember(db.session, record, status_code, body)
    db.session.commit()
    if delay:
        time.sleep(delay)  # the 'slow' persona: after commit, so no lock is held while waiting
    return _json(body, status_code)


def _reserve_key(key: str, now: datetime):
    if not key or len(key) > 255 or not key.isascii() or not key.isprintable():
        raise GatewayError(
            "invalid_request", fields={"Idempotency-Key": ["1–255 karakter ASCII yang terbaca."]}
        )
    fingerprint = idempotency.fingerprint(request.path, compact_json(g.payload))
    return idempotency.reserve(db.session, g.partner.id, key, fingerprint, now)


def _json(body: dict, status_code: int, *, replayed: bool = False) -> Response:
    response = jsonify(body)
    response.status_code = status_code
    if replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return response
