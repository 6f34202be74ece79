"""The institution (LP) API: signed JSON calls, as the public Prakerja API has them.

``/api/v1/integration/payment/redeem-code/{status,commit}``, ``/api/v1/integration/oauth/
url-generate`` and ``/api/v1/integration/tpm/submission[/status]``, plus our own
``payment/redeem-code/complete`` (completion with the certificate number; in reality it reaches
Prakerja through the platform). Code written against the real sandbox host works against this
one by changing only the host.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Blueprint, Response, current_app, g, jsonify, request

from marketplace.clock import current_clock
from marketplace.db import db
from marketplace.errors import AppError, success_envelope
from prakerja_gateway import forms
from prakerja_gateway.api import authenticate_signed_call
from prakerja_gateway.errors import SANDBOX_TRIGGERS, GatewayError, InstitutionError
from prakerja_gateway.services import redemption

PREFIX = "/api/v1/integration"
bp = Blueprint("institution_api", __name__, url_prefix=PREFIX)


@bp.before_request
def authenticate_institution() -> None:
    try:
        authenticate_signed_call("lp")
    except GatewayError as refusal:  # the same codes, worded for institutions
        raise InstitutionError(refusal.name, **refusal.details) from None
    _force_sandbox_failure(g.payload.get("redeem_code"))


def _force_sandbox_failure(redeem_code) -> None:
    """Sandbox: a trigger code as the ``redeem_code`` answers that failure on every endpoint
    (never when the sandbox is switched off)."""
    if (
        isinstance(redeem_code, str)
        and redeem_code in SANDBOX_TRIGGERS
        and current_app.config["SANDBOX_ENABLED"]
    ):
        raise InstitutionError("redeem_code_used" if redeem_code == "USED" else redeem_code)


@bp.post("/payment/redeem-code/status")
def redeem_code_status():
    form = forms.RedeemStatusForm.load(g.payload)
    return _respond(
        lambda _now: redemption.code_status(
            db.session, g.partner, form.redeem_code.data, form.sequence.data or 1
        )
    )


@bp.post("/payment/redeem-code/commit")
def redeem_code_commit():
    form = forms.RedeemCodeForm.load(g.payload)
    return _respond(
        lambda now: redemption.commit_code(db.session, now, g.partner, form.redeem_code.data)
    )


@bp.post("/payment/redeem-code/complete")
def redeem_code_complete():
    form = forms.CompletionForm.load(g.payload)
    return _respond(
        lambda now: redemption.complete_training(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            certificate_number=form.certificate_number.data,
        )
    )


@bp.post("/oauth/url-generate")
def url_generate():
    form = forms.UrlGenerateForm.load(g.payload)
    return _respond(
        lambda now: redemption.generate_face_check(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            sequence=form.sequence.data,
            redirect_uri=form.redirect_uri.data,
            email=form.email.data,
            base_url=request.host_url,
        )
    )


@bp.post("/tpm/submission")
def tpm_submission():
    form = forms.TaskSubmissionForm.load(g.payload)
    return _respond(
        lambda now: redemption.submit_task(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            scope=form.scope.data,
            sequence=form.sequence.data,
            url_file=form.url_file.data,
        )
    )


@bp.post("/tpm/submission/status")
def tpm_submission_status():
    form = forms.TaskForm.load(g.payload)
    return _respond(
        lambda now: redemption.task_status(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            scope=form.scope.data,
            sequence=form.sequence.data,
        )
    )


def _respond(operation: Callable[[datetime], dict]) -> Response:
    """Run the service at the simulated now and commit once; a refusal writes nothing."""
    try:
        data = operation(current_clock().now())
    except AppError:
        db.session.rollback()
        raise
    db.session.commit()
    return jsonify(success_envelope(data))
