"""Sandbox endpoints (JSON, no signature) and the phone pages (HTML).

Refusals use the API's failure envelope with the sandbox's own codes (``ERRSBX<status><nn>``).
The other pages for people (test cards, clock, inbox) are in ``pages`` (``/uji/...``).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from marketplace.catalog.services import all_courses
from marketplace.clock import current_clock, rfc3339, to_wib
from marketplace.db import begin_write, db
from marketplace.errors import INVALID_REQUEST, AppError, ErrorKind
from marketplace.forms import INVALID_TEXT, is_storable_text
from marketplace.jsonforms import parse_json_object
from marketplace.outbox import EmailMessage, SmsMessage
from marketplace.params import ParamError, bounded_float, bounded_int
from prakerja_gateway import domain
from prakerja_gateway.models import Partner, Payment
from prakerja_gateway.sandbox import forms, live_cards, lookups, mailbox, pages
from prakerja_gateway.sandbox.personas import (
    BY_KEY,
    create_persona,
    documented_personas,
    persona_info,
)
from prakerja_gateway.services import capture, incentives, sweeps
from prakerja_gateway.services.reconcile import reconcile
from prakerja_gateway.sso.models import SsoClient

bp = Blueprint("sandbox", __name__, url_prefix="/sandbox", template_folder="templates")
bp.record(pages.register)

TOKEN_REQUIRED = ErrorKind(
    "sandbox_token_required", 401, "Token sandbox salah atau tidak ada.", "ERRSBX40101"
)
UNKNOWN_PERSONA = ErrorKind("unknown_persona", 404, "Persona tidak dikenal.", "ERRSBX40401")
PAYMENT_NOT_CAPTURED = ErrorKind(
    "payment_not_captured",
    409,
    "Pelatihan ini belum berhasil dibeli, jadi belum bisa diselesaikan.",
    "ERRSBX40901",
)
MAX_MESSAGES = 50
MAX_ID = 2**31 - 1  # message ids are 32-bit integers on PostgreSQL
_LONG_POLL = threading.BoundedSemaphore(1)  # long-polls waiting at once, per process
# Completing a training reads the payment's card and redeem code: loaded with it.
COMPLETING = (joinedload(Payment.card), joinedload(Payment.redeem_code))


@bp.before_request
def guard() -> None:
    """The sandbox can be switched off, or put behind a token (the ``X-Sandbox-Token`` header
    only: a token in the address ends up in logs and browser history)."""
    if not current_app.config["SANDBOX_ENABLED"]:
        abort(404)
    token = current_app.config.get("SANDBOX_TOKEN")
    given = request.headers.get("X-Sandbox-Token")
    if token and given != token:
        raise AppError(TOKEN_REQUIRED)
    if request.method == "POST":
        begin_write(db.session)


@bp.get("/personas")
def personas():
    return jsonify({"personas": documented_personas(db.session)})


@bp.post("/personas/<key>")
def mint_persona(key: str):
    persona = BY_KEY.get(key)
    if persona is None:
        raise AppError(UNKNOWN_PERSONA, known=sorted(BY_KEY))
    card = create_persona(db.session, current_clock().now(), persona)
    info = persona_info(persona, card)
    db.session.commit()
    return jsonify(info), 201


@bp.get("/courses")
def courses():
    """The catalogue with each course's requirements and schedules (quota left = capacity minus
    the seats sold)."""
    lp_client_codes = dict(
        db.session.execute(
            select(Partner.catalog_ref, Partner.client_code).where(Partner.kind == "lp")
        ).all()
    )
    schedules = lookups.schedules_by_course(db.session, current_clock().now())
    return jsonify(
        {
            "courses": [
                lookups.course_json(
                    course,
                    lp_client_codes.get(course.institution_code),
                    schedules.get(course.id, []),
                )
                for course in all_courses(db.session)
            ]
        }
    )


@bp.get("/partners")
def partners():
    rows = db.session.execute(select(Partner).order_by(Partner.kind, Partner.id)).scalars()
    return jsonify(
        {
            "partners": [
                {
                    "client_code": partner.client_code,
                    "sign_key": partner.sign_key,
                    "kind": partner.kind,
                    "name": partner.name,
                    "catalog_ref": partner.catalog_ref,
                    "otp_format": {"length": partner.otp_length, "alphabet": partner.otp_alphabet},
                }
                for partner in rows
            ]
            # The SSO clients among them, as the API contract has it: kind "sso".
            + [sso_client_json(client) for client in _sso_clients()],
        }
    )


def _sso_clients() -> list[SsoClient]:
    return list(
        db.session.execute(select(SsoClient).order_by(SsoClient.kind, SsoClient.id)).scalars()
    )


def sso_client_json(client: SsoClient) -> dict:
    """A demo "Login dengan Prakerja" client, an entry of ``partners`` with ``kind`` "sso" (the API
    contract); ``client_code`` and ``name`` repeat its id and name, so code that looks partners up
    by those keys still works. ``party`` is whose client it is (``dp`` or ``lp``). A registered
    address that is a path stands for that path on this host."""
    return {
        "client_code": client.client_id,
        "name": client.client_name,
        "kind": "sso",
        "client_id": client.client_id,
        "client_name": client.client_name,
        "sign_key": client.sign_key,
        "party": client.kind,
        "catalog_ref": client.catalog_ref,
        "redirect_uris": client.registered("redirect"),
        "login_uris": client.registered("login"),
        "consent_url": url_for("sso.consent"),
    }


@bp.get("/sms")
def sms():
    phone = _required_arg("phone")
    messages = _wait_for(lambda: _sms_for(phone))
    return jsonify({"messages": [_sms_json(message) for message in messages]})


@bp.get("/emails")
def emails():
    to = _required_arg("to")
    messages = _wait_for(lambda: _emails_for(to))
    return jsonify(
        {
            "messages": [
                {
                    "id": message.id,
                    "to": message.to,
                    "sender": message.sender,
                    "subject": message.subject,
                    "body": message.body,
                    "sent_at": message.sent_at.isoformat(),
                }
                for message in messages
            ]
        }
    )


@bp.get("/phone/<phone>")
def phone_page(phone: str):
    if not is_storable_text(phone):
        abort(404)
    return render_template(
        "sandbox/phone.html",
        phone=phone,
        messages=_sms_for(phone),
        cards=live_cards.cards_of_phone(db.session, phone),
    )


@bp.get("/phone/")
def phones():
    """Type a number, or pick one of the phones that received an SMS lately."""
    form = forms.PhoneLookupForm(formdata=request.args)
    if "nomor" in request.args and form.validate():
        return redirect(url_for("sandbox.phone_page", phone=form.nomor.data))
    page = render_template(
        "sandbox/phones.html", form=form, phones=mailbox.recent_phones(db.session)
    )
    return page, 422 if form.errors else 200


@bp.get("/clock")
def clock():
    return jsonify(_clock_json())


@bp.post("/clock/advance")
def advance_clock():
    form = forms.ClockAdvanceForm.load(parse_json_object(request.get_data() or b"{}"))
    delta = timedelta(
        days=form.days.data or 0,
        hours=form.hours.data or 0,
        minutes=form.minutes.data or 0,
        seconds=form.seconds.data or 0,
    )
    now = current_clock().advance(delta)
    done = sweeps.run_due_jobs(db.session, now)
    db.session.commit()
    return jsonify({**_clock_json(), "ran": done})


@bp.get("/reconcile")
def reconcile_report():
    return jsonify(reconcile(db.session))


@bp.get("/transactions/<code>")
def transaction(code: str):
    """Prakerja's side of a purchase, by transaction code, payment token, redeem code or the
    platform's invoice code.

    An invoice code is unique per platform only: ``?client_code=`` picks the platform; without
    it the newest purchase with that invoice code answers.
    """
    payment = lookups.find_payment(db.session, code, request.args.get("client_code"))
    return jsonify(lookups.transaction_json(payment))


@bp.post("/payments/<code>/complete")
def complete_training(code: str):
    """Simulate the institution reporting completion (and the participant's rating/review).

    ``code`` is the purchase's transaction code or its redeem code (what the participant holds).
    """
    form = forms.CompleteTrainingForm.load(parse_json_object(request.get_data() or b"{}"))
    payment = lookups.find_payment(
        db.session,
        code,
        by_invoice=False,
        loading=COMPLETING,  # what completing reads
    )
    if payment.status != "captured":
        raise AppError(PAYMENT_NOT_CAPTURED, status=domain.WIRE_STATUSES[payment.status])
    now = current_clock().now()
    unlocked = capture.finish_training(
        db.session, now, payment, rating=form.rating.data, review=form.review.data
    )
    incentives.schedule_training_incentive(db.session, now, payment)
    answer = {  # before the commit, which would expire what it reads
        "transaction_code": payment.transaction_code,
        "invoice_code": payment.invoice_code,
        "completed_at": rfc3339(payment.completed_at),
        "reviewed": payment.reviewed_at is not None,
        "next_purchase_unlocked": unlocked,
    }
    db.session.commit()
    return jsonify(answer)


# --- helpers --------------------------------------------------------------------------------
def _required_arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    if not value:
        raise AppError(
            INVALID_REQUEST, f"Parameter '{name}' wajib diisi.", fields={name: ["Wajib diisi."]}
        )
    if not is_storable_text(value):  # NUL: PostgreSQL would fail on it mid-query
        raise AppError(
            INVALID_REQUEST, f"Parameter '{name}' tidak valid.", fields={name: [INVALID_TEXT]}
        )
    return value


def _wait_for(fetch):
    """``wait=S``: when nothing matches yet, poll up to S seconds for the first message.

    ``after=ID`` asks only for messages newer than a message id already seen. One long-poll per
    process at a time (``_LONG_POLL``), each at most ``SANDBOX_MAX_WAIT_SECONDS``: a second one
    answers at once with what there is, so waiters can never hold every worker.
    """
    limit = current_app.config["SANDBOX_MAX_WAIT_SECONDS"]
    wait = _number_arg(
        "wait", lambda text: bounded_float(text, minimum=0, maximum=limit, clamp=True)
    )
    messages = fetch()
    if messages or wait <= 0 or not _LONG_POLL.acquire(blocking=False):
        return messages
    try:
        deadline = time.monotonic() + wait
        while not messages and time.monotonic() < deadline:
            db.session.rollback()  # end the read transaction so the next poll sees new rows
            time.sleep(0.05)
            messages = fetch()
        return messages
    finally:
        _LONG_POLL.release()


def _after_id() -> int:
    return _number_arg("after", lambda text: bounded_int(text, minimum=0, maximum=MAX_ID))


def _number_arg(name: str, parse):
    """A query parameter through a strict parser of ``marketplace.params`` (0 when absent)."""
    text = request.args.get(name)
    if text is None:
        return 0
    try:
        return parse(text)
    except ParamError as wrong:
        raise AppError(
            INVALID_REQUEST, f"Parameter '{name}' tidak valid.", fields={name: [str(wrong)]}
        ) from None


def _outbox(model, address_column, address: str):
    """Messages to one phone or address, newest first (after ``?after=ID`` if given)."""
    return (
        db.session.execute(
            select(model)
            .where(address_column == address, model.id > _after_id())
            .order_by(model.id.desc())
            .limit(MAX_MESSAGES)
        )
        .scalars()
        .all()
    )


def _sms_for(phone: str):
    return _outbox(SmsMessage, SmsMessage.phone, phone)


def _emails_for(to: str):
    return _outbox(EmailMessage, EmailMessage.to, to)


def _sms_json(message: SmsMessage) -> dict:
    return {
        "id": message.id,
        "phone": message.phone,
        "sender": message.sender,
        "body": message.body,
        "otp": message.otp,
        "sent_at": message.sent_at.isoformat(),
    }


def _clock_json() -> dict:
    clock = current_clock()
    now = clock.now()
    return {
        "now": now.isoformat(),
        "now_wib": to_wib(now).isoformat(),
        "offset_seconds": int(clock.offset().total_seconds()),
    }
