"""A newcomer buys a training on each storefront in headless Chromium (Playwright, Debian's
/usr/bin/chromium), reading every code from the simulated phone, and a screenshot of each
success page is saved (``MARKETPLACE_SCREENSHOTS``, default ``test-artifacts/screenshots``)."""

from __future__ import annotations

import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, mint, otp_from_phone, register, save

pytestmark = pytest.mark.browser
_numbers = itertools.count(1)


def newcomer() -> dict:
    n = next(_numbers)
    return {
        "name": f"Peserta Uji {n}",
        "email": f"peramban{n}@contoh.test",
        "phone": f"0898{n:08d}",
    }


def choose_schedule(page) -> None:
    """Tick the first schedule on offer (already ticked when it is the only one)."""
    schedules = page.get_by_role("group", name="Pilih jadwal")
    expect(schedules.get_by_text("Sisa kuota").first).to_be_visible()
    schedules.get_by_role("radio").first.check()


def tokopedia_card_step(page, card_number: str) -> None:
    """On a Tokopedia course page: the first schedule, "Beli", Kartu Prakerja among all the
    payment methods, the card number and "Kirim OTP"."""
    choose_schedule(page)
    page.get_by_role("button", name="Beli").click()
    page.get_by_role("link", name="Lihat semua").click()
    page.get_by_role("link", name="Kartu Prakerja").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(card_number)
    page.get_by_role("button", name="Kirim OTP").click()


def assert_redeem_code_comes_from_prakerja(page) -> None:
    """The success page has no redeem code: it says Prakerja sends it, and links the dashboard."""
    expect(page.get_by_test_id("redeem-notice")).to_be_visible()
    expect(page.get_by_test_id("redeem-code")).to_have_count(0)
    link = page.get_by_role("link", name="dashboard Prakerja")
    assert link.get_attribute("href").endswith("/prakerja/dashboard")


