"""The state changes of a payment that move money: capture, fail, expire, refund, finish.

Each money-moving change runs in a savepoint and raises inside it on conflict, so a refusal
leaves nothing half-written: the savepoint rolls back the claim, the debit and the binding together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from marketplace.db import insert_unless_conflicting
from marketplace.money import format_rupiah
from marketplace.outbox import send_email
from prakerja_gateway import domain
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import Card, CardBinding, Partner, Payment, RedeemCode
from prakerja_gateway.services import schedules
from prakerja_gateway.services.ledger import post_entry


def capture_payment(
    session: Session,
    now: datetime,
    payment: Payment,
    *,
    invoice_code: str,
    invoice_url: str,
    bind: bool = True,
) -> int:
    """Claim the payment under the platform's invoice, take a seat of its schedule, bind the card
    to the account, debit the card; the balance after."""
    try:
        with session.begin_nested():
            _claim(session, payment, now, invoice_code, invoice_url)
            schedules.take_seat(session, payment.schedule_code)
            if bind:
                _bind_account(session, payment, now)
            balance_after = _debit(session, payment)
            post_entry(
                session,
                card_id=payment.card_id,
                kind="debit",
                amount=-payment.amount,
                now=now,
                payment_id=payment.id,
                note=f"pembelian {payment.course_code}",
            )
            redeem_code = _issue_redeem_code(session, payment, now)
    except GatewayError as refusal:
        if refusal.name != "payment_already_captured":  # a racing request settled it first
            fail_payment(session, payment, refusal.name)
        raise
    _send_receipt(session, now, payment, redeem_code)
    return balance_after


# The money path's UPDATEs are Core statements on the tables, built once with bound values:
# the ORM's bulk-UPDATE path and building each statement anew cost several times the statement
# itself, and on SQLite all of it ran while the one write lock was held (bench profile, issue 13).
PAYMENTS = Payment.__table__
CARDS = Card.__table__
_LEAVING_PENDING: dict[tuple[str, ...], Any] = {}


def _leaving_pending(columns: tuple[str, ...]):
    """``UPDATE gw_payments SET <columns> WHERE id = ? AND status = 'otp_sent'``, built once per
    set of columns."""
    statement = _LEAVING_PENDING.get(columns)
    if statement is None:
        statement = (
            update(PAYMENTS)
            .where(PAYMENTS.c.id == bindparam("payment_id"), PAYMENTS.c.status == "otp_sent")
            .values(
                {name: bindparam(f"new_{name}", type_=PAYMENTS.c[name].type) for name in columns}
            )
        )
        _LEAVING_PENDING[columns] = statement
    return statement


def _leave_pending(session: Session, payment: Payment, status: str, **values) -> bool:
    """Move a payment out of ``otp_sent``, only if it still is: the one way a pending payment
    changes state, so two racing requests can never both move it. True if this call did."""
    values = {"status": status, **values}
    changed = session.execute(
        _leaving_pending(tuple(values)),
        {"payment_id": payment.id, **{f"new_{name}": value for name, value in values.items()}},
    ).rowcount
    if changed != 1:
        session.expire(payment, list(values))  # another request moved it: read anew
        return False
    for name, value in values.items():
        set_committed_value(payment, name, value)  # what was written: no need to read it back
    return True


def _claim(
    session: Session, payment: Payment, now: datetime, invoice_code: str, invoice_url: str
) -> None:
    claimed = _leave_pending(
        session, payment, "captured", captured_at=now, invoice_code=invoice_code,
        invoice_url=invoice_url,
    )  # fmt: skip
    if not claimed:
        raise GatewayError("payment_already_captured", status=payment.status)


# Read at send-otp and at authorize: built once.
BINDINGS_OF = select(CardBinding).where(
    CardBinding.partner_id == bindparam("partner_id"),
    (CardBinding.card_id == bindparam("card_id"))
    | (CardBinding.account_id == bindparam("account_id")),
)


def check_binding(session: Session, partner: Partner | int, account_id: str, card: Card) -> bool:
    """One card per platform account, one account per card (per platform).

    Raises if either is bound elsewhere; True if this very binding already exists.
    """
    partner_id = partner if isinstance(partner, int) else partner.id
    bound = False
    for binding in session.execute(
        BINDINGS_OF, {"partner_id": partner_id, "card_id": card.id, "account_id": account_id}
    ).scalars():
        if binding.card_id == card.id and binding.account_id != account_id:
            raise GatewayError("card_bound_to_other_account")
        if binding.account_id == account_id and binding.card_id != card.id:
            raise GatewayError("account_bound_to_other_card")
        bound = True
    return bound


def _bind_account(session: Session, payment: Payment, now: datetime) -> None:
    """Record the card ↔ account binding of this platform on the first payment."""
    bound = insert_unless_conflicting(
        session,
        CardBinding,
        partner_id=payment.partner_id,
        account_id=payment.account_id,
        card_id=payment.card_id,
        created_at=now,
    )
    if bound is None:
        # A racing transaction bound this card or this account a moment ago: refused if to
        # another account or card; if it made this very binding, there is nothing left to add.
        check_binding(session, payment.partner_id, payment.account_id, payment.card)


DEBIT = (
    update(CARDS)
    .where(
        CARDS.c.id == bindparam("card_id"),
        CARDS.c.status == "active",
        CARDS.c.balance >= bindparam("amount"),
        CARDS.c.open_payment_id.is_(None),
    )
    .values(
        balance=CARDS.c.balance - bindparam("amount"),
        open_payment_id=bindparam("payment_id"),
        purchases=CARDS.c.purchases + 1,
    )
    .returning(CARDS.c.balance)
)


def _debit(session: Session, payment: Payment) -> int:
    """The one conditional UPDATE that makes double spending impossible."""
    balance_after = session.execute(
        DEBIT, {"card_id": payment.card_id, "amount": payment.amount, "payment_id": payment.id}
    ).scalar()
    card = payment.card
    session.expire(card, ["balance", "open_payment_id", "purchases", "status"])
    if balance_after is None:
        raise GatewayError(_why_debit_refused(card, payment.amount), balance=card.balance)
    return balance_after


def _why_debit_refused(card: Card, amount: int) -> str:
    if card.status != "active":
        return "card_revoked" if card.status == "revoked" else "card_inactive"
    if card.open_payment_id is not None:
        return "previous_training_unfinished"
    return "insufficient_saldo" if card.balance < amount else "processing_error"


REDEEM_CODE_ATTEMPTS = 50


def _issue_redeem_code(session: Session, payment: Payment, now: datetime) -> str:
    """A fresh code for the purchase: insert-unless-taken, so a collision (or a racing request
    that took the same code a moment ago) costs one more try, never a duplicate."""
    for _ in range(REDEEM_CODE_ATTEMPTS):
        code = domain.new_redeem_code(payment.course_type)
        row_id = insert_unless_conflicting(
            session,
            RedeemCode,
            code=code,
            payment_id=payment.id,
            course_code=payment.course_code,
            schedule_code=payment.schedule_code,  # fixed at purchase, as in the real flow
            status="issued",
            created_at=now,
        )
        if row_id is not None:
            return code
    raise GatewayError("processing_error", reason="no free redeem code")


def _send_receipt(session: Session, now: datetime, payment: Payment, redeem_code: str) -> None:
    participant = payment.card.participant
    body = (
        f"Halo {participant.name},\n\n"
        f"Pembelian pelatihan {payment.course_code} seharga {format_rupiah(payment.amount)} "
        f"melalui {payment.partner.name} berhasil dibayar dengan saldo Kartu Prakerja.\n"
        f"Kode redeem Anda: {redeem_code}\n"
        f"Nomor invoice: {payment.invoice_code}\n\n"
        "Tunjukkan kode redeem ini kepada lembaga pelatihan di awal setiap sesi.\n"
        "Salam, Manajemen Pelaksana Program Kartu Prakerja"
    )
    send_email(session, now, participant.email, "Kode Redeem Pelatihan Prakerja", body)


def fail_payment(session: Session, payment: Payment, code: str) -> bool:
    """Mark a pending payment failed with the refusal's code; False if it was not pending."""
    return _leave_pending(session, payment, "failed", failure_code=code)


