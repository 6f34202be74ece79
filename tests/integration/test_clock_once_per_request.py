"""A request reads the simulated clock's offset once (a storefront's buy step asked for the time
twice, and each was a database read); one that moves the clock sees it moved, and the next
request reads the stored offset again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from marketplace.clock import current_clock
from marketplace.db import db


def clock_reads(app):
    reads: list[str] = []

    def note(_conn, _cursor, statement, *_rest) -> None:
        if "sim_clock" in statement:
            reads.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
    return reads


def test_one_read_per_request_and_a_move_is_seen_at_once(app):
    reads = clock_reads(app)
    with app.test_request_context("/"):
        clock = current_clock()
        first = clock.now()
        assert clock.now() - first < timedelta(seconds=5)
        assert len(reads) == 1
        moved = clock.advance(timedelta(days=2))
        assert moved - first >= timedelta(days=2)
        assert clock.now() - first >= timedelta(days=2)
        db.session.commit()
    with app.test_request_context("/"):
        assert current_clock().now() - first >= timedelta(days=2)
    assert len([r for r in reads if r.lstrip().upper().startswith("SELECT")]) == 3


def test_the_next_request_reads_what_another_process_stored(app, market):
    with app.test_request_context("/"):
        before = current_clock().now()
    market.advance(days=1)  # the sandbox API: its own request
    with app.test_request_context("/"):
        assert current_clock().now() - before >= timedelta(days=1)
