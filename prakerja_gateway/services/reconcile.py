"""The invariant report: aggregate SQL checks that must hold after any sequence of calls."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from prakerja_gateway.domain import PAYMENT_STATUSES
from prakerja_gateway.models import Card, LedgerEntry, Payment, RedeemCode

EXAMPLES = 5


@dataclass(frozen=True)
class Check:
    name: str
    description: str
    query: object  # a SELECT of offending identifiers


def _checks() -> list[Check]:
    ledger_sum = (
        select(LedgerEntry.card_id, func.sum(LedgerEntry.amount).label("total"))
        .group_by(LedgerEntry.card_id)
        .subquery()
    )
    debits = _entry_counts("debit")
    refunds = _entry_counts("refund")
    grants = (
        select(LedgerEntry.card_id, func.count().label("n"))
        .where(LedgerEntry.kind == "grant")
        .group_by(LedgerEntry.card_id)
        .subquery()
    )
    moved = ("captured", "refunded")
    return [
        Check(
            "balance_equals_ledger",
            "saldo = grants − debits + refunds − revocations − expiries, for every card",
            select(Card.number)
            .outerjoin(ledger_sum, ledger_sum.c.card_id == Card.id)
            .where(Card.balance != func.coalesce(ledger_sum.c.total, 0)),
        ),
        Check(
            "one_grant_per_card",
            "every card received its scheme's saldo exactly once",
            select(Card.number)
            .outerjoin(grants, grants.c.card_id == Card.id)
            .where(func.coalesce(grants.c.n, 0) != 1),
        ),
        Check(
            "one_debit_per_captured_payment",
            "a captured or refunded payment was debited once, for its amount; no other was",
            select(Payment.ref)
            .outerjoin(debits, debits.c.payment_id == Payment.id)
            .where(
                or_(
                    and_(
                        Payment.status.in_(moved),
                        or_(
                            func.coalesce(debits.c.n, 0) != 1,
                            debits.c.total != -Payment.amount,
                        ),
                    ),
                    and_(Payment.status.not_in(moved), func.coalesce(debits.c.n, 0) != 0),
                )
            ),
        ),
        Check(
            "one_refund_per_refunded_payment",
            "a refunded payment was credited back once, for its amount; no other was",
            select(Payment.ref)
            .outerjoin(refunds, refunds.c.payment_id == Payment.id)
            .where(
                or_(
                    and_(
                        Payment.status == "refunded",
                        or_(func.coalesce(refunds.c.n, 0) != 1, refunds.c.total != Payment.amount),
                    ),
                    and_(Payment.status != "refunded", func.coalesce(refunds.c.n, 0) != 0),
                )
            ),
        ),
        Check(
            "one_redeem_code_per_captured_payment",
            "captured and refunded payments have exactly one redeem code; others none",
            select(Payment.ref)
            .outerjoin(RedeemCode, RedeemCode.payment_id == Payment.id)
            .where(
                or_(
                    and_(Payment.status.in_(moved), RedeemCode.id.is_(None)),
                    and_(Payment.status.not_in(moved), RedeemCode.id.is_not(None)),
                )
            ),
        ),
        Check(
            "refunded_codes_cancelled",
            "the redeem code of a refunded payment is cancelled and was never committed",
            select(Payment.ref)
            .join(RedeemCode, RedeemCode.payment_id == Payment.id)
            .where(Payment.status == "refunded", RedeemCode.status != "cancelled"),
        ),
        Check(
            "open_training_is_captured",
            "a card's open training is a captured payment of that same card",
            select(Card.number)
            .outerjoin(Payment, Payment.id == Card.open_payment_id)
            .where(
                Card.open_payment_id.is_not(None),
                or_(
                    Payment.id.is_(None),
                    Payment.card_id != Card.id,
                    Payment.status != "captured",
                ),
            ),
        ),
        Check(
            "closed_cards_hold_no_saldo",
            "revoked and expired cards hold no saldo (it went back through the ledger)",
            select(Card.number).where(Card.status != "active", Card.balance != 0),
        ),
        Check(
            "no_negative_balance",
            "no card's saldo is below zero",
            select(Card.number).where(Card.balance < 0),
        ),
    ]


def _entry_counts(kind: str):
    return (
        select(
            LedgerEntry.payment_id,
            func.count().label("n"),
            func.sum(LedgerEntry.amount).label("total"),
        )
        .where(LedgerEntry.kind == kind, LedgerEntry.payment_id.is_not(None))
        .group_by(LedgerEntry.payment_id)
        .subquery()
    )


def reconcile(session: Session) -> dict:
    """Run every invariant check: ``{"ok": bool, "checks": [...]}``."""
    results = []
    for check in _checks():
        offenders = session.execute(
            select(func.count()).select_from(check.query.subquery())
        ).scalar_one()
        examples = session.execute(check.query.limit(EXAMPLES)).scalars().all() if offenders else []
        results.append(
            {
                "name": check.name,
                "description": check.description,
                "ok": offenders == 0,
                "violations": offenders,
                "examples": list(examples),
            }
        )
    return {
        "ok": all(result["ok"] for result in results),
        "checks": results,
        "totals": _totals(session),
    }


def _totals(session: Session) -> dict[str, int]:
    """Counts a load test compares with its own (captured payments, above all)."""
    by_status = dict(
        session.execute(select(Payment.status, func.count()).group_by(Payment.status)).all()
    )
    return {
        "cards": session.execute(select(func.count()).select_from(Card)).scalar_one(),
        **{f"payments_{status}": by_status.get(status, 0) for status in PAYMENT_STATUSES},
    }
