"""Paying an order through Prakerja: send-otp at the card step (and again to resend), authorize
with the order's invoice, the storefront's side of a refusal, the voucher once paid.

Gateway calls happen outside any open local transaction (see ``gateway.outside_transaction``).
"""

from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from marketplace.db import begin_write
from marketplace.money import format_rupiah
from marketplace.outbox import send_email
from platforms.core import gateway, refusals
from platforms.core.models import Order
from platforms.core.schedules import forget_quota, schedule_label, seat_taken
from platforms.core.services import StorefrontError, invoice_code_for
from platforms.core.spec import PlatformSpec
from prakerja_gateway.client import GatewayResponse


# --- paying through Prakerja ------------------------------------------------------------------
def refusal(answer: GatewayResponse, *, field: str) -> StorefrontError:
    """A gateway refusal for the buyer: Prakerja's own message (Indonesian), what to do next,
    and where it shows (on ``field``, or as a notice that leads to another step)."""
    what = refusals.reaction(answer.error_code)
    said = answer.message or refusals.UNREACHABLE_MESSAGE
    message = " ".join(filter(None, (said, _tries_left(answer), _wait(answer), what.hint)))
    return StorefrontError(
        message,
        code=answer.error_code or refusals.UNREACHABLE,
        field=field if what.kind == refusals.ON_FIELD else None,
        kind=what.kind,
    )


def _tries_left(answer: GatewayResponse) -> str:
    """A wrong OTP: Prakerja says how many tries remain (in the failure's ``details``)."""
    left = (answer.body.get("details") or {}).get("attempts_left")
    return f"Sisa percobaan: {left}." if isinstance(left, int) else ""


def _wait(answer: GatewayResponse) -> str:
    """A limit that lifts with time (a resend too soon, too many texts): Prakerja says how long
    in ``details.retry_after`` (seconds), so the buyer is told, not just "wait"."""
    seconds = (answer.body.get("details") or {}).get("retry_after")
    if not isinstance(seconds, int) or isinstance(seconds, bool) or seconds <= 0:
        return ""
    if seconds < 120:
        return f"Coba lagi dalam {seconds} detik."
    return f"Coba lagi dalam {math.ceil(seconds / 60)} menit."


@dataclass(frozen=True)
class CardCheck:
    balance: int
    can_purchase: bool
    message: str


def fresh_order(session: Session, order: Order) -> Order:
    """The order as stored now, in a write transaction (SQLite: under the write lock): after a
    gateway call, or any read before the lock, it may be out of date (another tab paid). What
    else the request read stays loaded (the buyer: its id and name do not change)."""
    begin_write(session, keep_loaded=True)
    return session.get(Order, order.id, populate_existing=True)


def check_card(spec: PlatformSpec, order: Order, card_number: str) -> CardCheck:
    """Ask the gateway about the card (Bukalapak verifies it before paying): the simulator's
    card-inquiry extension, as the real API has no such call."""
    amount = order.price_idr
    answer = gateway.call(spec.slug, lambda client: client.card_inquiry(card_number, amount))
    if not answer.ok:
        raise refusal(answer, field="card_number")
    messages = answer.data.get("messages") or [""]
    return CardCheck(answer.data["balance"], answer.data["can_purchase"], messages[0])


def request_otp(
    session: Session, now: datetime, spec: PlatformSpec, order: Order, card_number: str
) -> Order:
    """Open the Prakerja payment (``send-otp``): Prakerja checks the schedule, the participant
    and the card, and texts the OTP to the phone registered with the card."""
    if order.status == "paid":
        return order
    answer = _send_otp(spec, order, card_number)
    if not answer.ok:  # a full or closed schedule, say: the pages ask Prakerja again
        forget_quota(spec, order.course_code, order.schedule_code)
    order = fresh_order(session, order)
    if order.status == "paid":  # paid meanwhile, in another tab
        return order
    if not answer.ok:
        raise refusal(answer, field="card_number")
    _otp_sent(order, answer.data, card_number)
    return order


def resend_otp(session: Session, spec: PlatformSpec, order: Order) -> Order:
    """The "Kirim ulang kode" button: ``send-otp`` again for the same purchase, which makes
    Prakerja text the OTP of the waiting payment again (within its cooldown and its limit)."""
    if order.status != "awaiting_otp" or not order.card_number:
        raise StorefrontError("Tidak ada pembayaran yang menunggu OTP.", kind=refusals.START_AGAIN)
    answer = _send_otp(spec, order, order.card_number)
    order = fresh_order(session, order)
    if not answer.ok:
        _note_refusal(order, answer)
        raise refusal(answer, field="otp")
    _otp_sent(order, answer.data, order.card_number)
    return order


def _send_otp(spec: PlatformSpec, order: Order, card_number: str) -> GatewayResponse:
    purchase = {
        "prakerja_id": card_number,
        "user_platform_id": f"{spec.slug}-{order.buyer_id}",  # the buyer's account here
        "course_code": order.course_code,
        "schedule_code": order.schedule_code,
        "amount": order.price_idr,
    }
    return gateway.call(spec.slug, lambda client: client.send_otp(**purchase))


def _otp_sent(order: Order, data: dict, card_number: str) -> None:
    """Record the waiting payment. A new payment token is a new Prakerja payment (the previous
    one is over, or another card is used): it gets the order's next invoice code."""
    token = data["payment_token"]
    if order.payment_token is not None and token != order.payment_token:
        order.payment_attempt += 1
        order.invoice_code = invoice_code_for(order.code, order.payment_attempt)
    order.status, order.payment_token = "awaiting_otp", token
    order.card_number = card_number
    order.card_number_masked = f"{card_number[:4]} **** **** {card_number[-4:]}"
    order.phone_masked = data.get("phone_masked")
    order.otp_expires_at = _instant(data.get("otp_expired_at"))
    order.payment_expires_at = _instant(data.get("expired_at"))
    order.failure_message = None


