"""The platform (DP) purchase of the public API: send-otp and authorize (quota-schedule is in
``schedules.py``, status and void in ``transactions.py``).

``send-otp`` validates the purchase (card, course, schedule, quota, requirements, programme
rules), opens a payment whose secret ``token`` is the ``payment_token``, and texts the OTP.
``authorize`` checks the token and the OTP and captures: one conditional UPDATE debits the card
(``balance >= amount`` and no open training), one takes a seat of the schedule, in the same
transaction as the payment's own conditional state change, the ledger entry and the redeem code.
On PostgreSQL a racing transaction waits for the row lock and then re-evaluates the condition;
on SQLite write transactions are serialised (``BEGIN IMMEDIATE``). Either way a card can never be
overdrawn, a schedule never oversold and a payment never captured twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from marketplace.catalog.models import EDUCATION_LEVELS, Course, CourseSchedule
from marketplace.catalog.services import find_course, is_listed_on
from marketplace.clock import rfc3339, wib_date
from marketplace.money import format_rupiah
from marketplace.outbox import SmsMessage, send_sms
from prakerja_gateway import domain
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Card, OtpChallenge, Partner, Payment
from prakerja_gateway.services import capture, schedules
from prakerja_gateway.services.capture import check_binding
from prakerja_gateway.services.cards import load_card, refuse_if_not_allowed
from prakerja_gateway.services.policy import Outcome, PaymentPolicy
from prakerja_gateway.services.transactions import transaction_data

PURCHASED = "Pelatihan berhasil dibeli."
HOUR = timedelta(hours=1)


def _delay(card: Card, policy: PaymentPolicy) -> float:
    return policy.slow_seconds if card.test_behavior == "slow" else 0.0


# The checkout's statements, built once: building and hashing a statement on every call cost
# more than running it (bench profile). Values go in as bound parameters.
WAITING_PAYMENT = (
    select(Payment)
    .where(
        Payment.partner_id == bindparam("partner_id"),
        Payment.card_id == bindparam("card_id"),
        Payment.account_id == bindparam("account_id"),
        Payment.course_code == bindparam("course_code"),
        Payment.schedule_code == bindparam("schedule_code"),
        Payment.status == "otp_sent",
    )
    .order_by(Payment.id.desc())
    .limit(1)
)
PAYMENTS_SINCE = select(func.count(Payment.id), func.min(Payment.created_at)).where(
    Payment.card_id == bindparam("card_id"), Payment.created_at > bindparam("since")
)
OTP_TEXTS_SINCE = select(func.count(SmsMessage.id), func.min(SmsMessage.sent_at)).where(
    SmsMessage.phone == bindparam("phone"),
    SmsMessage.sent_at > bindparam("since"),
    SmsMessage.otp.is_not(None),
)
PAYMENT_BY_TOKEN = (
    select(Payment)
    .options(joinedload(Payment.card), joinedload(Payment.otp))  # authorize reads both
    .where(Payment.token == bindparam("token"), Payment.partner_id == bindparam("partner_id"))
)
OTP_CHALLENGES = OtpChallenge.__table__
# A Core UPDATE on the table, as capture.py's: the ORM's bulk-UPDATE path cost more than it.
COUNT_OTP_ATTEMPT = (
    update(OTP_CHALLENGES)
    .where(
        OTP_CHALLENGES.c.id == bindparam("otp_id"),
        OTP_CHALLENGES.c.attempts < bindparam("max_attempts"),
    )
    .values(attempts=OTP_CHALLENGES.c.attempts + 1)
    .returning(OTP_CHALLENGES.c.attempts)
)
INVOICE_TAKEN = select(Payment.transaction_code).where(
    Payment.partner_id == bindparam("partner_id"),
    Payment.invoice_code == bindparam("invoice_code"),
)


# --- send-otp -------------------------------------------------------------------------------
@dataclass
class CheckedPurchase:
    """What ``check_purchase`` read and found allowed; ``waiting``: this very purchase, opened
    earlier and still waiting for its OTP (asked again, its OTP is sent anew)."""

    partner: Partner
    card: Card
    course: Course
    schedule: CourseSchedule
    waiting: Payment | None
    request: dict  # what was asked: checked again from it under the lock (a resend)


def check_purchase(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    *,
    prakerja_id: str,
    user_platform_id: str,
    course_code: str,
    schedule_code: str,
    amount: int,
) -> CheckedPurchase:
    """Every check of send-otp, reads only: the API runs it before the write lock (SQLite's lock
    is then held for the three inserts alone). What it read may change before the writes, as on
    PostgreSQL, where these reads take no lock either: what must hold at payment (saldo, open
    training, card status, seats) is checked again by authorize's conditional updates."""
    card = load_card(session, prakerja_id)
    course = find_course(session, course_code)
    if course is None:
        raise GatewayError("course_not_found", course_code=course_code)
    if not is_listed_on(course, partner.catalog_ref):
        raise GatewayError("course_not_listed", course_code=course_code)
    schedule = schedules.schedule_of(session, course, schedule_code)
    schedules.refuse_unless_on_sale(session, course, schedule, now)
    if amount != course.price_idr:
        raise GatewayError("amount_mismatch", amount=amount, price=course.price_idr)
    _refuse_unless_eligible(card, course, now)
    refuse_if_not_allowed(session, card, amount, now)
    check_binding(session, partner, user_platform_id, card)
    waiting = _waiting_payment(session, now, partner, card, course, schedule, user_platform_id)
    _refuse_too_many_texts(session, now, policy, card.participant.phone)
    if waiting is None:
        _refuse_too_many_payments(session, now, policy, card)
    else:
        _refuse_resend_for_now(policy, waiting, now)
    request = {
        "prakerja_id": prakerja_id, "user_platform_id": user_platform_id,
        "course_code": course_code, "schedule_code": schedule_code, "amount": amount,
    }  # fmt: skip
    return CheckedPurchase(partner, card, course, schedule, waiting, request)


