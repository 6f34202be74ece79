"""The README's reference tables stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prakerja_gateway.errors import GATEWAY_ERRORS, INSTITUTION_ERRORS, SANDBOX_TRIGGERS
from prakerja_gateway.sandbox.personas import PERSONAS, documented_card_number

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
API_DOCS = (ROOT / "docs" / "api.md").read_text()


@pytest.mark.parametrize("catalogue", [GATEWAY_ERRORS, INSTITUTION_ERRORS], ids=["dp", "lp"])
def test_every_error_code_is_in_the_api_docs_with_status_origin_and_message(catalogue):
    for kind in catalogue:
        origin = "real" if kind.real else "ours"
        row = f"| `{kind.code}` | {kind.status} | {origin} | `{kind.name}` | {kind.message} |"
        assert row in API_DOCS, f"docs/api.md lacks the row: {row}"


def test_every_test_card_is_in_the_readme_with_its_number():
    for persona in PERSONAS:
        pattern = rf"\| `{persona.key}` \| {documented_card_number(persona)} \|"
        assert re.search(pattern, README), f"persona {persona.key} missing from the README"


def test_every_sandbox_trigger_is_in_the_api_docs():
    for trigger in SANDBOX_TRIGGERS:
        assert f"| `{trigger}` |" in API_DOCS, f"sandbox code {trigger} missing from docs/api.md"


def test_the_readme_names_no_endpoint_of_the_invented_payment_api():
    for gone in ("otp/request", "card/inquiry", "/charge", "/refund", "otp/resend"):
        assert gone not in README, f"the README still mentions {gone}"
