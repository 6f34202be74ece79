"""The load benchmark: seed, serve under gunicorn, run a fixed headless scenario per user class,
stop, report.

    python -m loadtests.bench                         # SQLite in a temporary folder
    python -m loadtests.bench --database-url postgresql://postgres@127.0.0.1:5432/loadbench --reset

Prints one JSON line and a table: checkouts/s per flow, p50/p95/p99 per step, failures, the
reconcile verdict, and each gunicorn worker's peak memory. First, in the same run, the bare
ceiling (``loadtests/bare``: the same SQL behind 3 plain Flask endpoints, gunicorn gthread 2×8, on
the same kind of database; ``--no-bare`` skips it) and each scenario's ratio to it. Locust's
HTML and CSV reports go to ``--report-dir`` (default ``loadtests/reports/<time>``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import requests

from loadtests._command import locust_command
from loadtests._profile import WorkerProfiles, py_spy
from loadtests._serving import START_SECONDS, free_port, wait_until_answers
from loadtests.bare import run as bare_run
from loadtests.bare.app import seed_bare

ROOT = Path(__file__).resolve().parents[1]
FIRST = 14_400_000  # wave 48, normal scheme
SEED = 2020  # the seeder's seed: the load tests' --seed default
SCENARIOS = {  # user class -> concurrent users (Locust runs on the same 2 cores as the server)
    "PartnerApiUser": 16,
    "TokopediaShopper": 8,
    "BukalapakShopper": 8,
    "PintariaShopper": 8,
}
# Seeded participants, shared out among the scenarios that run: inside wave 48 (150,000), whose
# purchase window is open. One scenario alone (a soak) has them all.
PARTICIPANTS = 140_000
BARE_USERS = SCENARIOS["PartnerApiUser"]  # the ceiling under the same load as the API flow
BARE_CARDS_PER_SECOND = 2_000  # one card per checkout, well above what 2 cores can do
# Left out of each run's figures (loadtests/_warm_up.py): all users start at once, and with 16 of
# them on 2 workers the first requests queue behind each other and behind the workers' first,
# slower ones; that crowd alone set the p99 of a 15 s run (send-otp: 440 ms over the run, 110 to
# 120 ms in every second after the second one, on a slow 2-core machine).
WARM_UP_SECONDS = 5.0
# The server's settings for a load test (also loadtests/calls.py, in-process).
SERVER_SETTINGS = {
    "MARKETPLACE_SECRET_KEY": "bench",
    # A load-test shopper re-buys with one card up to 35 times in a run, far faster than a
    # person: raise the hourly per-card and per-phone limits for the bench only.
    "MARKETPLACE_PAYMENTS_PER_CARD_PER_HOUR": "1000",
    "MARKETPLACE_OTP_SMS_PER_PHONE_PER_HOUR": "1000",
    # The storefront shoppers sign up throwaway accounts (and Pintaria's sign in with the
    # password): scrypt's deliberate 75 ms a hash was 5 % of a 20 s run's server CPU, spent on
    # sign-ups, not on the checkout measured. A cheap method, as marketplace.passwords advises
    # for load tests and as the tests use.
    "MARKETPLACE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
}


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    if args.profile:
        py_spy()  # fail now, not after seeding
    folder = Path(tempfile.mkdtemp(prefix="loadbench-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    reports = Path(
        args.report_dir
        or ROOT / "loadtests" / "reports" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    )
    reports.mkdir(parents=True, exist_ok=True)
    prepare(url, args.reset, PARTICIPANTS)
    chosen = [name for name in SCENARIOS if not args.only or name in args.only]
    share = PARTICIPANTS // (len(chosen) * args.rounds)  # every run buys with its own
    summaries = []
    for number in range(1, args.rounds + 1):
        folder_of_round = reports if args.rounds == 1 else reports / f"round-{number}"
        folder_of_round.mkdir(parents=True, exist_ok=True)
        first = FIRST + (number - 1) * len(chosen) * share
        summary = _round(url, folder, args, folder_of_round, chosen, first, share)
        if args.rounds > 1:
            summary["round"] = number
        print(json.dumps(summary), flush=True)
        _table(summary)
        summaries.append(summary)
    if args.rounds > 1:
        rounds = over_rounds(summaries)
        print(json.dumps(rounds))
        _rounds_table(rounds, sys.stderr)
    sys.exit(0 if all(_passed(summary) for summary in summaries) else 1)


def _round(url, folder: Path, args, reports: Path, chosen: list[str], first: int, share: int):
    """One round: the bare ceiling, then the project's server and every chosen scenario; the
    server is stopped before returning the round's summary."""
    bare = None if args.no_bare else _bare_ceiling(url, folder, args, reports)
    port = 8400 + os.getpid() % 500
    server = _gunicorn(
        url, port, args.workers, folder, worker_class=args.worker_class, threads=args.threads
    )
    host = f"http://127.0.0.1:{port}"
    sampler = MemorySampler(server.pid, every=args.sample_every)
    try:
        _wait(host)
        sampler.start()
        results = {}
        for index, name in enumerate(chosen):
            profiles = args.profile and WorkerProfiles(  # the whole run, warm-up included
                _workers_of(server.pid), reports, name, round(args.seconds + args.warm_up)
            )
            spent = CpuMeter(_workers_of(server.pid))
            results[name] = _scenario(
                host, name, SCENARIOS[name], first + index * share, share, args, reports
            )
            results[name].update(spent.per_checkout(results[name]["run_checkouts"]))
            if profiles:
                results[name]["profile"] = str(profiles.finish())
        memory = _worker_peaks(server.pid)
        sampler.stop()
        report = requests.get(f"{host}/sandbox/reconcile", timeout=300).json()
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {
        "database": url.split(":")[0],
        "workers": args.workers,
        "worker_class": args.worker_class,
        "threads": args.threads,
        "seconds": args.seconds,
        "warm_up_seconds": args.warm_up,
        "cpus": os.cpu_count(),
        "scenarios": results,
        "bare_ceiling": bare,
        "ratio_to_bare": _ratio(results.get("PartnerApiUser"), bare),
        "ratios_to_bare": {name: _ratio(result, bare) for name, result in results.items()},
        "reconcile_ok": report["ok"],
        "worker_peak_rss_mb": memory,
        "worker_rss_mb_over_time": sampler.samples,
        "reports": str(reports),
    }