def send_otp_checked(
    session: Session, now: datetime, policy: PaymentPolicy, checked: CheckedPurchase
) -> Outcome:
    """Send-otp's writes, for a purchase checked before the write lock was taken. A resend
    counts and limits what it changes, so it is checked again under the lock, from fresh rows."""
    if checked.waiting is not None:
        session.expire_all()
        checked = check_purchase(session, now, policy, checked.partner, **checked.request)
    return _open_or_resend(session, now, policy, checked)


def _open_or_resend(
    session: Session, now: datetime, policy: PaymentPolicy, checked: CheckedPurchase
) -> Outcome:
    card, partner, payment = checked.card, checked.partner, checked.waiting
    if payment is None:
        opened = _open_payment(session, now, policy, partner, card, checked.course,
                               checked.schedule, checked.request["user_platform_id"])  # fmt: skip
    else:
        payment.otp.resends += 1
        opened = _resend_otp(session, now, policy, partner, payment)
    return Outcome(
        {
            "payment_token": opened.token,
            "otp_expired_at": rfc3339(opened.otp_expires_at),
            "expired_at": rfc3339(opened.expires_at),
            "phone_masked": domain.mask_phone(card.participant.phone),
            "otp_length": len(opened.otp),
        },
        _delay(card, policy),
    )


@dataclass(frozen=True)
class OpenPayment:
    """What send-otp tells the platform of the payment it opened or texted anew."""

    token: str
    expires_at: datetime
    otp_expires_at: datetime
    otp: str


def _refuse_unless_eligible(card: Card, course: Course, now: datetime) -> None:
    participant = card.participant
    refusal = domain.requirement_refusal(
        birth_date=participant.birth_date,
        education=participant.education,
        min_age=course.min_age,
        max_age=course.max_age,
        min_education=course.min_education,
        today=wib_date(now),
        levels=EDUCATION_LEVELS,
    )
    if refusal:
        raise GatewayError(
            refusal, min_age=course.min_age, max_age=course.max_age,
            min_education=course.min_education,
        )  # fmt: skip


def _waiting_payment(
    session: Session,
    now: datetime,
    partner: Partner,
    card: Card,
    course: Course,
    schedule: CourseSchedule,
    account_id: str,
) -> Payment | None:
    """This very purchase, opened earlier and still waiting for its OTP."""
    payment = session.execute(
        WAITING_PAYMENT,
        {
            "partner_id": partner.id, "card_id": card.id, "account_id": account_id,
            "course_code": course.course_code, "schedule_code": schedule.schedule_code,
        },
    ).scalar()  # fmt: skip
    if payment is None or capture.expire_if_due(session, payment, now):
        return None
    return payment


def _refuse_too_many_payments(
    session: Session, now: datetime, policy: PaymentPolicy, card: Card
) -> None:
    """At most ``payments_per_card_per_hour`` payments opened per card in a rolling hour."""
    count, oldest = session.execute(PAYMENTS_SINCE, {"card_id": card.id, "since": now - HOUR}).one()
    if count >= policy.payments_per_card_per_hour:
        raise GatewayError("too_many_payments", retry_after=_retry_after(oldest, now))


