"""Benchmark of the seeder: rows/s and peak memory for a given count.

    python -m catalog_seed.bench --count 1000000        # a fresh SQLite file
    python -m catalog_seed.bench --count 1000000 --reset \
        --database-url postgresql://postgres@127.0.0.1:5432/seedbench

Prints one JSON line (for scripts) and a short table. ``--reset`` drops every table of the
database first: use it only on a database made for the benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date

from catalog_seed.seeder import SeedRun, seed
from marketplace import create_app
from marketplace.database import init_database
from marketplace.db import db


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def run(count: int, database_url: str | None, reset: bool, seed_value: int) -> dict:
    url = database_url or f"sqlite:///{tempfile.mkdtemp(prefix='seedbench-')}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "AUTO_INIT_DB": False, "SECRET_KEY": "bench"})
    init_database(app, load_demo=False, reset=reset)
    rss_before = peak_rss_mb()
    with app.app_context():
        started = time.perf_counter()
        report = seed(
            db.engine,
            SeedRun(
                seed=seed_value,
                start=0,
                count=count,
                institutions=180,
                courses=600,
                anchor=date(2026, 11, 21),
            ),
        )
        seconds = time.perf_counter() - started
        dialect = db.engine.dialect.name
        db.engine.dispose()
    return {
        "database": dialect,
        "participants": report.participants,
        "rows": report.rows,
        "seconds": round(seconds, 2),
        "participants_per_s": round(report.participants / seconds),
        "rows_per_s": round(report.rows / seconds),
        "peak_rss_mb_before": round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmark the seeder.")
    parser.add_argument("--count", type=int, default=100_000, help="participants (default 100000)")
    parser.add_argument("--database-url", help="default: a new SQLite file in a temporary folder")
    parser.add_argument("--reset", action="store_true", help="drop every table first")
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    result = run(args.count, args.database_url, args.reset, args.seed)
    print(json.dumps(result))
    print(
        f"{result['database']}: {result['participants']:,} participants, {result['rows']:,} rows "
        f"in {result['seconds']} s = {result['rows_per_s']:,} rows/s; "
        f"peak memory {result['peak_rss_mb']} MB ({result['peak_rss_mb_before']} MB before)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
