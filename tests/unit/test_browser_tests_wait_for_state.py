"""Browser tests wait for state, not for luck: a click on a link does not wait for the next page,
so an assertion that reads the page once (``is_visible()``, ``count()``, ``inner_text() ==``) can
read the page being left. CI failed that way twice (a schedule list and a transaction history
checked before their page had loaded); Playwright's ``expect`` retries until its timeout."""

from __future__ import annotations

import re
from pathlib import Path

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"

# An ``assert`` that reads the page once instead of waiting for it.
ONE_SHOT_READ = re.compile(
    r"^\s*assert\b.*\.(is_visible|is_hidden|is_checked|is_enabled|count|inner_text|text_content)\(\)"
)


def test_browser_tests_assert_on_the_page_with_expect():
    offenders = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(BROWSER_TESTS.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ONE_SHOT_READ.search(line)
    ]
    assert not offenders, "use playwright's expect(...) instead:\n" + "\n".join(offenders)


def test_the_guard_catches_a_one_shot_read():
    assert ONE_SHOT_READ.search('    assert page.get_by_text("Berhasil").first.is_visible()')
    assert ONE_SHOT_READ.search('    assert page.get_by_test_id("x").count() == 0')
    assert not ONE_SHOT_READ.search('    expect(page.get_by_text("Berhasil")).to_be_visible()')
