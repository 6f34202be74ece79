"""What follows the redeem: the participant's practice tasks (``tpm``, sequence 1–998) and skills
demonstration (``uk``, 999) handed in by the institution, the institution's own assessment of
them (``tpm/feedback/submission``), and completion (our extension).

Two independent statuses per task, as the public API has them (0 none, 1 pending, 2 success,
3 failed): the *assignment* is the hand-in, received (2) when it arrives; the *feedback* is the
institution's assessment, received (2) when it arrives. The real feedback body has notes and a
file but no grade, so the simulator grades nothing: it records what the institution said.
Sandbox only: a file address containing ``gagal`` is refused (3), one containing ``tertunda``
stays pending (1) for 24 simulated hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.clock import rfc3339
from marketplace.outbox import send_email
from prakerja_gateway.errors import InstitutionError
from prakerja_gateway.models import Partner, RedeemCode, TaskFeedback, TaskSubmission
from prakerja_gateway.services.capture import finish_training
from prakerja_gateway.services.redemption import Redemption, find_redemption

NONE, PENDING, SUCCESS, FAILED = 0, 1, 2, 3
SKILLS_SEQUENCE = 999  # the skills demonstration (scope uk)
PENDING_REVIEW = timedelta(hours=24)


def submit_task(
    session: Session,
    now: datetime,
    partner: Partner,
    *,
    code: str,
    scope: str,
    sequence: int,
    url_file: str,
    sandbox: bool,
) -> dict:
    """``tpm/submission``: one more hand-in (a task may be handed in again; each holds one
    file), for a redeemed code of a self-paced course."""
    found = _redeemed_self_paced(session, partner, code)
    submission = TaskSubmission(
        redeem_code_id=found.code.id,
        scope=scope,
        sequence=sequence,
        url_file=url_file,
        assignment_status=_on_arrival(url_file, sandbox),
        submitted_at=now,
    )
    session.add(submission)
    session.flush()
    return {
        "id": submission.id,
        "redeem_code": found.code.code,
        "scope": scope,
        "sequence": sequence,
        "status": assignment_status(submission, now),
        "url_file": url_file,
    }


def task_status(
    session: Session, now: datetime, partner: Partner, *, code: str, scope: str, sequence: int
) -> dict:
    """``tpm/submission/status``: the latest hand-in's status and the latest feedback's."""
    found = _self_paced(session, partner, code)
    submission = _latest(session, TaskSubmission, found.code, scope, sequence)
    feedback = _latest(session, TaskFeedback, found.code, scope, sequence)
    echo = {"redeem_code": found.code.code, "scope": scope, "sequence": sequence}
    handed_in = assignment_status(submission, now) if submission else NONE
    return {
        "assignment": {**echo, "status": handed_in},
        "feedback": {**echo, "status": feedback.status if feedback else NONE},
    }


def submit_feedback(
    session: Session,
    now: datetime,
    partner: Partner,
    *,
    code: str,
    scope: str,
    sequence: int,
    notes: str,
    url_file: str,
) -> dict:
    """``tpm/feedback/submission``: the institution's assessment of the latest hand-in. It may
    be given again; each one holds notes and at most one file."""
    found = _redeemed_self_paced(session, partner, code)
    submission = _latest(session, TaskSubmission, found.code, scope, sequence)
    if submission is None:
        raise InstitutionError("task_not_submitted", scope=scope, sequence=sequence)
    feedback = TaskFeedback(
        redeem_code_id=found.code.id,
        submission_id=submission.id,
        scope=scope,
        sequence=sequence,
        notes=notes,
        url_file=url_file,
        status=SUCCESS,
        created_at=now,
    )
    session.add(feedback)
    session.flush()
    return {
        "id": feedback.id,
        "redeem_code": found.code.code,
        "scope": scope,
        "sequence": sequence,
        "status": feedback.status,
        "url_file": url_file,
        "notes": notes,
    }


def skills_demonstrated(session: Session, redeem: RedeemCode, now: datetime) -> bool:
    """The latest skills demonstration (uk, 999) arrived successfully."""
    latest = _latest(session, TaskSubmission, redeem, "uk", SKILLS_SEQUENCE)
    return latest is not None and assignment_status(latest, now) == SUCCESS


def assignment_status(submission: TaskSubmission, now: datetime) -> int:
    """A sandbox hand-in kept pending is received once its 24 simulated hours are up."""
    if submission.assignment_status == PENDING and now >= submission.submitted_at + PENDING_REVIEW:
        return SUCCESS
    return submission.assignment_status


def _on_arrival(url_file: str, sandbox: bool) -> int:
    if not sandbox:
        return SUCCESS
    lowered = url_file.lower()
    if "gagal" in lowered:
        return FAILED
    return PENDING if "tertunda" in lowered else SUCCESS


def _self_paced(session: Session, partner: Partner, code: str) -> Redemption:
    """Tasks belong to self-paced courses (ours: the real rule is not public)."""
    found = find_redemption(session, partner, code)
    if found.course.course_type != "self_paced":
        raise InstitutionError("ERRTRX40001", course_type=found.kind.number)
    return found


def _redeemed_self_paced(session: Session, partner: Partner, code: str) -> Redemption:
    found = _self_paced(session, partner, code)
    if found.code.status != "committed":
        raise InstitutionError("redeem_code_not_committed", redeem_code=code)
    return found


def _latest(session: Session, model, redeem: RedeemCode, scope: str, sequence: int):
    return session.execute(
        select(model)
        .where(model.redeem_code_id == redeem.id, model.scope == scope, model.sequence == sequence)
        .order_by(model.id.desc())
        .limit(1)
    ).scalar()


# --- completion (our extension) -----------------------------------------------------------
def complete_training(
    session: Session, now: datetime, partner: Partner, *, code: str, certificate_number: str
) -> dict:
    """Completion reported by the institution, with its certificate number (in reality it
    reaches Prakerja another way).

    The code must be redeemed; a self-paced course needs its skills demonstration (uk, 999)
    received. Semi-bansos cards may buy again at once; normal-scheme cards after the
    participant's rating and review.
    """
    found = find_redemption(session, partner, code)
    redeem, payment = found.code, found.code.payment
    if payment is None:
        raise InstitutionError("test_code_not_completable", redeem_code=code)
    if redeem.status != "committed":
        raise InstitutionError("redeem_code_not_committed", redeem_code=code)
    if payment.completed_at is not None:
        raise InstitutionError("training_already_completed", redeem_code=code)
    if found.course.course_type == "self_paced" and not skills_demonstrated(session, redeem, now):
        raise InstitutionError("training_not_finished", redeem_code=code)
    payment.certificate_number = certificate_number
    unlocked = finish_training(session, now, payment)
    _tell_participant(session, now, payment, found.course.title)
    return {
        "redeem_code": redeem.code,
        "status": "completed",
        "completed_at": rfc3339(payment.completed_at),
        "certificate_number": certificate_number,
        "next_purchase_unlocked": unlocked,
    }


def _tell_participant(session: Session, now: datetime, payment, course_title: str) -> None:
    participant = payment.card.participant
    body = (
        f"Halo {participant.name},\n\n"
        f"Selamat, Anda telah menyelesaikan pelatihan {course_title}.\n"
        f"Nomor sertifikat: {payment.certificate_number}\n\n"
        "Beri rating dan ulasan pelatihan ini di dashboard Prakerja agar insentif Anda dapat "
        "dijadwalkan.\nSalam, Manajemen Pelaksana Program Kartu Prakerja"
    )
    send_email(session, now, participant.email, "Pelatihan Selesai – Beri Ulasan", body)
