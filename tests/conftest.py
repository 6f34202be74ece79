"""Fixtures: a fresh marketplace per test, on SQLite by default or on the database that
``DATABASE_URL`` names (CI runs the suite once more against PostgreSQL).

``MARKETPLACE_REQUIRE`` (comma-separated: ``postgres``, ``chromium``, ``node``, ``jq``) turns the
skip of a test that needs a missing service into a failure, so CI cannot pass by skipping.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from marketplace import create_app
from marketplace.db import db, normalise_database_url
from tests.demo_snapshot import PostgresSnapshot, SqliteSnapshot, usable_for
from tests.helpers import Marketplace

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgresql", "postgres:"))
# pytest-xdist runs the suite in several processes (``-n`` in pyproject's addopts).
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _database_of_this_worker(url: str, worker: str) -> str:
    """Each xdist worker empties and fills its own PostgreSQL database (``test_gw0``, ...),
    created beside the one ``DATABASE_URL`` names, so workers never see each other's rows."""
    base = make_url(normalise_database_url(url))
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


# Set once the worker's database is chosen: processes a test spawns import this module too, and
# with the worker's own URL inherited they must not derive (and race to create) ``test_gw0_gw0``.
WORKER_DATABASE_CHOSEN = "MARKETPLACE_TEST_WORKER_DATABASE"
if ON_POSTGRES and WORKER and os.environ.get(WORKER_DATABASE_CHOSEN) != WORKER:
    DATABASE_URL = _database_of_this_worker(DATABASE_URL, WORKER)
    os.environ["DATABASE_URL"] = DATABASE_URL  # for servers and commands the tests start
    os.environ[WORKER_DATABASE_CHOSEN] = WORKER
REQUIRED = {item.strip() for item in os.environ.get("MARKETPLACE_REQUIRE", "").split(",") if item}

TEST_CONFIG = {
    "SECRET_KEY": "test-secret",
    "SANDBOX_SLOW_SECONDS": 0.3,
    "SANDBOX_MAX_WAIT_SECONDS": 2,
    # scrypt costs ~75 ms a password; the suite registers hundreds of accounts.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
    # Pages show the quota Prakerja has at that moment and the catalogue as stored (the reuse
    # of each has tests of its own).
    "STOREFRONT_QUOTA_SECONDS": 0,
    "STOREFRONT_CATALOG_SECONDS": 0,
}


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(item) -> tuple[str, str] | None:
    if "postgres" in item.keywords and not ON_POSTGRES:
        return (
            "postgres",
            "needs PostgreSQL: set DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test",
        )
    if "node" in item.keywords and not (shutil.which("node") and shutil.which("npm")):
        return "node", "needs Node.js and npm (apt-get install nodejs npm)"
    if "jq" in item.keywords and not shutil.which("jq"):
        return "jq", "needs jq for the curl example (apt-get install jq)"
    if "browser" in item.keywords:
        if not os.path.exists(CHROMIUM):
            return "chromium", f"needs Chromium at {CHROMIUM} (apt-get install chromium)"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "chromium", "needs the playwright package (pip install -e '.[test]')"
    return None


def pytest_runtest_setup(item):
    missing = _missing_service(item)
    if missing:
        service, reason = missing
        if service in REQUIRED:
            pytest.fail(f"MARKETPLACE_REQUIRE={service}, but this test {reason}", pytrace=False)
        pytest.skip(reason)


_schema_rebuilt = False


def empty_postgres() -> None:
    """Empty the shared test database so the app under test starts from nothing.

    The first time in a test session the schema itself is dropped, so tables made by an older
    version of the code are recreated; afterwards truncating is enough (and much faster).
    """
    global _schema_rebuilt
    engine = create_engine(normalise_database_url(DATABASE_URL))
    try:
        if not _schema_rebuilt:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
            _schema_rebuilt = True
            return
        tables = inspect(engine).get_table_names()
        if tables:
            names = ", ".join(f'"{name}"' for name in tables)
            with engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def _template_app(url: str):
    return create_app({**TEST_CONFIG, "DATABASE_URL": url})


@pytest.fixture(scope="session")
def demo_snapshot(tmp_path_factory):
    """The demo database built once per session; each test starts from a copy of it."""
    if ON_POSTGRES:
        return PostgresSnapshot(DATABASE_URL, _template_app, empty_postgres)
    return SqliteSnapshot(tmp_path_factory.mktemp("demo"), _template_app)


@pytest.fixture
def make_app(tmp_path, demo_snapshot):
    """Build a fresh app (demo data loaded) with config overrides; disposed after the test.

    The first app of a test starts from a copy of the session's demo database (unless its
    overrides change what the database holds); a second app in the same test shares it.
    """
    apps = []

    def build(**overrides):
        fresh = not apps
        snapshot = fresh and usable_for(overrides)
        if ON_POSTGRES:
            if snapshot:
                demo_snapshot.restore()
            elif fresh:
                empty_postgres()
            url = DATABASE_URL
        else:
            path = tmp_path / "marketplace.sqlite3"
            if snapshot:
                demo_snapshot.restore(path)
            url = f"sqlite:///{path}"
        config = {**TEST_CONFIG, "DATABASE_URL": url, **overrides}
        app = create_app(config)
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def market(app) -> Iterator[Marketplace]:
    yield Marketplace(app)


@pytest.fixture
def books_balance(market):
    """After the test the books reconcile: saldo = ledger, one debit per purchase, seats sold =
    purchases, ... (``pytestmark = pytest.mark.usefixtures("books_balance")``)."""
    yield
    market.assert_reconciled()
