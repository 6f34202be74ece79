"""Pure rules of the programme: schemes, card numbers, deadlines, purchase checks, OTP, codes.

Nothing here touches the database or the request; services feed it plain values.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from marketplace.clock import end_of_day_wib


@dataclass(frozen=True)
class Scheme:
    """A programme scheme; every amount is integer rupiah."""

    name: str
    saldo_idr: int
    deadline_days: int  # first purchase within this many days of acceptance
    incentive_idr: int
    incentive_instalments: int
    survey_incentive_idr: int
    survey_count: int
    requires_payout_account: bool  # bank / e-wallet linked before the first purchase
    requires_review: bool  # a training must be rated and reviewed before the next purchase
    saldo_expiry_days: int | None  # saldo expires this long after a completion without a purchase


SCHEMES = {
    "semi_bansos": Scheme("semi_bansos", 1_000_000, 30, 600_000, 4, 50_000, 3, False, False, None),
    "normal": Scheme("normal", 3_500_000, 15, 600_000, 1, 50_000, 2, True, True, 15),
}


def scheme_for_wave(wave_number: int) -> Scheme:
    """Waves 1–47 (2020–22) ran semi-bansos; 48 onwards (2023–24) the normal scheme."""
    return SCHEMES["semi_bansos" if wave_number <= 47 else "normal"]


# --- Card numbers ---------------------------------------------------------------------------
# No public structure is known, so the simulator defines one (documented in docs/rules.md):
#   52 | WWW (wave, zero-padded) | SSSSSSSSSS (10-digit serial) | C (Luhn check digit)
CARD_PREFIX = "52"


def luhn_check_digit(partial: str) -> str:
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        if index % 2 == 0:  # doubled: it will sit in an odd position once the check digit is added
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def make_card_number(wave_number: int, serial: int) -> str:
    if not 0 < wave_number < 1000 or not 0 <= serial < 10**10:
        raise ValueError("wave 1–999 and serial of at most 10 digits")
    partial = f"{CARD_PREFIX}{wave_number:03d}{serial:010d}"
    return partial + luhn_check_digit(partial)


def is_valid_card_number(value: str) -> bool:
    """16 ASCII digits. The check digit is our numbering's, not a public rule, so it is not
    required here: a real-style test ID such as 1234567890123456 is simply 'not found'."""
    return len(value) == 16 and value.isascii() and value.isdigit()


def mask_card_number(number: str) -> str:
    return f"{number[:4]} **** **** {number[-4:]}"


def mask_phone(phone: str) -> str:
    return phone[:4] + "*" * max(len(phone) - 7, 0) + phone[-3:]


# --- Deadlines --------------------------------------------------------------------------------
def first_purchase_deadline(accepted_on: date, scheme: Scheme) -> date:
    return accepted_on + timedelta(days=scheme.deadline_days)


def deadline_passed(deadline: date, now: datetime) -> bool:
    """A deadline day ends at 23:59 WIB: purchases are allowed until the next day starts in WIB."""
    return now >= end_of_day_wib(deadline)


# --- Purchase rules -------------------------------------------------------------------------
@dataclass(frozen=True)
class CardFacts:
    """What the purchase rules need to know about a card, gathered by the service."""

    status: str
    balance: int
    scheme: Scheme
    first_purchase_deadline: date
    has_purchased: bool
    has_open_training: bool
    has_payout_account: bool
    blacklisted: bool


def purchase_refusals(card: CardFacts, amount: int | None, now: datetime) -> list[str]:
    """Every reason (error code) this card cannot buy a training of ``amount`` now, worst first."""
    reasons: list[str] = []
    if card.status == "revoked":
        reasons.append("card_revoked")
    elif card.status != "active":
        reasons.append("card_inactive")
    if card.blacklisted:
        reasons.append("participant_blacklisted")
    if not card.has_purchased and deadline_passed(card.first_purchase_deadline, now):
        reasons.append("deadline_passed")
    if card.has_open_training:
        reasons.append("previous_training_unfinished")
    if card.scheme.requires_payout_account and not card.has_payout_account:
        reasons.append("payout_account_not_linked")
    if amount is not None and amount > card.balance:
        reasons.append("insufficient_saldo")
    return reasons


# --- OTP ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OtpFormat:
    """How a platform shows its OTP: ``length`` characters from an alphabet."""

    length: int = 6
    alphabet: str = "digits"  # or "letters" (Bukalapak's "5 huruf sandi")

    @property
    def characters(self) -> str:
        return string.digits if self.alphabet == "digits" else string.ascii_uppercase

    @property
    def fixed_code(self) -> str:
        """The sandbox's fixed OTP in this format: 123456 for six digits, as a public platform
        test suite uses it against Prakerja's sandbox (where 112233 is a wrong OTP)."""
        pattern = "1234567890" if self.alphabet == "digits" else "ABCDEFGHIJ"
        return pattern[: self.length]

    def generate(self) -> str:
        return "".join(secrets.choice(self.characters) for _ in range(self.length))

    def normalise(self, entered: str) -> str:
        return entered.strip().upper()


