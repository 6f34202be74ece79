"""What the sandbox reads for testers: the catalogue with its schedules and quotas, and
Prakerja's side of a purchase. Read-only; no request, no commit."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseSchedule, sale_closes_at
from marketplace.clock import rfc3339
from marketplace.errors import AppError, ErrorKind
from marketplace.forms import is_storable_text, storable
from prakerja_gateway import domain
from prakerja_gateway.models import Partner, Payment, RedeemCode, ScheduleSeats

TRANSACTION_NOT_FOUND = ErrorKind(
    "transaction_not_found", 404, "Transaksi tidak ditemukan.", "ERRSBX40402"
)


def course_json(course: Course, lp_client_code: str | None, schedules: list[dict]) -> dict:
    return {
        "course_code": course.course_code,
        "title": course.title,
        "price": course.price_idr,
        "institution": course.institution.name,
        "institution_code": course.institution_code,
        "lp_client_code": lp_client_code,
        "platforms": course.platform_slugs,
        "type": course.course_type,
        "category": course.category,
        "scheme": course.scheme,
        "min_age": course.min_age,
        "max_age": course.max_age,
        "min_education": course.min_education,
        "schedules": schedules,
    }


def schedules_by_course(session: Session, now: datetime) -> dict[int, list[dict]]:
    """Every schedule, earliest first, in one query. ``on_sale``: a run can be bought until it
    starts, a self-paced batch until it ends, while quota remains."""
    rows = session.execute(
        select(CourseSchedule, ScheduleSeats.sold, Course.course_type)
        .join(Course, Course.id == CourseSchedule.course_id)
        .outerjoin(ScheduleSeats, ScheduleSeats.schedule_code == CourseSchedule.schedule_code)
        .order_by(CourseSchedule.starts_at, CourseSchedule.schedule_code)
    ).all()
    by_course: dict[int, list[dict]] = defaultdict(list)
    for schedule, sold, course_type in rows:
        quota = max(schedule.capacity - (sold or 0), 0)
        closes_at = sale_closes_at(course_type, schedule.starts_at, schedule.ends_at)
        by_course[schedule.course_id].append(
            {
                "schedule_code": schedule.schedule_code,
                "start": rfc3339(schedule.starts_at),
                "end": rfc3339(schedule.ends_at),
                "quota": quota,
                "capacity": schedule.capacity,
                "on_sale": now < closes_at and quota > 0,
            }
        )
    return by_course


def find_payment(
    session: Session,
    code: str,
    client_code: str | None = None,
    *,
    by_invoice: bool = True,
    loading: tuple = (),
) -> Payment:
    """By transaction code, payment token (all a platform holds before authorize), redeem code,
    else (``by_invoice``) the newest purchase with that invoice code; each an indexed look-up.
    ``loading``: loader options (what the caller reads of the payment comes with it)."""
    if not (is_storable_text(code) and is_storable_text(client_code or "")):
        raise AppError(TRANSACTION_NOT_FOUND, code=storable(code))  # NUL: no such code exists
    queries = [
        select(Payment).where(Payment.transaction_code == code),
        select(Payment).where(Payment.token == code),
        select(Payment)
        .join(RedeemCode, RedeemCode.payment_id == Payment.id)
        .where(RedeemCode.code == code),
    ]
    if by_invoice:
        queries.append(
            select(Payment)
            .where(Payment.invoice_code == code)
            .order_by(Payment.created_at.desc(), Payment.id.desc())
        )
    for query in queries:
        query = query.options(*loading)
        if client_code:
            query = query.join(Partner, Partner.id == Payment.partner_id).where(
                Partner.client_code == client_code
            )
        payment = session.execute(query.limit(1)).scalar()
        if payment is not None:
            return payment
    raise AppError(TRANSACTION_NOT_FOUND, code=code)


def transaction_json(payment: Payment) -> dict:
    card, redeem = payment.card, payment.redeem_code
    return {
        "invoice_code": payment.invoice_code,
        "transaction_code": payment.transaction_code,
        "status": domain.WIRE_STATUSES.get(payment.status, payment.status.upper()),
        "amount": payment.amount,
        "course_code": payment.course_code,
        "schedule_code": payment.schedule_code,
        "redeem_code": redeem.code if redeem else None,
        "prakerja_id": card.number,
        "prakerja_name": card.participant.name,
        "dp_platform": payment.partner.name,
        "client_code": payment.partner.client_code,
        "user_platform_id": payment.account_id,
        "invoice_url": payment.invoice_url,
        "failure_code": payment.failure_code,
        "created_at": rfc3339(payment.created_at),
        "captured_at": rfc3339(payment.captured_at),
        "cancelled_at": rfc3339(payment.refunded_at),
        "completed_at": rfc3339(payment.completed_at),
    }
