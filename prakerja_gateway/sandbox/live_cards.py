"""What the sandbox's pages show about a test card, read live from the gateway's tables: whether
it can buy now (and every reason why not), the platforms where an account already holds it, its
purchases, and the fixed OTP each platform accepts. Read-only; no request, no commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course
from marketplace.clock import end_of_day_wib
from prakerja_gateway import domain
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Card, CardBinding, Participant, Partner, Payment, RedeemCode
from prakerja_gateway.sandbox.personas import (
    BY_KEY,
    PERSONAS,
    Persona,
    documented_card_number,
)
from prakerja_gateway.services.accounts import CODE_FORMAT
from prakerja_gateway.services.cards import card_facts

STATUS_NAMES = {"active": "Aktif", "revoked": "Dicabut", "expired": "Tidak aktif (saldo hangus)"}
SCHEME_NAMES = {"normal": "Normal", "semi_bansos": "Semi-bansos"}
DASHBOARD_FIXED_CODE = CODE_FORMAT.fixed_code  # the dashboard's sign-in code for fixed-OTP cards
PURCHASES_SHOWN = 50


@dataclass(frozen=True)
class PlatformCode:
    """A platform and the fixed OTP it accepts from a fixed-OTP card, in its own OTP format."""

    name: str
    slug: str
    code: str


def platform_codes(session: Session) -> list[PlatformCode]:
    """Every platform's fixed OTP, computed from its OTP format as stored with the partner."""
    partners = session.execute(
        select(Partner).where(Partner.kind == "dp").order_by(Partner.name)
    ).scalars()
    return [
        PlatformCode(
            partner.name,
            partner.catalog_ref,
            domain.OtpFormat(partner.otp_length, partner.otp_alphabet).fixed_code,
        )
        for partner in partners
    ]


def codes_grouped(codes: Iterable[PlatformCode]) -> list[tuple[str, list[str]]]:
    """``[("123456", ["Pintaria", "Tokopedia"]), ("ABCDE", ["Bukalapak"])]``: one line a code."""
    names: dict[str, list[str]] = defaultdict(list)
    for platform in codes:
        names[platform.code].append(platform.name)
    return list(names.items())


@dataclass(frozen=True)
class Purchase:
    payment: Payment
    course_title: str
    redeem_code: str | None

    @property
    def stage(self) -> str:
        """Where this purchase stands, in Indonesian."""
        payment = self.payment
        if payment.status == "captured":
            if payment.reviewed_at:
                return "Selesai dan sudah diulas"
            if payment.completed_at:
                return "Selesai — belum diberi ulasan"
            return "Berhasil dibayar — pelatihan belum selesai"
        return {
            "otp_sent": "Menunggu OTP",
            "failed": "Gagal",
            "expired": "Kedaluwarsa (OTP tidak dimasukkan)",
            "refunded": "Dibatalkan (saldo dikembalikan)",
        }.get(payment.status, payment.status)


@dataclass(frozen=True)
class CardState:
    """A card as it stands now."""

    card: Card
    persona: Persona | None
    refusals: tuple[str, ...]  # error names of domain.purchase_refusals, worst first
    bound_on: tuple[str, ...]  # platform names where an account already holds this card
    purchases: tuple[Purchase, ...]  # newest first
    deadline_at: datetime  # the last minute of the first-purchase deadline day (23.59 WIB)

    @property
    def status_name(self) -> str:
        return STATUS_NAMES.get(self.card.status, self.card.status)

    @property
    def scheme_name(self) -> str:
        return SCHEME_NAMES.get(self.card.scheme, self.card.scheme)

    @property
    def can_buy(self) -> bool:
        return not self.refusals

    @property
    def refusal_messages(self) -> list[str]:
        return [GATEWAY_ERRORS[name].message for name in self.refusals]

    @property
    def waiting_for_otp(self) -> int:
        return sum(1 for purchase in self.purchases if purchase.payment.status == "otp_sent")

    @property
    def has_payout_account(self) -> bool:
        return self.card.participant.payout_account is not None


def card_states(session: Session, now: datetime, cards: Sequence[Card]) -> list[CardState]:
    """The live state of each card, in the order given (a few queries for all of them)."""
    ids = [card.id for card in cards]
    bound = _bound_platforms(session, ids)
    purchases = _purchases(session, ids)
    states = []
    for card in cards:
        facts = card_facts(session, card)
        states.append(
            CardState(
                card=card,
                persona=BY_KEY.get(card.participant.persona or ""),
                refusals=tuple(domain.purchase_refusals(facts, None, now)),
                bound_on=tuple(bound.get(card.id, ())),
                purchases=tuple(purchases.get(card.id, ())),
                deadline_at=end_of_day_wib(card.first_purchase_deadline) - timedelta(minutes=1),
            )
        )
    return states


def card_state(session: Session, now: datetime, card_number: str) -> CardState | None:
    """One card's state by its number; None for a malformed or unknown number."""
    cards = cards_by_number(session, [card_number])
    return card_states(session, now, cards)[0] if cards else None


def cards_by_number(session: Session, numbers: Sequence[str]) -> list[Card]:
    """The cards with these numbers that exist, in the order given (malformed ones skipped)."""
    wanted = [number for number in numbers if domain.is_valid_card_number(number)]
    if not wanted:
        return []
    found = session.execute(select(Card).where(Card.number.in_(wanted))).scalars().all()
    by_number = {card.number: card for card in found}
    return [by_number[number] for number in wanted if number in by_number]


def documented_states(session: Session, now: datetime) -> list[CardState]:
    """The documented test cards (made with the demo data) as they stand now."""
    numbers = [documented_card_number(persona) for persona in PERSONAS]
    return card_states(session, now, cards_by_number(session, numbers))


def cards_of_phone(session: Session, phone: str) -> list[Card]:
    """The cards whose participant has this phone number (usually one)."""
    return list(
        session.execute(
            select(Card)
            .join(Participant, Participant.id == Card.participant_id)
            .where(Participant.phone == phone)
            .order_by(Card.id.desc())
            .limit(5)
        ).scalars()
    )


def _bound_platforms(session: Session, card_ids: list[int]) -> dict[int, list[str]]:
    if not card_ids:
        return {}
    # Naming the platforms lets the (partner_id, card_id) unique index answer.
    partners = dict(session.execute(select(Partner.id, Partner.name)).all())
    rows = session.execute(
        select(CardBinding.card_id, CardBinding.partner_id)
        .where(CardBinding.partner_id.in_(partners), CardBinding.card_id.in_(card_ids))
        .order_by(CardBinding.id)
    ).all()
    bound: dict[int, list[str]] = defaultdict(list)
    for card_id, partner_id in rows:
        bound[card_id].append(partners[partner_id])
    return bound


def _purchases(session: Session, card_ids: list[int]) -> dict[int, list[Purchase]]:
    if not card_ids:
        return {}
    rows = session.execute(
        select(Payment, Course.title, RedeemCode.code)
        .outerjoin(Course, Course.course_code == Payment.course_code)
        .outerjoin(RedeemCode, RedeemCode.payment_id == Payment.id)
        .where(Payment.card_id.in_(card_ids))
        .order_by(Payment.id.desc())
        .limit(PURCHASES_SHOWN * len(card_ids))
    ).all()
    purchases: dict[int, list[Purchase]] = defaultdict(list)
    for payment, title, code in rows:
        if len(purchases[payment.card_id]) < PURCHASES_SHOWN:
            purchases[payment.card_id].append(Purchase(payment, title or payment.course_code, code))
    return purchases
