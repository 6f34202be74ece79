"""The bench judges every scenario against the bare ceiling measured in the same run."""

from __future__ import annotations

import io

from loadtests.bench import _bare_table, _ratio

BARE = {
    "checkouts": 3000, "elapsed_s": 15.0, "checkouts_per_s": 200.0, "workers": "gthread 2x8",
    "users": 16, "p50": 9, "p99": 700, "failures": 0, "exit_code": 0,
}  # fmt: skip


def test_each_scenario_is_divided_by_the_ceiling_of_its_run():
    assert _ratio({"checkouts": 1500, "elapsed_s": 15.0}, BARE) == 0.5
    assert _ratio({"checkouts": 450, "elapsed_s": 15.0}, BARE) == 0.15
    assert _ratio({"checkouts": 450, "elapsed_s": 15.0}, None) is None  # --no-bare
    assert _ratio(None, BARE) is None  # the scenario did not run (--only)
    assert _ratio({"checkouts": 450, "elapsed_s": 15.0}, {**BARE, "checkouts": 0}) is None


def test_the_table_names_every_scenario_with_its_ratio():
    out = io.StringIO()
    ratios = {"PartnerApiUser": 0.5, "TokopediaShopper": 0.15, "PintariaShopper": None}
    _bare_table({"bare_ceiling": BARE, "ratios_to_bare": ratios}, out)
    lines = out.getvalue().splitlines()
    assert "PartnerApiUser at 0.50× the ceiling" in lines
    assert "TokopediaShopper at 0.15× the ceiling" in lines
    assert not any(line.startswith("PintariaShopper") for line in lines)
