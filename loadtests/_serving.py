"""Waiting for a server the benchmark or a test started: shared by the bench, the bare ceiling
and the tests' live servers. Imports neither gunicorn nor Locust."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable

import requests

START_SECONDS = 120  # for a first answer on a machine that may be busy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answers(
    url: str,
    *,
    seconds: float = START_SECONDS,
    server: subprocess.Popen | None = None,
    why_it_exited: Callable[[], str] = lambda: "",
) -> None:
    """Until ``url`` answers 200. A slow first answer (workers still importing, the database
    being created) is waited out like a refused connection, within one overall deadline; a
    ``server`` that exits first is an error at once, with ``why_it_exited()``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}\n{why_it_exited()}")
        try:
            if requests.get(url, timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {seconds:.0f} s")
