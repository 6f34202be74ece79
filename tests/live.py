"""Start the real server (``python -m flask --app marketplace run``) on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from loadtests._serving import free_port, wait_until_answers


def fresh_database_url(folder: Path, name: str) -> str:
    """An empty database for a server under test: the suite's PostgreSQL (emptied) when the
    suite runs on it, else a new SQLite file in ``folder``. The server fills it on first start."""
    from tests.conftest import DATABASE_URL, ON_POSTGRES, empty_postgres

    if ON_POSTGRES:
        empty_postgres()
        return DATABASE_URL
    return f"sqlite:///{Path(folder) / name}"


@contextlib.contextmanager
def serve(database_url: str, cwd, **env: str) -> Iterator[str]:
    """Serve the whole marketplace; yields its base URL; stops it afterwards.

    The server's output goes to ``server-<port>.log`` in ``cwd``: a file, not a pipe, because an
    unread pipe fills up with request logs and then blocks the server.
    """
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MARKETPLACE_SECRET_KEY": "live-test",
        "MARKETPLACE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",  # as TEST_CONFIG: not scrypt
        **env,
    }
    log_path = Path(cwd) / f"server-{port}.log"
    with open(log_path, "wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "marketplace", "run", "--port", str(port)],
            env=environment,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server, log_path)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_up(base_url: str, server: subprocess.Popen, log_path: Path) -> None:
    wait_until_answers(f"{base_url}/sandbox/clock", server=server, why_it_exited=log_path.read_text)
