"""What institutions do with a redeem code: read it, send the participant to "Scan Wajah",
commit it, hand in practice tasks, and report completion.

Services flush, never commit; the institution API commits once per call.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseSchedule
from marketplace.catalog.services import find_course
from marketplace.outbox import send_email
from prakerja_gateway.errors import InstitutionError
from prakerja_gateway.models import FaceCheck, Partner, RedeemCode, TaskSubmission
from prakerja_gateway.services.capture import finish_training

FINAL_TASK_SEQUENCE = 999  # the final skills task of a self-paced course
FACE_CHECK_TTL = timedelta(minutes=30)
EARLY_ENTRY = timedelta(minutes=30)  # a session's room opens half an hour before it starts
PENDING_REVIEW = timedelta(hours=24)
LEARNING_METHODS = {"self_paced": "Video Pembelajaran", "webinar": "Webinar", "offline": "Luring"}
# Task statuses of the public API: 0 none, 1 pending, 2 success, 3 failed.
NONE, PENDING, SUCCESS, FAILED = 0, 1, 2, 3


@dataclass(frozen=True)
class Redemption:
    """A redeem code the calling institution may use, with its course."""

    code: RedeemCode
    course: Course


def find_redemption(session: Session, partner: Partner, code: str) -> Redemption:
    """The code if it exists, belongs to this institution and is not cancelled; else the
    public API's refusal."""
    redeem = session.execute(select(RedeemCode).where(RedeemCode.code == code)).scalar()
    if redeem is None:
        raise InstitutionError("ERRTRX40020", redeem_code=code)
    course = find_course(session, redeem.course_code)
    if course is None or course.institution_code != partner.catalog_ref:
        raise InstitutionError("ERRTRX40028", redeem_code=code)
    if redeem.payment.status == "refunded":
        raise InstitutionError("ERRTRX40101", redeem_code=code)
    if redeem.status == "cancelled":
        raise InstitutionError("ERRTRX40022", redeem_code=code)
    return Redemption(redeem, course)


def code_status(session: Session, partner: Partner, code: str, sequence: int) -> dict:
    """``redeem-code/status``: the code, its transaction and the attendance of one session."""
    found = find_redemption(session, partner, code)
    redeem, payment = found.code, found.code.payment
    return {
        "redeem_code": redeem.code,
        "course_code": redeem.course_code,
        "course_name": found.course.title,
        "invoice_code": payment.invoice_code,
        "schedule_code": redeem.schedule_code,
        "status": redeem.status,
        "attendance_status": 1 if _attended(session, redeem, sequence) else 0,
        "redeem_at": _iso(redeem.committed_at),
        "dp_platform": payment.partner.name,
        "sequence": sequence,
        "course_type": found.course.course_type,
        "participant_name": payment.card.participant.name,
        "completed_at": _iso(payment.completed_at),
    }


def generate_face_check(
    session: Session,
    now: datetime,
    partner: Partner,
    *,
    code: str,
    sequence: int,
    redirect_uri: str,
    email: str,
    base_url: str,
) -> dict:
    """``oauth/url-generate``: a "Scan Wajah" address at Prakerja that returns to the institution
    with ``state``."""
    found = find_redemption(session, partner, code)
    if sequence == FINAL_TASK_SEQUENCE and found.course.course_type != "self_paced":
        raise InstitutionError("ERRTRX40001", course_type=found.course.course_type)
    _running_schedule(session, found.course, now)
    check = FaceCheck(
        state=secrets.token_urlsafe(24),
        redeem_code_id=found.code.id,
        sequence=sequence,
        redirect_uri=redirect_uri,
        email=email,
        created_at=now,
        expires_at=now + FACE_CHECK_TTL,
    )
    session.add(check)
    session.flush()
    return {
        "url": f"{base_url.rstrip('/')}/prakerja/scan-wajah?state={check.state}",
        "state": check.state,
        "course": {
            "type": found.course.course_type,
            "learning_method": LEARNING_METHODS[found.course.course_type],
        },
    }