def assert_every_input_is_labelled(page) -> None:
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
              .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
              .map(el => el.name)"""
    )
    assert unlabelled == []


def test_tokopedia_in_chromium(site, page):
    persona, account = mint(site, "sms"), newcomer()
    page.goto(f"{site}/tokopedia/")
    save(page, "tokopedia-home")
    page.goto(f"{site}/tokopedia/daftar")
    assert_every_input_is_labelled(page)
    register(page, account)
    page.get_by_label("Kode verifikasi").fill(otp_from_phone(page, site, account["phone"]))
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_label("Cari pelatihan").fill("Kartu Prakerja")
    page.get_by_label("Cari pelatihan").press("Enter")
    filters = page.get_by_role("complementary", name="Saring hasil")
    filters.get_by_role("link", name="Keterampilan Digital").click()
    filters.get_by_role("link", name="Lembaga Kursus Digital Nusantara").click()
    page.get_by_role("link", name="Desain Grafis dengan Aplikasi Gratis").click()
    page.get_by_text("Lihat detail").click()
    expect(page.get_by_text("Cara menukarkan voucher")).to_be_visible()
    assert_every_input_is_labelled(page)
    choose_schedule(page)
    save(page, "tokopedia-course")
    page.get_by_role("button", name="Beli").click()
    page.get_by_role("link", name="Lihat semua").click()
    expect(page.get_by_text("Program Pemerintah")).to_be_visible()
    page.get_by_role("link", name="Kartu Prakerja").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Kirim OTP").click()
    page.get_by_label("Kode OTP").fill(otp_from_phone(page, site, persona["phone"]))
    page.get_by_role("button", name="Bayar").click()
    page.get_by_role("heading", name="Pembayaran berhasil").wait_for()
    expect(page.get_by_test_id("voucher-code")).to_have_text(re.compile("^TKP-"))
    assert_redeem_code_comes_from_prakerja(page)
    save(page, "tokopedia-success")
    page.get_by_role("link", name="Histori Transaksi Top Up dan Tagihan").first.click()
    expect(page.get_by_text("Berhasil").first).to_be_visible()


def test_bukalapak_in_chromium(site, page):
    persona, account = mint(site, "sms"), newcomer()
    page.goto(f"{site}/bukalapak/cari?q=Prakerja&urut=termurah")
    save(page, "bukalapak-search")
    page.goto(f"{site}/bukalapak/daftar")
    register(page, account)
    page.get_by_label("Cari pelatihan").fill("Prakerja")
    page.get_by_label("Cari pelatihan").press("Enter")
    page.get_by_label("Urutkan").select_option("termurah")
    page.get_by_role("button", name="Terapkan").click()
    page.locator(".course-card a").first.click()
    expect(page.get_by_role("heading", name="Kurikulum")).to_be_visible()
    expect(page.get_by_role("heading", name="Jadwal")).to_be_visible()
    page.get_by_role("link", name="Beli Sekarang").click()
    choose_schedule(page)
    page.get_by_role("button", name="Ya").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Cek Kartu Prakerja").click()
    expect(page.get_by_text("Kartu Prakerja terverifikasi")).to_be_visible()
    page.get_by_role("button", name="Bayar dengan Kartu Prakerja").click()
    page.get_by_label("Kode OTP").fill(otp_from_phone(page, site, persona["phone"]))
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_role("heading", name="Detail Tagihan").wait_for()
    expect(page.get_by_test_id("voucher-code")).to_have_text(re.compile("^BL-"))
    assert_redeem_code_comes_from_prakerja(page)
    save(page, "bukalapak-success")


def test_pintaria_in_chromium(site, page):
    persona, account = mint(site, "sms"), newcomer()
    page.goto(f"{site}/pintaria/kartuprakerja")
    save(page, "pintaria-menu")
    page.get_by_role("link", name="Daftar untuk Kartu Prakerja").click()
    register(page, account)
    page.get_by_text("Pintaria Akun").wait_for()
    page.get_by_label("Email atau nomor HP").fill(account["email"])
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("link", name="Desain Grafis dengan Aplikasi Gratis").click()
    choose_schedule(page)
    page.get_by_role("button", name="Ikuti Kursus").click()
    # The number registered with Prakerja (Pintaria checks it against the card), not the account's
    page.get_by_label("Nomor HP terdaftar di Prakerja").fill(persona["phone"])
    page.get_by_role("button", name="Lanjutkan Pembayaran").click()
    page.get_by_label("ID Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Kirim OTP").click()
    page.get_by_label("Kode OTP").fill(otp_from_phone(page, site, persona["phone"]))
    page.get_by_role("button", name="Bayar").click()
    page.get_by_role("heading", name="Kelas Saya").wait_for()
    page.get_by_role("link", name="Isi survei").click()
    page.get_by_label("Membuka usaha").check()
    page.get_by_label("Apa yang ingin Anda kuasai?").fill("Membuat desain promosi usaha saya")
    page.get_by_role("button", name="Kirim survei").click()
    page.get_by_role("button", name="Masuk Kelas").click()
    expect(page.get_by_text("Selamat belajar")).to_be_visible()
    assert_redeem_code_comes_from_prakerja(page)
    save(page, "pintaria-success")


def test_refusal_is_shown_on_the_card_step_with_the_number_kept(site, page):
    persona, account = mint(site, "low_saldo"), newcomer()
    page.goto(f"{site}/bukalapak/daftar")
    register(page, account)
    page.goto(f"{site}/bukalapak/beli/DIG-004")
    choose_schedule(page)
    page.get_by_role("button", name="Ya").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Cek Kartu Prakerja").click()
    expect(page.get_by_text("tidak mencukupi").first).to_be_visible()
    assert page.get_by_label("Nomor Kartu Prakerja").input_value() == persona["card_number"]


def test_a_training_the_participant_may_not_take_is_explained_on_the_card_step(site, page):
    persona, account = mint(site, "low_education"), newcomer()
    page.goto(f"{site}/tokopedia/daftar")
    register(page, account)
    page.get_by_label("Kode verifikasi").fill(otp_from_phone(page, site, account["phone"]))
    page.get_by_role("button", name="Verifikasi").click()
    page.goto(f"{site}/tokopedia/p/DIG-003")  # at least SMA; this persona finished SD
    tokopedia_card_step(page, persona["card_number"])
    expect(page.get_by_text("Pendidikan terakhir peserta tidak memenuhi syarat")).to_be_visible()
    assert page.get_by_label("Nomor Kartu Prakerja").input_value() == persona["card_number"]
    save(page, "tokopedia-requirement-refusal")
