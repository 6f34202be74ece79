"""The limits of OTP payments and the sandbox's simulated behaviours, read from the config."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True)
class PaymentPolicy:
    otp_secret: str
    otp_ttl: timedelta = timedelta(minutes=5)
    otp_max_attempts: int = 3
    resend_cooldown: timedelta = timedelta(seconds=30)
    max_resends: int = 3
    payment_ttl: timedelta = timedelta(minutes=30)
    slow_seconds: float = 3.0  # the 'slow' persona's added latency
    payments_per_card_per_hour: int = 10  # new payments (send-otp) per card, rolling hour
    otp_sms_per_phone_per_hour: int = 10  # OTP texts per phone number, rolling hour
    sandbox_enabled: bool = True  # off: the personas' fixed OTP is ignored

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> PaymentPolicy:
        return cls(
            otp_secret=config["SECRET_KEY"],
            otp_ttl=timedelta(seconds=int(config["OTP_TTL_SECONDS"])),
            otp_max_attempts=int(config["OTP_MAX_ATTEMPTS"]),
            resend_cooldown=timedelta(seconds=int(config["OTP_RESEND_COOLDOWN_SECONDS"])),
            max_resends=int(config["OTP_MAX_RESENDS"]),
            payment_ttl=timedelta(seconds=int(config["PAYMENT_TTL_SECONDS"])),
            slow_seconds=float(config["SANDBOX_SLOW_SECONDS"]),
            payments_per_card_per_hour=int(config["PAYMENTS_PER_CARD_PER_HOUR"]),
            otp_sms_per_phone_per_hour=int(config["OTP_SMS_PER_PHONE_PER_HOUR"]),
            sandbox_enabled=bool(config["SANDBOX_ENABLED"]),
        )


@dataclass
class Outcome:
    """A service's answer: the ``data`` of the envelope (None: no ``data`` key, as ``void``
    answers), its ``message``, and latency the sandbox adds after the transaction has committed
    (so a 'slow' card never holds a lock while it waits)."""

    data: dict[str, Any] | None
    delay_seconds: float = 0.0
    message: str = "OK"
