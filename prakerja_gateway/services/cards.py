"""Cards: lookup, the facts the purchase rules need, inquiry, issuing a card with its grant."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from marketplace.clock import end_of_day_wib
from prakerja_gateway import domain
from prakerja_gateway.errors import GATEWAY_ERRORS, GatewayError
from prakerja_gateway.models import Card, NikBlacklist, Participant, PayoutAccount
from prakerja_gateway.services.ledger import post_entry

# Serials from 9,000,000,000 up are the sandbox's; the seeder stays below.
SANDBOX_SERIAL_START = 9_000_000_000


# The checkout's statements, built once (building and hashing one per call cost more than
# running it).
CARD_BY_NUMBER = select(Card).where(Card.number == bindparam("number"))
CARD_BY_NUMBER_FOR_UPDATE = CARD_BY_NUMBER.with_for_update()
PAYOUT_AND_BLACKLIST = select(
    exists().where(PayoutAccount.participant_id == bindparam("participant_id")),
    exists().where(NikBlacklist.nik == bindparam("nik")),
)


def load_card(session: Session, card_number: str, *, for_update: bool = False) -> Card:
    """The card with this number: 400 if the number is malformed, 404 if unknown."""
    if not domain.is_valid_card_number(card_number):
        raise GatewayError("invalid_card_number")
    query = CARD_BY_NUMBER_FOR_UPDATE if for_update else CARD_BY_NUMBER
    card = session.execute(query, {"number": card_number}).scalar()
    if card is None:
        raise GatewayError("card_not_found")
    return card


def card_facts(session: Session, card: Card) -> domain.CardFacts:
    participant = card.participant
    has_payout, blacklisted = session.execute(
        PAYOUT_AND_BLACKLIST, {"participant_id": participant.id, "nik": participant.nik}
    ).one()
    return domain.CardFacts(
        status=card.status,
        balance=card.balance,
        scheme=domain.SCHEMES[card.scheme],
        first_purchase_deadline=card.first_purchase_deadline,
        has_purchased=card.purchases > 0,
        has_open_training=card.open_payment_id is not None,
        has_payout_account=bool(has_payout),
        blacklisted=bool(blacklisted),
    )


def refuse_if_not_allowed(session: Session, card: Card, amount: int, now: datetime) -> None:
    """Raise the first purchase rule this card breaks, with all of them in the details."""
    reasons = domain.purchase_refusals(card_facts(session, card), amount, now)
    if reasons:
        raise GatewayError(reasons[0], reasons=reasons, balance=card.balance)


def inquiry(session: Session, now: datetime, card_number: str, amount: int | None) -> dict:
    """What a platform may know about a card before asking for an OTP."""
    card = load_card(session, card_number)
    reasons = domain.purchase_refusals(card_facts(session, card), amount, now)
    return {
        "card_number_masked": domain.mask_card_number(card.number),
        "status": card.status,
        "balance": card.balance,
        "scheme": card.scheme,
        "first_purchase_deadline": card.first_purchase_deadline.isoformat(),
        "first_purchase_deadline_at": end_of_day_wib(card.first_purchase_deadline).isoformat(),
        "can_purchase": not reasons,
        "reasons": reasons,
        "messages": [GATEWAY_ERRORS[code].message for code in reasons],
    }


def issue_card(
    session: Session,
    participant: Participant,
    *,
    wave_number: int,
    scheme: str,
    accepted_on: date,
    now: datetime,
    number: str | None = None,
) -> Card:
    """Give an accepted participant a card and the scheme's saldo (one grant entry)."""
    saldo = domain.SCHEMES[scheme].saldo_idr
    card = Card(
        number=number or _free_sandbox_number(session, wave_number),
        participant_id=participant.id,
        scheme=scheme,
        status="active",
        balance=saldo,
        first_purchase_deadline=domain.first_purchase_deadline(accepted_on, domain.SCHEMES[scheme]),
        purchases=0,
    )
    session.add(card)
    session.flush()
    post_entry(session, card_id=card.id, kind="grant", amount=saldo, now=now, note="saldo awal")
    return card


def _free_sandbox_number(session: Session, wave_number: int) -> str:
    """A random unused card number in the sandbox range (collisions retried)."""
    for _ in range(20):
        serial = SANDBOX_SERIAL_START + 1_000_000 + secrets.randbelow(998_000_000)
        number = domain.make_card_number(wave_number, serial)
        if session.execute(select(Card.id).where(Card.number == number)).first() is None:
            return number
    raise RuntimeError("no free sandbox card number found in 20 tries")  # pragma: no cover
