"""Who participant *i* is: a pure function of the seed and ``i``, nothing else.

Load generators on several machines use these to pick disjoint participants and know their card
number and phone without asking the database or each other::

    from catalog_seed.identity import participant_card_number, participant_phone
    card = participant_card_number(seed=2020, i=123_456)
    phone = participant_phone(seed=2020, i=123_456)

Uniqueness is by construction: each field comes from a keyed affine permutation
``x -> (a*x + b) mod M`` (``a`` coprime with ``M``), a bijection on ``0..M-1``, so two indices
never share a card serial, a phone or a NIK.

The birth date is the one the NIK encodes, so it shares the NIK's window: born between
1963-01-01 and 2002-04-09, every participant is 18 or older when wave 1 opened (9 April 2020) and
at most 64 until the end of 2027, whether the waves keep their historic dates or are moved to
today's. The window cannot follow each wave without giving up the NIK's uniqueness. The education
(last completed level) follows a plausible spread of the programme's participants, mostly SMA/SMK,
and nobody holds a degree younger than it takes to earn one.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from faker.providers.person.id_ID import Provider as IndonesianNames

from catalog_seed.plan import wave_of
from prakerja_gateway.domain import age_on, make_card_number

# Card serials below the sandbox's range (9,000,000,000 and up).
CARD_SERIALS = 9_000_000_000
# Mobile prefixes 08xx (12-digit numbers). 0812 and 0813 are left to the sandbox personas.
PHONE_PREFIXES = (
    "11",
    "21",
    "22",
    "23",
    "51",
    "52",
    "53",
    "55",
    "56",
    "57",
    "58",
    "59",
    "77",
    "78",
    "81",
    "82",
)
PHONE_SPACE = len(PHONE_PREFIXES) * 10**8
# NIK: province (real codes) + regency 01–20 + district 01–15, birth date, serial 0001–9999.
PROVINCES = (
    11,
    12,
    13,
    14,
    15,
    16,
    17,
    18,
    19,
    21,
    31,
    32,
    33,
    34,
    35,
    36,
    51,
    52,
    53,
    61,
    62,
    63,
    64,
    65,
    71,
    72,
    73,
    74,
    75,
    76,
    81,
    82,
    91,
    94,
)
REGIONS = len(PROVINCES) * 20 * 15
FIRST_BIRTHDAY = date(1963, 1, 1)  # 64 on the last day of 2027
LAST_BIRTHDAY = date(2002, 4, 9)  # 18 on the day wave 1 opened
BIRTHDAYS = (LAST_BIRTHDAY - FIRST_BIRTHDAY).days + 1
NIK_SPACE = REGIONS * BIRTHDAYS * 2 * 9_999
MALE_FIRST = IndonesianNames.first_names_male
FEMALE_FIRST = IndonesianNames.first_names_female
MALE_LAST = IndonesianNames.last_names_male
FEMALE_LAST = IndonesianNames.last_names_female
PAYOUT_PROVIDERS = ("BNI", "BCA", "OVO", "GOPAY", "LINKAJA", "DANA")
# Last completed education (the catalogue's EDUCATION_LEVELS, lowest first) per mille of
# participants, an approximation: most finished senior high school (SMA/SMK). And the youngest
# age at which each level is finished.
EDUCATION_SPREAD = (
    ("SD", 60),
    ("SMP", 120),
    ("SMA", 545),
    ("D1", 15),
    ("D2", 10),
    ("D3", 60),
    ("D4", 20),
    ("S1", 150),
    ("S2", 18),
    ("S3", 2),
)
YOUNGEST_GRADUATE = {"D1": 19, "D2": 20, "D3": 21, "D4": 22, "S1": 22, "S2": 24, "S3": 27}
WAVE_1_OPENED = date(2020, 4, 9)


@lru_cache(maxsize=256)
def _permutation(seed: int, purpose: str, modulus: int) -> tuple[int, int]:
    digest = hashlib.sha256(f"{seed}:{purpose}".encode()).digest()
    a = int.from_bytes(digest[:8], "big") % modulus or 1
    while math.gcd(a, modulus) != 1:
        a = (a + 1) % modulus or 1
    b = int.from_bytes(digest[8:16], "big") % modulus
    return a, b


def permute(seed: int, purpose: str, modulus: int, x: int) -> int:
    """A keyed bijection of ``0..modulus-1``."""
    a, b = _permutation(seed, purpose, modulus)
    return (a * x + b) % modulus


def participant_card_number(seed: int, i: int) -> str:
    """The 16-digit card of participant ``i``: 52 + wave + a unique serial + Luhn digit."""
    return make_card_number(wave_of(i).number, permute(seed, "card", CARD_SERIALS, i))


def participant_phone(seed: int, i: int) -> str:
    """The participant's mobile number, 08xx + 8 digits, unique per ``i``."""
    x = permute(seed, "phone", PHONE_SPACE, i)
    return f"08{PHONE_PREFIXES[x // 10**8]}{x % 10**8:08d}"


