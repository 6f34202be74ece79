"""Test cards that force every outcome (like Stripe's), documented and mintable on demand.

Each persona is data: scheme, OTP delivery, payout account, a simulated behaviour, the state its
card is put in, and the age and education the course requirements are checked against.
``GET /sandbox/personas`` lists the documented cards created with the demo data;
``POST /sandbox/personas/<key>`` mints a fresh participant in the same state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseListing
from marketplace.clock import wib_date
from prakerja_gateway import domain
from prakerja_gateway.models import Card, Partner, Payment
from prakerja_gateway.services import capture, sweeps
from prakerja_gateway.services.cards import SANDBOX_SERIAL_START
from prakerja_gateway.services.participants import (
    Identity,
    accept_participant,
    days_ago,
    link_payout_account,
    random_identity,
    wave_for_scheme,
)

# The OTP a fixed-OTP card accepts (a six-digit platform's; others cut the same pattern to
# their own format). Read from the domain so these descriptions follow it if it changes.
FIXED_OTP = domain.OtpFormat().fixed_code


@dataclass(frozen=True)
class Persona:
    key: str
    serial: int  # fixes the documented card number: never renumber a published persona
    description: str
    scheme: str = "normal"
    fixed_otp: bool = True
    payout_account: bool = True
    test_behavior: str | None = None
    state: str = "fresh"  # fresh, deadline_passed, revoked, low_saldo, previous_unfinished
    # A freshly minted one is this old (inclusive) on the day it is minted. 20–40 with at least
    # SMA meets every requirement of the demo catalogue; too_old and low_education do not.
    age_range: tuple[int, int] = (20, 40)
    education: str | None = None  # None: one of services.participants.COMMON_EDUCATION


PERSONAS = (
    Persona(
        "ok", 1, f"Aktif, saldo penuh (skema normal), rekening tertaut, OTP tetap {FIXED_OTP}."
    ),
    Persona("sms", 2, "Aktif, saldo penuh; OTP acak hanya dikirim lewat SMS.", fixed_otp=False),
    Persona(
        "semi_bansos",
        11,
        "Aktif, skema semi-bansos 2020–2022: saldo Rp1.000.000, rekening tidak wajib.",
        scheme="semi_bansos",
        payout_account=False,
    ),
    Persona(
        "revoked",
        3,
        "Kepesertaan dicabut: batas pembelian pertama terlewat, saldo dikembalikan ke negara.",
        scheme="semi_bansos",
        state="revoked",
    ),
    Persona(
        "deadline_passed",
        4,
        "Batas pembelian pertama kemarin 23.59 WIB sudah lewat; kartu belum diproses pencabutan.",
        scheme="semi_bansos",
        state="deadline_passed",
    ),
    Persona(
        "low_saldo",
        5,
        "Sisa saldo kecil setelah pelatihan sebelumnya selesai (skema semi-bansos).",
        scheme="semi_bansos",
        state="low_saldo",
    ),
    Persona(
        "previous_unfinished",
        6,
        "Sudah membeli pelatihan yang belum selesai; pembelian berikutnya ditolak.",
        state="previous_unfinished",
    ),
    Persona(
        "no_linked_account",
        7,
        "Skema normal tanpa rekening bank/e-wallet tertaut; pembelian ditolak.",
        payout_account=False,
    ),
    Persona(
        "sms_lost",
        8,
        "SMS OTP tidak pernah sampai (uji kirim ulang dan batas waktu).",
        fixed_otp=False,
        test_behavior="sms_lost",
    ),
    Persona(
        "processing_error",
        9,
        "Authorize selalu dijawab 503 (gangguan layanan pembayaran).",
        test_behavior="processing_error",
    ),
    Persona(
        "slow",
        10,
        "Gateway menjawab setelah beberapa detik (send-otp dan authorize).",
        test_behavior="slow",
    ),
    Persona(
        "too_old",
        12,
        "Berusia 60–64 tahun: melewati batas usia maksimal sebagian pelatihan (BHS-002 maks. "
        "45 tahun, TEK-001 maks. 55 tahun); send-otp menolaknya dengan age_not_eligible.",
        age_range=(60, 64),
    ),
    Persona(
        "low_education",
        13,
        "Pendidikan terakhir SD: tidak memenuhi syarat pendidikan minimal sebagian pelatihan "
        "(DIG-003 minimal SMA, TEK-001 minimal SMP); send-otp menolaknya dengan "
        "education_not_eligible.",
        education="SD",
    ),
)
BY_KEY = {persona.key: persona for persona in PERSONAS}


def documented_card_number(persona: Persona) -> str:
    """Stable card numbers for the documented personas (serials 9,000,000,001 and up)."""
    index = persona.serial
    wave_number = 47 if persona.scheme == "semi_bansos" else 48
    return domain.make_card_number(wave_number, SANDBOX_SERIAL_START + index)


def create_persona(
    session: Session,
    now: datetime,
    persona: Persona,
    *,
    identity: Identity | None = None,
    card_number: str | None = None,
) -> Card:
    """A participant and card in the persona's state, history written through the real paths."""
    today = wib_date(now)
    late = persona.state in ("deadline_passed", "revoked")
    scheme = domain.SCHEMES[persona.scheme]
    card = accept_participant(
        session,
        identity or _fresh_identity(persona, today),
        wave=wave_for_scheme(session, persona.scheme, today),
        accepted_on=days_ago(today, scheme.deadline_days + 1) if late else today,
        now=now,
        card_number=card_number,
        persona=persona.key,
    )
    card.fixed_otp = persona.fixed_otp
    card.test_behavior = persona.test_behavior
    if persona.payout_account:
        link_payout_account(session, card.participant, "GOPAY", card.participant.phone, now)
    _put_in_state(session, now, persona.state, card)
    session.flush()
    return card


