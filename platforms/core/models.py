"""A storefront's own tables: buyers and orders, one set shared by every platform (``platform``
column). Prices are integer rupiah. No foreign key reaches another party's tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UtcDateTime, db

ORDER_STATUSES = ("created", "awaiting_otp", "paid", "failed")


class Buyer(db.Model):
    __tablename__ = "sf_buyers"
    __table_args__ = (
        UniqueConstraint("platform", "email"),
        UniqueConstraint("platform", "phone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    phone_code_hash: Mapped[str | None] = mapped_column(String(255))
    phone_verified_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Order(db.Model):
    """A purchase at a storefront, for one schedule of a training.

    ``code`` is the order number in the buyer's addresses and the first invoice code sent to
    Prakerja at ``authorize``. The real API attaches the invoice to the payment it authorizes, so
    each Prakerja payment (``payment_token``, from ``send-otp``) gets its own invoice: when a
    payment is over and a new one starts, ``invoice_code`` becomes ``<code>-2``, ``-3``, ...
    The redeem code is not here: Prakerja gives it to the participant, not to the storefront.
    """

    __tablename__ = "sf_orders"
    __table_args__ = (
        CheckConstraint("price_idr > 0", name="price_positive"),
        CheckConstraint(
            "status IN ('created', 'awaiting_otp', 'paid', 'failed')", name="status_known"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("sf_buyers.id"), index=True)
    course_code: Mapped[str] = mapped_column(String(40))
    course_title: Mapped[str] = mapped_column(String(200))
    institution_name: Mapped[str] = mapped_column(String(200))
    price_idr: Mapped[int] = mapped_column(Integer)  # integer rupiah
    # The schedule bought, copied from the published catalogue when the order was made.
    schedule_code: Mapped[str] = mapped_column(String(60))
    schedule_starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    schedule_ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="created")
    invoice_code: Mapped[str] = mapped_column(String(60), unique=True)
    payment_attempt: Mapped[int] = mapped_column(Integer, default=1)  # numbers the invoices
    payment_token: Mapped[str | None] = mapped_column(String(100))
    # The card number is kept to ask Prakerja for the OTP again ("Kirim ulang kode"); pages
    # and emails only ever show the masked form.
    card_number: Mapped[str | None] = mapped_column(String(16))
    card_number_masked: Mapped[str | None] = mapped_column(String(25))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    otp_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    payment_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failure_message: Mapped[str | None] = mapped_column(String(300))
    transaction_code: Mapped[str | None] = mapped_column(String(60))  # Prakerja's, on success
    prakerja_name: Mapped[str | None] = mapped_column(String(200))  # the card holder, per Prakerja
    voucher_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    voucher_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    survey: Mapped[str | None] = mapped_column(Text)  # JSON answers, where the platform asks
    class_entered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    buyer: Mapped[Buyer] = relationship(lazy="joined")


class ApiClient(db.Model):
    """An institution allowed to call a storefront's voucher API, with its signing key."""

    __tablename__ = "sf_api_clients"
    __table_args__ = (UniqueConstraint("platform", "client_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(40))
    client_code: Mapped[str] = mapped_column(String(80))
    sign_key: Mapped[str] = mapped_column(String(200))
    institution_code: Mapped[str] = mapped_column(String(40))  # the catalogue institution
