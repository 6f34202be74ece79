"""A newcomer's first hour, in headless Chromium, typing no address but the home page's: a fresh
test card from the home page, a purchase on each storefront, the voucher at the institution,
the redeem code from the Prakerja dashboard, the course and its certificate, the review on the
dashboard, and the incentive paid once the sandbox clock page has moved time on.

Every step is a click on a link or a button a person sees, and every wait is for the page's
state (Playwright's ``expect``), never for time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PASSWORD,
    answer_quiz,
    in_a_new_tab,
    page_fits,
    register,
    save,
    search_and_open,
)
from tests.browser.test_checkout_in_chromium import (
    choose_schedule,
    newcomer,
    tokopedia_card_step,
)

pytestmark = pytest.mark.browser
COURSE = "Desain Grafis dengan Aplikasi Gratis"  # DIG-004: on every storefront, self-paced
INSTITUTION = "Lembaga Kursus Digital Nusantara"


def fresh_card(page) -> dict:
    """On the home page's table of test cards, "Buat kartu baru" in persona ok's row; what the
    new card's page says of it."""
    row = page.get_by_role("row").filter(has=page.get_by_text("ok", exact=True))
    row.get_by_role("button", name="Buat kartu baru").click()
    expect(page.get_by_test_id("fresh-card")).to_be_visible()
    otps = page.locator("[data-otp-platform]")
    return {
        "number": page.get_by_test_id("card-number").inner_text(),
        "phone": page.get_by_test_id("phone-link").inner_text(),
        "dashboard_code": page.get_by_test_id("dashboard-code").inner_text(),
        "otp": {
            otps.nth(i).get_attribute("data-otp-platform"): otps.nth(i).inner_text()
            for i in range(otps.count())
        },
    }


def code_on_the_linked_phone(page) -> str:
    """The storefront's footer links the simulated phone; the newest code on it."""
    phone = in_a_new_tab(page, page.get_by_test_id("sandbox-phone"))
    code = phone.locator("[data-otp]").first.get_attribute("data-otp")
    phone.close()
    return code


# --- each storefront's checkout, from its home page to its success page ----------------------
def buy_on_tokopedia(page, card: dict) -> None:
    page.get_by_role("link", name="Daftar").first.click()
    register(page, newcomer())
    page.get_by_label("Kode verifikasi").fill(code_on_the_linked_phone(page))
    page.get_by_role("button", name="Verifikasi").click()
    search_and_open(page, COURSE)
    tokopedia_card_step(page, card["number"])
    page.get_by_label("Kode OTP").fill(card["otp"]["Tokopedia"])
    page.get_by_role("button", name="Bayar").click()
    expect(page.get_by_role("heading", name="Pembayaran berhasil")).to_be_visible()


def buy_on_bukalapak(page, card: dict) -> None:
    page.get_by_role("link", name="Daftar").first.click()
    register(page, newcomer())
    search_and_open(page, COURSE)
    page.get_by_role("link", name="Beli Sekarang").click()
    choose_schedule(page)
    page.get_by_role("button", name="Ya").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(card["number"])
    page.get_by_role("button", name="Cek Kartu Prakerja").click()
    page.get_by_role("button", name="Bayar dengan Kartu Prakerja").click()
    page.get_by_label("Kode OTP").fill(card["otp"]["Bukalapak"])
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("heading", name="Detail Tagihan")).to_be_visible()


def buy_on_pintaria(page, card: dict) -> None:
    account = newcomer()
    page.get_by_role("link", name="Daftar", exact=True).first.click()
    register(page, account)
    page.get_by_label("Email atau nomor HP").fill(account["email"])
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("link", name=COURSE).first.click()
    choose_schedule(page)
    page.get_by_role("button", name="Ikuti Kursus").click()
    page.get_by_label("Nomor HP terdaftar di Prakerja").fill(card["phone"])
    page.get_by_role("button", name="Lanjutkan Pembayaran").click()
    page.get_by_label("ID Prakerja").fill(card["number"])
    page.get_by_role("button", name="Kirim OTP").click()
    page.get_by_label("Kode OTP").fill(card["otp"]["Pintaria"])
    page.get_by_role("button", name="Bayar").click()
    expect(page.get_by_role("heading", name="Kelas Saya")).to_be_visible()
    page.get_by_role("link", name="Isi survei").click()
    page.get_by_label("Membuka usaha").check()
    page.get_by_label("Apa yang ingin Anda kuasai?").fill("Membuat desain promosi usaha saya")
    page.get_by_role("button", name="Kirim survei").click()
    page.get_by_role("button", name="Masuk Kelas").click()
    expect(page.get_by_text("Selamat belajar")).to_be_visible()


