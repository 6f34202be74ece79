"""Links every storefront page carries (header, footer, stylesheet, the search's facets) are
built once per process (``platforms.core.links.kept_url``): the same as built anew, apart per
script root, and a bounded number of them."""

from __future__ import annotations

import re

import pytest

from platforms.core import links
from tests.functional.storefront import Shopper
from tests.helpers import Marketplace

HREF = re.compile(r'(?:href|action)="([^"]+)"')


@pytest.fixture(autouse=True)
def nothing_kept(monkeypatch):
    monkeypatch.setattr(links, "_KEPT_URLS", {})


def test_kept_links_are_those_built_anew(make_app):
    market = Marketplace(make_app())
    first = Shopper(market, "tokopedia").get("/cari", q="Desain", kategori="Keterampilan Digital")
    assert links._KEPT_URLS
    again = Shopper(market, "tokopedia").get("/cari", q="Desain", kategori="Keterampilan Digital")
    links._KEPT_URLS.clear()
    fresh = Shopper(market, "tokopedia").get("/cari", q="Desain", kategori="Keterampilan Digital")
    assert HREF.findall(first.page) == HREF.findall(again.page) == HREF.findall(fresh.page)
    assert "/tokopedia/cari?q=Desain&amp;kategori=Keterampilan+Digital" in again.page
    assert 'href="/storefront-static/storefront.css"' in again.page


def test_links_follow_each_script_root(make_app):
    market = Marketplace(make_app())
    client = market.app.test_client()
    mounted = client.get("/tokopedia/", base_url="http://localhost/simulator")
    plain = client.get("/tokopedia/")
    mounted_links = HREF.findall(mounted.get_data(as_text=True))
    plain_links = HREF.findall(plain.get_data(as_text=True))
    assert "/simulator/tokopedia/cari" in mounted_links and "/tokopedia/cari" in plain_links
    assert not any(link.startswith("/simulator") for link in plain_links)
    assert all(
        link.startswith(("/simulator", "http", "#")) for link in mounted_links if link[0] == "/"
    )


def test_a_stream_of_distinct_searches_keeps_a_bounded_number(make_app, monkeypatch):
    monkeypatch.setattr(links, "MAX_KEPT_URLS", 8)
    shopper = Shopper(Marketplace(make_app()), "tokopedia")
    for number in range(12):  # an unknown order is searched as "relevan" but kept in the links
        assert shopper.get("/cari", q="Desain", urut=f"urutan{number}").status == 200
        assert len(links._KEPT_URLS) <= 8
    assert "urut=urutan11" in shopper.page
