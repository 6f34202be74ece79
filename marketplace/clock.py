"""The one clock. No other module asks the system for the time.

Two kinds of time:
- ``wall_now()``: real UTC time, for things the outside world checks (signature timestamps);
- a ``Clock``'s ``now()``: the simulated programme time, which testers may move forward. The
  simulated clock stores its offset from wall time in the database, so every process (gunicorn
  workers, a CLI) sees the same time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Protocol

from flask import g, has_request_context
from sqlalchemy import BigInteger, Integer, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import db

# Western Indonesia Time has no daylight saving: a fixed offset is exact and needs no tz database.
WIB = timezone(timedelta(hours=7), "WIB")
REQUEST_OFFSET = "_simulated_clock_offset"  # where a request keeps the offset it read


def wall_now() -> datetime:
    return datetime.now(UTC)


def rfc3339(instant: datetime | None) -> str | None:
    """How the public API writes instants: UTC, whole seconds, ``Z`` (2023-10-24T10:54:45Z)."""
    if instant is None:
        return None
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_wib(instant: datetime) -> datetime:
    return instant.astimezone(WIB)


def wib_date(instant: datetime) -> date:
    return to_wib(instant).date()


def end_of_day_wib(day: date) -> datetime:
    """The first instant after ``day`` ends in WIB (deadlines 'end at 23:59 WIB'), in UTC."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=WIB).astimezone(UTC)


class Clock(Protocol):
    def now(self) -> datetime: ...

    def offset(self) -> timedelta: ...

    def advance(self, delta: timedelta) -> datetime: ...


class ClockOffset(db.Model):
    """The simulated clock: one row holding how far programme time runs ahead of wall time."""

    __tablename__ = "sim_clock"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    offset_seconds: Mapped[int] = mapped_column(BigInteger, default=0)


OFFSET_SECONDS = select(ClockOffset.offset_seconds).where(ClockOffset.id == 1)  # built once


class SimulatedClock:
    """Wall time plus an offset stored in the database (shared by all processes).

    The offset is read once per request: a request runs at one programme time, and a page that
    asks for the time several times costs one read (a request that moves the clock sees it
    moved)."""

    def __init__(self, session_factory: Callable[[], Session]):
        self._session_factory = session_factory

    def offset(self) -> timedelta:
        known = g.get(REQUEST_OFFSET) if has_request_context() else None
        if known is not None:
            return known
        seconds = self._session_factory().execute(OFFSET_SECONDS).scalar()
        return self._remember(timedelta(seconds=seconds or 0))

    @staticmethod
    def _remember(offset: timedelta) -> timedelta:
        if has_request_context():
            setattr(g, REQUEST_OFFSET, offset)
        return offset

    def now(self) -> datetime:
        return wall_now() + self.offset()

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        session = self._session_factory()
        row = session.get(ClockOffset, 1, with_for_update=True)
        if row is None:
            row = ClockOffset(id=1, offset_seconds=0)
            session.add(row)
        row.offset_seconds = (row.offset_seconds or 0) + int(delta.total_seconds())
        session.flush()
        self._remember(timedelta(seconds=row.offset_seconds))
        return self.now()


class FixedClock:
    """A clock that stands still until advanced: for unit tests and deterministic runs."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        return self._now

    def offset(self) -> timedelta:
        return self._now - wall_now()

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward")
        self._now += delta
        return self._now


def current_clock() -> Clock:
    """The running app's clock (simulated unless the app was built with another)."""
    from flask import current_app

    return current_app.extensions["marketplace.clock"]
