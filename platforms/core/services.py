"""Storefront rules: buyers, orders, paying through the gateway, vouchers, receipts.

Functions take ``session`` and ``now``; gateway calls go through the partner client and happen
outside any open local transaction (see ``gateway.outside_transaction``).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import string
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.catalog.models import Course
from marketplace.db import begin_write
from marketplace.money import format_rupiah
from marketplace.outbox import send_email, send_sms
from platforms.core import gateway
from platforms.core.models import Buyer, Order
from platforms.core.spec import PlatformSpec


class StorefrontError(Exception):
    """A refusal to show on the step where it happened (Indonesian), the form kept."""

    def __init__(self, message: str, *, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message, self.code, self.field = message, code, field


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
        password_hash=generate_password_hash(password),
        created_at=now,
    )
    session.add(buyer)
    session.flush()
    return buyer


def authenticate(session: Session, spec: PlatformSpec, *, login: str, password: str) -> Buyer:
    """The buyer with this email or phone and password."""
    login = login.strip().lower()
    buyer = session.execute(
        select(Buyer).where(
            Buyer.platform == spec.slug, (Buyer.email == login) | (Buyer.phone == login)
        )
    ).scalar()
    if buyer is None or not check_password_hash(buyer.password_hash, password):
        raise StorefrontError("Email/nomor HP atau kata sandi salah.", field="password")
    return buyer


def send_phone_code(session: Session, now: datetime, spec: PlatformSpec, buyer: Buyer) -> None:
    """Text a 6-digit code that proves the buyer owns the phone."""
    code = "".join(secrets.choice(string.digits) for _ in range(6))
    buyer.phone_code_hash = generate_password_hash(code)
    body = f"{code} adalah kode verifikasi akun {spec.name} Anda. Jangan berikan kepada siapa pun."
    send_sms(session, now, buyer.phone, body, otp=code, sender=spec.name.upper())


def verify_phone(now: datetime, buyer: Buyer, code: str) -> None:
    if not buyer.phone_code_hash or not check_password_hash(buyer.phone_code_hash, code.strip()):
        raise StorefrontError("Kode verifikasi salah.", field="code")
    buyer.phone_verified_at, buyer.phone_code_hash = now, None


# --- catalogue ------------------------------------------------------------------------------
def listed_course(session: Session, spec: PlatformSpec, course_code: str) -> Course | None:
    course = session.execute(select(Course).where(Course.course_code == course_code)).scalar()
    if course is None or spec.slug not in course.platform_slugs:
        return None
    return course


# --- orders ---------------------------------------------------------------------------------
def create_order(
    session: Session, now: datetime, spec: PlatformSpec, buyer: Buyer, course: Course
) -> Order:
    """An unpaid order at the catalogue price; its code is the gateway invoice code."""
    order = Order(
        platform=spec.slug,
        code=f"{spec.voucher_prefix}-INV-{secrets.token_hex(5).upper()}",
        buyer_id=buyer.id,
        course_code=course.course_code,
        course_title=course.title,
        institution_name=course.institution.name,
        price_idr=course.price_idr,
        status="created",
        created_at=now,
    )
    session.add(order)
    session.flush()
    return order


def find_order(session: Session, spec: PlatformSpec, buyer: Buyer, code: str) -> Order | None:
    return session.execute(
        select(Order).where(
            Order.platform == spec.slug, Order.code == code, Order.buyer_id == buyer.id
        )
    ).scalar()


@dataclass(frozen=True)
class CardCheck:
    balance: int
    can_purchase: bool
    message: str


def check_card(spec: PlatformSpec, order: Order, card_number: str) -> CardCheck:
    """Ask the gateway about the card (Bukalapak verifies it before paying)."""
    gateway.outside_transaction()
    answer = gateway.client_for(spec.slug).card_inquiry(card_number, order.price_idr)
    if not answer.ok:
        raise StorefrontError(
            answer.message, code=answer.error_code or "refused", field="card_number"
        )
    messages = answer.data.get("messages") or [""]
    return CardCheck(answer.data["balance"], answer.data["can_purchase"], messages[0])


def request_otp(
    session: Session, now: datetime, spec: PlatformSpec, order: Order, card_number: str
) -> Order:
    """Open the Prakerja payment: the gateway checks the card and texts the OTP."""
    if order.status == "paid":
        return order
    gateway.outside_transaction()
    answer = gateway.client_for(spec.slug).request_otp(
        card_number=card_number,
        amount=order.price_idr,
        invoice_code=f"{order.code}-{secrets.token_hex(3).upper()}",
        course_code=order.course_code,
        account_id=f"{spec.slug}-{order.buyer_id}",
    )
    begin_write(session)
    order = session.get(Order, order.id)
    if not answer.ok:
        raise StorefrontError(
            answer.message, code=answer.error_code or "refused", field="card_number"
        )
    order.status, order.payment_id = "awaiting_otp", answer.data["payment_id"]
    order.card_number_masked = f"{card_number[:4]} **** **** {card_number[-4:]}"
    order.phone_masked = answer.data["phone_masked"]
    order.otp_expires_at = datetime.fromisoformat(answer.data["otp_expires_at"])
    order.failure_message = None
    return order


def resend_otp(session: Session, spec: PlatformSpec, order: Order) -> Order:
    if order.status != "awaiting_otp":
        raise StorefrontError("Tidak ada pembayaran yang menunggu OTP.")
    gateway.outside_transaction()
    answer = gateway.client_for(spec.slug).resend_otp(order.payment_id)
    begin_write(session)
    order = session.get(Order, order.id)
    if not answer.ok:
        raise StorefrontError(answer.message, code=answer.error_code or "refused", field="otp")
    order.otp_expires_at = datetime.fromisoformat(answer.data["otp_expires_at"])
    return order


def pay(session: Session, now: datetime, spec: PlatformSpec, order: Order, otp: str) -> Order:
    """Charge with the OTP. Safe to repeat: a double click or a refresh replays the first answer
    (the idempotency key is the order, its payment and the OTP entered), never a second debit."""
    if order.status == "paid":
        return order
    if order.status != "awaiting_otp":
        raise StorefrontError("Masukkan nomor Kartu Prakerja terlebih dahulu.")
    key = hashlib.sha256(
        f"{order.code}:{order.payment_id}:{otp.strip().upper()}".encode()
    ).hexdigest()
    gateway.outside_transaction()
    answer = gateway.client_for(spec.slug).charge(
        order.payment_id, otp.strip(), idempotency_key=key
    )
    begin_write(session)
    order = session.get(Order, order.id)
    if order.status == "paid":  # a racing duplicate already recorded it
        return order
    if not answer.ok:
        if answer.error_code in ("too_many_attempts", "payment_expired", "payment_not_pending"):
            order.status, order.payment_id = "created", None  # start the payment again
        order.failure_message = answer.message
        raise StorefrontError(answer.message, code=answer.error_code or "refused", field="otp")
    _mark_paid(session, now, spec, order, answer.data["redeem_code"])
    return order


def _mark_paid(
    session: Session, now: datetime, spec: PlatformSpec, order: Order, redeem_code: str
) -> None:
    order.status, order.paid_at, order.redeem_code = "paid", now, redeem_code
    order.voucher_code = f"{spec.voucher_prefix}-{secrets.token_hex(4).upper()}"
    order.failure_message = None
    buyer = order.buyer
    body = (
        f"Halo {buyer.name},\n\nTerima kasih telah membeli pelatihan di {spec.name}.\n"
        f"Pelatihan: {order.course_title} ({order.institution_name})\n"
        f"Harga: {format_rupiah(order.price_idr)}, dibayar dengan Kartu Prakerja.\n"
        f"Nomor tagihan: {order.code}\n"
        f"Kode voucher: {order.voucher_code}\n"
        f"Kode redeem Prakerja: {order.redeem_code}\n\n"
        "Tukarkan kode voucher di situs lembaga pelatihan, lalu masukkan kode redeem di awal "
        "setiap sesi.\n"
        f"Salam, {spec.name}"
    )
    send_email(
        session, now, buyer.email, f"Voucher pelatihan {order.course_title}", body, sender=spec.name
    )


def save_survey(order: Order, answers: dict) -> None:
    order.survey = json.dumps(answers, ensure_ascii=False)


def enter_class(now: datetime, order: Order) -> None:
    if order.status != "paid":
        raise StorefrontError("Kelas hanya bisa dimasuki setelah pembayaran berhasil.")
    order.class_entered_at = order.class_entered_at or now
