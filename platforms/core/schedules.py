"""The schedules a storefront offers: those Prakerja would still sell, each with the quota
Prakerja reports (``quota-schedule``), and how a schedule reads on a page."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from marketplace.catalog.models import sale_closes_at
from marketplace.templating import schedule_period
from platforms.core import gateway
from platforms.core.courses import CourseShown
from platforms.core.models import Order
from platforms.core.spec import PlatformSpec

# --- schedules ------------------------------------------------------------------------------
# The storefront offers only what Prakerja's send-otp would accept (catalog.sale_closes_at).
# A self-paced training with one open batch leaves nothing to choose: it comes preselected.
PRESELECT_SINGLE = frozenset({"self_paced"})
MAX_SCHEDULES_SHOWN = 6


@dataclass(frozen=True)
class ScheduleOption:
    """A schedule on sale, with the seats Prakerja reports left (``quota-schedule``)."""

    code: str
    starts_at: datetime
    ends_at: datetime
    quota: int | None  # None: Prakerja did not say (the buyer may still try)

    @property
    def full(self) -> bool:
        return self.quota is not None and self.quota <= 0

    @property
    def label(self) -> str:
        return schedule_period(self.starts_at, self.ends_at)

    @property
    def quota_text(self) -> str:
        if self.quota is None:
            return "Sisa kuota belum dapat ditampilkan"
        if self.full:
            return "Kuota penuh"
        return f"Sisa kuota {self.quota:,}".replace(",", ".")


def schedule_options(
    spec: PlatformSpec, course: CourseShown, now: datetime
) -> list[ScheduleOption]:
    """The course's schedules on sale now, soonest first, each with its remaining quota (the real
    flow lets a platform show it on its training page)."""
    on_sale = [
        schedule
        for schedule in course.schedules
        if sale_closes_at(course.course_type, schedule.starts_at, schedule.ends_at) > now
    ][:MAX_SCHEDULES_SHOWN]
    code = course.course_code
    return [
        ScheduleOption(s.schedule_code, s.starts_at, s.ends_at, _quota(spec, code, s.schedule_code))
        for s in on_sale
    ]


# Prakerja's last answers about seats, per process: (platform, course, schedule) -> (until, quota).
# A training page and the buy step that follows it a moment later ask about the same schedules;
# within ``STOREFRONT_QUOTA_SECONDS`` they share one answer (a storefront's own choice: Prakerja
# still refuses a seat it no longer has at payment, and the page then says so).
_known_quotas: dict[tuple[str, str, str], tuple[float, int | None]] = {}


def _quota(spec: PlatformSpec, course_code: str, schedule_code: str) -> int | None:
    key = (spec.slug, course_code, schedule_code)
    seconds = float(current_app.config.get("STOREFRONT_QUOTA_SECONDS") or 0)
    known = _known_quotas.get(key)
    if seconds > 0 and known is not None and known[0] > time.monotonic():
        return known[1]
    answer = gateway.call(
        spec.slug, lambda client: client.quota_schedule(course_code, schedule_code)
    )
    quota = answer.data.get("quota") if answer.ok else None
    quota = quota if isinstance(quota, int) and not isinstance(quota, bool) else None
    if seconds > 0 and quota is not None:
        _known_quotas[key] = (time.monotonic() + seconds, quota)
    return quota


def forget_quota(spec: PlatformSpec, course_code: str, schedule_code: str) -> None:
    """Prakerja refused a payment step (a full or closed schedule, say): the next page asks
    Prakerja again."""
    _known_quotas.pop((spec.slug, course_code, schedule_code), None)


def seat_taken(spec: PlatformSpec, course_code: str, schedule_code: str) -> None:
    """A seat of this schedule was just bought here: the answer kept counts one seat fewer, so
    the buyer sees their own purchase at once. Under a deadline spike every buyer takes a seat
    of the same schedules; forgetting the answer at each purchase would ask Prakerja on every
    page, as if nothing were kept (seats bought elsewhere show within the kept seconds)."""
    key = (spec.slug, course_code, schedule_code)
    known = _known_quotas.get(key)
    if known is not None and known[1] is not None:
        _known_quotas[key] = (known[0], max(known[1] - 1, 0))


def open_codes(options: list[ScheduleOption]) -> list[str]:
    return [option.code for option in options if not option.full]


def preselected(course: CourseShown, options: list[ScheduleOption]) -> str | None:
    codes = open_codes(options)
    if course.course_type in PRESELECT_SINGLE and len(codes) == 1:
        return codes[0]
    return None


def schedule_label(order: Order) -> str:
    return schedule_period(order.schedule_starts_at, order.schedule_ends_at)
