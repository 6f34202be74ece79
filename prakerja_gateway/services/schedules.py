"""Schedules and their quotas: which run of a training a purchase is for, and its seats.

The catalogue publishes each schedule's capacity; the gateway counts the seats sold
(``ScheduleSeats``). Taking a seat is one conditional increment, so racing purchases can never
sell more seats than the capacity.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseSchedule, sale_closes_at
from marketplace.db import insert_unless_conflicting
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import ScheduleSeats
from prakerja_gateway.services.policy import Outcome


def quota_schedule(session: Session, *, course_code: str, schedule_code: str) -> Outcome:
    """The seats left on one schedule of a course: one statement (storefronts ask it for every
    schedule they show, on every course page)."""
    row = session.execute(
        select(Course.id, CourseSchedule.course_id, CourseSchedule.capacity, ScheduleSeats.sold)
        .select_from(Course)
        .outerjoin(CourseSchedule, CourseSchedule.schedule_code == schedule_code)
        .outerjoin(ScheduleSeats, ScheduleSeats.schedule_code == schedule_code)
        .where(Course.course_code == course_code)
    ).first()
    if row is None:
        raise GatewayError("course_not_found", course_code=course_code)
    course_id, schedule_course_id, capacity, sold = row
    if schedule_course_id is None:
        raise GatewayError("schedule_not_found", schedule_code=schedule_code)
    if schedule_course_id != course_id:
        raise GatewayError("schedule_course_mismatch", schedule_code=schedule_code)
    return Outcome(
        {
            "schedule_code": schedule_code,
            "course_code": course_code,
            "quota": max(capacity - (sold or 0), 0),
        }
    )


# The checkout's statements, built once: building and hashing a statement per call cost more
# than running it.
SCHEDULE_BY_CODE = select(CourseSchedule).where(
    CourseSchedule.schedule_code == bindparam("schedule_code")
)
SALE_WINDOW = (
    select(CourseSchedule.starts_at, CourseSchedule.ends_at, Course.course_type)
    .join(Course, Course.id == CourseSchedule.course_id)
    .where(CourseSchedule.schedule_code == bindparam("schedule_code"))
)
SEATS_SOLD = select(ScheduleSeats.sold).where(
    ScheduleSeats.schedule_code == bindparam("schedule_code")
)


def schedule_of(session: Session, course: Course, schedule_code: str) -> CourseSchedule:
    """The schedule with this code, which must be one of the course's."""
    schedule = session.execute(SCHEDULE_BY_CODE, {"schedule_code": schedule_code}).scalar()
    if schedule is None:
        raise GatewayError("schedule_not_found", schedule_code=schedule_code)
    if schedule.course_id != course.id:
        raise GatewayError("schedule_course_mismatch", schedule_code=schedule_code)
    return schedule


def refuse_unless_on_sale(
    session: Session, course: Course, schedule: CourseSchedule, now: datetime
) -> None:
    """Bought before it starts (a self-paced batch: until it ends), while seats remain."""
    if now >= sale_closes_at(course.course_type, schedule.starts_at, schedule.ends_at):
        raise GatewayError("schedule_started", schedule_code=schedule.schedule_code)
    if quota_left(session, schedule) <= 0:
        raise GatewayError("quota_full", schedule_code=schedule.schedule_code)


def refuse_if_sale_closed(session: Session, schedule_code: str, now: datetime) -> None:
    """At authorize: an OTP sent just before a run started must not buy a seat after it."""
    starts_at, ends_at, course_type = session.execute(
        SALE_WINDOW, {"schedule_code": schedule_code}
    ).one()
    if now >= sale_closes_at(course_type, starts_at, ends_at):
        raise GatewayError("schedule_started", schedule_code=schedule_code)


def quota_left(session: Session, schedule: CourseSchedule) -> int:
    sold = session.execute(SEATS_SOLD, {"schedule_code": schedule.schedule_code}).scalar()
    return max(schedule.capacity - (sold or 0), 0)


SEATS = ScheduleSeats.__table__
SCHEDULES = CourseSchedule.__table__
# Core, built once (see capture.py): the conditional increment against the published capacity.
# Tables only: one ORM column, even in the subquery, would send it down the ORM's UPDATE path.
TAKE_SEAT = (
    update(SEATS)
    .where(
        SEATS.c.schedule_code == bindparam("code"),
        SEATS.c.sold
        < select(SCHEDULES.c.capacity)
        .where(SCHEDULES.c.schedule_code == bindparam("code"))
        .scalar_subquery(),
    )
    .values(sold=SEATS.c.sold + 1)
)


def take_seat(session: Session, schedule_code: str) -> None:
    """One seat for a purchase being captured, or ``quota_full`` if none is left: one
    conditional increment against the published capacity, read in the same statement."""
    insert_unless_conflicting(session, ScheduleSeats, schedule_code=schedule_code, sold=0)
    taken = session.execute(TAKE_SEAT, {"code": schedule_code}).rowcount
    if taken != 1:
        raise GatewayError("quota_full", schedule_code=schedule_code)


def release_seat(session: Session, schedule_code: str) -> None:
    """A voided purchase gives its seat back."""
    session.execute(
        update(ScheduleSeats)
        .where(ScheduleSeats.schedule_code == schedule_code, ScheduleSeats.sold > 0)
        .values(sold=ScheduleSeats.sold - 1)
        .execution_options(synchronize_session=False)
    )
