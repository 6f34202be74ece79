"""What the dashboard shows a participant: read-only queries gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course
from marketplace.clock import end_of_day_wib
from prakerja_gateway import domain
from prakerja_gateway.models import Incentive, LedgerEntry, Participant, Payment, RedeemCode
from prakerja_gateway.services import incentives
from prakerja_gateway.services.accounts import INTRO_VIDEOS

LEDGER_LABELS = {
    "grant": "Saldo pelatihan diterima",
    "debit": "Pembelian pelatihan",
    "refund": "Pengembalian dana",
    "revocation": "Saldo dikembalikan ke negara (kepesertaan dicabut)",
    "expiry": "Saldo hangus",
}


@dataclass(frozen=True)
class Training:
    payment: Payment
    course_title: str
    redeem_code: RedeemCode | None

    @property
    def stage(self) -> str:
        """Where the participant is with this training, in Indonesian."""
        if self.payment.status == "refunded":
            return "Dibatalkan (dana dikembalikan)"
        if self.payment.reviewed_at:
            return "Selesai dan sudah diulas"
        if self.payment.completed_at:
            return "Selesai — beri rating dan ulasan"
        if self.redeem_code and self.redeem_code.status == "committed":
            return "Sedang berjalan"
        return "Belum ditukarkan di lembaga pelatihan"

    @property
    def can_review(self) -> bool:
        return self.payment.completed_at is not None and self.payment.reviewed_at is None


@dataclass(frozen=True)
class Overview:
    participant: Participant
    now: datetime
    deadline_at: datetime
    trainings: list[Training]
    ledger: list[LedgerEntry]
    incentives: list[Incentive]
    survey: incentives.SurveyOpening | None

    @property
    def card(self):
        return self.participant.card

    @property
    def scheme(self) -> domain.Scheme:
        return domain.SCHEMES[self.card.scheme]

    @property
    def card_visible(self) -> bool:
        return self.participant.videos_watched >= len(INTRO_VIDEOS)

    @property
    def time_left(self) -> timedelta | None:
        """Until the first-purchase deadline, while it matters (active, nothing bought)."""
        if self.card.status != "active" or self.card.purchases > 0:
            return None
        return max(self.deadline_at - self.now, timedelta(0))

    @property
    def payout_label(self) -> str | None:
        account = self.participant.payout_account
        if account is None:
            return None
        return domain.payout_label(account.provider, account.account_number)

    @property
    def survey_open(self) -> bool:
        survey = self.survey
        return bool(survey and survey.opens_at and self.now >= survey.opens_at)


def build_overview(session: Session, participant: Participant, now: datetime) -> Overview:
    card = participant.card
    return Overview(
        participant=participant,
        now=now,
        deadline_at=end_of_day_wib(card.first_purchase_deadline),
        trainings=_trainings(session, card.id),
        ledger=list(
            session.execute(
                select(LedgerEntry).where(LedgerEntry.card_id == card.id).order_by(LedgerEntry.id)
            ).scalars()
        ),
        incentives=incentives.incentives_of(session, participant),
        survey=incentives.next_survey(session, participant),
    )


def _trainings(session: Session, card_id: int) -> list[Training]:
    rows = session.execute(
        select(Payment, Course.title, RedeemCode)
        .join(Course, Course.course_code == Payment.course_code)
        .outerjoin(RedeemCode, RedeemCode.payment_id == Payment.id)
        .where(Payment.card_id == card_id, Payment.status.in_(("captured", "refunded")))
        .order_by(Payment.id.desc())
    ).all()
    return [Training(payment, title, code) for payment, title, code in rows]


def countdown_text(left: timedelta) -> str:
    """ "3 hari 4 jam 5 menit" """
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days} hari {hours} jam {minutes} menit"


def ledger_label(kind: str) -> str:
    return LEDGER_LABELS.get(kind, kind)
