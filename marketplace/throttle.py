"""Bounded password guessing for every party's sign-in pages (storefronts, institution sites,
phone verification): failed tries are rows, counted per account and per client address over the
last 15 minutes of the simulated clock (so tests can move time on). Services record and check;
the view commits once, a refused try included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Index, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from marketplace.db import UtcDateTime, db

WINDOW = timedelta(minutes=15)
LOCKED_MESSAGE = "Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit."


class LoginFailure(db.Model):
    """One failed try: ``scope`` names the sign-in (``tokopedia-login``, ``lpdigi-login``, …),
    ``key`` the account (``account:<login>``) or the client address (``address:<ip>``)."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_scope_key_at", "scope", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)


@dataclass(frozen=True)
class Limits:
    per_account: int = 5
    per_address: int = 20


def _keys(account: str, address: str | None) -> list[str]:
    keys = [f"account:{account.strip().lower()[:180]}"]
    if address:
        keys.append(f"address:{address[:180]}")
    return keys


def is_locked(
    session: Session, now: datetime, *, scope: str, account: str, address: str | None,
    limits: Limits = Limits(),
) -> bool:  # fmt: skip
    """True while the account or the address has too many failures in the last 15 minutes."""
    for key in _keys(account, address):
        limit = limits.per_account if key.startswith("account:") else limits.per_address
        failures = session.execute(
            select(func.count(LoginFailure.id)).where(
                LoginFailure.scope == scope, LoginFailure.key == key, LoginFailure.at > now - WINDOW
            )
        ).scalar_one()
        if failures >= limit:
            return True
    return False


def record_failure(
    session: Session, now: datetime, *, scope: str, account: str, address: str | None
) -> None:
    """Count a failed try against the account and the address; forget tries past the window."""
    session.execute(
        delete(LoginFailure)
        .where(LoginFailure.at < now - 2 * WINDOW)
        .execution_options(synchronize_session=False)
    )
    for key in _keys(account, address):
        session.add(LoginFailure(scope=scope, key=key, at=now))
    session.flush()
