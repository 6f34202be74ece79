"""The invariant report: aggregate SQL checks that must hold after any sequence of calls."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import CourseSchedule
from prakerja_gateway.domain import PAYMENT_STATUSES, SCHEMES
from prakerja_gateway.models import (
    Card,
    Incentive,
    LedgerEntry,
    Payment,
    RedeemCode,
    ScheduleSeats,
    SurveyResponse,
)

EXAMPLES = 5
MAX_INSTALMENTS = max(scheme.incentive_instalments for scheme in SCHEMES.values())


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
            select(Payment.transaction_code)
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
            select(Payment.transaction_code)
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
            select(Payment.transaction_code)
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
            select(Payment.transaction_code)
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
        *_schedule_checks(),
        *_journey_checks(),
    ]


def _schedule_checks() -> list[Check]:
    """Seats: each schedule's count is its captured purchases, never above its capacity."""
    bought = (
        select(Payment.schedule_code, func.count().label("n"))
        .where(Payment.status == "captured")
        .group_by(Payment.schedule_code)
        .subquery()
    )
    return [
        Check(
            "seats_equal_purchases",
            "a schedule's seats sold = its captured purchases (voided ones gave theirs back)",
            select(func.coalesce(ScheduleSeats.schedule_code, bought.c.schedule_code))
            .select_from(ScheduleSeats)
            .join(bought, bought.c.schedule_code == ScheduleSeats.schedule_code, full=True)
            .where(func.coalesce(ScheduleSeats.sold, 0) != func.coalesce(bought.c.n, 0)),
        ),
        Check(
            "no_schedule_oversold",
            "no schedule sold more seats than its capacity",
            select(ScheduleSeats.schedule_code)
            .join(CourseSchedule, CourseSchedule.schedule_code == ScheduleSeats.schedule_code)
            .where(ScheduleSeats.sold > CourseSchedule.capacity),
        ),
    ]


def _journey_checks() -> list[Check]:
    """After the purchase: redeem codes used once, incentives earned and paid once."""
    training_incentives = (
        select(
            Incentive.participant_id,
            func.count(func.distinct(Incentive.payment_id)).label("trainings"),
            func.count().label("instalments"),
        )
        .where(Incentive.kind == "training")
        .group_by(Incentive.participant_id)
        .subquery()
    )
    return [
        Check(
            "committed_codes_belong_to_captured_payments",
            "a redeem code is committed once, with its time, and only for a captured payment",
            select(RedeemCode.code)
            .join(Payment, Payment.id == RedeemCode.payment_id)
            .where(
                RedeemCode.status == "committed",
                or_(RedeemCode.committed_at.is_(None), Payment.status != "captured"),
            ),
        ),
        Check(
            "completed_trainings_were_redeemed",
            "a training reported completed has a committed redeem code",
            select(Payment.transaction_code)
            .outerjoin(RedeemCode, RedeemCode.payment_id == Payment.id)
            .where(
                Payment.completed_at.is_not(None),
                or_(RedeemCode.id.is_(None), RedeemCode.status != "committed"),
            ),
        ),
        Check(
            "incentives_only_after_completion_and_review",
            "every incentive belongs to a completed, rated and reviewed training",
            select(Incentive.id)
            .join(Payment, Payment.id == Incentive.payment_id)
            .where(or_(Payment.completed_at.is_(None), Payment.reviewed_at.is_(None))),
        ),
        Check(
            "one_incentive_per_participant",
            "a participant's training incentive is for one training, in at most 4 instalments",
            select(training_incentives.c.participant_id).where(
                or_(
                    training_incentives.c.trainings > 1,
                    training_incentives.c.instalments > MAX_INSTALMENTS,
                )
            ),
        ),
        Check(
            "paid_incentives_went_to_an_account",
            "a paid instalment has its time and the account it went to; a scheduled one neither",
            select(Incentive.id).where(
                or_(
                    and_(
                        Incentive.status == "paid",
                        or_(Incentive.paid_at.is_(None), Incentive.paid_to.is_(None)),
                    ),
                    and_(Incentive.status == "scheduled", Incentive.paid_at.is_not(None)),
                )
            ),
        ),
        Check(
            "survey_incentives_follow_surveys",
            "every survey incentive has the filled survey of the same number",
            select(Incentive.id)
            .outerjoin(
                SurveyResponse,
                and_(
                    SurveyResponse.participant_id == Incentive.participant_id,
                    SurveyResponse.number == Incentive.instalment,
                ),
            )
            .where(Incentive.kind == "survey", SurveyResponse.id.is_(None)),
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
    paid = session.execute(
        select(func.count(), func.coalesce(func.sum(Incentive.amount), 0)).where(
            Incentive.status == "paid"
        )
    ).one()
    return {
        "cards": session.execute(select(func.count()).select_from(Card)).scalar_one(),
        **{f"payments_{status}": by_status.get(status, 0) for status in PAYMENT_STATUSES},
        "incentives_paid": paid[0],
        "incentives_paid_idr": paid[1],
    }
