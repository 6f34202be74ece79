"""Creating the schema and filling a new database, safely when several workers start at once."""

from __future__ import annotations

import logging
import time

from flask import Flask
from sqlalchemy import Connection, Engine, inspect, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from marketplace.clock import ClockOffset
from marketplace.db import WRITE_OPTION, db

INIT_LOCK_ID = 727_001  # PostgreSQL advisory lock taken while the schema is created
BOOT_ATTEMPTS, BOOT_RETRY_SECONDS = 5, 0.5  # a dropped connection at start: 0.5, 1, 1.5, 2 s
log = logging.getLogger(__name__)


def init_database(app: Flask, *, load_demo: bool, reset: bool = False) -> bool:
    """Create missing tables and, if the database is empty, load the demo data.

    True if demo data was loaded. With ``reset``, every table is dropped first.

    Every worker runs this as it boots. A connection the database drops meanwhile (a restart,
    a failover, an administrator ending sessions) is retried: a worker that fails to boot makes
    gunicorn stop the whole server. The work is one transaction, so a retry starts clean.
    """
    with app.app_context():
        if reset:
            db.metadata.drop_all(db.engine)
        for attempt in range(1, BOOT_ATTEMPTS + 1):
            try:
                return _initialise(db.engine, load_demo)
            except DBAPIError as error:
                if not error.connection_invalidated or attempt == BOOT_ATTEMPTS:
                    raise
                log.warning("database connection lost while starting (try %d): retrying", attempt)
                time.sleep(BOOT_RETRY_SECONDS * attempt)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _initialise(engine: Engine, load_demo: bool) -> bool:
    from catalog_seed.demo import load_demo_data  # the demo spans every party

    connection = engine.connect().execution_options(**{WRITE_OPTION: True})
    with connection, connection.begin(), Session(bind=connection) as session:
        _lock(connection)
        _create_missing_tables(connection)
        check_schema(connection)
        _ensure_clock_row(session)
        loaded = load_demo and _is_empty(session)
        if loaded:
            load_demo_data(session)
        session.flush()
    return loaded


def _create_missing_tables(connection: Connection) -> None:
    """``create_all`` asks the database about each table in turn; one question first tells
    whether any is missing (at every start of a worker, usually none is)."""
    existing = set(inspect(connection).get_table_names())
    if not {table.name for table in db.metadata.sorted_tables} <= existing:
        db.metadata.create_all(connection)


class SchemaOutOfDate(RuntimeError):
    """The database was made by an older version of the simulator."""


def check_schema(connection: Connection) -> None:
    """Fail early, and say what to do, when existing tables lack columns this version needs.

    ``create_all`` creates missing tables but never alters existing ones (there are no
    migrations yet), so an old database would otherwise fail later on some INSERT.
    """
    # One catalogue query for every table (not one per table): this runs at every start.
    columns = inspect(connection).get_multi_columns()
    for table in db.metadata.sorted_tables:
        present = {column["name"] for column in columns.get((None, table.name), [])}
        missing = sorted(set(table.columns.keys()) - present)
        if missing:
            raise SchemaOutOfDate(
                f"table {table.name} lacks column(s) {', '.join(missing)}: the database was made "
                "by an older version. Recreate it with `flask --app marketplace init-db --reset` "
                "(this deletes its data) or point DATABASE_URL at a new database."
            )


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": INIT_LOCK_ID})


def _ensure_clock_row(session: Session) -> None:
    if session.get(ClockOffset, 1) is None:
        session.add(ClockOffset(id=1, offset_seconds=0))
        session.flush()


def _is_empty(session: Session) -> bool:
    from prakerja_gateway.models import Partner

    return session.execute(select(Partner.id).limit(1)).first() is None
