"""How many workers gunicorn.conf.py starts: one per core on SQLite, two per core on PostgreSQL,
and what ``WEB_CONCURRENCY`` says when it is set."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path

import pytest

CONFIG_FILE = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


def workers(monkeypatch, **env: str) -> int:
    for name in ("DATABASE_URL", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONFIG_FILE)["workers"]


@pytest.mark.parametrize("url", [None, "sqlite:///tmp/marketplace.sqlite3"])
def test_sqlite_gets_one_worker_per_core(monkeypatch, url):
    env = {"DATABASE_URL": url} if url else {}
    assert workers(monkeypatch, **env) == multiprocessing.cpu_count()


@pytest.mark.parametrize("url", ["postgresql://postgres@127.0.0.1/test", "postgres://db/x"])
def test_postgresql_gets_two_per_core(monkeypatch, url):
    assert workers(monkeypatch, DATABASE_URL=url) == 2 * multiprocessing.cpu_count()


def test_web_concurrency_wins(monkeypatch):
    assert workers(monkeypatch, WEB_CONCURRENCY="7") == 7
    assert workers(monkeypatch, WEB_CONCURRENCY="7", DATABASE_URL="postgresql://db/x") == 7
