"""Reading the catalogue."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseListing


def find_course(session: Session, course_code: str) -> Course | None:
    """The course with this code, or None."""
    return session.execute(select(Course).where(Course.course_code == course_code)).scalar()


def is_listed_on(session: Session, course: Course, platform_slug: str) -> bool:
    """Whether the platform sells this course."""
    return (
        session.execute(
            select(CourseListing.id).where(
                CourseListing.course_id == course.id,
                CourseListing.platform_slug == platform_slug,
            )
        ).first()
        is not None
    )


def all_courses(session: Session) -> Sequence[Course]:
    """Every course, ordered by code."""
    return session.execute(select(Course).order_by(Course.course_code)).scalars().all()
