"""The institution (LP) API: signed JSON calls, as the public Prakerja API has them.

- ``payment/redeem-code/status``, ``oauth/url-generate`` (Scan Wajah; the sequence-1 check is
  the redeem) and the sandbox's ``payment/redeem-code/reset``;
- ``payment/redeem-code/commit``, the 2022 flow of the official example clients (status, then
  commit, no face check);
- ``tpm/submission``, ``tpm/submission/status`` and ``tpm/feedback/submission``.

Our extensions, with no real counterpart, sit under ``ext/``: ``ext/redeem-code/complete``
(completion with the certificate number; it used to be ``payment/redeem-code/complete``) and
``ext/oauth/redirect-uri`` (registering a Scan Wajah callback, which Prakerja does through a
form). The sandbox lists each institution's test codes at ``GET /sandbox/test-codes``
(``sandbox/test_codes.py``).

Code written against the real sandbox host works against this one by changing only the host and
the credentials.
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
from prakerja_gateway.services import redemption, sandbox_codes, training

PREFIX = "/api/v1/integration"
bp = Blueprint("institution_api", __name__, url_prefix=PREFIX)


@bp.before_request
def authenticate_institution() -> None:
    try:
        authenticate_signed_call("lp")
    except GatewayError as refusal:  # the same codes, worded for institutions
        raise InstitutionError(refusal.name, **refusal.details) from None
    _force_sandbox_failure(g.payload.get("redeem_code"))


def _sandbox() -> bool:
    return bool(current_app.config["SANDBOX_ENABLED"])


def _force_sandbox_failure(redeem_code) -> None:
    """Sandbox: a trigger code as the ``redeem_code`` answers that failure on every endpoint
    (never when the sandbox is switched off)."""
    if isinstance(redeem_code, str) and redeem_code in SANDBOX_TRIGGERS and _sandbox():
        raise InstitutionError("redeem_code_used" if redeem_code == "USED" else redeem_code)


# --- redeem codes and attendance ------------------------------------------------------------
@bp.post("/payment/redeem-code/status")
def redeem_code_status():
    form = forms.RedeemStatusForm.load(g.payload)
    return _respond(
        lambda _now: redemption.code_status(
            db.session, g.partner, form.redeem_code.data, form.sequence.data or 1
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
            sequence=form.sequence.data or 1,
            redirect_uri=form.redirect_uri.data,
            email=form.email.data,
            base_url=request.host_url,
            sandbox=_sandbox(),
        )
    )


@bp.post("/payment/redeem-code/commit")
def redeem_code_commit():
    form = forms.RedeemCodeForm.load(g.payload)
    return _respond(
        lambda now: redemption.commit_code(db.session, now, g.partner, form.redeem_code.data)
    )


@bp.post("/payment/redeem-code/reset")
def redeem_code_reset():
    form = forms.ResetForm.load(g.payload)
    return _respond(
        lambda now: sandbox_codes.reset(
            db.session, now, g.partner, form.redeem_code.data, sandbox=_sandbox()
        )
    )


# --- practice tasks (TPM) and the skills demonstration (UK) -----------------------------------
@bp.post("/tpm/submission")
def tpm_submission():
    form = forms.TaskSubmissionForm.load(g.payload)
    return _respond(
        lambda now: training.submit_task(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            scope=form.scope.data,
            sequence=form.sequence.data,
            url_file=form.url_file.data,
            sandbox=_sandbox(),
        )
    )


@bp.post("/tpm/submission/status")
def tpm_submission_status():
    form = forms.TaskForm.load(g.payload)
    return _respond(
        lambda now: training.task_status(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            scope=form.scope.data,
            sequence=form.sequence.data,
        )
    )


@bp.post("/tpm/feedback/submission")
def tpm_feedback_submission():
    form = forms.FeedbackForm.load(g.payload)
    return _respond(
        lambda now: training.submit_feedback(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            scope=form.scope.data,
            sequence=form.sequence.data,
            notes=form.notes.data,
            url_file=form.url_file.data or "",
        )
    )


# --- our extensions -------------------------------------------------------------------------
@bp.post("/ext/redeem-code/complete")
def redeem_code_complete():
    form = forms.CompletionForm.load(g.payload)
    return _respond(
        lambda now: training.complete_training(
            db.session,
            now,
            g.partner,
            code=form.redeem_code.data,
            certificate_number=form.certificate_number.data,
        )
    )


@bp.post("/ext/oauth/redirect-uri")
def register_redirect_uri():
    form = forms.RedirectUriForm.load(g.payload)
    return _respond(
        lambda now: redemption.register_redirect_uri(
            db.session, now, g.partner, form.redirect_uri.data
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