def _instant(value: str | None) -> datetime | None:
    """An RFC 3339 timestamp of the gateway (``...Z``), or None."""
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def pay(
    session: Session,
    now: datetime,
    spec: PlatformSpec,
    order: Order,
    otp: str,
    *,
    invoice_url: str,
    dashboard_url: str,
) -> Order:
    """Authorize the payment with the OTP. Safe to repeat: a double click or a refresh sends the
    same idempotency key (invoice, payment token, the OTP's issue and the OTP entered), so
    Prakerja replays its first answer and never debits twice. The issue is in the key because a
    re-sent OTP keeps the payment token: the same code typed for the new OTP is a new request."""
    if order.status == "paid":
        return order
    if order.status != "awaiting_otp":
        raise StorefrontError(
            "Masukkan nomor Kartu Prakerja terlebih dahulu.", kind=refusals.START_AGAIN
        )
    attempt, answer = _authorize(spec, order, otp.strip().upper(), invoice_url)
    if answer.ok:
        seat_taken(spec, order.course_code, order.schedule_code)
    else:  # none left, say: the pages ask Prakerja again
        forget_quota(spec, order.course_code, order.schedule_code)
    order = fresh_order(session, order)
    if order.status == "paid":  # a racing duplicate already recorded it
        return order
    if attempt != order.payment_attempt:  # the invoice Prakerja now holds for this payment
        order.payment_attempt = attempt
        order.invoice_code = invoice_code_for(order.code, attempt)
    if not answer.ok:
        _note_refusal(order, answer)
        raise refusal(answer, field="otp")
    _mark_paid(session, now, spec, order, answer.data, dashboard_url)
    return order


def _authorize(
    spec: PlatformSpec, order: Order, otp: str, invoice_url: str
) -> tuple[int, GatewayResponse]:
    """``authorize`` with this order's invoice; the attempt whose invoice was used, and the
    answer. When Prakerja says the purchase is settled already (an answer lost on the way, a
    second tab) it is read back by its invoice; an invoice Prakerja holds for a purchase that is
    no success (a voided one) is replaced by the next one, once."""
    code, attempt, token = order.code, order.payment_attempt, order.payment_token
    issued = order.otp_expires_at.isoformat() if order.otp_expires_at else ""
    invoice = invoice_code_for(code, attempt)
    answer = _authorize_once(spec, token, issued, otp, invoice, invoice_url)
    if answer.error_code not in refusals.SETTLED:
        return attempt, answer
    status = gateway.call(spec.slug, lambda client: client.payment_status(invoice))
    if status.ok and status.data.get("status") == "SUCCESS":
        return attempt, status
    if answer.error_code == refusals.INVOICE_TAKEN:
        attempt += 1
        invoice = invoice_code_for(code, attempt)
        answer = _authorize_once(spec, token, issued, otp, invoice, invoice_url)
    return attempt, answer


def _authorize_once(
    spec: PlatformSpec, token: str, issued: str, otp: str, invoice: str, invoice_url: str
) -> GatewayResponse:
    key = hashlib.sha256(f"{invoice}:{token}:{issued}:{otp}".encode()).hexdigest()
    return gateway.call(
        spec.slug,
        lambda client: client.authorize(
            token, otp=otp, invoice_code=invoice, invoice_url=invoice_url, idempotency_key=key
        ),
    )


def _note_refusal(order: Order, answer: GatewayResponse) -> None:
    """A payment Prakerja closed (expired, too many wrong OTPs) can only start again with the
    card number: the order goes back to the card step, saying why."""
    if refusals.reaction(answer.error_code).kind == refusals.START_AGAIN:
        order.status = "created"
        order.failure_message = (answer.message or refusals.UNREACHABLE_MESSAGE)[:300]


def _mark_paid(
    session: Session, now: datetime, spec: PlatformSpec, order: Order, data: dict,
    dashboard_url: str,
) -> None:  # fmt: skip
    order.status, order.paid_at = "paid", now
    order.transaction_code = data.get("transaction_code")
    order.prakerja_name = data.get("prakerja_name")
    order.voucher_code = f"{spec.voucher_prefix}-{secrets.token_hex(4).upper()}"
    order.failure_message = None
    send_email(
        session,
        now,
        order.buyer.email,
        f"Voucher pelatihan {order.course_title}",
        _voucher_email(spec, order, dashboard_url),
        sender=spec.name,
    )


def _voucher_email(spec: PlatformSpec, order: Order, dashboard_url: str) -> str:
    """The storefront's voucher; the redeem code is Prakerja's to send, so the email says where
    it comes from instead of showing it."""
    return (
        f"Halo {order.buyer.name},\n\nTerima kasih telah membeli pelatihan di {spec.name}.\n"
        f"Pelatihan: {order.course_title} ({order.institution_name})\n"
        f"Jadwal: {schedule_label(order)}\n"
        f"Harga: {format_rupiah(order.price_idr)}, dibayar dengan Kartu Prakerja.\n"
        f"Nomor tagihan: {order.invoice_code}\n"
        f"Kode transaksi Prakerja: {order.transaction_code}\n"
        f"Kode voucher: {order.voucher_code}\n\n"
        "Kode redeem dikirim langsung oleh Prakerja ke email Anda yang terdaftar di Prakerja "
        f"dan tampil di dashboard Prakerja: {dashboard_url}\n"
        "Tukarkan kode voucher di situs lembaga pelatihan, lalu masukkan kode redeem di awal "
        "setiap sesi.\n"
        f"Salam, {spec.name}"
    )
