"""The SSO's tables: registered clients, one-time authorization codes and tokens.

Codes and tokens are random and opaque; only their SHA-256 is stored, so a leaked database hands
out no working token. Instants come from the simulated clock: advancing it expires them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from marketplace.db import UtcDateTime, db


class SsoClient(db.Model):
    """A DP or LP allowed to offer "Login dengan Prakerja" (``client_id`` is the ``X-Client-Id``).

    ``redirect_uris`` and ``login_uris`` hold one registered address a line: a full URL, or a
    path starting with ``/`` that stands for that path on this simulator's own host.
    """

    __tablename__ = "gw_sso_clients"
    __table_args__ = (CheckConstraint("kind IN ('dp', 'lp')", name="kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_name: Mapped[str] = mapped_column(String(120))
    sign_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(2))
    # dp: the catalogue platform slug; lp: the catalogue institution code (as Partner.catalog_ref)
    catalog_ref: Mapped[str] = mapped_column(String(40))
    redirect_uris: Mapped[str] = mapped_column(Text, default="")
    login_uris: Mapped[str] = mapped_column(Text, default="")

    def registered(self, which: str) -> list[str]:
        text = self.redirect_uris if which == "redirect" else self.login_uris
        return [line for line in text.splitlines() if line.strip()]


class SsoAuthCode(db.Model):
    """A one-time ``code`` handed to the client's ``redirect_uri`` after consent."""

    __tablename__ = "gw_sso_auth_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("gw_sso_clients.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(500))
    redirect_uri: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SsoToken(db.Model):
    """An access or refresh token. A refresh token is used once: refreshing revokes it and
    issues a new pair (rotation)."""

    __tablename__ = "gw_sso_tokens"
    __table_args__ = (
        CheckConstraint("kind IN ('access', 'refresh')", name="kind_known"),
        Index("ix_gw_sso_tokens_participant", "participant_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    client_id: Mapped[int] = mapped_column(ForeignKey("gw_sso_clients.id"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("gw_participants.id"))
    scope: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    client: Mapped[SsoClient] = relationship(lazy="joined")
