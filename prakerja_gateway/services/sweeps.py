"""What falls due as programme time passes: revocations, saldo expiry, stale payments,
incentive instalments.

Run after every clock advance (sandbox, CLI). Set-based and batched, so it scales to waves of
hundreds of thousands of cards; rows are locked before their balance is read, so a purchase
racing the sweep can never leave the ledger and the balance apart.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.clock import wib_date
from prakerja_gateway import domain
from prakerja_gateway.models import Card, LedgerEntry, NikBlacklist, Participant, Payment
from prakerja_gateway.services.incentives import pay_due_incentives

BATCH = 5_000


def run_due_jobs(session: Session, now: datetime) -> dict[str, int]:
    """Apply every rule whose time has come; how many of each were done."""
    return {
        "payments_expired": expire_stale_payments(session, now),
        "cards_revoked": revoke_missed_deadlines(session, now),
        "saldo_expired": expire_idle_saldo(session, now),
        "incentives_paid": pay_due_incentives(session, now),
    }


def expire_stale_payments(session: Session, now: datetime) -> int:
    return session.execute(
        update(Payment)
        .where(Payment.status == "otp_sent", Payment.expires_at <= now)
        .values(status="expired", failure_code="payment_expired")
        .execution_options(synchronize_session=False)
    ).rowcount


def revoke_missed_deadlines(session: Session, now: datetime) -> int:
    """No first purchase by 23:59 WIB of the deadline day: revoke, return saldo, blacklist NIK."""
    due = (
        Card.status == "active",
        Card.purchases == 0,
        Card.first_purchase_deadline < wib_date(now),
    )
    total = 0
    while batch := _lock_batch(session, due):
        revoke_cards(session, batch, now)
        total += len(batch)
    return total


def revoke_cards(session: Session, batch: list[tuple[int, int]], now: datetime) -> None:
    """Revoke these (card id, balance) rows, already locked: saldo back to the state fund."""
    reason = "Tidak membeli pelatihan pertama sebelum batas waktu."
    _zero_balances(session, batch, "revocation", now, "saldo dikembalikan ke negara")
    _set_status(session, batch, "revoked", reason, now)
    _blacklist(session, [card_id for card_id, _ in batch], now)


def expire_idle_saldo(session: Session, now: datetime) -> int:
    """Normal scheme: saldo lapses when no new training is bought within 15 days of finishing."""
    days = domain.SCHEMES["normal"].saldo_expiry_days
    due = (
        Card.status == "active",
        Card.scheme == "normal",
        Card.open_payment_id.is_(None),
        Card.purchases > 0,
        Card.last_finished_at <= now - timedelta(days=days),
    )
    reason = f"Saldo hangus: tidak membeli pelatihan berikutnya dalam {days} hari."
    total = 0
    while batch := _lock_batch(session, due):
        _zero_balances(session, batch, "expiry", now, "saldo hangus")
        _set_status(session, batch, "expired", reason, now)
        total += len(batch)
    return total


def _lock_batch(session: Session, conditions) -> list[tuple[int, int]]:
    rows = session.execute(
        select(Card.id, Card.balance).where(*conditions).limit(BATCH).with_for_update()
    ).all()
    return [(row.id, row.balance) for row in rows]


def _zero_balances(session, batch, kind: str, now: datetime, note: str) -> None:
    entries = [
        {"card_id": card_id, "kind": kind, "amount": -balance, "created_at": now, "note": note}
        for card_id, balance in batch
        if balance > 0
    ]
    if entries:
        session.execute(LedgerEntry.__table__.insert(), entries)


def _set_status(session, batch, status: str, reason: str, now: datetime) -> None:
    session.execute(
        update(Card)
        .where(Card.id.in_([card_id for card_id, _ in batch]))
        .values(status=status, balance=0, status_reason=reason, status_changed_at=now)
        .execution_options(synchronize_session=False)
    )


def _blacklist(session: Session, card_ids: list[int], now: datetime) -> None:
    niks = session.execute(
        select(Participant.nik)
        .join(Card, Card.participant_id == Participant.id)
        .where(Card.id.in_(card_ids))
        .where(~select(NikBlacklist.nik).where(NikBlacklist.nik == Participant.nik).exists())
    ).scalars()
    rows = [{"nik": nik, "reason": "revoked", "created_at": now} for nik in niks]
    if rows:
        session.execute(NikBlacklist.__table__.insert(), rows)
