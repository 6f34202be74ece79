"""Guards of a signed partner call beyond its signature: replay within the timestamp window,
and (off the sandbox) the configured keys instead of the documented demo ones.

A signature covers the timestamp, method, path and body, so the same signature seen twice
inside the window is the same request sent again: refused, unless it carries an
``Idempotency-Key`` (then its replay is the documented idempotent answer).
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from marketplace.db import insert_unless_conflicting
from prakerja_gateway.errors import GatewayError
from prakerja_gateway.models import SignedCallSeen

SWEEP_BATCH = 500
# Sweeping is one DELETE per call on the checkout's hot path; once a second per process keeps
# the table small (at most SWEEP_BATCH rows a second each) for a fraction of the statements.
SWEEP_EVERY_SECONDS = 1.0
_last_sweep = {"at": float("-inf")}


def refuse_replay(
    session: Session, client_code: str, signature: str, wall_now: datetime, window_seconds: int
) -> None:
    """Remember this call for the window (twice the tolerance: a timestamp may lie either side
    of now); a call already remembered is a replay."""
    if time.monotonic() - _last_sweep["at"] >= SWEEP_EVERY_SECONDS:
        _last_sweep["at"] = time.monotonic()
        _sweep(session, wall_now - timedelta(seconds=2 * window_seconds))
    seen = insert_unless_conflicting(
        session, SignedCallSeen, client_code=client_code, signature=signature, seen_at=wall_now
    )
    if seen is None:
        raise GatewayError("replayed_request")


def _sweep(session: Session, older_than: datetime) -> None:
    """Forget calls that have left the window. Rows another request is sweeping are skipped, not
    waited for (PostgreSQL; SQLite serialises writers anyway), so the sweep never queues calls."""
    stale = (
        select(SignedCallSeen.id)
        .where(SignedCallSeen.seen_at < older_than)
        .limit(SWEEP_BATCH)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        delete(SignedCallSeen)
        .where(SignedCallSeen.id.in_(stale.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
