"""Storefront rules: buyers, orders, surveys and classes (paying is in ``payment.py``, the
schedules offered in ``schedules.py``).

Functions take ``session`` and ``now``; gateway calls go through the partner client and happen
outside any open local transaction (see ``gateway.outside_transaction``).
"""

from __future__ import annotations

import json
import secrets
import string
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from marketplace import throttle
from marketplace.outbox import send_sms
from marketplace.passwords import hash_code, hash_secret, secret_matches
from platforms.core import refusals
from platforms.core.courses import CourseShown, shown_course
from platforms.core.models import Buyer, Order
from platforms.core.schedules import ScheduleOption
from platforms.core.spec import PlatformSpec


class StorefrontError(Exception):
    """A refusal to show on the step where it happened (Indonesian), the form kept."""

    def __init__(
        self,
        message: str,
        *,
        code: str = "refused",
        field: str | None = None,
        kind: str = refusals.ON_FIELD,
    ):
        super().__init__(message)
        self.message, self.code, self.field, self.kind = message, code, field, kind


# --- buyers ---------------------------------------------------------------------------------
def register_buyer(
    session: Session,
    now: datetime,
    spec: PlatformSpec,
    *,
    name: str,
    email: str,
    phone: str,
    password: str,
) -> Buyer:
    """A new account on this platform (email and phone unique per platform)."""
    email = email.strip().lower()
    taken = session.execute(
        select(Buyer).where(
            Buyer.platform == spec.slug, (Buyer.email == email) | (Buyer.phone == phone)
        )
    ).scalar()
    if taken is not None:
        field = "email" if taken.email == email else "phone"
        raise StorefrontError("Email atau nomor HP sudah terdaftar. Silakan masuk.", field=field)
    buyer = Buyer(
        platform=spec.slug,
        name=name.strip(),
        email=email,
        phone=phone,
        password_hash=hash_secret(password),
        created_at=now,
    )
    session.add(buyer)
    session.flush()
    return buyer


def buyer_from_prakerja(
    session: Session, now: datetime, spec: PlatformSpec, *, name: str, email: str, phone: str
) -> Buyer:
    """The account "Masuk dengan Prakerja" signs in: the one with the Prakerja account's email
    or phone, else a new one with a random password (it signs in through Prakerja) and the
    phone counted as verified (Prakerja verified it)."""
    email = email.strip().lower()
    known = session.execute(
        select(Buyer).where(
            Buyer.platform == spec.slug, (Buyer.email == email) | (Buyer.phone == phone)
        )
    ).scalar()
    if known is not None:
        return known
    buyer = Buyer(
        platform=spec.slug,
        name=(name.strip() or email)[:120],
        email=email,
        phone=phone,
        password_hash=hash_secret(secrets.token_urlsafe(24)),
        phone_verified_at=now,
        created_at=now,
    )
    session.add(buyer)
    session.flush()
    return buyer


def authenticate(
    session: Session, spec: PlatformSpec, *, login: str, password: str, now: datetime,
    address: str | None = None,
) -> Buyer:  # fmt: skip
    """The buyer with this email or phone and password; a failed try is counted (per account
    and per client address) and too many lock the sign-in for 15 minutes."""
    login = login.strip().lower()
    scope = f"{spec.slug}-login"
    if throttle.is_locked(session, now, scope=scope, account=login, address=address):
        raise StorefrontError(throttle.LOCKED_MESSAGE, field="password")
    buyer = session.execute(
        select(Buyer).where(
            Buyer.platform == spec.slug, (Buyer.email == login) | (Buyer.phone == login)
        )
    ).scalar()
    if buyer is None or not secret_matches(buyer.password_hash, password):
        throttle.record_failure(session, now, scope=scope, account=login, address=address)
        raise StorefrontError("Email/nomor HP atau kata sandi salah.", field="password")
    return buyer


def send_phone_code(session: Session, now: datetime, spec: PlatformSpec, buyer: Buyer) -> None:
    """Text a 6-digit code that proves the buyer owns the phone."""
    code = "".join(secrets.choice(string.digits) for _ in range(6))
    buyer.phone_code_hash = hash_code(code)
    body = f"{code} adalah kode verifikasi akun {spec.name} Anda. Jangan berikan kepada siapa pun."
    send_sms(session, now, buyer.phone, body, otp=code, sender=spec.name.upper())


