"""What institutions do with a redeem code at Prakerja: read it (``redeem-code/status``), send
the participant to "Scan Wajah" (``oauth/url-generate``; the sequence-1 check *is* the redeem),
or declare it used the 2022 way (``redeem-code/commit``).

What follows the redeem (tasks, feedback, completion) lives in ``services/training.py``, the
sandbox's test codes in ``services/sandbox_codes.py``. Services flush, never commit; the
institution API commits once per call.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseSchedule
from marketplace.catalog.services import find_course
from marketplace.clock import rfc3339, to_wib
from marketplace.db import insert_unless_conflicting
from prakerja_gateway.errors import InstitutionError
from prakerja_gateway.models import FaceCheck, LpRedirectUri, Partner, RedeemCode

REDEEM_SEQUENCE = 1  # the first attendance is the redeem
FACE_CHECK_TTL = timedelta(minutes=30)
EARLY_ENTRY = timedelta(minutes=30)  # a schedule's room opens half an hour before it starts
# Our integer statuses of a code (the docs show 1 for a valid one; no other value is public).
VALID, COMPLETED = 1, 2
# What status says of a sandbox test code, which no platform sold.
TEST_PLATFORM = "Prakerja Sandbox"
# In the sandbox, callbacks on the tester's own machine need no registration.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


@dataclass(frozen=True)
class CourseKind:
    """How the public API describes a course type. The numbers 1 (self-paced) and 2 (webinar)
    follow the docs' test cases TC1/TC2; 3 (offline), the labels and methods are ours."""

    number: int
    label: str
    learning_method: str
    online_attendance: bool  # attendance by Scan Wajah (offline: at the venue)


COURSE_KINDS = {
    "self_paced": CourseKind(1, "Pembelajaran Mandiri", "Daring", True),
    "webinar": CourseKind(2, "Webinar", "Daring", True),
    "offline": CourseKind(3, "Luring", "Luring", False),
}


@dataclass(frozen=True)
class Redemption:
    """A redeem code the calling institution may use, with its course."""

    code: RedeemCode
    course: Course

    @property
    def kind(self) -> CourseKind:
        return COURSE_KINDS[self.course.course_type]

    @property
    def is_test_code(self) -> bool:
        return self.code.test_case is not None


def find_redemption(session: Session, partner: Partner, code: str) -> Redemption:
    """The code if it exists, belongs to this institution and is not cancelled; else the
    public API's refusal."""
    redeem = session.execute(select(RedeemCode).where(RedeemCode.code == code)).scalar()
    if redeem is None:
        raise InstitutionError("ERRTRX40020", redeem_code=code)
    course = find_course(session, redeem.course_code)
    if course is None or course.institution_code != partner.catalog_ref:
        raise InstitutionError("ERRTRX40028", redeem_code=code)
    if redeem.payment is not None and redeem.payment.status == "refunded":
        raise InstitutionError("ERRTRX40101", redeem_code=code)
    if redeem.status == "cancelled":
        raise InstitutionError("ERRTRX40022", redeem_code=code)
    return Redemption(redeem, course)


# --- redeem-code/status -------------------------------------------------------------------------
def code_status(session: Session, partner: Partner, code: str, sequence: int) -> dict:
    """``redeem-code/status``: the code, its purchase and the attendance of one session."""
    return status_data(session, find_redemption(session, partner, code), sequence)


def status_data(session: Session, found: Redemption, sequence: int) -> dict:
    """The status answer, fields in the documented order (the docs' example, then the rest as
    public client models have them)."""
    redeem, payment, kind = found.code, found.code.payment, found.kind
    schedule = schedule_of(session, redeem)
    return {
        "redeem_code": redeem.code,
        "course_code": redeem.course_code,
        "invoice_code": payment.invoice_code if payment else f"sandbox-{redeem.test_case.lower()}",
        "schedule_code": schedule.schedule_code if schedule else redeem.schedule_code,
        "status": COMPLETED if payment and payment.completed_at else VALID,
        "attendance_status": 1 if attended(session, redeem, sequence) else 0,
        "redeem_at": rfc3339(redeem.committed_at),
        "dp_platform": payment.partner.name if payment else TEST_PLATFORM,
        "schedule_start_end": schedule_start_end(schedule),
        "course_type": kind.number,
        "course_type_label": kind.label,
        "course_learning_method": kind.learning_method,
        "is_online_attendance": kind.online_attendance,
        "sequence": sequence,
    }


