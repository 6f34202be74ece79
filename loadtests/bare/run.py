"""Serve the bare app under gunicorn and drive it with Locust: shared by the benchmark and the
tests. Imports neither gunicorn nor Locust (Locust patches with gevent on import)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from loadtests._serving import START_SECONDS, wait_until_answers

ROOT = Path(__file__).resolve().parents[2]
WORKERS = "gthread 2x8"  # the yardstick: 2 worker processes of 8 threads


def start_gunicorn(database_url: str, port: int, folder: Path) -> subprocess.Popen:
    """gunicorn gthread 2×8 on the bare app, configured on the command line only: it runs in
    ``folder`` so that the project's ``gunicorn.conf.py`` (sync workers, its own app) is not
    picked up from the working directory. Its output goes to ``folder/bare-gunicorn.log``."""
    command = [
        sys.executable, "-m", "gunicorn", "--worker-class", "gthread", "--workers", "2",
        "--threads", "8", "--bind", f"127.0.0.1:{port}", "--pythonpath", str(ROOT),
        "loadtests.bare.app:create_bare_app()",
    ]  # fmt: skip
    env = {**os.environ, "BARE_DATABASE_URL": database_url}
    env.pop("GUNICORN_CMD_ARGS", None)
    with open(folder / "bare-gunicorn.log", "wb") as log:
        return subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_until_up(host: str, server: subprocess.Popen, seconds: float = START_SECONDS) -> None:
    wait_until_answers(f"{host}/health", seconds=seconds, server=server)


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=60)


def locust_command(
    host: str,
    *,
    users: int,
    seconds: int,
    cards: int,
    summary: Path,
    warm_up: float = 0.0,
    extra: tuple[str, ...] = (),
) -> list[str]:
    """``python -m locust`` headless with ``BareCheckoutUser`` on cards ``0 .. cards-1``:
    ``seconds`` measured after ``warm_up`` seconds left out of the figures (``_warm_up``)."""
    return [
        sys.executable, "-m", "locust", "-f", str(ROOT / "loadtests" / "bare" / "locustfile.py"),
        "--host", host, "--headless", "-u", str(users), "-r", str(users),
        "-t", f"{seconds + warm_up:g}s", "--warm-up", f"{warm_up:g}",
        "--stop-timeout", "30", "--only-summary", "--first-card", "0", "--cards", str(cards),
        "--bare-summary-json", str(summary), *extra, "BareCheckoutUser",
    ]  # fmt: skip
