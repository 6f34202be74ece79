"""The simulated phone network and mail server: messages are rows testers can read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from prakerja_gateway.models import EmailMessage, SmsMessage


def send_sms(
    session: Session, now: datetime, phone: str, body: str, otp: str | None = None
) -> None:
    """Queue an SMS to ``phone`` (delivered at once in the simulator)."""
    session.add(SmsMessage(phone=phone, body=body, otp=otp, sent_at=now))


def send_email(session: Session, now: datetime, to: str, subject: str, body: str) -> None:
    """Queue an email to ``to``."""
    session.add(EmailMessage(to=to, subject=subject, body=body, sent_at=now))
