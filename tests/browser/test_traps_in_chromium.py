"""The traps of issue "A newcomer's first hour", walked in headless Chromium by clicking from a
storefront's first page, as the tester did: each one now leads on. Only the starting page is
typed; the sandbox clock is moved through its API (``page.request``), never waited for, and the
participant's phone is read where the pages link it (the footer's "Ponsel simulasi")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    PASSWORD,
    answer_quiz,
    in_a_new_tab,
    mint,
    otp_from_phone,
    page_fits,
    register,
    save,
    search_and_open,
)
from tests.browser.test_checkout_in_chromium import choose_schedule, newcomer, tokopedia_card_step

pytestmark = pytest.mark.browser
DESIGN = "Desain Grafis dengan Aplikasi Gratis"  # DIG-004, self-paced, on every storefront
WEBINAR = "Literasi Keuangan dan Investasi Pemula"  # FIN-002, runs from tomorrow 09:00 WIB


def advance(page, site: str, **delta: int) -> None:
    answer = page.request.post(f"{site}/sandbox/clock/advance", data=delta)
    assert answer.ok, answer.text()


def otp_on_the_linked_phone(page) -> str:
    """The footer's "Ponsel simulasi", in a new tab: the newest OTP on that phone."""
    phone = in_a_new_tab(page, page.get_by_role("link", name="Ponsel simulasi"))
    code = phone.locator("[data-otp]").first.get_attribute("data-otp")
    phone.close()
    return code


def contrast_of(page, selector: str) -> float:
    """WCAG contrast of an element's text colour against white (the panels it sits on)."""
    return page.evaluate(
        """(selector) => {
            const rgb = getComputedStyle(document.querySelector(selector)).color
              .match(/\\d+/g).slice(0, 3).map(Number);
            const lum = rgb.map(v => v / 255).map(c => c <= 0.04045 ? c / 12.92
              : Math.pow((c + 0.055) / 1.055, 2.4));
            const l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
            return 1.05 / (l + 0.05);
        }""",
        selector,
    )


def test_bukalapak_resend_expiry_phone_link_long_name_and_next_steps(site, page):
    persona, account = mint(site, "ok"), newcomer()
    page.goto(f"{site}/bukalapak/")
    assert contrast_of(page, ".course-card .price") >= 4.5  # trap 9: the price was 1.63:1
    page.get_by_role("link", name="ponsel simulasi").click()  # trap 3, signed out: not a 404
    expect(page.get_by_text("Kartu uji").first).to_be_visible()
    page.go_back()

    page.get_by_role("link", name="Daftar").click()
    register(page, account, name="A" * 120)  # trap 8: the header keeps its width
    expect(page.locator(".who")).to_have_attribute("title", "A" * 120)
    page_fits(page)
    search_and_open(page, DESIGN)
    page.get_by_role("link", name="Beli Sekarang").click()
    choose_schedule(page)
    page.get_by_role("button", name="Ya").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Cek Kartu Prakerja").click()
    page.get_by_role("button", name="Bayar dengan Kartu Prakerja").click()
    expect(page.get_by_role("heading", name="Masukkan kode OTP")).to_be_visible()

    code = otp_on_the_linked_phone(page)  # trap 3: the card's phone, where the OTP went
    assert code == "ABCDE"
    page.get_by_role("button", name="Kirim ulang kode").click()  # trap 1: too soon
    expect(page.get_by_text(re.compile(r"Coba lagi dalam \d+ detik"))).to_be_visible()
    save(page, "trap-resend-too-soon")

    advance(page, site, minutes=6)  # trap 2: the OTP expires
    page.get_by_label("Kode OTP").fill(code)
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_text("kedaluwarsa")).to_be_visible()
    expect(page.get_by_role("link", name="Ganti kartu atau mulai ulang pembayaran")).to_be_visible()
    save(page, "trap-expired-otp")
    page.get_by_role("button", name="Kirim ulang kode").click()
    expect(page.get_by_text("Kode OTP baru sudah dikirim")).to_be_visible()
    page.get_by_label("Kode OTP").fill(otp_on_the_linked_phone(page))
    page.get_by_role("button", name="Verifikasi").click()
    expect(page.get_by_role("heading", name="Detail Tagihan")).to_be_visible()

    next_steps = page.get_by_test_id("next-steps")  # trap 4: what to do next, with links
    expect(next_steps.get_by_role("link", name="Lembaga Kursus Digital Nusantara")).to_be_visible()
    expect(next_steps.get_by_role("link", name="dashboard Prakerja")).to_be_visible()
    save(page, "trap-success-next-steps")
    page_fits(page)

    voucher = page.get_by_test_id("voucher-code").inner_text()
    next_steps.get_by_role("link", name="Lembaga Kursus Digital Nusantara").click()
    page.get_by_role("main").get_by_role("link", name="Daftar").click()
    page.get_by_label("Nama lengkap").fill("B" * 120)
    page.get_by_label("Email", exact=True).fill(account["email"])
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_label("Dibeli di")).to_have_value("bukalapak")  # from the storefront
    page_fits(page)  # trap 8 at the institution
    page.get_by_label("Kode voucher").fill(voucher)
    page.get_by_role("button", name="Tukar Voucher").click()
    expect(page.get_by_role("heading", name="Masukkan Kode Redeem")).to_be_visible()