def _refuse_too_many_texts(session: Session, now: datetime, policy: PaymentPolicy, phone: str):
    """At most ``otp_sms_per_phone_per_hour`` OTP texts per phone number in a rolling hour."""
    count, oldest = session.execute(OTP_TEXTS_SINCE, {"phone": phone, "since": now - HOUR}).one()
    if count >= policy.otp_sms_per_phone_per_hour:
        raise GatewayError("too_many_otp_sms", retry_after=_retry_after(oldest, now))


def _retry_after(oldest: datetime, now: datetime) -> int:
    """Seconds until the oldest counted event leaves the rolling hour."""
    if oldest.tzinfo is None:  # an aggregate some drivers return untyped
        oldest = oldest.replace(tzinfo=UTC)
    return max(1, int((oldest + HOUR - now).total_seconds()) + 1)


def _refuse_resend_for_now(policy: PaymentPolicy, payment: Payment, now: datetime) -> None:
    challenge = payment.otp
    if challenge.resends >= policy.max_resends:
        raise GatewayError("too_many_resends", max_resends=policy.max_resends)
    ready_at = challenge.last_sent_at + policy.resend_cooldown
    if now < ready_at:
        raise GatewayError("resend_too_soon", retry_after=int((ready_at - now).total_seconds()) + 1)


PAYMENTS = Payment.__table__
# Core INSERTs built once: a new payment and its OTP are written, not read back, in send-otp,
# and the ORM's flush of two new objects cost several times the statements while SQLite's write
# lock was held (bench profile, issue 13).
INSERT_PAYMENT = insert(PAYMENTS).returning(PAYMENTS.c.id)
INSERT_OTP = insert(OTP_CHALLENGES)


def _open_payment(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    card: Card,
    course: Course,
    schedule: CourseSchedule,
    account_id: str,
) -> OpenPayment:
    transaction_code = domain.new_transaction_code()
    opened = OpenPayment(
        token=domain.new_payment_token(),
        expires_at=now + policy.payment_ttl,
        otp_expires_at=now + policy.otp_ttl,
        otp=_new_otp(policy, partner, card),
    )
    payment_id = session.execute(
        INSERT_PAYMENT,
        {
            "transaction_code": transaction_code, "token": opened.token,
            "partner_id": partner.id, "card_id": card.id, "account_id": account_id,
            "course_code": course.course_code, "schedule_code": schedule.schedule_code,
            "course_type": course.course_type, "amount": course.price_idr, "status": "otp_sent",
            "created_at": now, "expires_at": opened.expires_at,
        },
    ).scalar_one()  # fmt: skip
    session.execute(
        INSERT_OTP,
        {
            "payment_id": payment_id,
            "code_hash": domain.hash_otp(policy.otp_secret, transaction_code, opened.otp),
            "expires_at": opened.otp_expires_at,
            "last_sent_at": now,
            "attempts": 0,
            "resends": 0,
        },
    )
    _text_otp(session, now, policy, partner, card, course.price_idr, opened.otp)
    return opened


def _resend_otp(
    session: Session, now: datetime, policy: PaymentPolicy, partner: Partner, payment: Payment
) -> OpenPayment:
    """Renew a waiting payment's OTP and text it again."""
    code = _new_otp(policy, partner, payment.card)
    challenge = payment.otp
    challenge.code_hash = domain.hash_otp(policy.otp_secret, payment.transaction_code, code)
    challenge.expires_at = now + policy.otp_ttl
    challenge.last_sent_at = now  # attempts are not reset: a resend gives no new guesses
    _text_otp(session, now, policy, partner, payment.card, payment.amount, code)
    session.flush()
    return OpenPayment(payment.token, payment.expires_at, challenge.expires_at, code)


def _new_otp(policy: PaymentPolicy, partner: Partner, card: Card) -> str:
    otp_format = domain.OtpFormat(partner.otp_length, partner.otp_alphabet)
    fixed = card.fixed_otp and policy.sandbox_enabled  # off the sandbox: random, by SMS only
    return otp_format.fixed_code if fixed else otp_format.generate()


