"""Incentives: scheduled about 24 hours after the first training is completed and reviewed, paid
in the scheme's instalments to the linked bank account or e-wallet as the clock reaches them;
survey incentives for each evaluation survey filled in.

Payments run in the clock's sweep (``run_due_jobs``): the sandbox clock advance and the
``flask --app marketplace clock run-due`` command both run them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from marketplace.money import format_rupiah
from marketplace.outbox import send_sms
from prakerja_gateway import domain
from prakerja_gateway.models import (
    Incentive,
    Participant,
    Payment,
    PayoutAccount,
    SurveyResponse,
)

SCHEDULING_DELAY = timedelta(hours=24)
INSTALMENT_INTERVAL = timedelta(days=30)  # semi-bansos: monthly
SURVEY_INTERVAL = timedelta(days=30)  # the next survey opens a month after the previous one
BATCH = 1_000


@dataclass(frozen=True)
class SurveyOpening:
    number: int
    opens_at: datetime | None  # None: not yet known (waiting for an earlier step)


def schedule_training_incentive(session: Session, now: datetime, payment: Payment) -> int:
    """Schedule the instalments if this is the participant's first training, completed and
    reviewed, and nothing was scheduled before; how many instalments were scheduled."""
    if payment.completed_at is None or payment.reviewed_at is None:
        return 0
    card = payment.card
    first = session.execute(  # a refunded purchase was never a training
        select(func.min(Payment.id)).where(Payment.card_id == card.id, Payment.status == "captured")
    ).scalar()
    if first != payment.id or _has_training_incentive(session, card.participant_id):
        return 0
    scheme = domain.SCHEMES[card.scheme]
    first_due = now + SCHEDULING_DELAY
    session.add_all(
        Incentive(
            participant_id=card.participant_id,
            payment_id=payment.id,
            kind="training",
            instalment=number,
            amount=scheme.incentive_idr,
            due_at=first_due + INSTALMENT_INTERVAL * (number - 1),
        )
        for number in range(1, scheme.incentive_instalments + 1)
    )
    session.flush()
    return scheme.incentive_instalments


def _has_training_incentive(session: Session, participant_id: int) -> bool:
    return (
        session.execute(
            select(Incentive.id).where(
                Incentive.participant_id == participant_id, Incentive.kind == "training"
            )
        ).first()
        is not None
    )


def pay_due_incentives(session: Session, now: datetime) -> int:
    """Pay every scheduled instalment that is due, to a linked account; how many were paid.

    Participants without a linked account keep theirs scheduled until they link one.
    """
    total = 0
    while True:
        due = session.execute(
            select(Incentive.id, Incentive.amount, Participant, PayoutAccount)
            .join(Participant, Participant.id == Incentive.participant_id)
            .join(PayoutAccount, PayoutAccount.participant_id == Participant.id)
            .where(Incentive.status == "scheduled", Incentive.due_at <= now)
            .order_by(Incentive.id)
            .limit(BATCH)
        ).all()
        for incentive_id, amount, participant, account in due:
            total += _pay(session, now, incentive_id, amount, participant, account)
        if len(due) < BATCH:
            return total


def _pay(session, now, incentive_id, amount, participant, account) -> int:
    paid_to = domain.payout_label(account.provider, account.account_number)
    paid = session.execute(
        update(Incentive)
        .where(Incentive.id == incentive_id, Incentive.status == "scheduled")
        .values(status="paid", paid_at=now, paid_to=paid_to)
        .execution_options(synchronize_session=False)
    ).rowcount
    if paid:
        send_sms(
            session,
            now,
            participant.phone,
            f"Insentif Kartu Prakerja {format_rupiah(amount)} telah dikirim ke {paid_to}.",
            sender="PRAKERJA",
        )
    return paid


def next_survey(session: Session, participant: Participant) -> SurveyOpening | None:
    """The next evaluation survey and when it opens; None once all are filled."""
    scheme = domain.SCHEMES[participant.card.scheme]
    filled = session.execute(
        select(func.count(), func.max(SurveyResponse.submitted_at)).where(
            SurveyResponse.participant_id == participant.id
        )
    ).one()
    count, last = filled
    if count >= scheme.survey_count:
        return None
    if count:
        return SurveyOpening(count + 1, last + SURVEY_INTERVAL)
    first_paid = session.execute(
        select(func.min(Incentive.paid_at)).where(
            Incentive.participant_id == participant.id, Incentive.kind == "training"
        )
    ).scalar()
    return SurveyOpening(1, first_paid)  # the first opens once the first instalment is paid


def submit_survey(
    session: Session, now: datetime, participant: Participant, *, employed: str, usefulness: int
) -> Incentive | None:
    """Record the open survey and schedule its incentive; None if no survey is open now."""
    opening = next_survey(session, participant)
    if opening is None or opening.opens_at is None or now < opening.opens_at:
        return None
    training = session.execute(
        select(Incentive.payment_id).where(
            Incentive.participant_id == participant.id, Incentive.kind == "training"
        )
    ).scalar()
    session.add(
        SurveyResponse(
            participant_id=participant.id,
            number=opening.number,
            employed=employed,
            usefulness=usefulness,
            submitted_at=now,
        )
    )
    incentive = Incentive(
        participant_id=participant.id,
        payment_id=training,
        kind="survey",
        instalment=opening.number,
        amount=domain.SCHEMES[participant.card.scheme].survey_incentive_idr,
        due_at=now + SCHEDULING_DELAY,
    )
    session.add(incentive)
    session.flush()
    return incentive


def incentives_of(session: Session, participant: Participant) -> list[Incentive]:
    return list(
        session.execute(
            select(Incentive)
            .where(Incentive.participant_id == participant.id)
            .order_by(Incentive.kind.desc(), Incentive.instalment)
        ).scalars()
    )
