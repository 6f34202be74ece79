"""Each storefront's whole checkout through the Flask test client, as a newcomer walks it,
with the refusals shown on the step where they happen."""

from __future__ import annotations

import itertools
import re

import pytest

from tests.functional.storefront import Shopper

_numbers = itertools.count(1)
PASSWORD = "rahasia-123"


def register(shopper: Shopper, *, path: str = "/daftar") -> dict:
    n = next(_numbers)
    account = {
        "name": f"Pembeli Uji {n}",
        "email": f"pembeli{n}@contoh.test",
        "phone": f"0899{n:08d}",
    }
    shopper.get(path).submit(**account, password=PASSWORD, confirm=PASSWORD)
    return account


def verify_phone(shopper: Shopper, account: dict) -> None:
    """Tokopedia: the code comes by SMS to the buyer's own phone."""
    shopper.sees("Verifikasi nomor HP")
    code = shopper.market.latest_otp(account["phone"])
    shopper.submit(code=code)


def reach_card_step(market, slug: str, course: str = "DIG-004") -> Shopper:
    """A new buyer with an order for ``course``, on the Prakerja card step."""
    shopper = Shopper(market, slug)
    account = register(shopper, path="/kartuprakerja/daftar" if slug == "pintaria" else "/daftar")
    if slug == "tokopedia":
        verify_phone(shopper, account)
    if slug == "pintaria":
        shopper.submit(login=account["email"], password=PASSWORD)
    if slug == "bukalapak":
        shopper.get(f"/beli/{course}").submit(accept_terms="y")
    else:
        shopper.get(f"/p/{course}").submit(f"/beli/{course}")
    if slug == "tokopedia":
        shopper.get(_link(shopper, "Lihat semua")).get(_link(shopper, "Kartu Prakerja"))
    if slug == "pintaria":
        shopper.submit(phone=account["phone"])
    shopper.sees("Kartu Prakerja")
    return shopper


def _link(shopper: Shopper, label: str) -> str:
    match = re.search(rf'href="/{shopper.slug}([^"]+)"[^>]*>{re.escape(label)}<', shopper.page)
    assert match, f"no link '{label}' on {shopper.url}"
    return match.group(1)


def assert_paid(shopper: Shopper) -> None:
    """The page after a successful payment: the codes (Pintaria: the class in "Kelas Saya")."""
    if shopper.slug == "pintaria":
        shopper.sees("Kelas Saya", "Berhasil", "Isi survei")
    else:
        assert re.fullmatch(r"PRA[TWL]-[A-Z]{6}", shopper.value("redeem-code"))


def pay_with(shopper: Shopper, card_number: str) -> Shopper:
    if shopper.slug == "bukalapak":
        shopper.submit(card_number=card_number, action="cek").sees("terverifikasi")
        return shopper.submit(card_number=card_number, action="bayar")
    return shopper.submit(card_number=card_number)


# --- the whole journey, platform by platform ------------------------------------------------
def test_tokopedia_newcomer_buys_with_kartu_prakerja(market):
    persona = market.mint("sms")
    shopper = Shopper(market, "tokopedia")
    account = register(shopper)
    verify_phone(shopper, account)
    shopper.get("/cari", q="Kartu Prakerja").sees("Hasil pencarian", "Keterampilan Digital")
    shopper.get("/cari", q="Kartu Prakerja", kategori="Keterampilan Digital").sees(
        "Lembaga pelatihan", "Lembaga Kursus Digital Nusantara"
    )
    shopper.get("/cari", q="Kartu Prakerja", kategori="Keterampilan Digital", lembaga="LPDIGI")
    shopper.sees("Desain Grafis dengan Aplikasi Gratis")
    shopper.get("/p/DIG-004").sees("Lihat detail", "Cara menukarkan voucher", "Kode promo", "Beli")
    shopper.submit("/beli/DIG-004", promo_code="").sees("Pembayaran", "Lihat semua")
    shopper.get(_link(shopper, "Lihat semua")).sees("Program Pemerintah", "Kartu Prakerja")
    shopper.get(_link(shopper, "Kartu Prakerja")).sees("Bayar dengan Kartu Prakerja")
    shopper.submit(card_number=persona.card_number).sees("Masukkan kode OTP", "6 angka")
    shopper.submit(otp=market.latest_otp(persona.phone)).sees("Pembayaran berhasil")
    voucher, redeem = shopper.value("voucher-code"), shopper.value("redeem-code")
    assert voucher.startswith("TKP-") and re.fullmatch(r"PRAT-[A-Z]{6}", redeem)
    shopper.get("/riwayat").sees("Histori Transaksi Top Up dan Tagihan", voucher)
    [email] = [m for m in market.emails(account["email"]) if m["sender"] == "Tokopedia"]
    assert voucher in email["body"] and redeem in email["body"]
    assert market.card(persona.card_number).balance == 3_400_000
    market.assert_reconciled()