def _fresh_identity(persona: Persona, today: date) -> Identity:
    return random_identity(
        persona.key.replace("_", ""),
        today=today,
        age_range=persona.age_range,
        education=persona.education,
    )


def _put_in_state(session: Session, now: datetime, state: str, card: Card) -> None:
    if state == "revoked":
        sweeps.revoke_cards(session, [(card.id, card.balance)], now)
        session.expire(card)
    elif state == "low_saldo":
        _past_purchase(session, now, card, _priciest_affordable(session, card.balance), True)
    elif state == "previous_unfinished":
        _past_purchase(session, now, card, _cheapest(session), False)


def _priciest_affordable(session: Session, balance: int) -> Course:
    return session.execute(
        select(Course)
        .where(Course.price_idr < balance, Course.listings.any())
        .order_by(Course.price_idr.desc(), Course.course_code)
        .limit(1)
    ).scalar_one()


def _cheapest(session: Session) -> Course:
    return session.execute(
        select(Course)
        .where(Course.listings.any())
        .order_by(Course.price_idr, Course.course_code)
        .limit(1)
    ).scalar_one()


def _past_purchase(session: Session, now: datetime, card: Card, course: Course, finished: bool):
    """An earlier purchase on a platform that lists the course, captured through the real debit."""
    slug = session.execute(
        select(CourseListing.platform_slug)
        .where(CourseListing.course_id == course.id)
        .order_by(CourseListing.platform_slug)
        .limit(1)
    ).scalar_one()
    partner = session.execute(
        select(Partner).where(Partner.kind == "dp", Partner.catalog_ref == slug)
    ).scalar_one()
    payment = Payment(
        transaction_code=domain.new_transaction_code(),
        token=domain.new_payment_token(),
        partner_id=partner.id,
        card_id=card.id,
        account_id=f"riwayat-{card.number[-6:]}",
        course_code=course.course_code,
        schedule_code=course.schedules[0].schedule_code,
        course_type=course.course_type,
        amount=course.price_idr,
        status="otp_sent",
        created_at=now,
        expires_at=now,
    )
    payment.card = card
    session.add(payment)
    session.flush()
    # No platform binding: the history must not stop the tester from buying on that platform.
    capture.capture_payment(
        session, now, payment, invoice_code=f"RIWAYAT-{card.number}",
        invoice_url=f"https://prakerja.invalid/riwayat/{card.number}", bind=False,
    )  # fmt: skip
    if finished:
        capture.finish_training(session, now, payment, rating=5, review="Pelatihan bermanfaat.")


def persona_info(persona: Persona, card: Card) -> dict:
    participant = card.participant
    return {
        "key": persona.key,
        "card_number": card.number,
        "prakerja_id": card.number,  # what the payment API calls the card number
        "name": participant.name,
        "phone": participant.phone,
        "email": participant.email,
        "otp": FIXED_OTP if card.fixed_otp else None,
        "description": persona.description,
        "scheme": card.scheme,
        "status": card.status,
        "balance": card.balance,
        "first_purchase_deadline": card.first_purchase_deadline.isoformat(),
        "birth_date": participant.birth_date.isoformat() if participant.birth_date else None,
        "education": participant.education,
    }


def documented_personas(session: Session) -> list[dict]:
    """The documented cards that exist in this database (created with the demo data)."""
    numbers = {documented_card_number(persona): persona for persona in PERSONAS}
    cards = session.execute(select(Card).where(Card.number.in_(numbers))).scalars().all()
    by_number = {card.number: card for card in cards}
    return [
        persona_info(persona, by_number[number])
        for number, persona in numbers.items()
        if number in by_number
    ]
