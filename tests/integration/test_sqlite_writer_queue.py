"""SQLite writers queue in our ``WriterQueue`` (a thread lock, then ``flock`` of a file beside the
database), not in SQLite's busy handler, which sleeps up to 100 ms between polls: with several
gunicorn workers that sleeping, not the work, set the pace (issue 13: more workers, fewer
checkouts). These tests hold the queue from another thread and another process."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from marketplace.db import WRITE_OPTION, configure_engine, engine_options


@pytest.fixture
def database(tmp_path):
    return str(tmp_path / "queue.sqlite3")


def sqlite_engine(path: str, busy_timeout: float = 30.0):
    url = f"sqlite:///{path}"
    engine = create_engine(url, **engine_options(url, sqlite_busy_timeout=busy_timeout))
    configure_engine(engine, busy_timeout=busy_timeout)
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS notes (body TEXT)"))
        connection.commit()
    return engine


def write(engine, body: str, *, before_commit=lambda: None) -> None:
    connection = engine.connect().execution_options(**{WRITE_OPTION: True})
    with connection, connection.begin():
        connection.execute(text("INSERT INTO notes VALUES (:body)"), {"body": body})
        before_commit()


def notes(engine) -> list[str]:
    with engine.connect() as connection:
        return [row.body for row in connection.execute(text("SELECT body FROM notes"))]


def test_a_second_writer_waits_for_the_first_then_goes_on(database):
    engine = sqlite_engine(database)
    first_holds, first_may_commit = threading.Event(), threading.Event()
    order: list[str] = []

    def first() -> None:
        def hold() -> None:
            first_holds.set()
            first_may_commit.wait(10)
            order.append("first commits")

        write(engine, "first", before_commit=hold)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_holds.wait(10)
    second = threading.Thread(target=lambda: (write(engine, "second"), order.append("second")))
    second.start()
    second.join(0.3)
    assert second.is_alive(), "the second writer went ahead while the first held the lock"
    first_may_commit.set()
    thread.join(10)
    second.join(10)
    assert order == ["first commits", "second"]
    assert notes(engine) == ["first", "second"]
    engine.dispose()


def test_readers_do_not_queue_behind_a_writer(database):
    engine = sqlite_engine(database)
    read_while_held: list[list[str]] = []

    def read() -> None:
        read_while_held.append(notes(engine))

    write(engine, "held", before_commit=read)
    assert read_while_held == [[]]  # the reader saw the last committed state, at once
    engine.dispose()


def test_the_queue_comes_back_after_a_rollback_and_an_invalidated_connection(database):
    engine = sqlite_engine(database, busy_timeout=2)

    def fail() -> None:
        raise RuntimeError("refused")

    with pytest.raises(RuntimeError):
        write(engine, "rolled back", before_commit=fail)
    connection = engine.connect().execution_options(**{WRITE_OPTION: True})
    connection.begin()
    connection.invalidate()  # a dropped connection mid-transaction
    connection.close()
    write(engine, "after")  # would wait 2 s and fail if either kept the queue
    assert notes(engine) == ["after"]
    engine.dispose()


HOLDER = """
import fcntl, os, sys
descriptor = os.open(sys.argv[1] + "-writers", os.O_RDWR | os.O_CREAT, 0o644)
fcntl.flock(descriptor, fcntl.LOCK_EX)
print("held", flush=True)
sys.stdin.read()
"""


@contextlib.contextmanager
def another_process_holding_the_queue(database: str):
    """A process that holds the queue's ``flock`` (a seeding run, say) until the block ends."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, database],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout.readline().strip() == "held"
        yield
        holder.stdin.close()  # the holder exits and its lock goes with it


def test_a_writer_in_another_process_is_waited_for_then_the_write_goes_on(database):
    engine = sqlite_engine(database, busy_timeout=10)
    with another_process_holding_the_queue(database):
        finished = threading.Event()
        waiter = threading.Thread(target=lambda: (write(engine, "queued"), finished.set()))
        waiter.start()
        waiter.join(0.2)
        assert not finished.is_set(), "wrote while another process held the queue"
    waiter.join(10)
    assert finished.is_set() and notes(engine) == ["queued"]
    engine.dispose()


def test_a_writer_in_another_process_held_past_the_busy_timeout_is_database_is_locked(database):
    engine = sqlite_engine(database, busy_timeout=0.3)
    with (
        another_process_holding_the_queue(database),
        pytest.raises(OperationalError, match="database is locked"),
    ):
        write(engine, "refused")
    write(engine, "later")  # the queue was given back after the refusal
    assert notes(engine) == ["later"]
    engine.dispose()


def test_a_writer_waiting_longer_than_the_busy_timeout_gets_database_is_locked(database):
    engine = sqlite_engine(database, busy_timeout=0.2)
    first_holds, first_may_commit = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=write,
        args=(engine, "first"),
        kwargs={"before_commit": lambda: (first_holds.set(), first_may_commit.wait(10))},
    )
    thread.start()
    assert first_holds.wait(10)
    try:
        with pytest.raises(OperationalError, match="database is locked"):
            write(engine, "second")  # the web app answers this with 503 and Retry-After
    finally:
        first_may_commit.set()
        thread.join(10)
    assert notes(engine) == ["first"]
    engine.dispose()
