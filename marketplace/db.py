"""The database: one SQLAlchemy registry for every party, SQLite by default, any URL by config.

SQLite is tuned for a web server with several threads: WAL, a busy timeout, foreign keys, and
write requests that take the write lock at their first statement (``BEGIN IMMEDIATE``). Without the
latter, a transaction that reads and then writes fails at once with "database is locked" whenever
another writer committed in between, and no busy timeout helps.

Writers queue for that lock in our own ``WriterQueue`` (a thread lock, then ``flock`` on a file
beside the database) instead of in SQLite's busy handler, which polls with sleeps of up to 100 ms:
with several gunicorn workers the lock then passes to the next writer the moment it is free.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from datetime import UTC, datetime
from typing import Any

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, Engine, MetaData, bindparam, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

WRITE_OPTION = "marketplace_write"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


class UtcDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and always returned timezone-aware (UTC).

    SQLite keeps no zone and PostgreSQL converts to the session zone; this makes both the same.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def normalise_database_url(url: str) -> str:
    """Let people write ``postgresql://...``: use psycopg 3, the driver we install."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def engine_options(url: str, *, sqlite_busy_timeout: float = 30.0) -> dict:
    # hide_parameters: a database error's message (logged, and in tracebacks) carries the
    # statement but not its values, which are participants' emails, names, phones and codes.
    if url.startswith("sqlite"):
        return {
            "connect_args": {"timeout": sqlite_busy_timeout, "check_same_thread": False},
            "hide_parameters": True,
        }
    return {"pool_size": 10, "max_overflow": 20, "pool_pre_ping": True, "hide_parameters": True}


def configure_engine(engine: Engine, *, busy_timeout: float = 30.0) -> None:
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, busy_timeout)


class WriterQueue:
    """One SQLite writer at a time across this process's threads and every other process on the
    same file: a thread lock (which wakes the next thread at once), then an exclusive ``flock``
    of ``<database>-writers``, polled at most every millisecond, where SQLite's busy handler
    sleeps up to 100 ms between tries. Taken when a write transaction begins, given back when its
    connection returns to the pool; waiting longer than the busy timeout is "database is locked"
    (503)."""

    # Polled from 50 µs, doubling up to 1 ms: a write transaction holds the lock for a few ms,
    # and a fixed 1 ms poll left it idle for half a millisecond on average at each handover.
    FIRST_POLL_SECONDS = 0.00005
    POLL_SECONDS = 0.001

    def __init__(self, database_path: str, timeout: float):
        self.path = database_path + "-writers"
        self.timeout = timeout
        self._threads = threading.Lock()
        self._file: tuple[int, int] | None = None  # (pid, descriptor): reopened after a fork

    def acquire(self) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._threads.acquire(timeout=self.timeout):
            raise self._locked()
        try:
            pause = self.FIRST_POLL_SECONDS
            while not self._try_flock():
                if time.monotonic() >= deadline:
                    raise self._locked()
                time.sleep(pause)
                pause = min(pause * 2, self.POLL_SECONDS)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        fcntl.flock(self._descriptor(), fcntl.LOCK_UN)
        self._threads.release()

    def _try_flock(self) -> bool:
        try:
            fcntl.flock(self._descriptor(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _descriptor(self) -> int:
        if self._file is None or self._file[0] != os.getpid():
            self._file = (os.getpid(), os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644))
        return self._file[1]

    @staticmethod
    def _locked() -> OperationalError:
        return OperationalError("BEGIN IMMEDIATE", None, TimeoutError("database is locked"))


HOLDS_WRITER_QUEUE = "marketplace_holds_writer_queue"


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    database = engine.url.database
    queue = WriterQueue(database, busy_timeout) if database and database != ":memory:" else None

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # pysqlite opens transactions by itself at odd moments; we emit BEGIN ourselves instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            "PRAGMA foreign_keys=ON",
            "PRAGMA synchronous=NORMAL",
        ):
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        immediate = connection.get_execution_options().get(WRITE_OPTION)
        info = connection.connection.info
        if immediate and queue is not None and not info.get(HOLDS_WRITER_QUEUE):
            queue.acquire()
            info[HOLDS_WRITER_QUEUE] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    if queue is None:
        return

    def _give_back(_dbapi_connection, record, *_rest) -> None:
        # The transaction is over (committed or rolled back) once its connection is back in the
        # pool; an invalidated connection gives the queue back before its info is cleared.
        if record.info.pop(HOLDS_WRITER_QUEUE, False):
            queue.release()

    event.listen(engine.pool, "checkin", _give_back)
    event.listen(engine.pool, "invalidate", _give_back)


def begin_write(session: Session, *, keep_loaded: bool = False) -> None:
    """Make the session's transaction a write transaction (SQLite: take the write lock now).

    Call it before anything is written. A read-only transaction already open (a view looked
    things up first) is ended and reopened
    as a write transaction: on SQLite, a read snapshot that later writes fails at once with
    "database is locked" whenever another writer committed in between.

    ``keep_loaded``: what that read transaction loaded stays loaded instead of being expired,
    for a caller that checked things before the write lock and only writes under it (the
    lock is then held for the writes alone). Its objects keep the values they were read with:
    only what a conditional write re-checks, or what does not change, may be relied on.
    """
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        if session.connection().get_execution_options().get(WRITE_OPTION):
            return
        if session.new or session.dirty or session.deleted:
            return  # unflushed changes: keep them in this transaction
        end_transaction(session, keep_loaded=keep_loaded)  # nothing written yet: nothing lost
    session.connection(execution_options={WRITE_OPTION: True})


def end_transaction(session: Session, *, keep_loaded: bool = False) -> None:
    """Commit the session's transaction, if there is one. ``keep_loaded``: what it read or wrote
    stays loaded (not expired), so reading an attribute afterwards costs no query; code that must
    see another transaction's changes re-reads with ``populate_existing``."""
    if isinstance(session, scoped_session):
        session = session()
    if not (session.in_transaction() or session.new or session.dirty or session.deleted):
        return
    expire = session.expire_on_commit
    session.expire_on_commit = expire and not keep_loaded
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def insert_unless_conflicting(session: Session, model: type, **values) -> int | None:
    """INSERT one row and return its primary key; None when a unique constraint holds it already.

    ``ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL) instead of a savepoint around a flush:
    one statement instead of three on the checkout path, and the transaction is never
    aborted. On PostgreSQL a racing, uncommitted insert of the same key makes this one wait for
    its outcome, as the unique index would.
    """
    if isinstance(session, scoped_session):
        session = session()
    dialect = session.get_bind().dialect.name
    statement = _insert_unless_conflicting(dialect, model, tuple(values))
    return session.execute(statement, values).scalar()


_INSERTS_UNLESS_CONFLICTING: dict[tuple, Any] = {}


def _insert_unless_conflicting(dialect: str, model: type, columns: tuple[str, ...]):
    """The statement, built once per model and set of columns: building and hashing a statement
    costs more than running it on the checkout path, where most inserts go through here."""
    cache_key = (dialect, model, columns)
    statement = _INSERTS_UNLESS_CONFLICTING.get(cache_key)
    if statement is None:
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = model.__table__  # Core, not the ORM's bulk-insert path: a fraction of the cost
        key = model.__mapper__.primary_key[0]
        values = {column: bindparam(column) for column in columns}
        statement = insert(table).values(values).on_conflict_do_nothing().returning(key)
        _INSERTS_UNLESS_CONFLICTING[cache_key] = statement
    return statement


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"
