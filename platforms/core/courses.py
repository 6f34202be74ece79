"""What a storefront shows and sells of a catalogue course, as plain values kept per process.

The training page and the buy step after it read the same course: its institution, its listings
(is it sold here?) and its schedules, three statements and some 2,000 Python calls each time,
two or three times a checkout. The catalogue does not change while the simulator serves (it is
seeded), so a course is kept like the course lists (``listing.kept``,
``STOREFRONT_CATALOG_SECONDS``): the same values for every visitor, read again once older than
the setting; 0 reads it on every visit (the tests' setting). Prakerja checks the course, the
schedule and the price again at send-otp, so a purchase never rests on a kept value alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from marketplace.catalog.services import find_course
from platforms.core import listing


@dataclass(frozen=True)
class InstitutionShown:
    code: str
    name: str
    city: str


@dataclass(frozen=True)
class ScheduleShown:
    schedule_code: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class CourseShown:
    """The attributes of ``catalog.Course`` a storefront page and an order use, by its names."""

    course_code: str
    title: str
    category: str
    course_type: str
    price_idr: int
    duration_hours: int
    description: str
    requirements: tuple[str, ...]
    institution: InstitutionShown
    schedules: tuple[ScheduleShown, ...]  # soonest first
    platform_slugs: tuple[str, ...]


def shown_course(session: Session, course_code: str) -> CourseShown | None:
    """The course with this code as a storefront shows it, or None."""
    return listing.kept(("course", course_code), lambda: _read(session, course_code))


def _read(session: Session, course_code: str) -> CourseShown | None:
    course = find_course(session, course_code)
    if course is None:
        return None
    institution = course.institution
    return CourseShown(
        course_code=course.course_code,
        title=course.title,
        category=course.category,
        course_type=course.course_type,
        price_idr=course.price_idr,
        duration_hours=course.duration_hours,
        description=course.description,
        requirements=tuple(course.requirements),
        institution=InstitutionShown(institution.code, institution.name, institution.city),
        schedules=tuple(
            ScheduleShown(s.schedule_code, s.starts_at, s.ends_at) for s in course.schedules
        ),
        platform_slugs=tuple(course.platform_slugs),
    )
