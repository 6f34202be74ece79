"""A purchase after authorize, as the platform sees it: ``status`` by invoice code and ``void``
(the saldo and the seat go back, the redeem code is cancelled)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.clock import rfc3339
from prakerja_gateway import domain
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Partner, Payment
from prakerja_gateway.services import capture
from prakerja_gateway.services.policy import Outcome

VOIDED = "Transaksi berhasil dibatalkan."


def payment_status(session: Session, partner: Partner, *, invoice_code: str) -> Outcome:
    """A purchase the platform authorized, by its invoice code."""
    payment = session.execute(
        select(Payment).where(
            Payment.partner_id == partner.id, Payment.invoice_code == invoice_code
        )
    ).scalar()
    if payment is None:
        raise GatewayError("transaction_not_found", invoice_code=invoice_code)
    return Outcome(transaction_data(payment))


def transaction_data(payment: Payment) -> dict:
    """A purchase as the DP sees it: the fields and order of the public status example."""
    return {
        "created_at": rfc3339(payment.created_at),
        "invoice_code": payment.invoice_code,
        "transaction_code": payment.transaction_code,
        "amount": payment.amount,
        "status": domain.WIRE_STATUSES[payment.status],
        "prakerja_name": payment.card.participant.name,
    }


# --- void -----------------------------------------------------------------------------------
def void(session: Session, now: datetime, partner: Partner, *, invoice_code: str,
         transaction_code: str) -> Outcome:  # fmt: skip
    """Cancel a purchase: the saldo and the seat go back, the redeem code is cancelled.
    Refused once the institution has used the redeem code (our rule; the real one is unknown)."""
    payment = session.execute(
        select(Payment).where(
            Payment.partner_id == partner.id,
            Payment.transaction_code == transaction_code,
            Payment.invoice_code == invoice_code,
        )
    ).scalar()
    if payment is None or payment.status not in ("captured", "refunded"):
        raise GatewayError("void_unknown_transaction", transaction_code=transaction_code)
    if payment.status == "refunded":
        raise GatewayError("already_voided")
    if payment.redeem_code.status == "committed":
        raise GatewayError("redeem_code_used")
    capture.refund_payment(session, now, payment, f"void {invoice_code}"[:200])
    return Outcome(None, message=VOIDED)
