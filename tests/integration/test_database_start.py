"""A worker that boots while the database drops its connections retries instead of failing to
boot: gunicorn stops the whole server when a worker fails to boot (seen in the fault-injection
test, which ends database sessions while workers restart)."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from marketplace import database
from marketplace.db import db


def dropped_connection() -> OperationalError:
    return OperationalError(
        "SELECT sim_clock.id FROM sim_clock",
        {},
        Exception("terminating connection due to administrator command"),
        connection_invalidated=True,
    )


def test_a_connection_dropped_while_starting_is_retried(make_app, monkeypatch):
    app = make_app()
    calls = []
    ensure = database._ensure_clock_row

    def drops_once(session):
        calls.append(1)
        if len(calls) == 1:
            raise dropped_connection()
        ensure(session)

    monkeypatch.setattr(database, "_ensure_clock_row", drops_once)
    monkeypatch.setattr(database, "BOOT_RETRY_SECONDS", 0.01)
    assert database.init_database(app, load_demo=True) is False  # the demo data is there
    assert len(calls) == 2
    with app.app_context():
        assert db.session.get(database.ClockOffset, 1) is not None


def test_other_database_errors_and_a_connection_that_never_returns_still_fail(
    make_app, monkeypatch
):
    app = make_app()
    monkeypatch.setattr(database, "BOOT_RETRY_SECONDS", 0.01)

    def always_dropped(session):
        raise dropped_connection()

    monkeypatch.setattr(database, "_ensure_clock_row", always_dropped)
    with pytest.raises(OperationalError):
        database.init_database(app, load_demo=True)

    def broken(session):
        raise OperationalError("SELECT 1", {}, Exception("no such table: sim_clock"))

    monkeypatch.setattr(database, "_ensure_clock_row", broken)
    calls = []
    monkeypatch.setattr(database.time, "sleep", lambda seconds: calls.append(seconds))
    with pytest.raises(OperationalError):
        database.init_database(app, load_demo=True)
    assert calls == []  # not a lost connection: no retry
