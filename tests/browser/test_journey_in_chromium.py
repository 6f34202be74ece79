"""After buying, in headless Chromium: exchange the voucher at the institution, redeem with
Prakerja's Scan Wajah, learn, download the certificate, review on the Prakerja dashboard, and see
the incentive paid after the sandbox clock moves; a second participant revoked at the deadline.
Screenshots of each stage are saved (see test_checkout_in_chromium)."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, answer_quiz, mint, otp_from_phone, register, save
from tests.browser.test_checkout_in_chromium import newcomer

pytestmark = pytest.mark.browser
SITE = "lembaga/digital-nusantara"


def buy_on_tokopedia(page, site: str, persona: dict) -> str:
    """Buy DIG-004 (its first open schedule); the storefront's voucher code."""
    page.goto(f"{site}/tokopedia/daftar")
    account = newcomer()
    register(page, account)
    page.get_by_label("Kode verifikasi").fill(otp_from_phone(page, site, account["phone"]))
    page.get_by_role("button", name="Verifikasi").click()
    page.goto(f"{site}/tokopedia/p/DIG-004")
    page.get_by_role("group", name="Pilih jadwal").get_by_role("radio").first.check()
    page.get_by_role("button", name="Beli").click()
    page.get_by_role("link", name="Lihat semua").click()
    page.get_by_role("link", name="Kartu Prakerja").click()
    page.get_by_label("Nomor Kartu Prakerja").fill(persona["card_number"])
    page.get_by_role("button", name="Kirim OTP").click()
    page.get_by_label("Kode OTP").fill(otp_from_phone(page, site, persona["phone"]))
    page.get_by_role("button", name="Bayar").click()
    page.get_by_role("heading", name="Pembayaran berhasil").wait_for()
    return page.get_by_test_id("voucher-code").inner_text()


def redeem_code_on_the_dashboard(page, site: str, persona: dict) -> str:
    """Prakerja, not the platform, gives the redeem code: read it on the Prakerja dashboard,
    reached from the storefront's success page as a participant would."""
    page.get_by_role("link", name="dashboard Prakerja").first.click()
    page.get_by_label("Email atau nomor HP").fill(persona["phone"])
    page.get_by_role("button", name="Kirim Kode").click()
    page.get_by_role("textbox", name="Kode verifikasi").fill(
        otp_from_phone(page, site, persona["phone"])
    )
    page.get_by_role("button", name="Masuk", exact=True).click()
    return page.get_by_test_id("redeem-code").first.inner_text()


def sign_in_to_dashboard(page, site: str, persona: dict) -> None:
    page.goto(f"{site}/prakerja/masuk")
    page.get_by_label("Email atau nomor HP").fill(persona["phone"])
    page.get_by_role("button", name="Kirim Kode").click()
    page.get_by_role("textbox", name="Kode verifikasi").fill(
        otp_from_phone(page, site, persona["phone"])
    )
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.get_by_role("heading", name="Kartu Prakerja").wait_for()


def advance(site: str, **delta: int) -> None:
    response = requests.post(f"{site}/sandbox/clock/advance", json=delta, timeout=30)
    assert response.status_code == 200, response.text


def test_from_voucher_to_certificate_review_and_incentive(site, page):
    persona = mint(site, "sms")
    voucher = buy_on_tokopedia(page, site, persona)
    redeem = redeem_code_on_the_dashboard(page, site, persona)

    page.goto(f"{site}/{SITE}/")
    save(page, "institution-home")
    page.get_by_role("link", name="Daftar").first.click()
    page.get_by_label("Nama lengkap").fill("Peserta Peramban")
    page.get_by_label("Email", exact=True).fill("peserta.peramban@contoh.test")
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()
    page.get_by_label("Dibeli di").select_option("tokopedia")
    page.get_by_label("Kode voucher").fill(voucher)
    page.get_by_role("button", name="Tukar Voucher").click()
    page.get_by_label("Kode redeem Prakerja").fill(redeem)
    page.get_by_role("button", name="Lanjut ke Scan Wajah").click()
    page.get_by_role("heading", name="Verifikasi Wajah").wait_for()
    save(page, "prakerja-scan-wajah")
    page.get_by_role("button", name="Mulai Scan Wajah").click()
    page.get_by_role("heading", name="Pre-test").wait_for()
    answer_quiz(page)
    for _lesson in range(3):
        page.get_by_role("button", name="Tandai Materi Selesai").click()
    save(page, "institution-task")
    page.get_by_label("Tautan berkas tugas").fill("https://drive.example/tugas-praktik.pdf")
    page.get_by_role("button", name="Kirim Tugas").click()
    page.get_by_role("heading", name="Post-test").wait_for()
    answer_quiz(page)
    page.get_by_label("Tautan berkas tugas").fill("https://drive.example/uji-keterampilan.pdf")
    page.get_by_role("button", name="Kirim Tugas").click()
    page.get_by_role("button", name="Selesaikan dan Terbitkan Sertifikat").click()
    number = page.get_by_test_id("certificate-number").inner_text()
    save(page, "institution-certificate")
    pdf = requests.get(f"{site}/{SITE}/sertifikat/{number}.pdf", timeout=10)
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    page.goto(f"{site}/prakerja/dashboard")
    for _video in range(3):
        page.get_by_role("button", name="Tandai sudah ditonton").click()
    expect(page.get_by_test_id("card-number")).to_have_text(persona["card_number"])
    expect(page.get_by_test_id("training-stage")).to_have_text("Selesai — beri rating dan ulasan")
    page.get_by_label("5 bintang").check()
    page.get_by_label("Ulasan").fill(
        "Materinya praktis, tugasnya membantu saya mulai usaha desain."
    )
    page.get_by_role("button", name="Kirim Ulasan").click()
    expect(page.get_by_text("Insentif dijadwalkan").first).to_be_visible()
    advance(site, days=1, minutes=5)
    page.reload()
    expect(page.get_by_test_id("incentive-status").first).to_have_text(
        re.compile("^Dibayar ke GoPay")
    )
    save(page, "prakerja-dashboard")
    assert requests.get(f"{site}/sandbox/reconcile", timeout=30).json()["ok"]


def test_a_participant_who_never_buys_sees_the_revocation(site, page):
    persona = mint(site, "sms")
    sign_in_to_dashboard(page, site, persona)
    expect(page.get_by_test_id("countdown")).to_be_visible()
    advance(site, days=16)
    page.reload()
    expect(page.get_by_test_id("card-status")).to_contain_text("Kepesertaan Anda dicabut")
    save(page, "prakerja-dashboard-revoked")