def expire_if_due(session: Session, payment: Payment, now: datetime) -> bool:
    """Mark a pending payment expired once its time is up; True if this call did it."""
    if payment.status != "otp_sent" or now < payment.expires_at:
        return False
    return _leave_pending(session, payment, "expired", failure_code="payment_expired")


def refund_payment(session: Session, now: datetime, payment: Payment, reason: str) -> int:
    """Void: return a captured payment's amount to the card, release its seat and cancel its
    redeem code."""
    with session.begin_nested():
        refunded = session.execute(
            update(Payment)
            .where(Payment.id == payment.id, Payment.status == "captured")
            .values(status="refunded", refunded_at=now, refund_reason=reason)
            .execution_options(synchronize_session=False)
        ).rowcount
        if refunded != 1:  # a racing void got there first
            raise GatewayError("already_voided")
        cancelled = session.execute(
            update(RedeemCode)
            .where(RedeemCode.payment_id == payment.id, RedeemCode.status == "issued")
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        ).rowcount
        if cancelled != 1:
            raise GatewayError("redeem_code_used")
        balance_after = _credit_back(session, payment)
        schedules.release_seat(session, payment.schedule_code)
        post_entry(
            session,
            card_id=payment.card_id,
            kind="refund",
            amount=payment.amount,
            now=now,
            payment_id=payment.id,
            note=reason[:200],
        )
    session.expire(payment)
    return balance_after


def _credit_back(session: Session, payment: Payment) -> int:
    balance_after = session.execute(
        update(Card)
        .where(Card.id == payment.card_id)
        .values(
            balance=Card.balance + payment.amount,
            purchases=Card.purchases - 1,
            # A refunded training no longer blocks the next purchase.
            open_payment_id=case(
                (Card.open_payment_id == payment.id, None), else_=Card.open_payment_id
            ),
        )
        .returning(Card.balance)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    session.expire(payment.card)
    return balance_after


def finish_training(
    session: Session,
    now: datetime,
    payment: Payment,
    *,
    rating: int | None = None,
    review: str | None = None,
) -> bool:
    """Record completion (and a rating with review); True once the next purchase is unlocked.

    Semi-bansos unlocks the next purchase on completion; the normal scheme also needs the rating
    and review.
    """
    if payment.status != "captured":  # callers only finish bought trainings
        raise ValueError(f"payment {payment.transaction_code} is {payment.status}, not captured")
    if payment.completed_at is None:
        payment.completed_at = now
        if payment.redeem_code.status != "committed":  # the sandbox shortcut skips the institution
            payment.redeem_code.status = "committed"
            payment.redeem_code.committed_at = now
    if rating is not None:
        payment.rating, payment.review, payment.reviewed_at = rating, review or "", now
    scheme = domain.SCHEMES[payment.card.scheme]
    if scheme.requires_review and payment.reviewed_at is None:
        return False
    finished = session.execute(
        update(Card)
        .where(Card.id == payment.card_id, Card.open_payment_id == payment.id)
        .values(open_payment_id=None, last_finished_at=now)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    if finished.rowcount == 1:  # the loaded card says what the row now says (no re-read)
        set_committed_value(payment.card, "open_payment_id", None)
        set_committed_value(payment.card, "last_finished_at", now)
    else:
        session.expire(payment.card)
    return True