def test_tokopedia_indonesian_validation_a_refused_order_and_a_paid_invoice(site, page):
    persona, account = mint(site, "low_saldo"), newcomer()
    page.goto(f"{site}/tokopedia/")
    assert contrast_of(page, ".course-card .price") >= 4.5
    page.get_by_role("link", name="Daftar").click()
    register(page, account, name="A")  # trap 7: Indonesian, never "Field must be ..."
    expect(page.get_by_text("Nama terdiri dari 2–120 karakter.")).to_be_visible()
    assert "Field must" not in page.inner_text("body")
    register(page, account, name="C" * 120)
    expect(page.get_by_role("link", name=f"Ponsel simulasi {account['phone']}")).to_be_visible()
    page.get_by_label("Kode verifikasi").fill(otp_from_phone(page, site, account["phone"]))
    page.get_by_role("button", name="Verifikasi").click()
    page_fits(page)  # trap 8 on Tokopedia
    search_and_open(page, DESIGN)
    tokopedia_card_step(page, persona["card_number"])
    expect(page.get_by_text("tidak mencukupi").first).to_be_visible()

    page.get_by_role("link", name="Histori Transaksi Top Up dan Tagihan").click()  # trap 6
    page.get_by_role("link", name="Bayar atau batalkan").first.click()
    expect(page.get_by_role("link", name="Bayar dengan Kartu Prakerja")).to_be_visible()
    page.get_by_role("button", name="Batalkan pesanan").click()
    expect(page.get_by_role("heading", name="Pesanan dibatalkan")).to_be_visible()
    save(page, "trap-order-cancelled")
    page.get_by_role("link", name="Histori Transaksi Top Up dan Tagihan").click()
    expect(page.get_by_text("Dibatalkan").first).to_be_visible()

    persona = mint(site, "ok")  # another card, and this time it pays
    search_and_open(page, DESIGN)
    tokopedia_card_step(page, persona["card_number"])
    page.get_by_label("Kode OTP").fill(otp_on_the_linked_phone(page))
    page.get_by_role("button", name="Bayar").click()
    expect(page.get_by_role("heading", name="Pembayaran berhasil")).to_be_visible()
    for _step in range(4):  # back through OTP, card, methods, to the invoice's payment page
        page.go_back()
    page.reload()  # trap 6: revisited, the paid invoice shows paid, not "Total tagihan"
    expect(page.get_by_role("heading", name="Pembayaran berhasil")).to_be_visible()
    expect(page.get_by_text("Total tagihan")).to_have_count(0)
    expect(page.get_by_test_id("next-steps")).to_be_visible()


