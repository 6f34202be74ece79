"""Reading the catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course

# Built once: on the checkout path, building and hashing a statement costs more than running it.
COURSE_BY_CODE = select(Course).where(Course.course_code == bindparam("course_code"))


def find_course(session: Session, course_code: str) -> Course | None:
    """The course with this code, or None."""
    return session.execute(COURSE_BY_CODE, {"course_code": course_code}).scalar()


def is_listed_on(course: Course, platform_slug: str) -> bool:
    """Whether the platform sells this course (its listings are loaded with it)."""
    return any(listing.platform_slug == platform_slug for listing in course.listings)


def all_courses(session: Session) -> Sequence[Course]:
    """Every course, ordered by code."""
    return session.execute(select(Course).order_by(Course.course_code)).scalars().all()