def schedule_of(session: Session, redeem: RedeemCode) -> CourseSchedule | None:
    """The catalogue schedule bought with the code (fixed at purchase)."""
    code = redeem.schedule_code or (redeem.payment.schedule_code if redeem.payment else None)
    if code is None:
        return None
    return session.execute(
        select(CourseSchedule).where(CourseSchedule.schedule_code == code)
    ).scalar()


def schedule_start_end(schedule: CourseSchedule | None) -> str:
    """Ours (the real format is not public): "2026-12-01 09:00 - 2026-12-01 12:00", in WIB."""
    if schedule is None:
        return ""
    start, end = to_wib(schedule.starts_at), to_wib(schedule.ends_at)
    return f"{start:%Y-%m-%d %H:%M} - {end:%Y-%m-%d %H:%M}"


def attended(session: Session, redeem: RedeemCode, sequence: int) -> bool:
    return (
        session.execute(
            select(FaceCheck.id)
            .where(
                FaceCheck.redeem_code_id == redeem.id,
                FaceCheck.sequence == sequence,
                FaceCheck.attended_at.is_not(None),
            )
            .limit(1)
        ).first()
        is not None
    )


# --- oauth/url-generate and the Scan Wajah page ---------------------------------------------------
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
    sandbox: bool,
) -> dict:
    """``oauth/url-generate``: a "Scan Wajah" address at Prakerja that returns the participant
    to the institution's registered ``redirect_uri`` with ``state``."""
    found = find_redemption(session, partner, code)
    if not found.kind.online_attendance:  # offline courses take attendance at the venue
        raise InstitutionError("ERRTRX40001", course_type=found.kind.number)
    refuse_unregistered_redirect(session, partner, redirect_uri, sandbox=sandbox)
    if sequence != REDEEM_SEQUENCE and found.code.status != "committed":
        raise InstitutionError("redeem_code_not_committed", redeem_code=code, sequence=sequence)
    if not found.is_test_code:  # test codes pass whatever the date and address
        refuse_outside_schedule(session, found.code, now)
        _refuse_email_of_another_code(session, found.code, email.lower())
    check = FaceCheck(
        state=secrets.token_urlsafe(24),
        redeem_code_id=found.code.id,
        sequence=sequence,
        redirect_uri=redirect_uri,
        email=email.lower(),
        created_at=now,
        expires_at=now + FACE_CHECK_TTL,
    )
    session.add(check)
    session.flush()
    return {
        "url": f"{base_url.rstrip('/')}/prakerja/scan-wajah?state={check.state}",
        "state": check.state,
        "course": {"type": found.kind.number, "learning_method": found.kind.learning_method},
    }


def refuse_outside_schedule(session: Session, redeem: RedeemCode, now: datetime) -> None:
    """The code's schedule must be running (from 30 minutes before its start), else
    ERRTRX40027. A code whose schedule is unknown is not held to one."""
    schedule = schedule_of(session, redeem)
    if schedule is not None and not (schedule.starts_at - EARLY_ENTRY <= now <= schedule.ends_at):
        raise InstitutionError("ERRTRX40027", schedule_code=schedule.schedule_code)


def _refuse_email_of_another_code(session: Session, redeem: RedeemCode, email: str) -> None:
    """The docs: an e-mail may not serve twice for the same training. It is bound to a code by
    a passed face check; a cancelled code or a sandbox test code binds nothing."""
    taken = session.execute(
        select(FaceCheck.id)
        .join(RedeemCode, RedeemCode.id == FaceCheck.redeem_code_id)
        .where(
            FaceCheck.email == email,
            FaceCheck.attended_at.is_not(None),
            RedeemCode.course_code == redeem.course_code,
            RedeemCode.id != redeem.id,
            RedeemCode.status != "cancelled",
            RedeemCode.test_case.is_(None),
        )
        .limit(1)
    ).first()
    if taken is not None:
        raise InstitutionError("email_already_used", email=email)


