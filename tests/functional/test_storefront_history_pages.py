"""A buyer's order history comes a page at a time, newest first, with links between the pages:
a buyer with many orders gets a page of the same size, not one that grows with each purchase."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import make_transient

from marketplace.db import db
from platforms.core.flow import HISTORY_PAGE_SIZE
from platforms.core.models import Order
from tests.functional.test_storefronts import order_code, reach_card_step

ROW = re.compile(r'<li class="order-row">.*?<small>([A-Z]+-INV-[0-9A-F]+(?:-\d+)?) ', re.S)


def with_orders(market, slug: str, count: int):
    """A signed-in buyer with ``count`` orders: one bought, the rest copies of it (invoice
    codes numbered so the newest is the last)."""
    shopper = reach_card_step(market, slug)
    first = order_code(shopper)
    with market.app.app_context():
        original = db.session.execute(select(Order).where(Order.code == first)).scalar_one()
        db.session.expunge(original)
        for n in range(1, count):
            make_transient(original)
            original.id = None
            original.code = f"{first}{n:02d}"
            original.invoice_code = f"{first}-{n:02d}"
            db.session.add(original)
            db.session.flush()
            db.session.expunge(original)
        db.session.commit()
    return shopper, first


def invoices_listed(shopper) -> list[str]:
    return ROW.findall(shopper.page)


@pytest.mark.parametrize("slug", ["tokopedia", "bukalapak", "pintaria"])
def test_the_history_shows_a_page_of_the_newest_orders_and_links_to_older_ones(market, slug):
    count = HISTORY_PAGE_SIZE + 2
    shopper, first = with_orders(market, slug, count)
    newest = [f"{first}-{n:02d}" for n in range(count - 1, 0, -1)] + [first]

    assert shopper.get("/riwayat").status == 200  # (the shopper keeps the last page only)
    assert invoices_listed(shopper) == newest[:HISTORY_PAGE_SIZE]
    assert "Lebih lama" in shopper.page and "Lebih baru" not in shopper.page
    assert f'href="/{slug}/riwayat?halaman=2"' in shopper.page

    shopper.get("/riwayat", halaman="2")
    assert invoices_listed(shopper) == newest[HISTORY_PAGE_SIZE:]
    assert "Lebih baru" in shopper.page and "Lebih lama" not in shopper.page
    assert f'href="/{slug}/riwayat" rel="prev"' in shopper.page


@pytest.mark.parametrize("asked", ["abc", "0", "-3", "99999999999999999999"])
def test_a_page_number_that_is_not_one_shows_the_first_page(market, asked):
    shopper, _first = with_orders(market, "tokopedia", 3)
    page = shopper.get("/riwayat", halaman=asked)
    assert page.status == 200
    assert len(invoices_listed(page)) == 3


def test_a_page_past_the_last_says_so_and_leads_back_to_the_first(market):
    shopper, _first = with_orders(market, "bukalapak", 2)
    page = shopper.get("/riwayat", halaman="5")
    assert page.status == 200
    assert invoices_listed(page) == []
    assert page.sees("Tidak ada transaksi di halaman 5", "Kembali ke halaman pertama")
    assert 'href="/bukalapak/riwayat"' in page.page
    assert 'data-testid="history-pages"' not in page.page  # no "newer" link to another empty page


def test_a_few_orders_need_no_page_links(market):
    shopper, _first = with_orders(market, "pintaria", 2)
    page = shopper.get("/kelas-saya")
    assert len(invoices_listed(page)) == 2
    assert 'data-testid="history-pages"' not in page.page


def test_pintarias_kelas_saya_pages_stay_on_its_own_address(market):
    shopper, _first = with_orders(market, "pintaria", HISTORY_PAGE_SIZE + 1)
    shopper.get("/kelas-saya")
    assert 'href="/pintaria/kelas-saya?halaman=2"' in shopper.page
    shopper.get("/kelas-saya", halaman="2")
    assert len(invoices_listed(shopper)) == 1 and shopper.sees("Kelas Saya")
