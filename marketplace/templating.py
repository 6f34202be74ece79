"""Jinja helpers shared by every party's pages: Rupiah and WIB, in Indonesian."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import Flask
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

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


class ProcessBytecodeCache(BytecodeCache):
    """Compiled templates kept for every app of this process (Jinja's bytecode cache, in memory).

    Each app has its own Jinja environment, which compiles a template on its first use: a
    process that builds many apps (the test suite builds one per test) compiled the same
    templates over and over. Jinja checks each entry against the template's source, so an
    edited template is compiled again. Every app is configured alike by ``create_app``, so
    their compiled templates are interchangeable.
    """

    def __init__(self) -> None:
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        compiled = self._compiled.get(bucket.key)
        if compiled is not None:
            bucket.bytecode_from_string(compiled)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = ProcessBytecodeCache()


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    app.add_template_filter(format_rupiah, "rupiah")
    app.add_template_filter(format_wib, "wib")
    app.add_template_filter(lambda schedule: schedule_period(schedule.starts_at, schedule.ends_at),
                            "period")  # fmt: skip
