"""The README's reference tables stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from prakerja_gateway.errors import GATEWAY_ERRORS
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
