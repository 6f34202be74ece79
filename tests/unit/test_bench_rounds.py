"""``python -m loadtests.bench --rounds N``: each scenario's median and range over the rounds."""

from __future__ import annotations

import io

import pytest

from loadtests.bench import _parse, _rounds_table, over_rounds


def a_round(api_per_s, shop_per_s, bare_per_s, *, exit_code=0, reconcile_ok=True) -> dict:
    def scenario(per_s, cpu, p99s):
        steps = {f"step {i}": {"p99": p99} for i, p99 in enumerate(p99s)}
        return {
            "checkouts_per_s": per_s, "server_cpu_ms_per_checkout": cpu, "steps": steps,
            "exit_code": exit_code,
        }  # fmt: skip

    bare = {"checkouts_per_s": bare_per_s, "exit_code": 0} if bare_per_s else None
    ratio = (lambda per_s: round(per_s / bare_per_s, 3)) if bare_per_s else (lambda _: None)
    return {
        "scenarios": {
            "PartnerApiUser": scenario(api_per_s, 15.0, [80.0, 120.0]),
            "TokopediaShopper": scenario(shop_per_s, 50.0, [40.0]),
        },
        "ratios_to_bare": {
            "PartnerApiUser": ratio(api_per_s),
            "TokopediaShopper": ratio(shop_per_s),
        },
        "bare_ceiling": bare,
        "reconcile_ok": reconcile_ok,
    }


def test_the_median_low_and_high_of_every_scenario_and_of_the_ceiling():
    rounds = over_rounds([a_round(100, 30, 200), a_round(120, 24, 200), a_round(90, 33, 180)])
    api, shop = rounds["scenarios"]["PartnerApiUser"], rounds["scenarios"]["TokopediaShopper"]
    assert api["checkouts_per_s"] == {
        "values": [100, 120, 90],
        "median": 100,
        "low": 90,
        "high": 120,
    }
    assert shop["checkouts_per_s"]["median"] == 30
    assert api["ratio_to_bare"]["median"] == 0.5 and api["ratio_to_bare"]["high"] == 0.6
    assert api["worst_p99_ms"]["median"] == 120.0
    assert rounds["bare_ceiling"]["median"] == 200
    assert rounds["rounds"] == 3 and rounds["passed"]


def test_an_even_number_of_rounds_takes_the_middle_two():
    rounds = over_rounds([a_round(100, 30, 0), a_round(110, 20, 0)])
    assert rounds["scenarios"]["PartnerApiUser"]["checkouts_per_s"]["median"] == 105
    assert rounds["bare_ceiling"] is None  # --no-bare
    assert rounds["scenarios"]["PartnerApiUser"]["ratio_to_bare"]["median"] is None


def test_one_failed_round_fails_them_all():
    assert not over_rounds([a_round(100, 30, 200), a_round(1, 1, 200, exit_code=1)])["passed"]
    assert not over_rounds([a_round(100, 30, 200, reconcile_ok=False)])["passed"]


def test_the_table_reads_as_median_and_range():
    out = io.StringIO()
    _rounds_table(over_rounds([a_round(100, 30, 200), a_round(120, 24, 200)]), out)
    text = out.getvalue()
    assert "over 2 rounds: median (lowest–highest)" in text
    assert "bare ceiling       200.0/s (200.0–200.0)" in text
    assert (
        "PartnerApiUser     110.0/s (100.0–120.0), 0.55× (0.50–0.60); server 15.0 ms "
        "(15.0–15.0) CPU a checkout; worst step p99 120 ms (120–120)"
    ) in text


def test_rounds_are_at_least_one():
    assert _parse(["--rounds", "3"]).rounds == 3
    assert _parse([]).rounds == 1
    with pytest.raises(SystemExit):
        _parse(["--rounds", "0"])
