"""Sandbox test codes: the positive test cases of the public docs, one redeem code each per
institution, and ``redeem-code/reset`` to try them again.

Prakerja e-mails each institution dummy codes; here an institution lists (and so creates) its
own with ``GET /sandbox/test-codes?client_code=...``. A test code belongs to a course of the
institution, was sold by no platform, passes whatever the date, and can be reset to where it
started; it cannot be reported completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course
from marketplace.db import insert_unless_conflicting
from prakerja_gateway import domain
from prakerja_gateway.errors import InstitutionError
from prakerja_gateway.models import FaceCheck, Partner, RedeemCode
from prakerja_gateway.services import redemption


@dataclass(frozen=True)
class PositiveCase:
    """``TC<type>-<sequence>-<HTTP status>``: the case the code lets an institution try."""

    name: str
    course_type: str
    sequence: int
    description: str

    @property
    def starts_redeemed(self) -> bool:
        """A post-test case starts where the post-test is due: after the redeem."""
        return self.sequence != redemption.REDEEM_SEQUENCE


TEST_CASES = {  # as the docs list them
    case.name: case
    for case in (
        PositiveCase("TC1-001-200", "self_paced", 1, "Pembelajaran mandiri, sequence 1 / redeem"),
        PositiveCase(
            "TC1-999-200", "self_paced", 999, "Pembelajaran mandiri, sequence 999 / post-test"
        ),
        PositiveCase("TC2-001-200", "webinar", 1, "Webinar, sequence 1 / redeem"),
        PositiveCase("TC2-999-200", "webinar", 999, "Webinar, sequence 999 / post-test"),
    )
}


def list_codes(session: Session, now: datetime, partner: Partner) -> list[dict]:
    """The institution's test codes, made on first request. A case whose course type the
    institution does not teach is listed with ``redeem_code`` null."""
    listed = []
    for case in TEST_CASES.values():
        course = _course_for(session, partner, case)
        redeem = _test_code(session, now, course, case) if course else None
        listed.append(
            {
                "test_case": case.name,
                "description": case.description,
                "redeem_code": redeem.code if redeem else None,
                "course_code": course.course_code if course else None,
                "course_type": redemption.COURSE_KINDS[case.course_type].number,
                "sequence": case.sequence,
            }
        )
    return listed


def reset(session: Session, now: datetime, partner: Partner, code: str, *, sandbox: bool) -> dict:
    """``redeem-code/reset``: a test code's attendance forgotten and its redeem back to where it
    started; answers as ``redeem-code/status`` does for the case's sequence."""
    if not sandbox:
        raise InstitutionError("sandbox_only")
    found = redemption.find_redemption(session, partner, code)
    case = TEST_CASES.get(found.code.test_case or "")
    if case is None:
        raise InstitutionError("not_a_test_case", redeem_code=code)
    session.execute(delete(FaceCheck).where(FaceCheck.redeem_code_id == found.code.id))
    session.execute(
        update(RedeemCode)
        .where(RedeemCode.id == found.code.id)
        .values(**_starting_state(case, found.code.created_at))
        .execution_options(synchronize_session=False)
    )
    session.expire(found.code)
    return redemption.status_data(session, found, case.sequence)


def _course_for(session: Session, partner: Partner, case: PositiveCase) -> Course | None:
    return session.execute(
        select(Course)
        .where(
            Course.institution_code == partner.catalog_ref,
            Course.course_type == case.course_type,
        )
        .order_by(Course.course_code)
        .limit(1)
    ).scalar()


def _test_code(session: Session, now: datetime, course: Course, case: PositiveCase) -> RedeemCode:
    """The course's code for the case; a racing request's insert, or a clash of random codes,
    is simply looked up again."""
    for _ in range(10):
        existing = _existing(session, course, case)
        if existing is not None:
            return existing
        schedule = course.schedules[0] if course.schedules else None
        insert_unless_conflicting(
            session,
            RedeemCode,
            code=domain.new_redeem_code(),
            course_code=course.course_code,
            schedule_code=schedule.schedule_code if schedule else None,
            test_case=case.name,
            created_at=now,
            **_starting_state(case, now),
        )
    raise RuntimeError("no free redeem code after 10 tries")  # 36^6 codes: not in practice


def _existing(session: Session, course: Course, case: PositiveCase) -> RedeemCode | None:
    return session.execute(
        select(RedeemCode).where(
            RedeemCode.course_code == course.course_code, RedeemCode.test_case == case.name
        )
    ).scalar()


def _starting_state(case: PositiveCase, created_at: datetime) -> dict:
    if case.starts_redeemed:
        return {"status": "committed", "committed_at": created_at}
    return {"status": "issued", "committed_at": None}
