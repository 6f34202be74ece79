"""Start the real server (``python -m flask --app marketplace run``) on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import requests


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def serve(database_url: str, cwd, **env: str) -> Iterator[str]:
    """Serve the whole marketplace; yields its base URL; stops it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MARKETPLACE_SECRET_KEY": "live-test",
        **env,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "marketplace", "run", "--port", str(port)],
        env=environment,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()


def _wait_until_up(base_url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(server.stdout.read().decode())
        try:
            if requests.get(f"{base_url}/sandbox/clock", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise TimeoutError("the server did not start within 60 s")