def _passed(summary: dict) -> bool:
    bare = summary["bare_ceiling"]
    runs = [*summary["scenarios"].values(), *([bare] if bare else [])]
    return summary["reconcile_ok"] and all(run["exit_code"] == 0 for run in runs)


def over_rounds(summaries: list[dict]) -> dict:
    """Each scenario's figures over the rounds: every round's value, the median, the lowest and
    the highest. On a shared machine one run can be a third off the next; the median of a few
    rounds, and their spread, say more than any one of them."""
    figures = {
        name: {
            "checkouts_per_s": _spread(
                [s["scenarios"][name]["checkouts_per_s"] for s in summaries]
            ),
            "ratio_to_bare": _spread([s["ratios_to_bare"][name] for s in summaries]),
            "server_cpu_ms_per_checkout": _spread(
                [s["scenarios"][name]["server_cpu_ms_per_checkout"] for s in summaries]
            ),
            "worst_p99_ms": _spread([_worst_p99(s["scenarios"][name]) for s in summaries]),
        }
        for name in summaries[0]["scenarios"]
    }
    bare = [s["bare_ceiling"]["checkouts_per_s"] for s in summaries if s["bare_ceiling"]]
    return {
        "rounds": len(summaries),
        "scenarios": figures,
        "bare_ceiling": _spread(bare) if bare else None,
        "passed": all(_passed(summary) for summary in summaries),
    }


def _worst_p99(result: dict) -> float | None:
    return max((step["p99"] for step in result["steps"].values()), default=None)


def _spread(values: list) -> dict:
    known = [value for value in values if value is not None]
    if not known:
        return {"values": values, "median": None, "low": None, "high": None}
    return {
        "values": values,
        "median": round(statistics.median(known), 3),
        "low": min(known),
        "high": max(known),
    }


def _rounds_table(rounds: dict, out) -> None:
    print(f"\nover {rounds['rounds']} rounds: median (lowest–highest)", file=out)
    bare = rounds["bare_ceiling"]
    if bare:
        print(f"  {'bare ceiling':18} {_median_and_range(bare, '/s')}", file=out)
    for name, figures in rounds["scenarios"].items():
        ratio = figures["ratio_to_bare"]
        print(
            f"  {name:18} {_median_and_range(figures['checkouts_per_s'], '/s')}"
            + (f", {_median_and_range(ratio, '×', 2)}" if ratio["median"] is not None else "")
            + f"; server {_median_and_range(figures['server_cpu_ms_per_checkout'], ' ms')}"
            f" CPU a checkout; worst step p99 "
            f"{_median_and_range(figures['worst_p99_ms'], ' ms', 0)}",
            file=out,
        )


