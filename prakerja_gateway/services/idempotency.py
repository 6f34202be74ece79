"""Idempotency keys (as Stripe has them): the same key and body replay the first answer; the
same key with another body is a 409.

The key is reserved at the start of the request's transaction, so a concurrent duplicate waits
for the first (PostgreSQL: unique index; SQLite: the write lock) and then replays its answer.
Answers of 5xx are not kept: the transaction rolls back and a retry runs anew.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from marketplace.db import insert_unless_conflicting
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import IdempotencyRecord


@dataclass(frozen=True)
class Reserved:
    """The key is ours: the answer is to be remembered in this record."""

    record_id: int


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict


def fingerprint(endpoint: str, compact_body: str) -> str:
    return hashlib.sha256(f"{endpoint}\n{compact_body}".encode()).hexdigest()


def reserve(
    session: Session, partner_id: int, key: str, request_fingerprint: str, now: datetime
) -> Reserved | Replay:
    """A new record to fill in with the answer, or the earlier answer to replay. The insert
    comes first: a new key (nearly every call) costs one statement, not a read and an insert."""
    record_id = insert_unless_conflicting(
        session,
        IdempotencyRecord,
        partner_id=partner_id,
        key=key,
        request_fingerprint=request_fingerprint,
        created_at=now,
    )
    if record_id is not None:
        return Reserved(record_id)
    earlier = _replay_or_conflict(session, partner_id, key, request_fingerprint)
    if earlier is None:  # pragma: no cover - the holder rolled back between our two statements
        raise GatewayError("idempotency_key_in_use")
    return earlier


def _replay_or_conflict(session, partner_id, key, request_fingerprint) -> Replay | None:
    record = session.execute(
        select(IdempotencyRecord).where(
            IdempotencyRecord.partner_id == partner_id, IdempotencyRecord.key == key
        )
    ).scalar()
    if record is None:
        return None
    if record.request_fingerprint != request_fingerprint:
        raise GatewayError("idempotency_key_reused")
    if record.status_code is None:
        raise GatewayError("idempotency_key_in_use")
    return Replay(record.status_code, json.loads(record.response_body or "{}"))


RECORDS = IdempotencyRecord.__table__
# A Core UPDATE built once: the ORM's bulk-UPDATE path cost more than the statement, and runs
# on every authorize while SQLite's write lock is held.
REMEMBER_ANSWER = (
    update(RECORDS)
    .where(RECORDS.c.id == bindparam("record_id"))
    .values(status_code=bindparam("answer_status"), response_body=bindparam("answer_body"))
)


def remember(session: Session, reserved: Reserved, status: int, body: dict) -> None:
    """Keep the answer given, to replay it for the same key and body."""
    session.execute(
        REMEMBER_ANSWER,
        {
            "record_id": reserved.record_id,
            "answer_status": status,
            "answer_body": json.dumps(body, separators=(",", ":")),
        },
    )
