"""What the sandbox's inbox and phone pages read from the outbox, and email bodies made readable
(this site's links clickable). Read-only; no request, no commit."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from marketplace.outbox import EmailMessage, SmsMessage

PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # message ids are 32-bit integers on PostgreSQL
RECENT_SCAN = 500  # recent rows read to find recent recipients and phones (newest first)
URL = re.compile(r"https?://[^\s<>\"']+")
TRAILING = ".,;:!?)]}"


def emails(session: Session, to: str | None, before: int | None = None) -> list[EmailMessage]:
    """A page of captured emails, newest first: to one address if given, older than ``before``."""
    query = select(EmailMessage).order_by(EmailMessage.id.desc()).limit(PAGE_SIZE)
    if to:
        query = query.where(EmailMessage.to == to)
    if before:
        query = query.where(EmailMessage.id < before)
    return list(session.execute(query).scalars())


def email(session: Session, message_id: int) -> EmailMessage | None:
    if not 0 < message_id <= MAX_ID:
        return None
    return session.get(EmailMessage, message_id)


def recent_recipients(session: Session, limit: int = 12) -> list[str]:
    """Addresses that received mail lately, most recent first."""
    return _distinct_recent(session, EmailMessage.to, EmailMessage.id, limit)


def recent_phones(session: Session, limit: int = 20) -> list[str]:
    """Phones that received an SMS lately, most recent first."""
    return _distinct_recent(session, SmsMessage.phone, SmsMessage.id, limit)


def _distinct_recent(session: Session, column, order, limit: int) -> list[str]:
    # The newest rows by primary key, made distinct here: cheap however large the outbox grows.
    rows = session.execute(select(column).order_by(order.desc()).limit(RECENT_SCAN)).scalars()
    return list(dict.fromkeys(rows))[:limit]


def linkify(body: str, origin: str) -> Markup:
    """The body as safe HTML: its text escaped, its URLs on ``origin`` (``http://host:port``)
    made links. Other sites' addresses stay text: a tester's inbox is no place to leave from."""
    parts: list[str] = []
    position = 0
    for match in URL.finditer(body):
        url = match.group().rstrip(TRAILING)
        start, end = match.start(), match.start() + len(url)
        parts.append(escape(body[position:start]))
        if _same_origin(url, origin):
            parts.append(Markup('<a href="{0}">{0}</a>').format(url))
        else:
            parts.append(escape(url))
        position = end
    parts.append(escape(body[position:]))
    return Markup("").join(parts)


def _same_origin(url: str, origin: str) -> bool:
    try:
        target, here = urlsplit(url), urlsplit(origin)
        return (target.scheme, target.netloc) == (here.scheme, here.netloc) and bool(target.netloc)
    except ValueError:  # an odd address (a bad port, an unclosed IPv6 bracket): not ours
        return False