def test_bukalapak_newcomer_buys_with_kartu_prakerja(market):
    persona = market.mint("sms")
    shopper = Shopper(market, "bukalapak")
    account = register(shopper)
    results = shopper.get("/cari", q="Prakerja", urut="termurah")
    prices = [
        int(p.replace(".", "")) for p in re.findall(r'class="price">Rp([\d.]+)<', results.page)
    ]
    assert prices == sorted(prices) and prices[0] == 100_000
    assert [
        int(p.replace(".", ""))
        for p in re.findall(
            r'class="price">Rp([\d.]+)<', shopper.get("/cari", q="Prakerja", urut="termahal").page
        )
    ] == sorted(prices, reverse=True)
    shopper.get("/p/DIG-004").sees("Kurikulum", "Ulasan", "Beli Sekarang")
    shopper.get("/beli/DIG-004").sees("Syarat dan ketentuan", "Ya")
    shopper.submit(accept_terms="y").sees("Cek Kartu Prakerja")
    shopper.submit(card_number=persona.card_number, action="cek").sees(
        "Kartu Prakerja terverifikasi", "Rp3.500.000", "Bayar dengan Kartu Prakerja"
    )
    shopper.submit(card_number=persona.card_number, action="bayar").sees("5 huruf")
    otp = market.latest_otp(persona.phone)
    assert re.fullmatch(r"[A-Z]{5}", otp)
    shopper.submit(otp=otp.lower()).sees("Detail Tagihan", "Kode kupon")
    coupon = shopper.value("voucher-code")
    [email] = [m for m in market.emails(account["email"]) if m["sender"] == "Bukalapak"]
    assert coupon in email["body"]
    market.assert_reconciled()


def test_pintaria_newcomer_buys_fills_the_survey_and_enters_the_class(market):
    persona = market.mint("sms")
    shopper = Shopper(market, "pintaria")
    account = register(shopper, path="/kartuprakerja/daftar")
    shopper.sees("Pintaria Akun", "Masuk dengan akun Pintaria")  # the separate SSO page
    shopper.submit(login=account["email"], password=PASSWORD).sees("Kartu Prakerja", "Ikuti Kursus")
    shopper.get("/p/DIG-004").sees("Ikuti Kursus")
    shopper.submit("/beli/DIG-004").sees("Konfirmasi nomor HP", "Lanjutkan Pembayaran")
    shopper.submit(phone=account["phone"]).sees("ID Prakerja")
    shopper.submit(card_number=persona.card_number)
    shopper.submit(otp=market.latest_otp(persona.phone)).sees("Kelas Saya", "Isi survei")
    shopper.get(_link(shopper, "Isi survei")).sees("Survei singkat")
    shopper.submit(motivation="usaha", expectation="Bisa membuat desain untuk usaha saya")
    shopper.sees("Masuk Kelas")
    shopper.submit().sees("Selamat belajar")
    assert shopper.value("redeem-code").startswith("PRAT-")
    market.assert_reconciled()


# --- refusals, shown where they happen ------------------------------------------------------
PLATFORMS = ["tokopedia", "bukalapak", "pintaria"]


@pytest.mark.parametrize("slug", PLATFORMS)
def test_wrong_otp_is_shown_and_the_right_one_then_pays(market, slug):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    wrong = "ZZZZZ" if slug == "bukalapak" else "000000"
    shopper.submit(otp=wrong)
    assert shopper.status == 422
    shopper.sees("Kode OTP salah.")
    fixed = "AABBC" if slug == "bukalapak" else "112233"
    shopper.submit(otp=fixed)
    assert shopper.status == 200
    assert_paid(shopper)


