"""Catalogue tables. Prices are integer rupiah (``price_idr``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UtcDateTime, db

COURSE_TYPES = ("self_paced", "webinar", "offline")
# Last completed education, lowest first: a course's ``min_education`` admits this level and up.
EDUCATION_LEVELS = ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
SCHEMES = ("semi_bansos", "normal")


class Platform(db.Model):
    """A digital platform (Platform Digital) that sells trainings."""

    __tablename__ = "catalog_platforms"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))


class Institution(db.Model):
    """A training institution (Lembaga Pelatihan)."""

    __tablename__ = "catalog_institutions"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(80))


class Course(db.Model):
    """A training in the catalogue; ``course_code`` is what partners send."""

    __tablename__ = "catalog_courses"
    __table_args__ = (
        CheckConstraint("price_idr > 0", name="price_positive"),
        CheckConstraint(
            "course_type IN ('self_paced', 'webinar', 'offline')", name="course_type_known"
        ),
        CheckConstraint("scheme IN ('semi_bansos', 'normal')", name="scheme_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    institution_code: Mapped[str] = mapped_column(ForeignKey("catalog_institutions.code"))
    category: Mapped[str] = mapped_column(String(80))
    course_type: Mapped[str] = mapped_column(String(20))
    price_idr: Mapped[int] = mapped_column(Integer)  # positive integer rupiah
    # The scheme the training is offered under; its price fits that scheme's saldo.
    scheme: Mapped[str] = mapped_column(String(20), default="normal")
    duration_hours: Mapped[int] = mapped_column(Integer, default=8)
    description: Mapped[str] = mapped_column(Text, default="")
    # Who may buy it (send-otp checks them): age on the purchase day, inclusive; None = any.
    min_age: Mapped[int | None] = mapped_column(Integer)
    max_age: Mapped[int | None] = mapped_column(Integer)
    min_education: Mapped[str | None] = mapped_column(String(10))  # one of EDUCATION_LEVELS

    institution: Mapped[Institution] = relationship(lazy="joined")
    listings: Mapped[list[CourseListing]] = relationship(
        back_populates="course", cascade="all, delete-orphan", lazy="selectin"
    )
    schedules: Mapped[list[CourseSchedule]] = relationship(
        back_populates="course", cascade="all, delete-orphan", order_by="CourseSchedule.starts_at"
    )

    @property
    def requirements(self) -> list[str]:
        """Who may buy it, as the programme states it (Indonesian); empty when open to all."""
        stated = []
        if self.min_age is not None and self.max_age is not None:
            stated.append(f"usia {self.min_age}–{self.max_age} tahun")
        elif self.min_age is not None:
            stated.append(f"usia minimal {self.min_age} tahun")
        elif self.max_age is not None:
            stated.append(f"usia maksimal {self.max_age} tahun")
        if self.min_education is not None:
            stated.append(f"pendidikan terakhir minimal {self.min_education}")
        return stated

    @property
    def platform_slugs(self) -> list[str]:
        return sorted(listing.platform_slug for listing in self.listings)


class CourseListing(db.Model):
    """A course offered on a platform."""

    __tablename__ = "catalog_listings"
    __table_args__ = (UniqueConstraint("course_id", "platform_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("catalog_courses.id"))
    platform_slug: Mapped[str] = mapped_column(ForeignKey("catalog_platforms.slug"))

    course: Mapped[Course] = relationship(back_populates="listings")


def sale_closes_at(course_type: str, starts_at: datetime, ends_at: datetime) -> datetime:
    """Until when a schedule is sold: a webinar or offline run until it starts, a self-paced
    batch until it ends (the real send-otp check)."""
    return ends_at if course_type == "self_paced" else starts_at


class CourseSchedule(db.Model):
    """A dated run of a training that a purchase names (``schedule_code``), with its quota
    (``capacity``). Webinar and offline runs are bought before they start; a self-paced batch
    may be bought after it opened, until it ends."""

    __tablename__ = "catalog_schedules"
    __table_args__ = (CheckConstraint("capacity > 0", name="capacity_positive"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_code: Mapped[str] = mapped_column(String(60), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("catalog_courses.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    capacity: Mapped[int] = mapped_column(Integer)

    course: Mapped[Course] = relationship(back_populates="schedules")
