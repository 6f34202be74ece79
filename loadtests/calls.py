"""What one checkout costs, counted rather than timed: Locust's own user classes run in this
process against the app through Flask's test client, on a fresh SQLite database.

    python -m loadtests.calls                        # every user class, 100 checkouts each
    python -m loadtests.calls --only TokopediaShopper --checkouts 200 --profile-dir /tmp/prof

Per user class and per named step: requests and SQL statements a checkout, and milliseconds a
request; per checkout: requests, statements, Python function calls (cProfile) and milliseconds.
The bench (``python -m loadtests.bench``) measures throughput under gunicorn, which moves with a
shared machine's speed by tens of per cent; the calls and statements here come out nearly the
same run after run (the catalogue and quota answers kept for 2 s refresh by the clock, so a much
slower run counts up to about 1 % more), so they show what a change to the code saves even when
the bench cannot. They leave out gunicorn, the sockets and Locust's own work, and the time spent
in the test client counts as the server's.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import pstats
import sys
import tempfile
import time
import types
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from locust.exception import StopUser  # before the app: Locust patches ssl and more for gevent
from sqlalchemy import event

from loadtests import bench
from loadtests import locustfile as flows

USER_CLASSES = {
    name: getattr(flows, name)
    for name in ("PartnerApiUser", "TokopediaShopper", "BukalapakShopper", "PintariaShopper")
}
WARM_UP_CHECKOUTS = 3  # first requests fill caches (statements, templates, the catalogue)


@dataclass
class Step:
    requests: int = 0
    statements: int = 0
    seconds: float = 0.0


class InProcessClient:
    """The part of Locust's ``FastHttpUser.client`` the user classes use, over Flask's test
    client: each named request counted with its statements and time."""

    def __init__(self, app, statements: list[int]):
        self.app_client = app.test_client()
        self.statements = statements
        self.steps: dict[str, Step] = defaultdict(Step)
        self.failures: list[str] = []

    @contextlib.contextmanager
    def request(self, method, path, name, *, catch_response=True, params=None, data=None,
                json=None, headers=None):  # fmt: skip
        before, started = self.statements[0], time.perf_counter()
        response = self.app_client.open(
            path, method=method, query_string=params, data=data, json=json, headers=headers,
            follow_redirects=True,  # as Locust's client does
        )  # fmt: skip
        step = self.steps[name]
        step.requests += 1
        step.seconds += time.perf_counter() - started
        step.statements += self.statements[0] - before
        yield Answer(response, name, self.failures)


class Answer:
    """A response as the user classes read it (``text``, ``json()``, ``success``/``failure``)."""

    def __init__(self, response, name: str, failures: list[str]):
        self.status_code = response.status_code
        self.text = response.get_data(as_text=True)
        self._response, self._name, self._failures = response, name, failures

    def json(self):
        return self._response.get_json()

    def success(self) -> None:
        pass

    def failure(self, why: str) -> None:
        self._failures.append(f"{self._name}: {why}")


def main(argv: list[str] | None = None) -> None:
    args = _parse(argv)
    os.environ.update(bench.SERVER_SETTINGS)  # the bench server's settings, read by create_app
    chosen = args.only or list(USER_CLASSES)
    per_class = _participants_needed(args.checkouts)
    with tempfile.TemporaryDirectory(prefix="loadcalls-") as folder:
        url = f"sqlite:///{Path(folder) / 'calls.sqlite3'}"
        bench.prepare(url, False, per_class * len(chosen))
        # Each user class takes its own slice, as the workers of a distributed run do.
        results = {
            name: count_checkouts(url, name, (index, len(chosen), per_class), args)
            for index, name in enumerate(chosen)
        }
    failed = any(result["failures"] for result in results.values())
    print(json.dumps(results))
    _table(results)
    sys.exit(1 if failed else 0)


def count_checkouts(url: str, name: str, participants: tuple[int, int, int], args) -> dict:
    """``args.checkouts`` checkouts of one user class timed, then as many more under cProfile.
    ``participants``: (this class's slice, how many slices, participants a slice)."""
    from marketplace import create_app
    from marketplace.db import db

    app = create_app({"DATABASE_URL": url, "AUTO_INIT_DB": False})
    statements = [0]
    with app.app_context():
        engine = db.engine

    def count(*_):
        statements[0] += 1

    event.listen(engine, "before_cursor_execute", count)
    user, client = _user(app, name, participants, args, statements)
    try:
        user.on_start()
        for _ in range(WARM_UP_CHECKOUTS):
            user.checkout()
        client.steps.clear()
        started = time.perf_counter()
        for _ in range(args.checkouts):
            user.checkout()
        seconds = time.perf_counter() - started
        # copies: the profiled checkouts below go on counting into the client's steps
        steps = {step: replace(figures) for step, figures in sorted(client.steps.items())}
        calls = _python_calls(user, args, name)
    except StopUser:  # the user class gave up (nothing on sale): its failure says why
        return _result({}, 0, 0.0, 0.0, client.failures)
    finally:
        event.remove(engine, "before_cursor_execute", count)
        engine.dispose()
    return _result(steps, args.checkouts, seconds, calls, client.failures)


def _user(app, name: str, participants: tuple[int, int, int], args, statements: list[int]):
    """One user of the class with the in-process client, buying with its own slice of the
    seeded participants (``loadtests.locustfile.pool``, as a worker of that index would)."""
    slice_index, slices, per_slice = participants
    options = types.SimpleNamespace(
        seed=bench.SEED, first_participant=bench.FIRST, participants=slices * per_slice,
        max_workers=slices, course=args.course,
    )  # fmt: skip
    client = InProcessClient(app, statements)
    environment = types.SimpleNamespace(
        parsed_options=options,
        runner=types.SimpleNamespace(worker_index=slice_index),
        events=types.SimpleNamespace(request=Failures(client)),
    )
    user = USER_CLASSES[name].__new__(USER_CLASSES[name])  # no Locust environment to run in
    user.environment, user.client = environment, client
    return user, client


class Failures:
    """``events.request``: the user classes report a step that could not go on through it."""

    def __init__(self, client: InProcessClient):
        self.client = client

    def fire(self, *, name, exception, **_):
        self.client.failures.append(f"{name}: {exception}")


def _python_calls(user, args, name: str) -> float:
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.checkouts):
        user.checkout()
    profile.disable()
    figures = pstats.Stats(profile)
    if args.profile_dir:
        Path(args.profile_dir).mkdir(parents=True, exist_ok=True)
        figures.dump_stats(Path(args.profile_dir) / f"{name}.prof")
    return figures.total_calls / args.checkouts


