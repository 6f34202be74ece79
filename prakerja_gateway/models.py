"""The programme office's tables. Amounts are integer rupiah; instants are UTC.

The saldo lives twice on purpose: ``Card.balance`` is what the atomic debit checks and updates,
and the ledger is the history it must always equal (``/sandbox/reconcile`` proves it).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UtcDateTime, db

LEDGER_KINDS = ("grant", "debit", "refund", "revocation", "expiry")


class Wave(db.Model):
    """A gelombang: participants accepted together under one scheme."""

    __tablename__ = "gw_waves"
    __table_args__ = (CheckConstraint("scheme IN ('semi_bansos', 'normal')", name="scheme_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    scheme: Mapped[str] = mapped_column(String(20))
    announced_on: Mapped[date] = mapped_column(Date)
    purchase_deadline: Mapped[date] = mapped_column(Date)


class Participant(db.Model):
    __tablename__ = "gw_participants"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16), unique=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    email: Mapped[str] = mapped_column(String(200))
    wave_id: Mapped[int] = mapped_column(ForeignKey("gw_waves.id"))
    persona: Mapped[str | None] = mapped_column(String(40))  # sandbox persona it was minted as
    # What trainings may require (checked by send-otp); see catalog.models.EDUCATION_LEVELS.
    birth_date: Mapped[date | None] = mapped_column(Date)
    education: Mapped[str | None] = mapped_column(String(10))
    # The card number shows on the dashboard once the three introduction videos are watched.
    videos_watched: Mapped[int] = mapped_column(Integer, server_default="0")

    wave: Mapped[Wave] = relationship(lazy="joined")
    card: Mapped[Card] = relationship(back_populates="participant", uselist=False)
    payout_account: Mapped[PayoutAccount | None] = relationship(uselist=False)


class NikBlacklist(db.Model):
    """NIKs barred from later waves (first-purchase deadline missed)."""

    __tablename__ = "gw_nik_blacklist"

    nik: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class PayoutAccount(db.Model):
    """The bank account or e-wallet incentives are paid to."""

    __tablename__ = "gw_payout_accounts"
    __table_args__ = (
        CheckConstraint("kind IN ('bank', 'ewallet')", name="kind_known"),
        CheckConstraint(
            "provider IN ('BNI', 'BCA', 'OVO', 'GOPAY', 'LINKAJA', 'DANA')", name="provider_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    provider: Mapped[str] = mapped_column(String(20))
    account_number: Mapped[str] = mapped_column(String(40))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Card(db.Model):
    """The 16-digit Kartu Prakerja and its saldo (``balance``, integer rupiah, never negative)."""

    __tablename__ = "gw_cards"
    __table_args__ = (
        CheckConstraint("balance >= 0", name="balance_not_negative"),
        CheckConstraint("status IN ('active', 'revoked', 'expired')", name="status_known"),
        CheckConstraint(
            "test_behavior IS NULL OR test_behavior IN ('sms_lost', 'processing_error', 'slow')",
            name="test_behavior_known",
        ),
        # The deadline sweep finds active cards past their deadline among millions.
        Index("ix_gw_cards_status_deadline", "status", "first_purchase_deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"), unique=True)
    scheme: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default="active")
    balance: Mapped[int] = mapped_column(Integer)  # integer rupiah
    first_purchase_deadline: Mapped[date] = mapped_column(Date)
    # The captured payment whose training is not finished yet; the atomic debit requires NULL.
    open_payment_id: Mapped[int | None] = mapped_column(Integer)
    purchases: Mapped[int] = mapped_column(Integer, default=0)
    last_finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status_reason: Mapped[str | None] = mapped_column(String(200))
    status_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Sandbox behaviour: True = OTP is the fixed code; False = only the random code sent by SMS.
    fixed_otp: Mapped[bool] = mapped_column(default=False)
    test_behavior: Mapped[str | None] = mapped_column(String(20))

    participant: Mapped[Participant] = relationship(back_populates="card", lazy="joined")


class LedgerEntry(db.Model):
    """One movement of saldo; ``amount`` is signed integer rupiah (credits positive)."""

    __tablename__ = "gw_ledger_entries"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('grant', 'debit', 'refund', 'revocation', 'expiry')", name="kind_known"
        ),
        CheckConstraint(
            "(kind IN ('grant', 'refund') AND amount > 0)"
            " OR (kind IN ('debit', 'revocation', 'expiry') AND amount < 0)",
            name="sign_matches_kind",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("gw_cards.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("gw_payments.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    note: Mapped[str] = mapped_column(String(200), default="")


class Partner(db.Model):
    """A platform (``dp``) or institution (``lp``) that calls the signed API."""

    __tablename__ = "gw_partners"
    __table_args__ = (
        CheckConstraint("kind IN ('dp', 'lp')", name="kind_known"),
        CheckConstraint("otp_alphabet IN ('digits', 'letters')", name="otp_alphabet_known"),
        CheckConstraint("otp_length BETWEEN 4 AND 10", name="otp_length_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_code: Mapped[str] = mapped_column(String(80), unique=True)
    sign_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(2))
    name: Mapped[str] = mapped_column(String(120))
    # dp: the catalogue platform slug it sells as; lp: the catalogue institution code.
    catalog_ref: Mapped[str] = mapped_column(String(40))
    otp_length: Mapped[int] = mapped_column(Integer, default=6)
    otp_alphabet: Mapped[str] = mapped_column(String(10), default="digits")


class Payment(db.Model):
    """A purchase paid with saldo: ``otp_sent`` → ``captured`` / ``failed`` / ``expired``,
    ``captured`` → ``refunded`` (the platform voided it; the saldo went back).

    ``send-otp`` opens it (``token`` is the ``payment_token``), ``authorize`` captures it and
    attaches the platform's ``invoice_code`` and ``invoice_url``."""

    __tablename__ = "gw_payments"
    __table_args__ = (
        UniqueConstraint("partner_id", "invoice_code"),
        # send-otp counts a card's payments of the last hour (PAYMENTS_PER_CARD_PER_HOUR)
        Index("ix_gw_payments_card_created", "card_id", "created_at"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "status IN ('otp_sent', 'captured', 'failed', 'expired', 'refunded')",
            name="status_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Prakerja's public id of the purchase (told to the platform once it is captured).
    transaction_code: Mapped[str] = mapped_column(String(26), unique=True)
    # The secret the platform sends back as ``Authorization: Payment <token>``.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("gw_partners.id"))
    card_id: Mapped[int] = mapped_column(ForeignKey("gw_cards.id"), index=True)
    # The buyer's account at the platform (``user_platform_id`` on the wire).
    account_id: Mapped[str] = mapped_column(String(100))
    invoice_code: Mapped[str | None] = mapped_column(String(100))  # set by authorize
    invoice_url: Mapped[str | None] = mapped_column(String(500))
    course_code: Mapped[str] = mapped_column(String(40))
    schedule_code: Mapped[str] = mapped_column(String(60))
    course_type: Mapped[str] = mapped_column(String(20))  # copied from the catalogue at request
    amount: Mapped[int] = mapped_column(Integer)  # integer rupiah
    status: Mapped[str] = mapped_column(String(10), default="otp_sent")
    failure_code: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    captured_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refunded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    refund_reason: Mapped[str | None] = mapped_column(String(200))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    rating: Mapped[int | None] = mapped_column(Integer)
    review: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    certificate_number: Mapped[str | None] = mapped_column(String(80))

    partner: Mapped[Partner] = relationship(lazy="joined")
    card: Mapped[Card] = relationship()
    otp: Mapped[OtpChallenge] = relationship(back_populates="payment", uselist=False)
    redeem_code: Mapped[RedeemCode | None] = relationship(uselist=False, back_populates="payment")


class OtpChallenge(db.Model):
    """The OTP of a payment, stored as a keyed hash, with its limits."""

    __tablename__ = "gw_otp_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("gw_payments.id"), unique=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_sent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Guesses compared so far (counted before each comparison, never reset by a resend).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    resends: Mapped[int] = mapped_column(Integer, default=0)

    payment: Mapped[Payment] = relationship(back_populates="otp")


class RedeemCode(db.Model):
    """Issued on capture, for the schedule bought. ``committed`` means redeemed: by the
    participant's first Scan Wajah (sequence 1), or by the institution's legacy ``commit``; the
    time is ``redeem_at`` on the wire.

    Sandbox test codes (``test_case`` set, e.g. ``TC1-001-200``) belong to no purchase: they let
    an institution try the positive cases of the public docs and can be reset.
    """

    __tablename__ = "gw_redeem_codes"
    __table_args__ = (
        CheckConstraint("status IN ('issued', 'committed', 'cancelled')", name="status_known"),
        CheckConstraint(
            "payment_id IS NOT NULL OR test_case IS NOT NULL", name="purchase_or_test_case"
        ),
        # One code per test case and course (NULLs, the real codes, never clash).
        UniqueConstraint("course_code", "test_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("gw_payments.id"), unique=True)
    course_code: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="issued")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    committed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The catalogue schedule bought (fixed at purchase).
    schedule_code: Mapped[str | None] = mapped_column(String(60))
    test_case: Mapped[str | None] = mapped_column(String(12))

    payment: Mapped[Payment | None] = relationship(back_populates="redeem_code")


class FaceCheck(db.Model):
    """One "Scan Wajah" at Prakerja for one session (``sequence``) of a redeem code.

    The institution asks for it (``oauth/url-generate``), the participant does it on the
    gateway's page and is sent back with ``state``; ``attended_at`` set means attendance = 1.
    ``email`` is the participant's address at the institution, lower-cased: one address serves
    one redeem code per training.
    """

    __tablename__ = "gw_face_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(64), unique=True)
    redeem_code_id: Mapped[int] = mapped_column(ForeignKey("gw_redeem_codes.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    redirect_uri: Mapped[str] = mapped_column(String(500))
    # Room for lower-casing: "İ" (one character) becomes two.
    email: Mapped[str] = mapped_column(String(400), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    attended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    redeem_code: Mapped[RedeemCode] = relationship(lazy="joined")


class LpRedirectUri(db.Model):
    """A callback an institution registered for Scan Wajah (Prakerja's form, in reality):
    ``oauth/url-generate`` sends participants back only to these."""

    __tablename__ = "gw_lp_redirect_uris"
    __table_args__ = (UniqueConstraint("partner_id", "redirect_uri"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("gw_partners.id"))
    redirect_uri: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TaskSubmission(db.Model):
    """One hand-in of a practice task (``scope`` tpm, sequence 1–998) or of the skills
    demonstration (uk, 999): one file address each; a task may be handed in again.

    ``assignment_status``: 1 pending, 2 success (received), 3 failed (0, none, is the absence of
    any row).
    """

    __tablename__ = "gw_task_submissions"
    __table_args__ = (
        CheckConstraint("assignment_status BETWEEN 1 AND 3", name="assignment_status_known"),
        CheckConstraint("scope IN ('tpm', 'uk')", name="scope_known"),
        Index("ix_gw_task_submissions_task", "redeem_code_id", "scope", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    redeem_code_id: Mapped[int] = mapped_column(ForeignKey("gw_redeem_codes.id"))
    scope: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(Integer)
    url_file: Mapped[str] = mapped_column(String(500))
    assignment_status: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class TaskFeedback(db.Model):
    """The institution's assessment of a handed-in task (``tpm/feedback/submission``): notes and
    an optional file. ``status`` as the public API has it: 2 once received."""

    __tablename__ = "gw_task_feedbacks"
    __table_args__ = (
        CheckConstraint("status BETWEEN 1 AND 3", name="feedback_status_known"),
        CheckConstraint("scope IN ('tpm', 'uk')", name="scope_known"),
        Index("ix_gw_task_feedbacks_task", "redeem_code_id", "scope", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    redeem_code_id: Mapped[int] = mapped_column(ForeignKey("gw_redeem_codes.id"))
    submission_id: Mapped[int] = mapped_column(ForeignKey("gw_task_submissions.id"))
    scope: Mapped[str] = mapped_column(String(20))
    sequence: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text)
    url_file: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[int] = mapped_column(Integer, default=2)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class CardBinding(db.Model):
    """On each platform, a card belongs to the first account that paid with it, and an account
    to its first card."""

    __tablename__ = "gw_card_bindings"
    __table_args__ = (
        UniqueConstraint("partner_id", "card_id"),
        UniqueConstraint("partner_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("gw_partners.id"))
    account_id: Mapped[str] = mapped_column(String(100))
    card_id: Mapped[int] = mapped_column(ForeignKey("gw_cards.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ScheduleSeats(db.Model):
    """Seats sold on a catalogue schedule: the quota left is its capacity minus ``sold``. The
    row is the lock a purchase takes (a conditional increment), so a schedule is never oversold."""

    __tablename__ = "gw_schedule_seats"
    __table_args__ = (CheckConstraint("sold >= 0", name="sold_not_negative"),)

    schedule_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    sold: Mapped[int] = mapped_column(Integer, default=0)


class IdempotencyRecord(db.Model):
    """The first answer given to an ``Idempotency-Key``, replayed for the same request."""

    __tablename__ = "gw_idempotency_records"
    __table_args__ = (UniqueConstraint("partner_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("gw_partners.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Incentive(db.Model):
    """One instalment of an incentive (integer rupiah): for the first training, once completed
    and reviewed (``training``), or for a filled survey (``survey``)."""

    __tablename__ = "gw_incentives"
    __table_args__ = (
        UniqueConstraint("participant_id", "kind", "instalment"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("kind IN ('training', 'survey')", name="kind_known"),
        CheckConstraint("status IN ('scheduled', 'paid')", name="status_known"),
        Index("ix_gw_incentives_status_due_at", "status", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"))
    payment_id: Mapped[int] = mapped_column(ForeignKey("gw_payments.id"))  # the training
    kind: Mapped[str] = mapped_column(String(10))
    instalment: Mapped[int] = mapped_column(Integer)
    amount: Mapped[int] = mapped_column(Integer)  # integer rupiah
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(10), default="scheduled")
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    paid_to: Mapped[str | None] = mapped_column(String(80))  # "BCA ****1234" at payment time


class SurveyResponse(db.Model):
    """A filled evaluation survey; each earns a survey incentive."""

    __tablename__ = "gw_survey_responses"
    __table_args__ = (UniqueConstraint("participant_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"))
    number: Mapped[int] = mapped_column(Integer)
    employed: Mapped[str] = mapped_column(String(20))
    usefulness: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime)


class VerificationCode(db.Model):
    """A one-time code texted to the participant: to sign in to the dashboard (``login``) or to
    confirm linking a payout account (``payout``, ``detail`` = "PROVIDER:number"). Stored as a
    keyed hash."""

    __tablename__ = "gw_verification_codes"
    __table_args__ = (
        CheckConstraint("purpose IN ('login', 'payout')", name="purpose_known"),
        Index("ix_gw_verification_codes_participant_sent", "participant_id", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(String(80), default="")
    code_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # Guesses compared so far (counted before each comparison, at most MAX_ATTEMPTS).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # for the codes-per-hour limit


class SignedCallSeen(db.Model):
    """A signed partner call already received (client_code, signature), remembered for the
    timestamp window so a replay of it is refused (``services/replay.py``)."""

    __tablename__ = "gw_signed_calls_seen"
    __table_args__ = (UniqueConstraint("client_code", "signature"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_code: Mapped[str] = mapped_column(String(100))
    signature: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)  # wall-clock time
