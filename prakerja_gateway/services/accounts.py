"""The participant's own actions on the Prakerja dashboard: sign in with a texted code, watch
the introduction videos, link a payout account (confirmed by a texted code), rate and review a
finished training. Services flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from marketplace.outbox import send_sms
from prakerja_gateway import domain
from prakerja_gateway.models import Participant, Payment, VerificationCode
from prakerja_gateway.services.capture import finish_training
from prakerja_gateway.services.incentives import schedule_training_incentive
from prakerja_gateway.services.participants import link_payout_account

CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 3
CODES_PER_HOUR = 5  # codes texted to one participant in a rolling hour
INTRO_VIDEOS = (
    "Mengenal Program Kartu Prakerja",
    "Cara Membeli dan Mengikuti Pelatihan",
    "Insentif dan Kewajiban Peserta",
)
PROVIDER_NAMES = domain.PAYOUT_PROVIDERS
CODE_FORMAT = domain.OtpFormat(6, "digits")


class AccountRefusal(Exception):
    """A participant's request refused, with the Indonesian message to show."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SentCode:
    code_id: int
    phone_masked: str


def find_participant(session: Session, login: str) -> Participant | None:
    """By email (case-insensitive) or registered phone number."""
    login = login.strip()
    if "@" in login:
        condition = func.lower(Participant.email) == login.lower()
    else:
        condition = Participant.phone == login
    return session.execute(select(Participant).where(condition).limit(1)).scalar()


def send_code(
    session: Session, now: datetime, secret: str, participant: Participant, purpose: str, *,
    detail: str = "",
) -> SentCode:  # fmt: skip
    """Text a fresh one-time code to the participant's phone (at most CODES_PER_HOUR an hour)."""
    sent = session.execute(
        select(func.count(VerificationCode.id)).where(
            VerificationCode.participant_id == participant.id,
            VerificationCode.sent_at > now - timedelta(hours=1),
        )
    ).scalar_one()
    if sent >= CODES_PER_HOUR:
        raise AccountRefusal("Terlalu banyak kode dikirim. Coba lagi dalam satu jam.")
    code = CODE_FORMAT.generate()
    record = VerificationCode(
        participant_id=participant.id,
        purpose=purpose,
        detail=detail,
        code_hash="",
        expires_at=now + CODE_TTL,
        sent_at=now,
    )
    session.add(record)
    session.flush()
    record.code_hash = domain.hash_otp(secret, f"{purpose}-{record.id}", code)
    what = "masuk ke dashboard" if purpose == "login" else "menghubungkan rekening"
    body = (
        f"JANGAN BERIKAN KODE INI KEPADA SIAPA PUN. Kode {what} Prakerja: {code}. "
        f"Berlaku {int(CODE_TTL.total_seconds() // 60)} menit."
    )
    send_sms(session, now, participant.phone, body, otp=code)
    session.flush()
    return SentCode(record.id, domain.mask_phone(participant.phone))


def check_code(
    session: Session, now: datetime, secret: str, code_id: int, entered: str, purpose: str, *,
    sandbox: bool = True,
) -> VerificationCode:  # fmt: skip
    """The code record if ``entered`` is right and still valid (then it is used up). Each guess
    is counted before it is compared, so racing guesses get MAX_ATTEMPTS comparisons in all;
    the personas' fixed code works only in the ``sandbox``."""
    record = session.get(VerificationCode, code_id)
    if record is None or record.purpose != purpose or record.used_at is not None:
        raise AccountRefusal("Kode tidak berlaku. Minta kode baru.")
    if now >= record.expires_at:
        raise AccountRefusal("Kode sudah kedaluwarsa. Minta kode baru.")
    attempts = session.execute(
        update(VerificationCode)
        .where(VerificationCode.id == record.id, VerificationCode.attempts < MAX_ATTEMPTS)
        .values(attempts=VerificationCode.attempts + 1)
        .returning(VerificationCode.attempts)
        .execution_options(synchronize_session=False)
    ).scalar()
    if attempts is None:
        raise AccountRefusal("Terlalu banyak percobaan. Minta kode baru.")
    fixed = sandbox and _uses_fixed_code(session, record.participant_id)
    entered = entered.strip()
    if not (
        domain.otp_matches(secret, f"{purpose}-{record.id}", entered, record.code_hash)
        or (fixed and entered == CODE_FORMAT.fixed_code)
    ):
        if attempts >= MAX_ATTEMPTS:
            raise AccountRefusal("Kode salah. Terlalu banyak percobaan: minta kode baru.")
        raise AccountRefusal(f"Kode salah. Sisa percobaan: {MAX_ATTEMPTS - attempts}.")
    used = session.execute(
        update(VerificationCode)
        .where(VerificationCode.id == record.id, VerificationCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not used:  # the same code entered twice at once
        raise AccountRefusal("Kode tidak berlaku. Minta kode baru.")
    return record


def _uses_fixed_code(session: Session, participant_id: int) -> bool:
    """Sandbox personas with the fixed OTP accept it here too (domain.OtpFormat.fixed_code)."""
    participant = session.get(Participant, participant_id)
    return bool(participant and participant.card and participant.card.fixed_otp)


def mark_video_watched(session: Session, participant: Participant, number: int) -> None:
    """Videos are watched in order; the card number shows after the third."""
    if number == participant.videos_watched + 1 and number <= len(INTRO_VIDEOS):
        participant.videos_watched = number
        session.flush()


def start_payout_link(
    session: Session, now: datetime, secret: str, participant: Participant, provider: str,
    account_number: str,
) -> SentCode:  # fmt: skip
    """Check the account and text a code to confirm it. E-wallets must be registered to the
    participant's own phone number."""
    if provider not in PROVIDER_NAMES:
        raise AccountRefusal("Pilih bank atau e-wallet yang tersedia.")
    if provider not in domain.BANKS and account_number != participant.phone:
        raise AccountRefusal(
            "Nomor e-wallet harus sama dengan nomor HP yang terdaftar di Prakerja "
            f"({domain.mask_phone(participant.phone)})."
        )
    return send_code(
        session, now, secret, participant, "payout", detail=f"{provider}:{account_number}"
    )


def confirm_payout_link(
    session: Session, now: datetime, secret: str, participant: Participant, code_id: int,
    entered: str, *, sandbox: bool = True,
) -> str:  # fmt: skip
    """Link (or replace) the payout account once the texted code is right; its provider."""
    record = check_code(session, now, secret, code_id, entered, "payout", sandbox=sandbox)
    if record.participant_id != participant.id:
        raise AccountRefusal("Kode tidak berlaku. Minta kode baru.")
    provider, account_number = record.detail.split(":", 1)
    link_payout_account(session, participant, provider, account_number, now)
    return provider


def review_training(
    session: Session, now: datetime, participant: Participant, payment_ref: str, rating: int,
    review: str,
) -> bool:  # fmt: skip
    """Rate (1–5) and review a completed training; schedules the incentive of the first one.
    True once the next purchase is unlocked."""
    payment = session.execute(
        select(Payment).where(Payment.transaction_code == payment_ref)
    ).scalar()
    if payment is None or payment.card.participant_id != participant.id:
        raise AccountRefusal("Pelatihan tidak ditemukan.")
    if payment.completed_at is None:
        raise AccountRefusal("Pelatihan ini belum selesai; ulasan dapat diberikan setelahnya.")
    if payment.reviewed_at is not None:
        raise AccountRefusal("Pelatihan ini sudah Anda ulas.")
    unlocked = finish_training(session, now, payment, rating=rating, review=review)
    schedule_training_incentive(session, now, payment)
    return unlocked
