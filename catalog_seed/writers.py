"""Bulk row writers: no ORM object per row, no commit per row.

- SQLite: the table's Core ``insert()`` compiled once, run with the driver's ``executemany``.
- PostgreSQL: ``COPY ... FROM STDIN`` through psycopg.

Values that need the database's own form (instants, dates, booleans) go through the writer, so
row builders stay the same for both.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Table


class SqliteWriter:
    def __init__(self, connection: Connection):
        self.connection = connection
        self._statements: dict[tuple[str, tuple[str, ...]], str] = {}

    def write(self, table: Table, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if rows:
            self.connection.exec_driver_sql(self._insert(table, tuple(columns)), list(rows))

    def _insert(self, table: Table, columns: tuple[str, ...]) -> str:
        key = (table.name, columns)
        if key not in self._statements:
            statement = table.insert().compile(dialect=self.connection.dialect, column_keys=columns)
            self._statements[key] = str(statement)
        return self._statements[key]

    @staticmethod
    def instant(value: datetime) -> str:
        """As SQLAlchemy's SQLite DateTime stores it: naive UTC text."""
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")

    @staticmethod
    def day(value: date) -> str:
        return value.isoformat()

    false = 0


class PostgresWriter:
    def __init__(self, connection: Connection):
        self.connection = connection

    def write(self, table: Table, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        raw = self.connection.connection.dbapi_connection  # same transaction as ``connection``
        names = ", ".join(f'"{column}"' for column in columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    @staticmethod
    def instant(value: datetime) -> datetime:
        return value.astimezone(UTC).replace(tzinfo=None)  # columns hold naive UTC

    @staticmethod
    def day(value: date) -> date:
        return value

    false = False


def writer_for(connection: Connection) -> SqliteWriter | PostgresWriter:
    if connection.dialect.name == "postgresql":
        return PostgresWriter(connection)
    if connection.dialect.name == "sqlite":
        return SqliteWriter(connection)
    raise ValueError(f"bulk loading supports SQLite and PostgreSQL, not {connection.dialect.name}")
