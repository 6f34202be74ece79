"""What a storefront keeps of its course lists (``platforms.core.listing``) and of the course
behind a training page (``platforms.core.courses``).

Search results with their counts, a storefront's home page and Pintaria's menu are kept as plain
values for ``STOREFRONT_CATALOG_SECONDS``: the same search a moment later reads nothing, a change
to the catalogue shows once the kept list is older than the setting, and 0 reads every time."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from marketplace.catalog.models import Course, CourseListing
from marketplace.db import db
from platforms.core import listing
from tests.functional.storefront import Shopper
from tests.helpers import Marketplace


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    monkeypatch.setattr(listing, "_kept", {})


def course_reads(market: Marketplace) -> list[str]:
    """Each statement that reads the catalogue's courses, from now on."""
    seen: list[str] = []
    with market.app.app_context():

        @event.listens_for(db.engine, "before_cursor_execute")
        def _count(_conn, _cursor, statement, *_args):
            if "FROM catalog_courses" in statement or "JOIN catalog_courses" in statement:
                seen.append(statement)

    return seen


def retitle(market: Marketplace, code: str, title: str) -> None:
    with market.app.app_context(), Session(db.engine) as other:
        other.execute(update(Course).where(Course.course_code == code).values(title=title))
        other.commit()


def test_the_same_search_a_moment_later_reads_nothing_and_shows_the_same(make_app):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    shopper = Shopper(market, "tokopedia")
    first = shopper.get("/cari", q="Desain").page
    reads = course_reads(market)
    second = Shopper(market, "tokopedia").get("/cari", q="Desain")
    assert second.status == 200
    assert reads == []
    assert second.page.count('class="course-card"') == first.count('class="course-card"') > 0
    assert "Desain Grafis dengan Aplikasi Gratis" in second.page


def test_a_catalogue_change_shows_once_the_kept_list_is_older_than_the_setting(
    make_app, monkeypatch
):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=2))
    shopper = Shopper(market, "tokopedia")
    assert "Desain Grafis dengan Aplikasi Gratis" in shopper.get("/cari", q="Desain").page
    retitle(market, "DIG-004", "Desain Grafis Lanjutan")
    assert "Desain Grafis dengan Aplikasi Gratis" in shopper.get("/cari", q="Desain").page
    later = listing.time.monotonic() + 3
    monkeypatch.setattr(listing.time, "monotonic", lambda: later)
    page = shopper.get("/cari", q="Desain").page
    assert "Desain Grafis Lanjutan" in page
    assert "Desain Grafis dengan Aplikasi Gratis" not in page


def test_zero_reads_on_every_visit(make_app):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=0))
    shopper = Shopper(market, "tokopedia")
    shopper.get("/cari", q="Desain")
    retitle(market, "DIG-004", "Desain Grafis Lanjutan")
    assert "Desain Grafis Lanjutan" in shopper.get("/cari", q="Desain").page


def test_each_search_facet_and_platform_is_kept_apart(make_app):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    everything = Shopper(market, "tokopedia").get("/cari").page
    category = Shopper(market, "tokopedia").get("/cari", kategori="Keterampilan Digital").page
    other_platform = Shopper(market, "bukalapak").get("/cari").page
    assert everything.count('class="course-card"') > category.count('class="course-card"') > 0
    assert "Lembaga pelatihan" in category and "Lembaga pelatihan" not in everything
    assert "platform-bukalapak" in other_platform


def test_home_and_pintaria_menu_are_kept_too(make_app):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    home = Shopper(market, "tokopedia").get("/").page
    menu = Shopper(market, "pintaria").get("/kartuprakerja").page
    reads = course_reads(market)
    assert Shopper(market, "tokopedia").get("/").page.count('class="course-card"') == (
        home.count('class="course-card"')
    )
    assert (
        Shopper(market, "pintaria").get("/kartuprakerja").page.count('class="course-card"')
        == menu.count('class="course-card"')
        > 0
    )
    assert reads == []
    assert {key[1] for _root, key in listing._kept} == {"home", "menu"}


def test_a_kept_list_links_like_a_fresh_one(make_app):
    """The cards are kept as HTML: their links and text are those of a page rendered anew."""
    kept_market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    Shopper(kept_market, "tokopedia").get("/cari", q="Kartu Prakerja")
    kept = Shopper(kept_market, "tokopedia").get("/cari", q="Kartu Prakerja").page
    listing._kept.clear()
    kept_market.app.config["STOREFRONT_CATALOG_SECONDS"] = 0
    fresh = Shopper(kept_market, "tokopedia").get("/cari", q="Kartu Prakerja").page
    grid = re.compile(r'<ul class="course-grid">.*?</ul>', re.S)
    assert grid.search(kept).group(0) == grid.search(fresh).group(0)
    assert 'href="/tokopedia/p/DIG-004"' in kept


def test_a_stream_of_distinct_searches_keeps_a_bounded_number(make_app, monkeypatch):
    monkeypatch.setattr(listing, "MAX_KEPT", 5)
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    shopper = Shopper(market, "tokopedia")
    for number in range(12):
        assert shopper.get("/cari", q=f"kata{number}").status == 200
    assert 1 <= len(listing._kept) <= 5


def test_a_training_page_a_moment_later_reads_no_course(make_app):
    """The course behind a training page is kept too (``platforms.core.courses``): the next
    visit (or the buy step, which reads it the same way) reads no course row and shows the same
    training."""
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60, STOREFRONT_QUOTA_SECONDS=60))
    first = Shopper(market, "tokopedia").get("/p/DIG-004")
    reads = course_reads(market)  # Prakerja's quota answers are kept too: no read of theirs
    again = Shopper(market, "tokopedia").get("/p/DIG-004")
    assert reads == []
    assert again.status == first.status == 200
    assert "Desain Grafis dengan Aplikasi Gratis" in again.page
    assert again.page.count('name="schedule_code"') == first.page.count('name="schedule_code"') > 0


def test_a_kept_course_changes_once_older_than_the_setting(make_app, monkeypatch):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=2))
    shopper = Shopper(market, "tokopedia")
    assert "Desain Grafis dengan Aplikasi Gratis" in shopper.get("/p/DIG-004").page
    retitle(market, "DIG-004", "Desain Grafis Lanjutan")
    assert "Desain Grafis dengan Aplikasi Gratis" in shopper.get("/p/DIG-004").page
    later = listing.time.monotonic() + 3
    monkeypatch.setattr(listing.time, "monotonic", lambda: later)
    assert "Desain Grafis Lanjutan" in shopper.get("/p/DIG-004").page


def test_a_kept_course_is_still_sold_only_where_it_is_listed(make_app):
    market = Marketplace(make_app(STOREFRONT_CATALOG_SECONDS=60))
    with market.app.app_context():
        listed_on = set(
            db.session.execute(
                select(CourseListing.platform_slug)
                .join(Course)
                .where(Course.course_code == "DIG-004")
            ).scalars()
        )
    for slug in ("tokopedia", "bukalapak", "pintaria"):
        for _visit in range(2):  # the second visit uses the kept course
            status = Shopper(market, slug).get("/p/DIG-004").status
            assert status == (200 if slug in listed_on else 404)
    assert Shopper(market, "tokopedia").get("/p/TIDAK-ADA").status == 404