def _result(
    steps: dict[str, Step], checkouts: int, seconds: float, calls: float, failures: list
) -> dict:
    if not checkouts:
        return {"checkouts": 0, "steps": {}, "failures": failures}
    return {
        "checkouts": checkouts,
        "requests_per_checkout": round(sum(s.requests for s in steps.values()) / checkouts, 2),
        "statements_per_checkout": round(sum(s.statements for s in steps.values()) / checkouts, 1),
        "python_calls_per_checkout": round(calls),
        "ms_per_checkout": round(seconds * 1000 / checkouts, 2),
        "steps": {
            step: {
                "requests_per_checkout": round(s.requests / checkouts, 2),
                "statements_per_request": round(s.statements / s.requests, 1),
                "ms_per_request": round(s.seconds * 1000 / s.requests, 2),
            }
            for step, s in steps.items()
        },
        "failures": failures,
    }


def _participants_needed(checkouts: int) -> int:
    """The API user takes a new participant every checkout, a shopper every 35 (its saldo)."""
    return checkouts * 2 + WARM_UP_CHECKOUTS + 10


def _table(results: dict) -> None:
    out = sys.stderr
    for name, result in results.items():
        if result["checkouts"]:
            _counts_table(name, result, out)
        else:
            print(f"\n{name}: no checkout", file=out)
        for failure in result["failures"][:10]:
            print(f"  failed: {failure}", file=out)


def _counts_table(name: str, result: dict, out) -> None:
    print(
        f"\n{name}: {result['python_calls_per_checkout']:,} Python calls, "
        f"{result['statements_per_checkout']} statements, "
        f"{result['requests_per_checkout']} requests, {result['ms_per_checkout']} ms "
        f"a checkout ({result['checkouts']} checkouts, {len(result['failures'])} failures)",
        file=out,
    )
    print(f"  {'step':40} {'reqs/checkout':>13} {'stmts/req':>9} {'ms/req':>7}", file=out)
    for step, figures in result["steps"].items():
        print(
            f"  {step:40} {figures['requests_per_checkout']:>13} "
            f"{figures['statements_per_request']:>9} {figures['ms_per_request']:>7}",
            file=out,
        )


def _parse(argv):
    parser = argparse.ArgumentParser(
        description="Count what one checkout costs in-process: requests, SQL statements and "
        "Python calls per checkout, per Locust user class."
    )
    parser.add_argument(
        "--checkouts", type=bench.at_least_one, default=100,
        help="measured per user class (default 100)",
    )  # fmt: skip
    parser.add_argument("--only", nargs="*", choices=list(USER_CLASSES), help="only these")
    parser.add_argument("--profile-dir", help="write each user class's cProfile stats here")
    parser.add_argument(
        "--course", default="DIG-004", help="the training bought (default: the demo's DIG-004)"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    main()
