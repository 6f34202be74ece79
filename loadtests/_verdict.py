"""What makes a run pass: every checkout the users counted is a captured payment, the ledger
reconciles, no 5xx, and the failure ratio and p99 are within the thresholds.

The checkouts, failures and 5xx answers are counted over the whole run by this module itself
(``_tally``), not read from Locust's statistics: those restart after a warm-up (``_warm_up``),
with Locust's ``--reset-stats`` or from its web UI, and the payments captured before that must
still be matched. The p99 threshold and the figures written out (checkouts, seconds) are
Locust's, so they describe the run after any warm-up."""

from __future__ import annotations

import json
import logging
from collections import Counter

import requests
from locust import events
from locust.runners import MasterRunner, WorkerRunner

log = logging.getLogger("prakerja.loadtest")
CHECKOUT_STEPS = ("api: authorize", "tokopedia: otp", "bukalapak: otp", "pintaria: otp")
TALLY = "prakerja_tally"  # the key of a worker's counts in its reports to the master
_baseline: dict[str, int] = {}
# requests, failures, server_errors, checkouts: the whole run's on a local runner or the master;
# on a worker, those not yet sent to the master.
_tally: Counter[str] = Counter()


@events.test_start.add_listener
def start_tally(**_kwargs) -> None:
    _tally.clear()


@events.request.add_listener
def count_request(name, exception=None, **_kwargs) -> None:
    _tally["requests"] += 1
    if exception is not None:
        _tally["failures"] += 1
        _tally["server_errors"] += "HTTP 5" in str(exception)
    elif name in CHECKOUT_STEPS:
        _tally["checkouts"] += 1


@events.report_to_master.add_listener
def send_tally(data, **_kwargs) -> None:
    data[TALLY] = dict(_tally)
    _tally.clear()


@events.worker_report.add_listener
def add_worker_tally(data, **_kwargs) -> None:
    _tally.update(data.get(TALLY, {}))


def _reconcile(host: str) -> dict:
    return requests.get(f"{host}/sandbox/reconcile", timeout=120).json()


@events.test_start.add_listener
def remember_captured_payments(environment, **_kwargs) -> None:
    if isinstance(environment.runner, WorkerRunner):
        return
    _baseline["captured"] = _reconcile(environment.host)["totals"]["payments_captured"]


def checkouts(environment) -> int:
    """Successful final steps of a checkout, as the users saw them (aggregated over workers),
    since Locust's statistics last restarted (after the warm-up, if any)."""
    return sum(
        entry.num_requests - entry.num_failures
        for (name, _method), entry in environment.stats.entries.items()
        if name in CHECKOUT_STEPS
    )


def _elapsed(environment) -> float:
    """From the first request to the last one answered, the stop-timeout's drain included, so
    that checkouts per second never counts checkouts finished after the nominal run time."""
    total = environment.stats.total
    return max((total.last_request_timestamp or total.start_time) - total.start_time, 0.001)


@events.quitting.add_listener
def judge(environment, **_kwargs) -> None:
    options = environment.parsed_options
    if isinstance(environment.runner, WorkerRunner):
        return
    if "captured" not in _baseline:  # no test started
        if getattr(options, "headless", False):  # a headless run that never ran is no pass
            log.error("verdict: the run ended before any user started")
            environment.process_exit_code = 1
        return
    report = _reconcile(environment.host)
    captured = report["totals"]["payments_captured"] - _baseline["captured"]
    counted, server_errors = _tally["checkouts"], _tally["server_errors"]
    problems = []
    if counted == 0:
        problems.append("no checkout completed")
    if not report["ok"]:
        problems.append(
            "reconcile failed: "
            + ", ".join(check["name"] for check in report["checks"] if not check["ok"])
        )
    if captured != counted:
        problems.append(f"{counted} checkouts counted but {captured} payments captured")
    if server_errors:
        problems.append(f"{server_errors} responses with a 5xx status")
    fail_ratio = _tally["failures"] / max(_tally["requests"], 1)
    if fail_ratio > options.max_fail_ratio:
        problems.append(f"failure ratio {fail_ratio:.4f} above {options.max_fail_ratio}")
    if options.max_p99_ms:
        for (name, _method), entry in environment.stats.entries.items():
            p99 = entry.get_response_time_percentile(0.99) or 0
            if p99 > options.max_p99_ms:
                problems.append(f"p99 of '{name}' {p99:.0f} ms above {options.max_p99_ms:.0f} ms")
    for problem in problems:
        log.error("verdict: %s", problem)
    if problems:
        environment.process_exit_code = 1
    log.info(
        "verdict: %d checkouts, %d captured, reconcile %s",
        counted,
        captured,
        "ok" if report["ok"] else "FAILED",
    )
    if options.summary_json:
        with open(options.summary_json, "w") as out:
            json.dump(
                {
                    # after the warm-up, if any: what a rate is computed from
                    "checkouts": checkouts(environment),
                    "seconds": round(_elapsed(environment), 2),
                    "warm_up_seconds": getattr(options, "warm_up", 0.0),
                    "run_checkouts": counted,  # the whole run's, matched to the captured ones
                    "captured": captured,
                    "reconcile_ok": report["ok"],
                    "failures": _tally["failures"],  # the whole run's, as server_errors
                    "server_errors": server_errors,
                    "fail_ratio": fail_ratio,
                    "problems": problems,
                    "distributed": isinstance(environment.runner, MasterRunner),
                },
                out,
            )
