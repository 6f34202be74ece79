"""An institution site's own tables: learners and their enrolments (one set shared by every
institution, ``institution`` column). No foreign key reaches another party's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UtcDateTime, db

LESSONS = 3


class Learner(db.Model):
    __tablename__ = "lp_learners"
    __table_args__ = (UniqueConstraint("institution", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Enrolment(db.Model):
    """A voucher exchanged for a place in a course, and the learner's progress through it.

    ``exchanged`` → (redeem code checked; online courses: the first Scan Wajah redeems it,
    offline ones: the code is committed) ``active`` →
    pre-test, lessons, practice task, post-test (self-paced: final task) → ``completed`` with a
    certificate.
    """

    __tablename__ = "lp_enrolments"
    __table_args__ = (
        UniqueConstraint("platform", "voucher_code"),
        CheckConstraint("status IN ('exchanged', 'active', 'completed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution: Mapped[str] = mapped_column(String(40), index=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("lp_learners.id"), index=True)
    platform: Mapped[str] = mapped_column(String(40))
    voucher_code: Mapped[str] = mapped_column(String(40))
    course_code: Mapped[str] = mapped_column(String(40))
    course_title: Mapped[str] = mapped_column(String(200))
    course_type: Mapped[str] = mapped_column(String(20))
    participant_name: Mapped[str] = mapped_column(String(120))
    participant_email: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="exchanged")
    schedule_code: Mapped[str | None] = mapped_column(String(60))
    redeem_code: Mapped[str | None] = mapped_column(String(20), unique=True)
    face_state: Mapped[str | None] = mapped_column(String(64))
    committed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    pretest_score: Mapped[int | None] = mapped_column(Integer)
    lessons_done: Mapped[int] = mapped_column(Integer, default=0)
    task_url: Mapped[str | None] = mapped_column(String(500))
    posttest_score: Mapped[int | None] = mapped_column(Integer)
    final_task_url: Mapped[str | None] = mapped_column(String(500))
    certificate_number: Mapped[str | None] = mapped_column(String(80), unique=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    learner: Mapped[Learner] = relationship(lazy="joined")
