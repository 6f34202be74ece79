"""The headless Locust command line, shared by the benchmark and the smoke tests."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def locust_command(
    host: str,
    user_class: str,
    *,
    users: int,
    seconds: int,
    warm_up: float = 0.0,
    first: int,
    participants: int,
    summary: Path,
    extra: tuple[str, ...] = (),
    shapes: tuple[str, ...] = (),
) -> list[str]:
    """``python -m locust`` for one user class on a slice of seeded participants: ``seconds``
    measured after ``warm_up`` seconds left out of the figures (``_warm_up``)."""
    locustfiles = ",".join(
        [str(ROOT / "loadtests" / "locustfile.py")]
        + [str(ROOT / "loadtests" / "shapes" / f"{shape}.py") for shape in shapes]
    )
    return [
        sys.executable, "-m", "locust", "--config", str(ROOT / "loadtests" / "locust.conf"),
        "-f", locustfiles, "--host", host, "--headless", "-u", str(users), "-r", str(users),
        "-t", f"{seconds + warm_up:g}s", "--warm-up", f"{warm_up:g}", "--only-summary",
        "--first-participant", str(first),
        "--participants", str(participants), "--summary-json", str(summary), *extra, user_class,
    ]  # fmt: skip