BUY = {"Tokopedia": buy_on_tokopedia, "Bukalapak": buy_on_bukalapak, "Pintaria": buy_on_pintaria}


# --- after the purchase: institution, dashboard, clock -----------------------------------------
def sign_in_to_the_dashboard(tab, card: dict) -> None:
    """With the code the card's page gave for the dashboard (a fixed-OTP card's)."""
    tab.get_by_label("Email atau nomor HP").fill(card["phone"])
    tab.get_by_role("button", name="Kirim Kode").click()
    tab.get_by_role("textbox", name="Kode verifikasi").fill(card["dashboard_code"])
    tab.get_by_role("button", name="Masuk", exact=True).click()
    expect(tab.get_by_role("heading", name="Halo,")).to_be_visible()


def learn_at_the_institution(page, card: dict, store: str, voucher: str) -> None:
    """From the success page's next steps: the institution's site, the voucher, the redeem
    code (read on the Prakerja dashboard the page links), Scan Wajah, the course, the
    certificate in the card holder's name."""
    page.get_by_test_id("next-steps").get_by_role("link", name=INSTITUTION).click()
    page.get_by_role("main").get_by_role("link", name="Daftar").click()
    account = newcomer()
    page.get_by_label("Nama lengkap").fill(account["name"])
    page.get_by_label("Email", exact=True).fill(account["email"])
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_label("Dibeli di")).to_have_value(store.lower())
    page.get_by_label("Kode voucher").fill(voucher)
    page.get_by_role("button", name="Tukar Voucher").click()
    dashboard = in_a_new_tab(page, page.get_by_role("link", name="dashboard Prakerja").first)
    sign_in_to_the_dashboard(dashboard, card)
    holder = dashboard.get_by_role("heading", name="Halo,").inner_text().removeprefix("Halo, ")
    redeem = dashboard.get_by_test_id("redeem-code").first.inner_text()
    dashboard.close()
    page.get_by_label("Kode redeem Prakerja").fill(redeem)
    page.get_by_role("button", name="Lanjut ke Scan Wajah").click()
    page.get_by_role("button", name="Mulai Scan Wajah").click()
    answer_quiz(page)
    for _lesson in range(3):
        page.get_by_role("button", name="Tandai Materi Selesai").click()
    page.get_by_label("Tautan berkas tugas").fill("https://drive.example/tugas-praktik.pdf")
    page.get_by_role("button", name="Kirim Tugas").click()
    answer_quiz(page)
    page.get_by_label("Tautan berkas tugas").fill("https://drive.example/uji-keterampilan.pdf")
    page.get_by_role("button", name="Kirim Tugas").click()
    page.get_by_role("button", name="Selesaikan dan Terbitkan Sertifikat").click()
    expect(page.get_by_test_id("certificate-name")).to_have_text(holder)


