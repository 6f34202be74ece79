"""Jinja helpers shared by every party's pages: Rupiah and WIB, in Indonesian."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Flask

from marketplace.clock import to_wib
from marketplace.money import format_rupiah

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_wib(instant: datetime | None) -> str:
    """21 November 2026 20.15 WIB"""
    if instant is None:
        return "-"
    local = to_wib(instant)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H.%M} WIB"


def schedule_period(starts_at: datetime, ends_at: datetime) -> str:
    """A schedule as people read it, in WIB: "28 Oktober 2026 – 25 April 2027",
    "28 November 2026 09.00 WIB – 11 Desember 2026", "21 November 2026 09.00–17.00 WIB"."""
    first, last = to_wib(starts_at), to_wib(ends_at)
    if last.time() == time(0):  # ends when the next day starts: its last day is the day before
        last -= timedelta(minutes=1)
    if first.date() == last.date():
        return f"{_day(first)} {first:%H.%M}–{last:%H.%M} WIB"
    opening = _day(first) if first.time() == time(0) else f"{_day(first)} {first:%H.%M} WIB"
    return f"{opening} – {_day(last)}"


def _day(instant: datetime) -> str:
    return f"{instant.day} {MONTHS[instant.month - 1]} {instant.year}"


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(format_rupiah, "rupiah")
    app.add_template_filter(format_wib, "wib")
    app.add_template_filter(lambda schedule: schedule_period(schedule.starts_at, schedule.ends_at),
                            "period")  # fmt: skip