def find_face_check(session: Session, state: str) -> FaceCheck | None:
    return session.execute(select(FaceCheck).where(FaceCheck.state == state)).scalar()


def face_check_refusal(check: FaceCheck, now: datetime) -> str | None:
    """Why the Scan Wajah page cannot verify now (Indonesian), or None."""
    if check.attended_at is not None:
        return None
    if check.redeem_code.status == "cancelled":
        return "Kode redeem ini sudah dibatalkan."
    if now > check.expires_at:
        return (
            "Tautan Scan Wajah ini sudah kedaluwarsa. Kembali ke lembaga pelatihan dan minta "
            "tautan baru."
        )
    return None


def record_face_check(session: Session, now: datetime, check: FaceCheck) -> None:
    """The participant passed "Scan Wajah": attendance of that session is 1, and the first
    session's check redeems the code (``redeem_at``)."""
    if check.attended_at is None:
        check.attended_at = now
    if check.sequence == REDEEM_SEQUENCE:
        _redeem(session, check.redeem_code, now)
    session.flush()


def _redeem(session: Session, redeem: RedeemCode, now: datetime) -> bool:
    """Mark the code redeemed now, unless it already is (or was cancelled); True if this did."""
    changed = session.execute(
        update(RedeemCode)
        .where(RedeemCode.id == redeem.id, RedeemCode.status == "issued")
        .values(status="committed", committed_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.expire(redeem, ["status", "committed_at"])
    return changed == 1


# --- registered callbacks -----------------------------------------------------------------------
def refuse_unregistered_redirect(
    session: Session, partner: Partner, redirect_uri: str, *, sandbox: bool
) -> None:
    """Prakerja sends participants back only to a callback the institution registered (scheme,
    host, port and path must match; the query may differ). The sandbox also takes any address
    on the tester's own machine (localhost, 127.0.0.1)."""
    wanted = _callback_key(redirect_uri)
    if sandbox and wanted is not None and wanted[1] in LOOPBACK_HOSTS:
        return
    registered = {_callback_key(uri) for uri in redirect_uris(session, partner)}
    if wanted is None or wanted not in registered:
        raise InstitutionError("redirect_uri_not_registered", redirect_uri=redirect_uri)


def redirect_uris(session: Session, partner: Partner) -> list[str]:
    return list(
        session.execute(
            select(LpRedirectUri.redirect_uri)
            .where(LpRedirectUri.partner_id == partner.id)
            .order_by(LpRedirectUri.id)
        ).scalars()
    )


def register_redirect_uri(
    session: Session, now: datetime, partner: Partner, redirect_uri: str
) -> dict:
    """Our stand-in for Prakerja's registration form: the callback joins the institution's list
    (registering one twice changes nothing)."""
    insert_unless_conflicting(
        session, LpRedirectUri, partner_id=partner.id, redirect_uri=redirect_uri, created_at=now
    )
    return {"redirect_uris": redirect_uris(session, partner)}


def _callback_key(uri: str) -> tuple[str, str, int | None, str] | None:
    """What must match for a callback to count as registered; None if it is no usable address."""
    try:
        parts = urlsplit(uri)
        port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    except ValueError:  # a port that is no number, a broken [IPv6] host
        return None
    return parts.scheme.lower(), (parts.hostname or ""), port, parts.path or "/"


# --- redeem-code/commit (the 2022 flow) -------------------------------------------------------
def commit_code(session: Session, now: datetime, partner: Partner, code: str) -> dict:
    """``redeem-code/commit``: declare the code used, once, while its schedule runs. No face
    check is needed (the official 2022 samples call status, then commit); a code the first
    Scan Wajah already redeemed is used."""
    found = find_redemption(session, partner, code)
    if found.code.status == "committed":
        raise InstitutionError("redeem_code_used", redeem_code=code)
    if not found.is_test_code:
        refuse_outside_schedule(session, found.code, now)
    if not _redeem(session, found.code, now):  # a racing redeem won
        raise InstitutionError("redeem_code_used", redeem_code=code)
    return {"redeem_code": found.code.code, "course_code": found.code.course_code, "status": VALID}
