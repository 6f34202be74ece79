"""``--profile``: py-spy samples every gunicorn worker while a scenario runs, so a slow step can
be read as "where the time went" instead of guessed at.

Writes, per scenario, ``<name>-<pid>.txt`` per worker (collapsed stacks: one line per stack and its
sample count, the input of flame-graph tools and of speedscope.app) and ``<name>-profile.txt``:
the functions with the most samples of their own, and the share of each library. py-spy comes
with ``pip install -e '.[profile]'``; it reads the workers' memory, so it needs the right to
ptrace them (root in a container, or ``kernel.yama.ptrace_scope=0``).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from pathlib import Path

RATE = 100  # samples a second: enough for a 30 s scenario, light on a 2-core machine
LIBRARIES = ("sqlalchemy", "jinja2", "werkzeug", "wtforms", "flask", "gunicorn", "psycopg")
OURS = ("marketplace/", "prakerja_gateway/", "platforms/", "institutions/", "catalog_seed/")


def py_spy() -> str:
    found = shutil.which("py-spy")
    if found is None:
        raise SystemExit("--profile needs py-spy: pip install -e '.[profile]'")
    return found


class WorkerProfiles:
    """py-spy recording each of the workers for ``seconds``; ``finish`` waits and summarises."""

    def __init__(self, workers: list[int], folder: Path, name: str, seconds: int):
        self.folder, self.name = folder, name
        self.outputs = [folder / f"{name}-{pid}.txt" for pid in workers]
        self.recorders = [
            subprocess.Popen(
                [
                    py_spy(),
                    "record",
                    "--pid",
                    str(pid),
                    "--format",
                    "raw",
                    "--rate",
                    str(RATE),
                    "--duration",
                    str(seconds),
                    "--nonblocking",
                    "--output",
                    str(output),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for pid, output in zip(workers, self.outputs, strict=True)
        ]

    def finish(self) -> Path:
        for recorder in self.recorders:
            recorder.wait(timeout=120)
        summary = self.folder / f"{self.name}-profile.txt"
        summary.write_text(summarise([o for o in self.outputs if o.exists()]))
        return summary


def summarise(collapsed: list[Path], top: int = 25) -> str:
    """The functions with the most samples of their own, and each library's share (by the
    innermost frame of a sample), from py-spy's collapsed stacks."""
    own, libraries, total = Counter(), Counter(), 0
    for path in collapsed:
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            innermost = stack.rsplit(";", 1)[-1]
            own[innermost] += int(count)
            libraries[_library(innermost)] += int(count)
            total += int(count)
    if not total:
        return "no samples (was py-spy allowed to read the workers?)\n"
    lines = [f"{total} samples", "", "own samples, top functions:"]
    lines += [f"{100 * n / total:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "by library of the innermost frame:"]
    lines += [f"{100 * n / total:5.1f}%  {name}" for name, n in libraries.most_common()]
    return "\n".join(lines) + "\n"


def _library(frame: str) -> str:
    for library in LIBRARIES:
        if f"{library}/" in frame or f"/{library}." in frame:
            return library
    if any(package in frame for package in OURS) or ".html:" in frame:
        return "this project"
    return "standard library and others"
