"""The schedules a storefront offers: those Prakerja would still sell, each with the quota
Prakerja reports (``quota-schedule``), and how a schedule reads on a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from marketplace.catalog.models import Course, sale_closes_at
from marketplace.templating import schedule_period
from platforms.core import gateway
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


def schedule_options(spec: PlatformSpec, course: Course, now: datetime) -> list[ScheduleOption]:
    """The course's schedules on sale now, soonest first, each with its remaining quota (the real
    flow lets a platform show it on its training page)."""
    on_sale = [
        (schedule.schedule_code, schedule.starts_at, schedule.ends_at)
        for schedule in course.schedules
        if sale_closes_at(course.course_type, schedule.starts_at, schedule.ends_at) > now
    ][:MAX_SCHEDULES_SHOWN]
    course_code = course.course_code  # read before the gateway calls end the transaction
    return [
        ScheduleOption(code, starts, ends, _quota(spec, course_code, code))
        for code, starts, ends in on_sale
    ]


def _quota(spec: PlatformSpec, course_code: str, schedule_code: str) -> int | None:
    answer = gateway.call(
        spec.slug, lambda client: client.quota_schedule(course_code, schedule_code)
    )
    quota = answer.data.get("quota") if answer.ok else None
    return quota if isinstance(quota, int) and not isinstance(quota, bool) else None


def open_codes(options: list[ScheduleOption]) -> list[str]:
    return [option.code for option in options if not option.full]


def preselected(course: Course, options: list[ScheduleOption]) -> str | None:
    codes = open_codes(options)
    if course.course_type in PRESELECT_SINGLE and len(codes) == 1:
        return codes[0]
    return None


def schedule_label(order: Order) -> str:
    return schedule_period(order.schedule_starts_at, order.schedule_ends_at)