@pytest.mark.parametrize("slug", PLATFORMS)
def test_expired_otp_is_explained_and_a_resent_code_works(market, slug):
    persona = market.mint("sms")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    old = market.latest_otp(persona.phone)
    market.advance(minutes=6)
    shopper.submit(otp=old)
    assert shopper.status == 422
    shopper.sees("kedaluwarsa")
    order = re.search(r"/bayar/([^/]+)/otp", shopper.url).group(1)
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    shopper.submit(f"/bayar/{order}/otp", otp=market.latest_otp(persona.phone))
    assert_paid(shopper)


@pytest.mark.parametrize(
    ("key", "phrase"),
    [
        ("low_saldo", "tidak mencukupi"),
        ("revoked", "dicabut"),
        ("deadline_passed", "Batas waktu pembelian"),
        ("no_linked_account", "Hubungkan rekening"),
    ],
)
@pytest.mark.parametrize("slug", ["tokopedia", "pintaria"])
def test_card_refusals_keep_the_form_and_the_number(market, slug, key, phrase):
    persona = market.mint(key)
    shopper = reach_card_step(market, slug).submit(card_number=persona.card_number)
    assert shopper.status == 422
    shopper.sees(phrase)
    assert f'value="{persona.card_number}"' in shopper.page  # nothing to type again


@pytest.mark.parametrize(
    ("key", "phrase"), [("low_saldo", "tidak mencukupi"), ("revoked", "dicabut")]
)
def test_bukalapak_verification_reports_a_card_that_cannot_pay(market, key, phrase):
    persona = market.mint(key)
    shopper = reach_card_step(market, "bukalapak")
    shopper.submit(card_number=persona.card_number, action="cek").sees(
        "Kartu tidak dapat dipakai", phrase
    )


@pytest.mark.parametrize("slug", PLATFORMS)
def test_a_malformed_card_number_is_explained(market, slug):
    shopper = reach_card_step(market, slug).submit(card_number="5204 8900 0000 001")
    assert shopper.status == 422
    shopper.sees("Pastikan sesuai dengan nomor Prakerja Anda (16 digit).")


@pytest.mark.parametrize("slug", PLATFORMS)
def test_double_submit_and_refresh_never_debit_twice(market, slug):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    otp_url, token = shopper.url, shopper.token()
    code = "AABBC" if slug == "bukalapak" else "112233"
    first = shopper.client.post(otp_url, data={"csrf_token": token, "otp": code})
    second = shopper.client.post(otp_url, data={"csrf_token": token, "otp": code})
    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    market.assert_reconciled()


@pytest.mark.parametrize("slug", PLATFORMS)
def test_forms_without_csrf_token_are_refused(market, slug):
    shopper = reach_card_step(market, slug)
    response = shopper.client.post(shopper.url, data={"card_number": "5204890000000015"})
    assert response.status_code == 422
    assert "Formulir kedaluwarsa atau tidak sah." in response.get_data(as_text=True)
    assert shopper.market.ledger("5204890000000015", "debit") == []


def test_a_promo_code_is_refused_with_a_reason(market):
    shopper = reach_card_step(market, "tokopedia")
    shopper.get("/p/DIG-001").submit("/beli/DIG-001", promo_code="HEMAT50")
    assert shopper.status == 422
    shopper.sees("Kode promo tidak berlaku untuk pembayaran Kartu Prakerja.")


def test_orders_of_other_buyers_are_not_found(market):
    first = reach_card_step(market, "tokopedia")
    second = reach_card_step(market, "tokopedia")
    response = second.client.get(first.url)
    assert response.status_code == 404


def test_unknown_pages_answer_in_indonesian(market):
    for path in ("/tokopedia/p/TIDAK-ADA", "/bukalapak/pesanan/TIDAK-ADA", "/halaman-lain"):
        response = market.http.get(path)
        assert response.status_code in (302, 404)
        if response.status_code == 404:
            assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example/phish", "https://evil.example/", "javascript:x"]
)
def test_signing_in_never_redirects_to_another_site(market, target):
    shopper = Shopper(market, "bukalapak")
    account = register(shopper)
    shopper.client.post("/bukalapak/keluar", data={"csrf_token": shopper.token()})
    page = shopper.client.get("/bukalapak/masuk", query_string={"next": target})
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)
    )
    response = shopper.client.post(
        "/bukalapak/masuk",
        query_string={"next": target},
        data={"csrf_token": token.group(1), "login": account["email"], "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location in ("/bukalapak/", "http://localhost/bukalapak/")
