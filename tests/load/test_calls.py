"""``python -m loadtests.calls``: Locust's own user classes, run in-process, counted per
checkout. Run as a command (it imports Locust, which patches the standard library for gevent,
so not inside the test process). Not a timing test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def calls(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loadtests.calls", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_each_checkout_is_counted_step_by_step():
    run = calls("--only", "PartnerApiUser", "TokopediaShopper", "--checkouts", "2")
    assert run.returncode == 0, run.stderr[-3000:]
    results = json.loads(run.stdout.strip().splitlines()[-1])
    api, shop = results["PartnerApiUser"], results["TokopediaShopper"]
    assert api["failures"] == [] and shop["failures"] == []
    assert api["requests_per_checkout"] == 3.0  # send-otp, the SMS, authorize
    assert set(api["steps"]) == {"api: send-otp", "api: read SMS", "api: authorize"}
    assert 20 <= api["statements_per_checkout"] <= 100
    assert api["python_calls_per_checkout"] > 1_000
    assert shop["steps"]["tokopedia: card"]["statements_per_request"] > 10  # send-otp inside
    assert shop["python_calls_per_checkout"] > api["python_calls_per_checkout"]
    assert "TokopediaShopper:" in run.stderr and "Python calls" in run.stderr


def test_a_flow_that_cannot_buy_fails_the_count():
    run = calls("--only", "PartnerApiUser", "--checkouts", "2", "--course", "TIDAK-ADA")
    assert run.returncode == 1
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert results["PartnerApiUser"]["checkouts"] == 0
    assert "no schedule of TIDAK-ADA is on sale" in run.stderr
