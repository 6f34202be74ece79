"""The README's reference tables stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from prakerja_gateway.errors import GATEWAY_ERRORS, INSTITUTION_ERRORS, SANDBOX_TRIGGERS
from prakerja_gateway.sandbox.personas import PERSONAS, documented_card_number

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def test_every_error_code_is_in_the_readme_under_its_status():
    for kind in GATEWAY_ERRORS:
        row = next(line for line in README.splitlines() if line.startswith(f"| {kind.status} |"))
        assert f"`{kind.code}`" in row, f"{kind.code} ({kind.status}) missing from the README"


def test_every_test_card_is_in_the_readme_with_its_number():
    for persona in PERSONAS:
        pattern = rf"\| `{persona.key}` \| {documented_card_number(persona)} \|"
        assert re.search(pattern, README), f"persona {persona.key} missing from the README"


def test_every_institution_error_and_sandbox_trigger_is_in_the_readme():
    for kind in INSTITUTION_ERRORS:
        if kind.status in (400, 401):
            row = next(
                line
                for line in README.splitlines()
                if f"| {kind.status} |" in line and f"`{kind.code}`" in line
            )
        else:
            row = next(
                (line for line in README.splitlines() if line.startswith(f"| `{kind.code}` |")), ""
            )
        assert f"| {kind.status} |" in row, f"{kind.code} ({kind.status}) missing from the README"
    for trigger in SANDBOX_TRIGGERS:
        assert f"| `{trigger}` |" in README, f"sandbox code {trigger} missing from the README"
