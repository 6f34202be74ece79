"""A newcomer's first hour in headless Chromium: mint a test card from the front page, read its
OTPs, open its phone and inbox by clicking, read the redeem-code email, move the clock.

Nothing waits for time: Playwright's ``expect`` waits for the state the page should reach."""

from __future__ import annotations

import itertools

import pytest
import requests

from catalog_seed.demo import demo_credentials
from prakerja_gateway.client import GatewayClient, HttpTransport
from tests.browser.conftest import save

pytestmark = pytest.mark.browser
_invoices = itertools.count(1)


def buy_over_the_api(site: str, card_number: str, otp: str) -> str:
    """Set the stage as Tokopedia's backend would: send-otp, authorize; the redeem code."""
    courses = requests.get(f"{site}/sandbox/courses", timeout=10).json()["courses"]
    course = next(c for c in courses if c["course_code"] == "DIG-004")
    schedule = next(s for s in course["schedules"] if s["on_sale"])
    tokopedia = GatewayClient(*demo_credentials("tokopedia"), HttpTransport(site))
    opened = tokopedia.send_otp(
        prakerja_id=card_number,
        user_platform_id=f"peramban-{card_number[-6:]}",
        course_code="DIG-004",
        schedule_code=schedule["schedule_code"],
        amount=course["price"],
    )
    assert opened.status == 200, opened.body
    invoice = f"PERAMBAN-{next(_invoices):04d}"
    paid = tokopedia.authorize(
        opened.data["payment_token"],
        otp=otp,
        invoice_code=invoice,
        invoice_url=f"https://toko.example/{invoice}",
    )
    assert paid.status == 200, paid.body
    found = requests.get(f"{site}/sandbox/transactions/{invoice}", timeout=10).json()
    return found["redeem_code"]


def test_a_newcomer_mints_a_card_and_finds_everything_by_clicking(site, page):
    from playwright.sync_api import expect

    page.goto(f"{site}/")
    save(page, "sandbox-home")
    row = page.locator('tr[data-persona="ok"]')
    shared = row.locator("code.card-number").inner_text()
    row.get_by_role("button", name="Buat kartu baru").click()

    expect(page.get_by_test_id("fresh-card")).to_contain_text("Kartu baru dibuat")
    number = page.get_by_test_id("card-number").inner_text()
    assert len(number) == 16 and number != shared
    expect(page.get_by_test_id("balance")).to_have_text("Rp3.500.000")
    expect(page.locator('[data-otp-platform="Tokopedia"]')).to_have_text("123456")
    expect(page.locator('[data-otp-platform="Bukalapak"]')).to_have_text("ABCDE")
    expect(page.get_by_test_id("live-state")).to_contain_text("Bisa membeli sekarang.")
    save(page, "sandbox-new-card")

    redeem = buy_over_the_api(site, number, "123456")
    page.reload()
    expect(page.get_by_test_id("balance")).to_have_text("Rp3.400.000")
    expect(page.get_by_test_id("purchases")).to_contain_text(redeem)
    expect(page.get_by_test_id("live-state")).to_contain_text("Selesaikan pelatihan sebelumnya")

    phone = page.get_by_test_id("phone-link").inner_text()
    page.get_by_test_id("phone-link").click()
    expect(page).to_have_url(f"{site}/sandbox/phone/{phone}")
    expect(page.get_by_role("heading", name=f"Kotak masuk SMS {phone}")).to_be_attached()
    save(page, "sandbox-phone")
    page.get_by_role("link", name=f"kartu {number}").click()

    expect(page.get_by_test_id("card-number")).to_have_text(number)
    page.get_by_test_id("inbox-link").click()
    expect(page.get_by_role("heading", name="Kotak masuk email")).to_be_visible()
    save(page, "sandbox-inbox")
    page.get_by_role("link", name="Kode Redeem Pelatihan Prakerja").click()
    expect(page.get_by_test_id("email-body")).to_contain_text(f"Kode redeem Anda: {redeem}")
    save(page, "sandbox-email")

    page.get_by_role("link", name="Jam simulasi").click()
    expect(page.get_by_test_id("clock-offset")).to_have_text("Sama dengan waktu nyata.")
    page.get_by_label("Hari", exact=True).fill("1")
    page.get_by_label("Jam", exact=True).fill("2")
    page.get_by_role("button", name="Majukan jam", exact=True).click()
    expect(page.get_by_test_id("clock-result")).to_contain_text("Jam dimajukan 1 hari 2 jam")
    expect(page.get_by_test_id("clock-result")).to_contain_text("Insentif dibayarkan")
    expect(page.get_by_test_id("clock-offset")).to_have_text("1 hari 2 jam di depan waktu nyata.")
    page.get_by_role("button", name="+1 jam").click()
    expect(page.get_by_test_id("clock-offset")).to_have_text("1 hari 3 jam di depan waktu nyata.")
    save(page, "sandbox-clock")
    assert requests.get(f"{site}/sandbox/clock", timeout=10).json()["offset_seconds"] >= 27 * 3600

    page.get_by_label("Jam", exact=True).fill("99")
    page.get_by_role("button", name="Majukan jam", exact=True).click()
    expect(page.get_by_text("Isi 0 sampai 23 jam.")).to_be_visible()


def test_the_phone_page_without_a_number_helps(site, page):
    from playwright.sync_api import expect

    page.goto(f"{site}/sandbox/phone/")
    page.get_by_label("Nomor HP").fill("081200000002")
    page.get_by_role("button", name="Buka ponsel").click()
    expect(page).to_have_url(f"{site}/sandbox/phone/081200000002")
    expect(page.get_by_role("link", name="Beranda").first).to_be_visible()