def _median_and_range(spread: dict, unit: str, digits: int = 1) -> str:
    if spread["median"] is None:
        return "–"
    median, low, high = (f"{spread[k]:.{digits}f}" for k in ("median", "low", "high"))
    return f"{median}{unit} ({low}–{high})"


def _parse(argv):
    parser = argparse.ArgumentParser(description="Benchmark the checkout path under gunicorn.")
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--reset", action="store_true", help="drop every table first")
    parser.add_argument(
        "--seconds", type=int, default=30, help="measured, per scenario (default 30)"
    )
    parser.add_argument(
        "--warm-up", type=float, default=WARM_UP_SECONDS,
        help=f"seconds before each measured run, left out of its figures (default "
        f"{WARM_UP_SECONDS:g}; 0: none)",
    )  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--worker-class",
        choices=["sync", "gthread"],
        default=os.environ.get("GUNICORN_WORKER_CLASS", "sync"),
        help="gunicorn worker class (default: as gunicorn.conf.py)",
    )
    parser.add_argument(
        "--threads", type=int, default=int(os.environ.get("GUNICORN_THREADS", 1)),
        help="threads per gthread worker (default: as gunicorn.conf.py)",
    )  # fmt: skip
    parser.add_argument("--only", nargs="*", choices=list(SCENARIOS), help="run only these")
    parser.add_argument(
        "--sample-every", type=float, default=10, help="seconds between worker memory samples"
    )
    parser.add_argument("--report-dir", help="where Locust's HTML and CSV reports go")
    parser.add_argument(
        "--profile", action="store_true",
        help="py-spy every worker during each scenario (pip install -e '.[profile]')",
    )  # fmt: skip
    parser.add_argument(
        "--no-bare", action="store_true", help="skip the bare ceiling (loadtests/bare)"
    )
    parser.add_argument(
        "--rounds", type=at_least_one, default=1,
        help="run everything this many times, one round after the other, and report each "
        "scenario's median and range over the rounds (default 1)",
    )  # fmt: skip
    return parser.parse_args(argv)


def at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return value


def prepare(url: str, reset: bool, participants: int) -> None:
    """The database a load run needs: the schema and the demo data, then ``participants``
    seeded participants from ``FIRST`` (wave 48), anchored today so their deadlines are open."""
    from catalog_seed.seeder import SeedRun, seed
    from marketplace import create_app
    from marketplace.clock import current_clock, wib_date
    from marketplace.database import init_database
    from marketplace.db import db

    app = create_app({"DATABASE_URL": url, "AUTO_INIT_DB": False, "SECRET_KEY": "bench"})
    init_database(app, load_demo=True, reset=reset)
    with app.app_context():
        anchor = wib_date(current_clock().now())
        seed(
            db.engine,
            SeedRun(
                seed=SEED,
                start=FIRST,
                count=participants,
                institutions=20,
                courses=60,
                anchor=anchor,
            ),
        )
        db.engine.dispose()


