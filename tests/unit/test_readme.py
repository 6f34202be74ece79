"""The README stays a newcomer's first hour, and the reference tables in docs/ stay true to the
code: test cards in docs/sandbox.md, error codes and sandbox triggers in docs/api.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prakerja_gateway.errors import GATEWAY_ERRORS, INSTITUTION_ERRORS, SANDBOX_TRIGGERS
from prakerja_gateway.sandbox.personas import PERSONAS, documented_card_number

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
DOCS = ROOT / "docs"
API_DOCS = (DOCS / "api.md").read_text()
SANDBOX_DOCS = (DOCS / "sandbox.md").read_text()

# CI (.ci/run) runs the second command; newcomers copy both: they must not drift.
TWO_COMMANDS = """```bash
# 1. install and serve the whole marketplace on SQLite, with demo data, at http://127.0.0.1:5000
python3 -m pip install -e . && python3 -m flask --app marketplace run

# 2. install the test extras and run the whole test suite
python3 -m pip install -e ".[test]" && python3 -m pytest
```"""


def test_the_readme_is_short():
    assert len(README.encode()) <= 6500, "the README is a first hour: move reference to docs/"


def test_the_readme_gives_the_two_commands_as_they_are():
    assert TWO_COMMANDS in README


@pytest.mark.parametrize("catalogue", [GATEWAY_ERRORS, INSTITUTION_ERRORS], ids=["dp", "lp"])
def test_every_error_code_is_in_the_api_docs_with_status_origin_and_message(catalogue):
    for kind in catalogue:
        origin = "real" if kind.real else "ours"
        row = f"| `{kind.code}` | {kind.status} | {origin} | `{kind.name}` | {kind.message} |"
        assert row in API_DOCS, f"docs/api.md lacks the row: {row}"


def test_every_test_card_is_in_the_sandbox_docs_with_its_number():
    for persona in PERSONAS:
        pattern = rf"\| `{persona.key}` \| {documented_card_number(persona)} \|"
        assert re.search(pattern, SANDBOX_DOCS), f"persona {persona.key} missing from sandbox.md"


def test_every_sandbox_trigger_is_in_the_api_docs():
    for trigger in SANDBOX_TRIGGERS:
        assert f"| `{trigger}` |" in API_DOCS, f"sandbox code {trigger} missing from docs/api.md"


@pytest.mark.parametrize(
    "page", ["README.md", *sorted(p.relative_to(ROOT).as_posix() for p in DOCS.glob("*.md"))]
)
def test_no_page_names_an_endpoint_of_the_invented_payment_api(page):
    text = (ROOT / page).read_text()
    for gone in ("otp/request", "card/inquiry", "/charge", "/refund", "otp/resend"):
        assert gone not in text, f"{page} still mentions {gone}"