@dataclass(frozen=True)
class Person:
    i: int
    name: str
    nik: str
    phone: str
    email: str
    card_number: str
    female: bool
    birth_date: date
    education: str  # one of marketplace.catalog.models.EDUCATION_LEVELS


def participant(seed: int, i: int) -> Person:
    """Everything the seeder stores about participant ``i``."""
    x = permute(seed, "nik", NIK_SPACE, i)
    x, serial = divmod(x, 9_999)
    x, female = divmod(x, 2)
    region, day = divmod(x, BIRTHDAYS)
    province, rest = divmod(region, 300)
    regency, district = divmod(rest, 15)
    born = FIRST_BIRTHDAY + timedelta(days=day)
    birth_day = born.day + (40 if female else 0)  # women's NIKs add 40 to the day
    nik = (
        f"{PROVINCES[province]:02d}{regency + 1:02d}{district + 1:02d}"
        f"{birth_day:02d}{born.month:02d}{born.year % 100:02d}{serial + 1:04d}"
    )
    pick = permute(seed, "name", 2**61 - 1, i)  # a prime modulus: any a works
    firsts, lasts = (FEMALE_FIRST, FEMALE_LAST) if female else (MALE_FIRST, MALE_LAST)
    first, last = firsts[pick % len(firsts)], lasts[(pick // len(firsts)) % len(lasts)]
    email = f"{first}.{last}.{i}@peserta.prakerja.test".lower().replace(" ", "")
    return Person(
        i=i,
        name=f"{first} {last}",
        nik=nik,
        phone=participant_phone(seed, i),
        email=email,
        card_number=participant_card_number(seed, i),
        female=bool(female),
        birth_date=born,
        education=participant_education(seed, i, born),
    )


def participant_education(seed: int, i: int, born: date) -> str:
    """The last completed level, drawn from ``EDUCATION_SPREAD``; a degree the participant was
    too young for in April 2020 becomes SMA (they were still studying)."""
    draw = permute(seed, "education", 2**61 - 1, i) % 1000
    level = _level_at(draw)
    if level in YOUNGEST_GRADUATE and age_on(born, WAVE_1_OPENED) < YOUNGEST_GRADUATE[level]:
        return "SMA"
    return level


def _level_at(draw: int) -> str:
    """The level whose share of ``EDUCATION_SPREAD`` holds ``draw`` (0–999)."""
    for level, per_mille in EDUCATION_SPREAD:
        if draw < per_mille:
            return level
        draw -= per_mille
    raise ValueError("draw beyond 1000")


def payout_account(seed: int, i: int) -> tuple[str, str]:
    """(provider, account number) of a normal-scheme participant; e-wallets use the phone."""
    provider = PAYOUT_PROVIDERS[permute(seed, "payout", 6 * 10**10, i) % 6]
    if provider in ("BNI", "BCA"):
        return provider, f"{permute(seed, 'account', 10**10, i):010d}"
    return provider, participant_phone(seed, i)