def hash_otp(secret: str, payment_ref: str, code: str) -> str:
    """OTPs are stored only as a keyed hash, bound to their payment."""
    message = f"{payment_ref}:{code}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def otp_matches(secret: str, payment_ref: str, entered: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_otp(secret, payment_ref, entered), stored_hash)


# --- Payments -------------------------------------------------------------------------------
PAYMENT_STATUSES = ("otp_sent", "captured", "failed", "expired", "refunded")
# How a payment's state reads on the wire. Only SUCCESS is public; the rest are ours.
WIRE_STATUSES = {
    "otp_sent": "PENDING",
    "captured": "SUCCESS",
    "failed": "FAILED",
    "expired": "EXPIRED",
    "refunded": "CANCELLED",
}
TRANSACTION_CODE_ALPHABET = string.ascii_uppercase + string.digits


def new_transaction_code() -> str:
    """16 characters, like the public example ``QHBST9GB5OSS888I``."""
    return "".join(secrets.choice(TRANSACTION_CODE_ALPHABET) for _ in range(16))


def new_payment_token() -> str:
    return secrets.token_urlsafe(32)


# --- Who may buy a course ----------------------------------------------------------------
def age_on(birth_date: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - before_birthday


def requirement_refusal(
    *,
    birth_date: date | None,
    education: str | None,
    min_age: int | None,
    max_age: int | None,
    min_education: str | None,
    today: date,
    levels: tuple[str, ...],
) -> str | None:
    """The first requirement of a course the participant misses (unknown facts fail)."""
    if min_age is not None or max_age is not None:
        age = age_on(birth_date, today) if birth_date else None
        if age is None or (min_age is not None and age < min_age):
            return "age_not_eligible"
        if max_age is not None and age > max_age:
            return "age_not_eligible"
    if min_education is not None and (
        education not in levels or levels.index(education) < levels.index(min_education)
    ):
        return "education_not_eligible"
    return None


# --- Redeem codes ---------------------------------------------------------------------------
# "PRAT-" + 6 capital letters or digits, as the public examples PRAT-HEGQQO and PRAT-UJ0EEQ. The
# docs' test codes are PRAT- for self-paced and webinar courses alike: the letter is no type.
REDEEM_CODE_PREFIX = "PRAT-"
REDEEM_CODE_ALPHABET = string.ascii_uppercase + string.digits


def new_redeem_code(course_type: str | None = None) -> str:
    """A new code; ``course_type`` is accepted for older callers and plays no part."""
    tail = "".join(secrets.choice(REDEEM_CODE_ALPHABET) for _ in range(6))
    return REDEEM_CODE_PREFIX + tail


# --- Payout accounts ----------------------------------------------------------------------
# Incentives go to one of these; e-wallets must be registered to the participant's phone.
PAYOUT_PROVIDERS = {
    "BNI": "BNI",
    "BCA": "BCA",
    "OVO": "OVO",
    "GOPAY": "GoPay",
    "LINKAJA": "LinkAja",
    "DANA": "DANA",
}
BANKS = ("BNI", "BCA")


def payout_label(provider: str, account_number: str) -> str:
    """ "BCA ****7890": how an account is shown once linked."""
    return f"{PAYOUT_PROVIDERS[provider]} ****{account_number[-4:]}"
