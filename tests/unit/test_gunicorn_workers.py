"""How many workers gunicorn.conf.py starts: one per core on SQLite, two per core on PostgreSQL,
and what ``WEB_CONCURRENCY`` says when it is set; the warning when SQLite gets more than cores."""

from __future__ import annotations

import multiprocessing
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

CONFIG_FILE = str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py")


def config(monkeypatch, **env: str) -> dict:
    for name in ("DATABASE_URL", "WEB_CONCURRENCY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(CONFIG_FILE)


def workers(monkeypatch, **env: str) -> int:
    return config(monkeypatch, **env)["workers"]


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


class _Server:
    """What ``on_starting`` reads of gunicorn's arbiter: its settings and its log."""

    def __init__(self, workers: int):
        self.cfg = SimpleNamespace(workers=workers)
        self.warnings: list[str] = []
        self.log = SimpleNamespace(warning=lambda text, *args: self.warnings.append(text % args))


@pytest.mark.parametrize(
    ("extra", "url", "warned"),
    [
        (1, None, True),  # SQLite, one worker more than the cores
        (0, None, False),
        (1, "postgresql://db/x", False),
    ],
)
def test_more_sqlite_workers_than_cores_are_warned_about(monkeypatch, extra, url, warned):
    cores = multiprocessing.cpu_count()
    env = {"WEB_CONCURRENCY": str(cores + extra), **({"DATABASE_URL": url} if url else {})}
    settings = config(monkeypatch, **env)
    server = _Server(settings["workers"])
    settings["on_starting"](server)
    assert bool(server.warnings) is warned
    if warned:
        assert f"{cores + extra} workers on {cores} cores with SQLite" in server.warnings[0]
