"""The simulated phone network and mail server every party sends through.

Messages are rows: the sandbox shows them to testers (``/sandbox/sms``, ``/sandbox/emails``, the
phone page); nothing leaves the machine.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import UtcDateTime, db


class SmsMessage(db.Model):
    """An SMS as the participant's phone receives it."""

    __tablename__ = "outbox_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    sender: Mapped[str] = mapped_column(String(40), default="PRAKERJA")
    body: Mapped[str] = mapped_column(String(500))
    otp: Mapped[str | None] = mapped_column(String(12))  # the code the message carries, if any
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


class EmailMessage(db.Model):
    """An email as the recipient's mailbox receives it."""

    __tablename__ = "outbox_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(200), index=True)
    sender: Mapped[str] = mapped_column(String(120), default="Prakerja")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)


# Core INSERTs on the tables, built once: the ORM's bulk-insert path (``insert(SmsMessage)``)
# costs several times the statement itself, and nothing reads these rows back in the request.
INSERT_SMS = insert(SmsMessage.__table__)
INSERT_EMAIL = insert(EmailMessage.__table__)


def send_sms(
    session: Session,
    now: datetime,
    phone: str,
    body: str,
    *,
    otp: str | None = None,
    sender: str = "PRAKERJA",
) -> None:
    """Deliver an SMS to ``phone`` (at once, in the simulator). A plain INSERT, not an object to
    flush: nothing reads the message back in the request that sends it."""
    session.execute(
        INSERT_SMS, {"phone": phone, "sender": sender, "body": body, "otp": otp, "sent_at": now}
    )


def send_email(
    session: Session, now: datetime, to: str, subject: str, body: str, *, sender: str = "Prakerja"
) -> None:
    """Deliver an email to ``to`` (a plain INSERT, as an SMS)."""
    session.execute(
        INSERT_EMAIL,
        {"to": to, "sender": sender, "subject": subject, "body": body, "sent_at": now},
    )
