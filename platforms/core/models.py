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
    """A purchase at a storefront; ``code`` is the invoice code sent to the gateway."""

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
    status: Mapped[str] = mapped_column(String(20), default="created")
    payment_id: Mapped[str | None] = mapped_column(String(40))
    card_number_masked: Mapped[str | None] = mapped_column(String(25))
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    otp_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failure_message: Mapped[str | None] = mapped_column(String(300))
    voucher_code: Mapped[str | None] = mapped_column(String(40), unique=True)
    voucher_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    redeem_code: Mapped[str | None] = mapped_column(String(20))
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
