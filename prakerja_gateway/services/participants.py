"""Accepting participants into waves and giving them cards."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from prakerja_gateway import domain
from prakerja_gateway.models import Card, Participant, PayoutAccount, Wave
from prakerja_gateway.services.cards import issue_card

FIRST_NAMES = (
    "Siti",
    "Budi",
    "Dewi",
    "Agus",
    "Rina",
    "Eko",
    "Putri",
    "Joko",
    "Ayu",
    "Dimas",
    "Wulan",
    "Rizky",
    "Indah",
    "Fajar",
    "Lestari",
    "Bayu",
    "Nur",
    "Hendra",
    "Maya",
    "Yusuf",
)
LAST_NAMES = (
    "Rahayu",
    "Santoso",
    "Lestari",
    "Wijaya",
    "Hidayat",
    "Saputra",
    "Kurniawan",
    "Nugroho",
    "Permata",
    "Setiawan",
    "Pratama",
    "Susanti",
    "Hakim",
    "Siregar",
    "Nasution",
)
# Province/regency/district codes that open a NIK (a few real ones: Jakarta, Bandung, Surabaya…).
REGION_CODES = ("317101", "327301", "357801", "337401", "127101", "517101", "737101", "647201")


_system_random = random.SystemRandom()


@dataclass(frozen=True)
class Identity:
    name: str
    nik: str
    phone: str
    email: str


def random_identity(email_tag: str, rng: random.Random | None = None) -> Identity:
    """A plausible Indonesian identity (NIK: region code + birth date + serial).

    Random from the OS by default; pass a seeded ``rng`` for reproducible data.
    """
    rng = rng or _system_random
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    female = rng.randrange(2) == 1
    day = 1 + rng.randrange(28) + (40 if female else 0)  # women: day of birth + 40
    birth = f"{day:02d}{1 + rng.randrange(12):02d}{rng.randrange(100):02d}"
    nik = f"{rng.choice(REGION_CODES)}{birth}{1 + rng.randrange(9999):04d}"
    phone = f"0813{rng.randrange(10**8):08d}"
    token = f"{rng.randrange(16**8):08x}"
    return Identity(name, nik, phone, f"{email_tag}-{token}@peserta.prakerja.test")


def wave_for_scheme(session: Session, scheme: str, today: date) -> Wave:
    """The latest wave of a scheme (created if the database has none, for the sandbox)."""
    wave = session.execute(
        select(Wave).where(Wave.scheme == scheme).order_by(Wave.number.desc()).limit(1)
    ).scalar()
    if wave is None:
        number = 47 if scheme == "semi_bansos" else 48
        wave = Wave(
            number=number,
            scheme=scheme,
            announced_on=today,
            purchase_deadline=domain.first_purchase_deadline(today, domain.SCHEMES[scheme]),
        )
        session.add(wave)
        session.flush()
    return wave


def accept_participant(
    session: Session,
    identity: Identity,
    *,
    wave: Wave,
    accepted_on: date,
    now: datetime,
    card_number: str | None = None,
    persona: str | None = None,
) -> Card:
    """Register a participant in a wave and issue the card with the scheme's saldo."""
    participant = Participant(
        name=identity.name,
        nik=identity.nik,
        phone=identity.phone,
        email=identity.email,
        wave_id=wave.id,
        persona=persona,
    )
    session.add(participant)
    session.flush()
    return issue_card(
        session,
        participant,
        wave_number=wave.number,
        scheme=wave.scheme,
        accepted_on=accepted_on,
        now=now,
        number=card_number,
    )


def link_payout_account(
    session: Session, participant: Participant, provider: str, account_number: str, now: datetime
) -> PayoutAccount:
    """Link a bank account (BNI, BCA) or e-wallet (OVO, GOPAY, LINKAJA, DANA); a participant
    has one, so linking another replaces it."""
    kind = "bank" if provider in domain.BANKS else "ewallet"
    account = session.execute(
        select(PayoutAccount).where(PayoutAccount.participant_id == participant.id)
    ).scalar()
    if account is None:
        account = PayoutAccount(participant_id=participant.id)
        session.add(account)
    account.kind, account.provider, account.account_number = kind, provider, account_number
    account.linked_at = now
    session.flush()
    return account


def days_ago(today: date, days: int) -> date:
    return today - timedelta(days=days)