def verify_phone(
    now: datetime, buyer: Buyer, code: str, *, session: Session | None = None,
    address: str | None = None,
) -> None:  # fmt: skip
    """Mark the phone verified if ``code`` is the texted one; with a ``session`` wrong codes are
    counted like failed sign-ins (5 per account, 15 minutes)."""
    scope, account = "phone-verification", f"buyer:{buyer.id}"
    if session is not None and throttle.is_locked(
        session, now, scope=scope, account=account, address=address
    ):
        raise StorefrontError(throttle.LOCKED_MESSAGE, field="code")
    if not buyer.phone_code_hash or not secret_matches(buyer.phone_code_hash, code.strip()):
        if session is not None:
            throttle.record_failure(session, now, scope=scope, account=account, address=address)
        raise StorefrontError("Kode verifikasi salah.", field="code")
    buyer.phone_verified_at, buyer.phone_code_hash = now, None


# --- catalogue ------------------------------------------------------------------------------
def listed_course(session: Session, spec: PlatformSpec, course_code: str) -> CourseShown | None:
    """The course if this platform sells it (kept per process: ``courses.shown_course``)."""
    course = shown_course(session, course_code)
    if course is None or spec.slug not in course.platform_slugs:
        return None
    return course


# --- orders ---------------------------------------------------------------------------------
def create_order(
    session: Session,
    now: datetime,
    spec: PlatformSpec,
    buyer: Buyer,
    course: CourseShown,
    schedule: ScheduleOption,
) -> Order:
    """An unpaid order for one schedule at the catalogue price; its code is the invoice code."""
    code = f"{spec.voucher_prefix}-INV-{secrets.token_hex(5).upper()}"
    order = Order(
        platform=spec.slug,
        code=code,
        invoice_code=invoice_code_for(code, 1),
        payment_attempt=1,
        buyer_id=buyer.id,
        course_code=course.course_code,
        course_title=course.title,
        institution_name=course.institution.name,
        price_idr=course.price_idr,
        schedule_code=schedule.code,
        schedule_starts_at=schedule.starts_at,
        schedule_ends_at=schedule.ends_at,
        status="created",
        created_at=now,
    )
    session.add(order)
    session.flush()
    return order


def invoice_code_for(order_code: str, attempt: int) -> str:
    """One invoice per Prakerja payment: the order code, then ``-2``, ``-3``, ..."""
    return order_code if attempt == 1 else f"{order_code}-{attempt}"


# Built once: every storefront request reads its signed-in buyer, every checkout step its order
# (building a statement costs more than running it on SQLite).
BUYER_BY_ID = select(Buyer).where(Buyer.id == bindparam("buyer_id"))
ORDER_OF_BUYER = select(Order).where(
    Order.platform == bindparam("platform"),
    Order.code == bindparam("code"),
    Order.buyer_id == bindparam("buyer_id"),
)


def find_buyer(session: Session, buyer_id: int) -> Buyer | None:
    return session.execute(BUYER_BY_ID, {"buyer_id": buyer_id}).scalar()


def find_order(session: Session, spec: PlatformSpec, buyer_id: int, code: str) -> Order | None:
    """The buyer's order with this code, the buyer loaded with it (``Order.buyer`` is joined)."""
    return session.execute(
        ORDER_OF_BUYER, {"platform": spec.slug, "code": code, "buyer_id": buyer_id}
    ).scalar()


def save_survey(order: Order, answers: dict) -> None:
    order.survey = json.dumps(answers, ensure_ascii=False)


def cancel_order(order: Order) -> None:
    """Close an unpaid order ("Batalkan pesanan"). Nothing was debited: a Prakerja payment it
    opened can no longer be authorized from here and expires at Prakerja. A paid order stays."""
    if order.status in ("created", "awaiting_otp"):
        order.status = "failed"
        order.failure_message = CANCELLED


CANCELLED = "Pesanan dibatalkan. Saldo Kartu Prakerja tidak terpakai."


def enter_class(now: datetime, order: Order) -> None:
    """Record the first "Masuk Kelas": once paid, and not before the schedule starts."""
    if order.status != "paid":
        raise StorefrontError("Kelas hanya bisa dimasuki setelah pembayaran berhasil.")
    if now < order.schedule_starts_at:
        raise StorefrontError("Kelas belum dimulai.", code="not_started")
    order.class_entered_at = order.class_entered_at or now
