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


# Levels a sandbox identity gets unless told otherwise: all at least SMA, so such a participant
# meets every education requirement of the demo catalogue (catalog_seed.demo).
COMMON_EDUCATION = ("SMA", "SMA", "SMA", "D3", "S1")

_system_random = random.SystemRandom()


@dataclass(frozen=True)
class Identity:
    name: str
    nik: str
    phone: str
    email: str
    birth_date: date  # the one the NIK encodes
    education: str  # last completed level, one of catalog.models.EDUCATION_LEVELS


def random_identity(
    email_tag: str,
    rng: random.Random | None = None,
    *,
    today: date,
    age_range: tuple[int, int] = (20, 40),
    education: str | None = None,
) -> Identity:
    """A plausible Indonesian identity, aged within ``age_range`` (inclusive) on ``today``;
    the NIK (region code + birth date + serial) carries the birth date.

    Random from the OS by default; pass a seeded ``rng`` for reproducible data.
    """
    rng = rng or _system_random
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    born = _birth_date(rng, today, rng.randint(*age_range))
    phone = f"0813{rng.randrange(10**8):08d}"
    token = f"{rng.randrange(16**8):08x}"
    return Identity(
        name,
        nik_for(
            rng.choice(REGION_CODES),
            born,
            female=rng.randrange(2) == 1,
            serial=rng.randrange(1, 10_000),
        ),
        phone,
        f"{email_tag}-{token}@peserta.prakerja.test",
        born,
        education or rng.choice(COMMON_EDUCATION),
    )


def nik_for(region: str, born: date, *, female: bool, serial: int) -> str:
    """Region code (6 digits) + DDMMYY of birth (women add 40 to the day) + a 4-digit serial."""
    day = born.day + (40 if female else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


def birth_date_of(nik: str) -> date:
    """The birth date a NIK encodes (two-digit years above 30 are 19xx)."""
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    return date(1900 + year if year > 30 else 2000 + year, month, day - 40 if day > 40 else day)


def _birth_date(rng: random.Random, today: date, age: int) -> date:
    """A birth date that makes someone exactly ``age`` years old on ``today``."""
    latest = _years_before(today, age)
    earliest = _years_before(today, age + 1) + timedelta(days=1)
    return earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


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
        birth_date=identity.birth_date,
        education=identity.education,
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
