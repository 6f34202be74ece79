"""OTP payments: request, resend, charge (the atomic debit), refund, status.

The debit is one conditional UPDATE of the card (``balance >= amount`` and no open training),
in the same transaction as the payment's own conditional state change, the ledger entry and the
redeem code. On PostgreSQL a racing transaction waits for the row lock and then re-evaluates the
condition; on SQLite write transactions are serialised (``BEGIN IMMEDIATE``). Either way a card
can never be overdrawn and a payment never captured twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course
from marketplace.catalog.services import find_course, is_listed_on
from marketplace.money import format_rupiah
from marketplace.outbox import send_sms
from prakerja_gateway import domain
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Card, OtpChallenge, Partner, Payment
from prakerja_gateway.services import capture
from prakerja_gateway.services.capture import check_binding
from prakerja_gateway.services.cards import load_card, refuse_if_not_allowed
from prakerja_gateway.services.policy import Outcome, PaymentPolicy


def payment_data(payment: Payment) -> dict:
    redeem = payment.redeem_code
    return {
        "payment_id": payment.ref,
        "status": payment.status,
        "amount": payment.amount,
        "invoice_code": payment.invoice_code,
        "course_code": payment.course_code,
        "account_id": payment.account_id,
        "card_number_masked": domain.mask_card_number(payment.card.number),
        "redeem_code": redeem.code if redeem and payment.status == "captured" else None,
        "failure_code": payment.failure_code,
        "created_at": payment.created_at.isoformat(),
        "captured_at": payment.captured_at.isoformat() if payment.captured_at else None,
        "refunded_at": payment.refunded_at.isoformat() if payment.refunded_at else None,
        "completed_at": payment.completed_at.isoformat() if payment.completed_at else None,
    }


def _delay(card: Card, policy: PaymentPolicy) -> float:
    return policy.slow_seconds if card.test_behavior == "slow" else 0.0


# --- otp/request ----------------------------------------------------------------------------
def request_otp(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    *,
    card_number: str,
    amount: int,
    invoice_code: str,
    course_code: str,
    account_id: str,
) -> Outcome:
    """Check the card and the course, open a payment and send its OTP by SMS."""
    card = load_card(session, card_number)
    course = find_course(session, course_code)
    if course is None:
        raise GatewayError("course_not_found", course_code=course_code)
    if not is_listed_on(course, partner.catalog_ref):
        raise GatewayError("course_not_listed", course_code=course_code)
    if amount != course.price_idr:
        raise GatewayError("amount_mismatch", amount=amount, price=course.price_idr)
    refuse_if_not_allowed(session, card, amount, now)
    check_binding(session, partner, account_id, card)
    payment = _open_payment(session, now, policy, partner, card, course, invoice_code, account_id)
    code = _issue_otp(session, now, policy, partner, payment)
    return Outcome(
        {
            "payment_id": payment.ref,
            "status": payment.status,
            "otp_expires_at": payment.otp.expires_at.isoformat(),
            "expires_at": payment.expires_at.isoformat(),
            "phone_masked": domain.mask_phone(card.participant.phone),
            "otp_length": len(code),
        },
        _delay(card, policy),
    )


def _open_payment(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    card: Card,
    course: Course,
    invoice_code: str,
    account_id: str,
) -> Payment:
    existing = session.execute(
        select(Payment.ref).where(
            Payment.partner_id == partner.id, Payment.invoice_code == invoice_code
        )
    ).scalar()
    if existing:
        raise GatewayError("invoice_code_used", payment_id=existing)
    payment = Payment(
        ref=domain.new_payment_ref(),
        partner_id=partner.id,
        card_id=card.id,
        account_id=account_id,
        invoice_code=invoice_code,
        course_code=course.course_code,
        course_type=course.course_type,
        amount=course.price_idr,
        status="otp_sent",
        created_at=now,
        expires_at=now + policy.payment_ttl,
    )
    payment.card = card
    try:
        with session.begin_nested():  # a racing request with the same invoice loses cleanly
            session.add(payment)
            session.flush()
    except IntegrityError:
        raise GatewayError("invoice_code_used") from None
    return payment


def _issue_otp(
    session: Session, now: datetime, policy: PaymentPolicy, partner: Partner, payment: Payment
) -> str:
    """Create or renew the payment's OTP and text it (unless the persona's SMS gets lost)."""
    card = payment.card
    otp_format = domain.OtpFormat(partner.otp_length, partner.otp_alphabet)
    code = otp_format.fixed_code if card.fixed_otp else otp_format.generate()
    code_hash = domain.hash_otp(policy.otp_secret, payment.ref, code)
    if payment.otp is None:
        payment.otp = OtpChallenge(code_hash=code_hash, expires_at=now, last_sent_at=now)
    payment.otp.code_hash = code_hash
    payment.otp.expires_at = now + policy.otp_ttl
    payment.otp.last_sent_at = now
    payment.otp.failed_attempts = 0
    if card.test_behavior != "sms_lost":
        minutes = int(policy.otp_ttl.total_seconds() // 60)
        body = (
            f"JANGAN BERIKAN KODE INI KEPADA SIAPA PUN. Kode OTP Prakerja: {code} untuk "
            f"pembayaran {format_rupiah(payment.amount)} di {partner.name}. "
            f"Berlaku {minutes} menit."
        )
        send_sms(session, now, card.participant.phone, body, otp=code)
    session.flush()
    return code


# --- otp/resend -----------------------------------------------------------------------------
def resend_otp(
    session: Session, now: datetime, policy: PaymentPolicy, partner: Partner, payment_ref: str
) -> Outcome:
    """A new OTP for a pending payment, within the cooldown and resend limits."""
    payment = load_payment(session, partner, payment_ref=payment_ref)
    _refuse_unless_pending(session, payment, now)
    challenge = payment.otp
    if challenge.resends >= policy.max_resends:
        raise GatewayError("too_many_resends", max_resends=policy.max_resends)
    ready_at = challenge.last_sent_at + policy.resend_cooldown
    if now < ready_at:
        raise GatewayError("resend_too_soon", retry_after=int((ready_at - now).total_seconds()) + 1)
    challenge.resends += 1
    _issue_otp(session, now, policy, partner, payment)
    return Outcome(
        {
            "payment_id": payment.ref,
            "otp_expires_at": challenge.expires_at.isoformat(),
            "resends_left": policy.max_resends - challenge.resends,
        },
        _delay(payment.card, policy),
    )


# --- charge ---------------------------------------------------------------------------------
def charge(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    *,
    payment_ref: str,
    otp: str,
) -> Outcome:
    """Verify the OTP and capture the payment: debit, ledger entry and redeem code at once."""
    payment = load_payment(session, partner, payment_ref=payment_ref)
    _refuse_unless_pending(session, payment, now)
    card = payment.card
    if card.test_behavior == "processing_error":
        raise GatewayError("processing_error")
    if now >= payment.otp.expires_at:
        raise GatewayError("otp_expired", otp_expired_at=payment.otp.expires_at.isoformat())
    _verify_otp(session, policy, partner, payment, otp)
    try:
        refuse_if_not_allowed(session, card, payment.amount, now)
        already_bound = check_binding(session, partner, payment.account_id, card)
    except GatewayError as refusal:
        if not capture.fail_payment(session, payment, refusal.name):
            _refuse_unless_pending(session, payment, now)  # a racing request settled it first
        raise
    balance_after = capture.capture_payment(session, now, payment, bind=not already_bound)
    return Outcome(
        {
            "payment_id": payment.ref,
            "status": "captured",
            "amount": payment.amount,
            "balance_after": balance_after,
            "redeem_code": payment.redeem_code.code,
        },
        _delay(card, policy),
    )


def _verify_otp(
    session: Session, policy: PaymentPolicy, partner: Partner, payment: Payment, entered: str
) -> None:
    normalised = domain.OtpFormat(partner.otp_length, partner.otp_alphabet).normalise(entered)
    if domain.otp_matches(policy.otp_secret, payment.ref, normalised, payment.otp.code_hash):
        return
    # Count the miss with a conditional increment, so racing wrong guesses are all counted.
    failed = session.execute(
        update(OtpChallenge)
        .where(OtpChallenge.id == payment.otp.id)
        .values(failed_attempts=OtpChallenge.failed_attempts + 1)
        .returning(OtpChallenge.failed_attempts)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    if failed >= policy.otp_max_attempts:
        capture.fail_payment(session, payment, "too_many_attempts")
        raise GatewayError("too_many_attempts", max_attempts=policy.otp_max_attempts)
    raise GatewayError("otp_invalid", attempts_left=policy.otp_max_attempts - failed)


# --- refund ---------------------------------------------------------------------------------
def refund(
    session: Session, now: datetime, partner: Partner, *, payment_ref: str, reason: str
) -> Outcome:
    """Give a captured payment's saldo back, while its redeem code is still unused."""
    payment = load_payment(session, partner, payment_ref=payment_ref)
    if payment.status == "refunded":
        raise GatewayError("already_refunded")
    if payment.status != "captured":
        raise GatewayError("payment_not_captured", status=payment.status)
    if payment.redeem_code.status == "committed":
        raise GatewayError("redeem_code_used")
    balance_after = capture.refund_payment(session, now, payment, reason)
    return Outcome(
        {"payment_id": payment.ref, "status": "refunded", "balance_after": balance_after}
    )