def test_pintaria_phone_check_class_start_and_the_certificate_name(site, page):
    persona, account = mint(site, "ok"), newcomer()
    page.goto(f"{site}/pintaria/kartuprakerja")
    page.get_by_role("link", name="Daftar untuk Kartu Prakerja").click()
    register(page, account, name="D" * 120)
    page.get_by_label("Email atau nomor HP").fill(account["email"])
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("link", name=WEBINAR)).to_be_visible()
    page_fits(page)  # trap 8 on Pintaria
    page.get_by_role("link", name=WEBINAR).click()
    choose_schedule(page)  # the first run: tomorrow 09:00 WIB
    page.get_by_role("button", name="Ikuti Kursus").click()
    page.get_by_role("button", name="Lanjutkan Pembayaran").click()  # the account's own number
    page.get_by_label("ID Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Kirim OTP").click()
    expect(page.get_by_text("tidak sama dengan nomor yang terdaftar di Prakerja")).to_be_visible()
    save(page, "trap-pintaria-phone-mismatch")  # trap 5: checked against the card
    phone = persona["phone"]
    page.get_by_label("Nomor HP terdaftar di Prakerja").fill(f"+62 {phone[1:4]}-{phone[4:]}")
    page.get_by_role("button", name="Lanjutkan Pembayaran").click()
    page.get_by_label("Kode OTP").fill(otp_on_the_linked_phone(page))
    page.get_by_role("button", name="Bayar").click()
    expect(page.get_by_role("heading", name="Kelas Saya")).to_be_visible()

    page.get_by_role("link", name="Isi survei").click()
    page.get_by_label("Mendapat pekerjaan").check()
    page.get_by_label("Apa yang ingin Anda kuasai?").fill("Mengatur tabungan dan investasi")
    page.get_by_role("button", name="Kirim survei").click()
    expect(page.get_by_test_id("class-not-started")).to_contain_text("Kelas dimulai")  # trap 4
    expect(page.get_by_role("button", name="Masuk Kelas")).to_have_count(0)
    save(page, "trap-pintaria-class-not-started")
    voucher = page.get_by_test_id("voucher-code").inner_text()

    advance(page, site, days=1, hours=12)  # the run has started
    page.reload()
    page.get_by_role("button", name="Masuk Kelas").click()
    expect(page.get_by_text("Selamat belajar")).to_be_visible()
    page.get_by_test_id("institution-link").click()
    page.get_by_role("main").get_by_role("link", name="Daftar").click()
    page.get_by_label("Nama lengkap").fill("Nama Akun Lembaga")  # not the card holder's name
    page.get_by_label("Email", exact=True).fill(account["email"])
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    expect(page.get_by_label("Dibeli di")).to_have_value("pintaria")
    page.get_by_label("Kode voucher").fill(voucher)
    page.get_by_role("button", name="Tukar Voucher").click()
    holder, redeem = dashboard_in_a_new_tab(page, site, persona)
    page.get_by_label("Kode redeem Prakerja").fill(redeem)
    page.get_by_role("button", name="Lanjut ke Scan Wajah").click()
    page.get_by_role("button", name="Mulai Scan Wajah").click()
    answer_quiz(page)
    for _lesson in range(3):
        page.get_by_role("button", name="Tandai Materi Selesai").click()
    answer_quiz(page)
    page.get_by_role("button", name="Selesaikan dan Terbitkan Sertifikat").click()

    expect(page.get_by_test_id("certificate-name")).to_have_text(holder)  # trap 10
    next_steps = page.get_by_test_id("next-steps")  # trap 4: on to the review and incentive
    expect(next_steps).to_contain_text("rating dan ulasan")
    save(page, "trap-certificate-next-steps")
    next_steps.get_by_role("link", name="dashboard Prakerja").click()
    expect(page.get_by_test_id("training-stage").first).to_have_text(
        "Selesai — beri rating dan ulasan"
    )


def dashboard_in_a_new_tab(page, site: str, persona: dict) -> tuple[str, str]:
    """The institution links the Prakerja dashboard for the redeem code: sign in there in a new
    tab; (the participant's name as Prakerja greets them, the redeem code)."""
    tab = in_a_new_tab(page, page.get_by_role("link", name="dashboard Prakerja"))
    tab.get_by_label("Email atau nomor HP").fill(persona["phone"])
    tab.get_by_role("button", name="Kirim Kode").click()
    code = otp_from_phone(tab, site, persona["phone"])
    tab.get_by_role("textbox", name="Kode verifikasi").fill(code)
    tab.get_by_role("button", name="Masuk", exact=True).click()
    holder = tab.get_by_role("heading", name="Halo,").inner_text().removeprefix("Halo, ")
    redeem = tab.get_by_test_id("redeem-code").first.inner_text()
    tab.close()
    return holder, redeem


def test_a_long_name_fits_a_phone_screen(site, chromium):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{site}/bukalapak/")
        page.get_by_role("link", name="Daftar").click()
        register(page, newcomer(), name="F" * 120)
        expect(page.locator(".who")).to_be_visible()
        page_fits(page)
        save(page, "trap-long-name-on-a-phone")
    finally:
        context.close()