def review_and_collect_the_incentive(page, card: dict) -> None:
    """From the certificate to the dashboard: videos, rating and review, then the sandbox
    clock page (linked from the dashboard) moves a day on and the incentive is paid."""
    page.get_by_test_id("next-steps").get_by_role("link", name="dashboard Prakerja").click()
    sign_in = page.get_by_label("Email atau nomor HP")
    # Wait for the dashboard or its sign-in: counting before the page loads would count the
    # certificate page's fields.
    expect(sign_in.or_(page.get_by_role("button", name="Keluar"))).to_be_visible()
    if sign_in.count():
        sign_in_to_the_dashboard(page, card)
    for _video in range(3):
        page.get_by_role("button", name="Tandai sudah ditonton").click()
    expect(page.get_by_test_id("card-number")).to_have_text(card["number"])
    expect(page.get_by_test_id("training-stage").first).to_have_text(
        "Selesai — beri rating dan ulasan"
    )
    page.get_by_label("5 bintang").check()
    page.get_by_label("Ulasan").fill("Materinya praktis, tugasnya membantu saya mulai usaha.")
    page.get_by_role("button", name="Kirim Ulasan").click()
    expect(page.get_by_text("Insentif dijadwalkan").first).to_be_visible()
    page.get_by_test_id("sandbox-clock-hint").get_by_role("link").click()
    page.get_by_role("button", name="+1 hari").click()
    expect(page.get_by_text("Insentif dibayarkan ke rekening peserta")).to_be_visible()
    page.get_by_role("link", name="Dashboard Prakerja").first.click()
    expect(page.get_by_test_id("incentive-status").first).to_contain_text("Dibayar ke")
    expect(page.get_by_test_id("sandbox-clock-hint")).to_have_count(0)  # nothing left to wait for


@pytest.mark.parametrize("store", ["Tokopedia", "Bukalapak", "Pintaria"])
def test_a_newcomer_goes_from_the_home_page_to_the_incentive(site, page, store):
    page.goto(site)  # the only address typed: the one the README gives
    card = fresh_card(page)
    assert set(card["otp"]) == {"Tokopedia", "Bukalapak", "Pintaria"}
    page.get_by_role("table").get_by_role("link", name=store).click()
    BUY[store](page, card)
    save(page, f"newcomer-{store.lower()}-paid")
    voucher = page.get_by_test_id("voucher-code").first.inner_text()
    learn_at_the_institution(page, card, store, voucher)
    save(page, f"newcomer-{store.lower()}-certificate")
    review_and_collect_the_incentive(page, card)
    save(page, f"newcomer-{store.lower()}-incentive")


def test_the_testers_pages_lead_on_from_the_home_page(site, page):
    """The home page's tools for testers are pages for people, reached by clicking: the API
    reference in Indonesian with examples and an error table per operation, the clock, the
    inbox, the partners; and the site has an icon (no 404 in the console)."""
    missing = []
    page.on("response", lambda answer: answer.status == 404 and missing.append(answer.url))
    page.goto(site)
    icon = page.locator("link[rel=icon]").first.get_attribute("href")
    assert page.request.get(f"{site}{icon}").ok
    tools = page.get_by_role("region", name="Untuk penguji")
    tools.get_by_role("link", name="Dokumentasi API").click()
    expect(page.get_by_role("heading", name="Dokumentasi API Simulator Prakerja")).to_be_visible()
    expect(page.get_by_role("heading", name="Contoh permintaan").first).to_be_visible()
    expect(page.locator("table.api-errors").first).to_contain_text("ERRPLT")
    for english in ("Request example", "Responses", "Parameters", "Error codes"):
        expect(page.get_by_role("heading", name=english)).to_have_count(0)
    page.get_by_role("link", name="Beranda").first.click()
    tools.get_by_role("link", name="Jam simulasi").click()
    page.get_by_role("button", name="+1 jam").click()
    expect(page.get_by_test_id("clock-result")).to_contain_text("Jam dimajukan")
    page.get_by_role("link", name="Beranda").first.click()
    tools.get_by_role("link", name="Kotak masuk email").click()
    expect(page.get_by_role("heading", name="Kotak masuk email")).to_be_visible()
    page.get_by_role("link", name="Beranda").first.click()
    tools.get_by_role("link", name="Kredensial mitra sandbox").click()
    expect(page.get_by_role("cell", name="tokopedia-sandbox")).to_be_visible()
    assert missing == []


def test_the_home_page_and_a_card_fit_a_phone_screen(site, chromium):
    """At 390 px nothing is wider than the screen (a hidden label once made the home page
    1,042 px wide, and a card's email ran past its page)."""
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(site)
        expect(page.get_by_role("heading", name="Kartu uji (persona sandbox)")).to_be_visible()
        page_fits(page)
        fresh_card(page)
        page_fits(page)
        save(page, "newcomer-card-on-a-phone")
    finally:
        context.close()
