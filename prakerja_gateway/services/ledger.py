"""Saldo movements. Every change of ``Card.balance`` writes exactly one entry here."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert
from sqlalchemy.orm import Session

from prakerja_gateway.models import LedgerEntry

# A Core INSERT on the table, built once (the ORM's bulk-insert path costs more than the row).
INSERT_ENTRY = insert(LedgerEntry.__table__)


def post_entry(
    session: Session,
    *,
    card_id: int,
    kind: str,
    amount: int,
    now: datetime,
    payment_id: int | None = None,
    note: str = "",
) -> None:
    """Record a signed rupiah movement (credits positive) against a card."""
    session.execute(  # a plain INSERT: nothing reads the entry back in the same request
        INSERT_ENTRY,
        {"card_id": card_id, "kind": kind, "amount": amount, "created_at": now,
         "payment_id": payment_id, "note": note},
    )  # fmt: skip
