"""The README and docs/ hold together: every relative link points at a file that exists (and at
a heading of it, where it names one), and every page of docs/ can be reached from the index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]

FENCE = re.compile(r"^```.*?^```[ \t]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The page without its code blocks (a `# comment` in a shell block is no heading)."""
    return FENCE.sub("", text)


def links(page: Path) -> list[str]:
    return LINK.findall(CODE_SPAN.sub("", _prose(page.read_text())))


def slug(heading: str, seen: dict[str, int]) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens, and a
    -1, -2, … suffix on repeats."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
    count = seen.get(text, 0)
    seen[text] = count + 1
    return f"{text}-{count}" if count else text


def anchors(page: Path) -> set[str]:
    seen: dict[str, int] = {}
    return {slug(heading, seen) for heading in HEADING.findall(_prose(page.read_text()))}


def relative_links() -> list[tuple[Path, str]]:
    return [
        (page, target)
        for page in PAGES
        for target in links(page)
        if not re.match(r"^[a-z][a-z0-9+.-]*:", target)  # http:, https:, mailto:
    ]


@pytest.mark.parametrize(
    ("page", "target"),
    relative_links(),
    ids=[f"{page.relative_to(ROOT)}->{target}" for page, target in relative_links()],
)
def test_every_relative_link_points_at_an_existing_file_and_heading(page, target):
    path, _, anchor = target.partition("#")
    destination = (page.parent / path).resolve() if path else page
    assert destination.exists(), f"{page.relative_to(ROOT)} links to missing {target}"
    if anchor and destination.suffix == ".md":
        assert anchor in anchors(destination), (
            f"{page.relative_to(ROOT)} links to #{anchor}, no such heading in {destination.name}"
        )


def test_the_pages_have_relative_links_to_check():
    assert len(relative_links()) > 30


def test_every_docs_page_is_linked_from_the_index_or_the_readme():
    index = DOCS / "README.md"
    reached = {
        (source.parent / target.partition("#")[0]).resolve()
        for source in (ROOT / "README.md", index)
        for target in links(source)
    }
    for page in DOCS.glob("*.md"):
        if page != index:
            assert page.resolve() in reached, f"docs/{page.name} is linked from no index"


def test_the_slugs_follow_github():
    seen: dict[str, int] = {}
    assert slug("Skips, `MARKETPLACE_REQUIRE` and CI", seen) == "skips-marketplace_require-and-ci"
    assert slug("Participant *i*", seen) == "participant-i"
    assert slug("Institution (LP) API", seen) == "institution-lp-api"
    assert slug("Institution (LP) API", seen) == "institution-lp-api-1"