# --- status ---------------------------------------------------------------------------------
def payment_status(
    session: Session,
    now: datetime,
    partner: Partner,
    *,
    payment_ref: str | None,
    invoice_code: str | None,
) -> Outcome:
    """The payment as it stands (a pending one past its time is marked expired first)."""
    payment = load_payment(session, partner, payment_ref=payment_ref, invoice_code=invoice_code)
    capture.expire_if_due(session, payment, now)
    return Outcome(payment_data(payment))


def load_payment(
    session: Session,
    partner: Partner,
    *,
    payment_ref: str | None = None,
    invoice_code: str | None = None,
) -> Payment:
    """The partner's own payment by id or invoice code; another partner's is 'not found'."""
    query = select(Payment).where(Payment.partner_id == partner.id)
    if payment_ref is not None:
        query = query.where(Payment.ref == payment_ref)
    else:
        query = query.where(Payment.invoice_code == invoice_code)
    payment = session.execute(query).scalar()
    if payment is None:
        raise GatewayError("payment_not_found")
    return payment


def _refuse_unless_pending(session: Session, payment: Payment, now: datetime) -> None:
    if capture.expire_if_due(session, payment, now):
        raise GatewayError("payment_expired")
    if payment.status in ("captured", "refunded"):
        raise GatewayError("payment_already_captured", status=payment.status)
    if payment.status == "expired":
        raise GatewayError("payment_expired")
    if payment.status != "otp_sent":
        raise GatewayError("payment_not_pending", status=payment.status)