def find_face_check(session: Session, state: str) -> FaceCheck | None:
    return session.execute(select(FaceCheck).where(FaceCheck.state == state)).scalar()


def record_face_check(session: Session, now: datetime, check: FaceCheck) -> None:
    """The participant passed "Scan Wajah": attendance of that session is 1."""
    if check.attended_at is None:
        check.attended_at = now
        session.flush()


def commit_code(session: Session, now: datetime, partner: Partner, code: str) -> dict:
    """``redeem-code/commit``: the code is used, once, after the first session's face check."""
    found = find_redemption(session, partner, code)
    redeem = found.code
    if redeem.status == "committed":
        raise InstitutionError("redeem_code_used", redeem_code=code)
    if not _attended(session, redeem, None):
        raise InstitutionError("attendance_required", redeem_code=code)
    schedule = _running_schedule(session, found.course, now)
    committed = session.execute(
        update(RedeemCode)
        .where(RedeemCode.id == redeem.id, RedeemCode.status == "issued")
        .values(
            status="committed",
            committed_at=now,
            schedule_code=schedule.schedule_code if schedule else None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if committed != 1:  # a racing commit of the same code won
        raise InstitutionError("redeem_code_used", redeem_code=code)
    session.expire(redeem)
    return {"redeem_code": redeem.code, "course_code": redeem.course_code, "status": "committed"}


def submit_task(
    session: Session,
    now: datetime,
    partner: Partner,
    *,
    code: str,
    scope: str,
    sequence: int,
    url_file: str,
) -> dict:
    """``tpm/submission``: a practice task of a self-paced course, after the code is committed.

    A failed task may be handed in again; a pending or accepted one may not.
    """
    found = _committed_self_paced(session, partner, code)
    earlier = _submission(session, found.code, scope, sequence)
    if earlier is not None and _assignment_status(earlier, now) != FAILED:
        raise InstitutionError("task_already_submitted", scope=scope, sequence=sequence)
    if earlier is None:
        earlier = TaskSubmission(redeem_code_id=found.code.id, scope=scope, sequence=sequence)
        session.add(earlier)
    earlier.url_file, earlier.submitted_at = url_file, now
    earlier.assignment_status = _review(url_file)
    session.flush()
    return {
        "redeem_code": found.code.code,
        "scope": scope,
        "sequence": sequence,
        "assignment": {"status": _assignment_status(earlier, now)},
    }


def task_status(
    session: Session, now: datetime, partner: Partner, *, code: str, scope: str, sequence: int
) -> dict:
    """``tpm/submission/status``: 0 none, 1 pending, 2 success, 3 failed."""
    found = find_redemption(session, partner, code)
    if found.course.course_type != "self_paced":
        raise InstitutionError("ERRTRX40001", course_type=found.course.course_type)
    submission = _submission(session, found.code, scope, sequence)
    assignment = _assignment_status(submission, now) if submission else NONE
    return {
        "redeem_code": found.code.code,
        "scope": scope,
        "sequence": sequence,
        "assignment": {
            "status": assignment,
            "url_file": submission.url_file if submission else None,
        },
        # Feedback follows the review: none until the task is handed in, then pending, then
        # given (success) or the task failed.
        "feedback": {"status": assignment},
    }


def complete_training(
    session: Session, now: datetime, partner: Partner, *, code: str, certificate_number: str
) -> dict:
    """Completion reported by the institution, with its certificate number.

    Self-paced courses need their final task (sequence 999) accepted. Semi-bansos cards may buy
    again at once; normal-scheme cards after the participant's rating and review.
    """
    found = find_redemption(session, partner, code)
    redeem, payment = found.code, found.code.payment
    if redeem.status != "committed":
        raise InstitutionError("redeem_code_not_committed", redeem_code=code)
    if payment.completed_at is not None:
        raise InstitutionError("training_already_completed", redeem_code=code)
    if found.course.course_type == "self_paced" and not _final_task_accepted(session, redeem, now):
        raise InstitutionError("training_not_finished", redeem_code=code)
    payment.certificate_number = certificate_number
    unlocked = finish_training(session, now, payment)
    _tell_participant(session, now, payment, found.course)
    return {
        "redeem_code": redeem.code,
        "status": "completed",
        "completed_at": payment.completed_at.isoformat(),
        "certificate_number": certificate_number,
        "next_purchase_unlocked": unlocked,
    }


def _tell_participant(session, now, payment, course) -> None:
    participant = payment.card.participant
    body = (
        f"Halo {participant.name},\n\n"
        f"Selamat, Anda telah menyelesaikan pelatihan {course.title}.\n"
        f"Nomor sertifikat: {payment.certificate_number}\n\n"
        "Beri rating dan ulasan pelatihan ini di dashboard Prakerja agar insentif Anda dapat "
        "dijadwalkan.\nSalam, Manajemen Pelaksana Program Kartu Prakerja"
    )
    send_email(session, now, participant.email, "Pelatihan Selesai – Beri Ulasan", body)


def _committed_self_paced(session: Session, partner: Partner, code: str) -> Redemption:
    found = find_redemption(session, partner, code)
    if found.course.course_type != "self_paced":
        raise InstitutionError("ERRTRX40001", course_type=found.course.course_type)
    if found.code.status != "committed":
        raise InstitutionError("redeem_code_not_committed", redeem_code=code)
    return found


def _running_schedule(session: Session, course: Course, now: datetime) -> CourseSchedule | None:
    """Webinar and offline courses: the schedule running now, or ERRTRX40027."""
    if course.course_type == "self_paced":
        return None
    for schedule in session.execute(
        select(CourseSchedule).where(CourseSchedule.course_id == course.id)
    ).scalars():
        if schedule.starts_at - EARLY_ENTRY <= now <= schedule.ends_at:
            return schedule
    raise InstitutionError("ERRTRX40027", course_code=course.course_code)


def _attended(session: Session, redeem: RedeemCode, sequence: int | None) -> bool:
    query = select(FaceCheck.id).where(
        FaceCheck.redeem_code_id == redeem.id, FaceCheck.attended_at.is_not(None)
    )
    if sequence is not None:
        query = query.where(FaceCheck.sequence == sequence)
    return session.execute(query.limit(1)).first() is not None


def _submission(session, redeem: RedeemCode, scope: str, sequence: int) -> TaskSubmission | None:
    return session.execute(
        select(TaskSubmission).where(
            TaskSubmission.redeem_code_id == redeem.id,
            TaskSubmission.scope == scope,
            TaskSubmission.sequence == sequence,
        )
    ).scalar()


def _review(url_file: str) -> int:
    """The reviewer's verdict. Sandbox: a file address with "gagal" fails, one with "tertunda"
    stays pending for 24 simulated hours, then passes; anything else passes at once."""
    lowered = url_file.lower()
    if "gagal" in lowered:
        return FAILED
    return PENDING if "tertunda" in lowered else SUCCESS


def _assignment_status(submission: TaskSubmission, now: datetime) -> int:
    if submission.assignment_status == PENDING and now >= submission.submitted_at + PENDING_REVIEW:
        return SUCCESS
    return submission.assignment_status


def _final_task_accepted(session: Session, redeem: RedeemCode, now: datetime) -> bool:
    finals = session.execute(
        select(TaskSubmission).where(
            TaskSubmission.redeem_code_id == redeem.id,
            TaskSubmission.sequence == FINAL_TASK_SEQUENCE,
        )
    ).scalars()
    return any(_assignment_status(final, now) == SUCCESS for final in finals)


def _iso(instant: datetime | None) -> str | None:
    return instant.isoformat() if instant else None