def _gunicorn(
    url: str, port: int, workers: int, folder: Path, *, worker_class: str | None = None,
    threads: int | None = None,
) -> subprocess.Popen:  # fmt: skip
    env = {
        **os.environ,
        **SERVER_SETTINGS,
        "DATABASE_URL": url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
    }
    if worker_class:
        env["GUNICORN_WORKER_CLASS"] = worker_class
    if threads:
        env["GUNICORN_THREADS"] = str(threads)
    # The server writes to its own copy of the descriptor: ours can be closed at once.
    with open(folder / "gunicorn.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait(host: str, seconds: float = START_SECONDS) -> None:
    """Until the server answers (a slow first answer on a busy machine included)."""
    wait_until_answers(f"{host}/sandbox/clock", seconds=seconds)


def _scenario(host, name, users, first, participants, args, reports: Path) -> dict:
    prefix = reports / name
    summary = reports / f"{name}.json"
    command = locust_command(
        host,
        name,
        users=users,
        seconds=args.seconds,
        warm_up=args.warm_up,
        first=first,
        participants=participants,
        summary=summary,
        extra=("--max-workers", "1", "--csv", str(prefix), "--html", str(prefix) + ".html"),
    )
    completed = subprocess.run(
        command,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    verdict = json.loads(summary.read_text()) if summary.exists() else {}
    steps = _steps(prefix)
    checkouts = verdict.get("checkouts", 0)  # after the warm-up, as the step figures
    elapsed = verdict.get("seconds", args.seconds)  # includes the drain after the run time
    return {
        "users": users,
        "checkouts": checkouts,
        "run_checkouts": verdict.get("run_checkouts", checkouts),  # the warm-up's included
        "elapsed_s": elapsed,
        "checkouts_per_s": round(checkouts / elapsed, 1),
        "failures": verdict.get("failures", sum(step["failures"] for step in steps.values())),
        "exit_code": completed.returncode,
        "problems": verdict.get("problems", []),
        "steps": steps,
    }


def _steps(prefix: Path) -> dict:
    """Requests, failures and p50/p95/p99 of each named step, from Locust's ``*_stats.csv``."""
    steps = {}
    with open(f"{prefix}_stats.csv") as stats:
        for row in csv.DictReader(stats):
            if row["Name"] == "Aggregated" or row["Request Count"] == "0":
                continue  # a step that ran only during the warm-up (a user's first page)
            steps[row["Name"]] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
            }
    return steps


def _bare_ceiling(url: str, folder: Path, args, reports: Path) -> dict:
    """What these cores do with the checkout's SQL alone: the bare app (``loadtests/bare``) on
    the same kind of database (its own SQLite file, or its ``bare_`` tables beside the project's),
    gunicorn gthread 2×8, driven like PartnerApiUser; the server is stopped before returning."""
    if url.startswith("sqlite"):
        url = f"sqlite:///{folder / 'bare.sqlite3'}"
    seconds = args.seconds
    cards = max(10_000, int(seconds + args.warm_up) * BARE_CARDS_PER_SECOND)
    seed_bare(url, cards)
    port = free_port()
    server = bare_run.start_gunicorn(url, port, folder)
    host = f"http://127.0.0.1:{port}"
    prefix, summary = reports / "bare", reports / "bare.json"
    try:
        bare_run.wait_until_up(host, server, START_SECONDS)
        command = bare_run.locust_command(
            host, users=BARE_USERS, seconds=seconds, warm_up=args.warm_up, cards=cards,
            summary=summary, extra=("--csv", str(prefix), "--html", str(prefix) + ".html"),
        )  # fmt: skip
        completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    finally:
        bare_run.stop(server)
    counted = json.loads(summary.read_text()) if summary.exists() else {}
    checkouts, elapsed = counted.get("checkouts", 0), counted.get("seconds", seconds)
    return {
        "workers": bare_run.WORKERS,
        "users": BARE_USERS,
        "checkouts": checkouts,
        "elapsed_s": elapsed,
        "checkouts_per_s": round(checkouts / elapsed, 1),
        "p50": counted.get("p50"),  # of the authorize step, as the API flow's in the table
        "p99": counted.get("p99"),
        "failures": counted.get("failures"),
        "exit_code": completed.returncode,
    }


def _ratio(result: dict | None, bare: dict | None) -> float | None:
    """A scenario's checkouts/s over the bare ceiling's (None if either did not run). For the
    storefronts too: on a machine whose speed wanders, their ratio compares two runs, or two
    machines, better than their checkouts/s."""
    if not (result and bare and bare["checkouts"]):
        return None
    per_s = result["checkouts"] / result["elapsed_s"]
    return round(per_s / (bare["checkouts"] / bare["elapsed_s"]), 3)


class CpuMeter:
    """CPU time spent from now on by the gunicorn workers and by this process's children (the
    Locust run), per checkout: on a shared, jittery host this compares two runs better than
    checkouts/s does, and it says how the cores were shared between the server and Locust."""

    def __init__(self, workers: list[int]):
        self.server = _cpu_seconds(workers)
        self.children = _children_cpu_seconds()

    def per_checkout(self, checkouts: int) -> dict:
        now = _cpu_seconds(list(self.server))
        server = sum(now[pid] - self.server[pid] for pid in now)  # a worker gone is left out
        locust = _children_cpu_seconds() - self.children
        each = max(checkouts, 1)
        return {
            "server_cpu_ms_per_checkout": round(server / each * 1000, 1),
            "locust_cpu_ms_per_checkout": round(locust / each * 1000, 1),
        }


def _cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User plus system CPU time of each of these processes still running (/proc/<pid>/stat)."""
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        spent[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return spent


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class MemorySampler(threading.Thread):
    """Each worker's resident memory (VmRSS) every few seconds: a soak shows whether it is flat."""

    def __init__(self, master: int, every: float):
        super().__init__(daemon=True)
        self.master, self.every = master, every
        self.samples: list[tuple[float, list[float]]] = []
        self._stopping = threading.Event()
        self._started_at = time.monotonic()

    def run(self) -> None:
        while not self._stopping.is_set():
            elapsed = round(time.monotonic() - self._started_at, 1)
            self.samples.append((elapsed, _worker_memory(self.master, "VmRSS")))
            self._stopping.wait(self.every)

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)