def _text_otp(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    card: Card,
    amount: int,
    code: str,
) -> None:
    """The OTP's SMS (unless the persona's SMS gets lost)."""
    if card.test_behavior == "sms_lost":
        return
    minutes = int(policy.otp_ttl.total_seconds() // 60)
    body = (
        f"JANGAN BERIKAN KODE INI KEPADA SIAPA PUN. Kode OTP Prakerja: {code} untuk "
        f"pembayaran {format_rupiah(amount)} di {partner.name}. "
        f"Berlaku {minutes} menit."
    )
    send_sms(session, now, card.participant.phone, body, otp=code)


# --- authorize ------------------------------------------------------------------------------
def authorize(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    *,
    payment_token: str,
    otp: str,
    invoice_code: str,
    invoice_url: str,
) -> Outcome:
    """Check the token and the OTP, then buy: debit, seat, ledger entry and redeem code at once."""
    payment = _payment_by_token(session, partner, payment_token)
    _refuse_unless_pending(session, payment, now)
    card = payment.card
    if card.test_behavior == "processing_error":
        raise GatewayError("processing_error")
    if now >= payment.otp.expires_at:
        raise GatewayError("otp_expired", otp_expired_at=rfc3339(payment.otp.expires_at))
    _verify_otp(session, now, policy, partner, payment, otp)
    _refuse_used_invoice(session, partner, invoice_code)
    try:
        schedules.refuse_if_sale_closed(session, payment.schedule_code, now)
        refuse_if_not_allowed(session, card, payment.amount, now)
        already_bound = check_binding(session, partner, payment.account_id, card)
    except GatewayError as refusal:
        if not capture.fail_payment(session, payment, refusal.name):
            _refuse_unless_pending(session, payment, now)  # a racing request settled it first
        raise
    try:
        capture.capture_payment(
            session, now, payment, invoice_code=invoice_code, invoice_url=invoice_url,
            bind=not already_bound,
        )  # fmt: skip
    except IntegrityError:  # a racing authorize took this invoice code a moment ago
        raise GatewayError("invoice_code_used", invoice_code=invoice_code) from None
    purchase = transaction_data(payment)
    del purchase["created_at"]  # the authorize example has every status field but this one
    return Outcome(purchase, _delay(card, policy), message=PURCHASED)


def _payment_by_token(session: Session, partner: Partner, token: str) -> Payment:
    payment = session.execute(PAYMENT_BY_TOKEN, {"token": token, "partner_id": partner.id}).scalar()
    if payment is None:
        raise GatewayError("invalid_payment_token")
    return payment


def _refuse_used_invoice(session: Session, partner: Partner, invoice_code: str) -> None:
    taken = session.execute(
        INVOICE_TAKEN, {"partner_id": partner.id, "invoice_code": invoice_code}
    ).scalar()
    if taken:
        raise GatewayError("invoice_code_used", invoice_code=invoice_code)


def _verify_otp(
    session: Session,
    now: datetime,
    policy: PaymentPolicy,
    partner: Partner,
    payment: Payment,
    entered: str,
) -> None:
    """Count the attempt first (one conditional increment), then compare: however many guesses
    race, the code is compared at most ``otp_max_attempts`` times per payment, resends included."""
    attempts = session.execute(
        COUNT_OTP_ATTEMPT, {"otp_id": payment.otp.id, "max_attempts": policy.otp_max_attempts}
    ).scalar()
    if attempts is None:  # every attempt is used up
        _give_up(session, policy, payment, now)
    normalised = domain.OtpFormat(partner.otp_length, partner.otp_alphabet).normalise(entered)
    if domain.otp_matches(
        policy.otp_secret, payment.transaction_code, normalised, payment.otp.code_hash
    ):
        return
    if attempts >= policy.otp_max_attempts:
        _give_up(session, policy, payment, now)
    raise GatewayError("otp_invalid", attempts_left=policy.otp_max_attempts - attempts)


def _give_up(session: Session, policy: PaymentPolicy, payment: Payment, now: datetime) -> None:
    if not capture.fail_payment(session, payment, "too_many_attempts"):
        # A racing authorize settled the payment while this one waited for the counter: its
        # answer is what the payment now is (bought, say), not a guessing refusal.
        _refuse_unless_pending(session, payment, now)
    raise GatewayError("too_many_attempts", max_attempts=policy.otp_max_attempts)


def _refuse_unless_pending(session: Session, payment: Payment, now: datetime) -> None:
    if capture.expire_if_due(session, payment, now):
        raise GatewayError("payment_expired")
    if payment.status == "captured":
        raise GatewayError("payment_already_captured", status=payment.status)
    if payment.status == "expired":
        raise GatewayError("payment_expired")
    if payment.status != "otp_sent":
        raise GatewayError("payment_not_pending", status=payment.status)
