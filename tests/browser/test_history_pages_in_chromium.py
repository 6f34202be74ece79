"""A buyer with more orders than fit on one page of the history moves between its pages in
Chromium: from the simulator's home page to the store, eleven orders placed by clicking, and
the pages reached from the link in the storefront's header."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from platforms.core.flow import HISTORY_PAGE_SIZE
from tests.browser.conftest import register, save, search_and_open
from tests.browser.test_checkout_in_chromium import choose_schedule

pytestmark = pytest.mark.browser
COURSE = "Desain Grafis dengan Aplikasi Gratis"


def test_a_long_bukalapak_history_comes_a_page_at_a_time(site, page):
    account = {"name": "Peserta Riwayat", "email": "riwayat@contoh.test", "phone": "089812340001"}
    page.goto(site)  # the only address typed: the simulator's home page
    page.locator("ul.storefronts").get_by_role("link", name="Bukalapak").click()
    page.get_by_role("link", name="Daftar").first.click()
    register(page, account)
    for _ in range(HISTORY_PAGE_SIZE + 1):  # an order each time "Ya" accepts the terms
        search_and_open(page, COURSE)
        page.get_by_role("link", name="Beli Sekarang").click()
        choose_schedule(page)
        page.get_by_role("button", name="Ya").click()
        expect(page.get_by_role("button", name="Cek Kartu Prakerja")).to_be_visible()

    page.get_by_role("link", name="Daftar Tagihan").first.click()
    expect(page.locator(".order-row")).to_have_count(HISTORY_PAGE_SIZE)
    pages = page.get_by_test_id("history-pages")
    expect(pages).to_contain_text("Halaman 1")
    save(page, "bukalapak-history")
    pages.get_by_role("link", name="Lebih lama").click()
    expect(page.locator(".order-row")).to_have_count(1)
    expect(pages).to_contain_text("Halaman 2")
    pages.get_by_role("link", name="Lebih baru").click()
    expect(page.locator(".order-row")).to_have_count(HISTORY_PAGE_SIZE)
    expect(pages.get_by_role("link", name="Lebih baru")).to_have_count(0)