def _worker_peaks(master: int) -> list[float]:
    """Peak resident memory (VmHWM) of each gunicorn worker, in MB."""
    return _worker_memory(master, "VmHWM")


def _workers_of(master: int) -> list[int]:
    """The process ids of gunicorn's workers (children of its master)."""
    workers = []
    for entry in Path("/proc").iterdir():
        try:
            status = (entry / "status").read_text() if entry.name.isdigit() else ""
        except OSError:
            continue
        if f"\nPPid:\t{master}\n" in status:
            workers.append(int(entry.name))
    return sorted(workers)


def _worker_memory(master: int, field: str) -> list[float]:
    """A memory figure of /proc/<pid>/status for each gunicorn worker, in MB."""
    peaks = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and field in fields:
            peaks.append(round(int(fields[field].split()[0]) / 1024, 1))
    return sorted(peaks)


def _table(summary: dict) -> None:
    out = sys.stderr
    print(
        f"\n{summary['database']}, {summary['workers']} gunicorn {summary['worker_class']} "
        f"workers ({summary['threads']} threads), "
        f"{summary['seconds']} s per scenario after a {summary['warm_up_seconds']:g} s warm-up "
        f"(left out of the figures), {summary['cpus']} CPUs",
        file=out,
    )
    for name, result in summary["scenarios"].items():
        print(
            f"\n{name}: {result['checkouts_per_s']} checkouts/s ({result['users']} users, "
            f"{result['checkouts']} in {result['elapsed_s']:.1f} s; "
            f"{result['run_checkouts']} with the warm-up), "
            f"{result['failures']} failures, exit {result['exit_code']}",
            file=out,
        )
        print(
            f"  CPU per checkout (the warm-up's included): "
            f"server {result['server_cpu_ms_per_checkout']} ms, "
            f"Locust {result['locust_cpu_ms_per_checkout']} ms",
            file=out,
        )
        print(f"  {'step':44} {'reqs':>7} {'p50':>6} {'p95':>6} {'p99':>6}  ms", file=out)
        for step, figures in result["steps"].items():
            print(
                f"  {step:44} {figures['requests']:>7} {figures['p50']:>6.0f} "
                f"{figures['p95']:>6.0f} {figures['p99']:>6.0f}",
                file=out,
            )
    _bare_table(summary, out)
    print(
        f"\nreconcile: {'ok' if summary['reconcile_ok'] else 'FAILED'}; "
        f"worker peak memory (MB): {summary['worker_peak_rss_mb']}",
        file=out,
    )
    samples = summary["worker_rss_mb_over_time"]
    if len(samples) > 1:
        (first_at, first), (last_at, last) = samples[1], samples[-1]  # [0]: before any load
        print(
            f"worker memory (MB) at {first_at:.0f} s: {first}; at {last_at:.0f} s: {last}",
            file=out,
        )
    print(f"reports: {summary['reports']}", file=out)


def _bare_table(summary: dict, out) -> None:
    bare, ratios = summary["bare_ceiling"], summary["ratios_to_bare"]
    if bare is None:
        return
    print(
        f"\nbare ceiling: {bare['checkouts_per_s']} checkouts/s ({bare['workers']}, "
        f"{bare['users']} users, {bare['checkouts']} in {bare['elapsed_s']:.1f} s; authorize "
        f"p50 {bare['p50'] or 0:.0f} ms, p99 {bare['p99'] or 0:.0f} ms), "
        f"{bare['failures']} failures, exit {bare['exit_code']}",
        file=out,
    )
    for name, ratio in ratios.items():
        if ratio is not None:
            print(f"{name} at {ratio:.2f}× the ceiling", file=out)


if __name__ == "__main__":
    main()
