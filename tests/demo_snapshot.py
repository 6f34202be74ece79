"""The demo database, built once per test session and copied for each test.

Loading the demo data is most of what building an app costs (and most of the suite's time when
every test did it). So the first app of a session loads it as usual; every later test starts
from a copy of that result instead: a file copy on SQLite, a truncate-and-insert of the saved
rows on PostgreSQL. ``init_database`` then finds the database filled and loads nothing.

The demo data is anchored to the day (WIB) it is loaded on, so the snapshot is rebuilt when the
day changes during a run.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, create_engine, inspect, text

from marketplace.clock import wib_date
from marketplace.db import db, normalise_database_url

# Overrides that change what a new database holds: such an app builds its own, as before.
CHANGES_THE_DATABASE = {"LOAD_DEMO_DATA", "AUTO_INIT_DB", "DATABASE_URL", "SQLALCHEMY_DATABASE_URI"}


def usable_for(overrides: dict[str, Any]) -> bool:
    return not CHANGES_THE_DATABASE & overrides.keys()


def _today() -> Any:
    from datetime import UTC, datetime

    return wib_date(datetime.now(UTC))


@dataclass
class SqliteSnapshot:
    """A demo database file, copied into each test's folder."""

    folder: Path
    build_app: Callable[[str], Flask]
    day: Any = None
    template: Path | None = None

    def restore(self, target: Path) -> None:
        if self.template is None or self.day != _today():
            self._build()
        shutil.copyfile(self.template, target)

    def _build(self) -> None:
        self.day = _today()
        self.template = self.folder / f"demo-{self.day}.sqlite3"
        self.template.unlink(missing_ok=True)
        app = self.build_app(f"sqlite:///{self.template}")
        with app.app_context():
            # Fold the write-ahead log into the file, so one file is the whole database.
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.engine.dispose()
        wal = self.template.with_name(self.template.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, "the demo template kept a WAL file"


@dataclass
class PostgresSnapshot:
    """The demo rows of every table, put back into the shared test database before a test."""

    url: str
    build_app: Callable[[str], Flask]
    empty: Callable[[], None]
    day: Any = None
    rows: dict[str, list[dict]] = field(default_factory=dict)
    sequences: list[tuple[str, str, str]] | None = None  # found on the first refill

    def restore(self) -> None:
        if self.day != _today():
            self._build()
            return  # the build itself left the demo database in place
        engine = create_engine(normalise_database_url(self.url))
        try:
            self._refill(engine)
        finally:
            engine.dispose()

    def _build(self) -> None:
        self.empty()
        app = self.build_app(self.url)
        with app.app_context():
            with db.engine.connect() as connection:
                self.rows = {
                    table.name: [dict(row) for row in connection.execute(table.select()).mappings()]
                    for table in db.metadata.sorted_tables
                }
            db.engine.dispose()
        self.day = _today()

    def _refill(self, engine: Engine) -> None:
        """DELETE, not TRUNCATE: on a few hundred rows deleting is many times cheaper (TRUNCATE
        makes new files for every table). Children first on the way out, parents first on the
        way in; then every id sequence continues after the largest id put back."""
        tables = db.metadata.sorted_tables
        present = set(inspect(engine).get_table_names())
        with engine.begin() as connection:
            if not {table.name for table in tables} <= present:
                db.metadata.create_all(connection)  # a test dropped tables (init-db --reset)
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                if self.rows.get(table.name):
                    connection.execute(table.insert(), self.rows[table.name])
            self._restart_sequences(connection)

    def _restart_sequences(self, connection) -> None:
        if self.sequences is None:
            self.sequences = _sequences(connection)
        calls, values = [], {}
        for n, (table, column, sequence) in enumerate(self.sequences):
            ids = [row[column] for row in self.rows.get(table, []) if row[column] is not None]
            calls.append(f"setval(:s{n}, :v{n}, :c{n})")
            values |= {f"s{n}": sequence, f"v{n}": max(ids, default=1), f"c{n}": bool(ids)}
        if calls:
            connection.execute(text("SELECT " + ", ".join(calls)), values)


def _sequences(connection) -> list[tuple[str, str, str]]:
    """(table, id column, its sequence) for every table whose id comes from a sequence."""
    found = []
    for table in db.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": column.name},
        ).scalar()
        if sequence is not None:
            found.append((table.name, column.name, sequence))
    return found
