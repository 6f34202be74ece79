"""Each storefront's whole checkout through the Flask test client, as a newcomer walks it (a
schedule chosen, send-otp on the card step, authorize on the OTP step), with the refusals shown
on the step where they happen."""

from __future__ import annotations

import itertools
import re

import pytest
import requests

from platforms.core import gateway, refusals
from prakerja_gateway.client import GatewayResponse
from prakerja_gateway.errors import GATEWAY_ERRORS
from tests.functional.storefront import Shopper

_numbers = itertools.count(1)
PASSWORD = "rahasia-123"
PLATFORMS = ["tokopedia", "bukalapak", "pintaria"]
FIXED_OTP = {"bukalapak": "ABCDE"}  # the sandbox's fixed OTP in each platform's format
WRONG_OTP = {"bukalapak": "ZZZZZ"}  # (the same wrong code typed again replays its answer)
WEBINAR = "FIN-002"  # on every platform; runs back to back from tomorrow 09:00 WIB


def fixed_otp(slug: str) -> str:
    return FIXED_OTP.get(slug, "123456")


def wrong_otp(slug: str, n: int = 0) -> str:
    code = WRONG_OTP.get(slug, "000000")
    return code[:-1] + "ZYXWV"[n] if code.isalpha() else code[:-1] + str(n)


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


def newcomer(market, slug: str) -> tuple[Shopper, dict]:
    """A new buyer with an account on ``slug``, signed in (and phone-verified where needed)."""
    shopper = Shopper(market, slug)
    account = register(shopper, path="/kartuprakerja/daftar" if slug == "pintaria" else "/daftar")
    if slug == "tokopedia":
        verify_phone(shopper, account)
    if slug == "pintaria":
        shopper.submit(login=account["email"], password=PASSWORD)
    return shopper, account


def buy(shopper: Shopper, course: str, schedule: str | None = None, **fields) -> Shopper:
    """Choose a schedule (the one given, else the one a person would) and buy: on the course
    page, or on Bukalapak's buy step with the terms."""
    if shopper.slug == "bukalapak":
        shopper.get(f"/beli/{course}")
        return shopper.submit(
            accept_terms="y", schedule_code=schedule or shopper.schedule(), **fields
        )
    shopper.get(f"/p/{course}")
    return shopper.submit(f"/beli/{course}", schedule_code=schedule or shopper.schedule(), **fields)


def reach_card_step(
    market, slug: str, course: str = "DIG-004", schedule: str | None = None
) -> Shopper:
    """A new buyer with an order for ``course`` (a schedule chosen), on the Prakerja card step."""
    shopper, account = newcomer(market, slug)
    buy(shopper, course, schedule)
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


def order_code(shopper: Shopper) -> str:
    return re.search(r"/(?:bayar|pesanan)/([A-Z]+-INV-[0-9A-F]+)", shopper.url).group(1)


def pay_with(shopper: Shopper, card_number: str) -> Shopper:
    if shopper.slug == "bukalapak":
        shopper.submit(card_number=card_number, action="cek").sees("terverifikasi")
        return shopper.submit(card_number=card_number, action="bayar")
    shopper.submit(card_number=card_number)
    if shopper.slug == "pintaria" and shopper.url.endswith("/telepon"):
        # Pintaria checks the number confirmed first against the card's registered phone: the
        # buyer's own number (typed by reach_card_step) is sent back, the card holder's goes on.
        shopper.sees("tidak sama dengan nomor yang terdaftar di Prakerja")
        shopper.submit(phone=card_holder_phone(shopper.market, card_number))
    return shopper


def card_holder_phone(market, card_number: str) -> str:
    return market.card_holder_phone(card_number)


def assert_paid(shopper: Shopper) -> None:
    """The page after a successful payment: the voucher and Prakerja's transaction, where the
    redeem code comes from instead of the code itself (Pintaria: the class in "Kelas Saya")."""
    if shopper.slug == "pintaria":
        shopper.sees("Kelas Saya", "Berhasil", "Isi survei")
        return
    shopper.sees("Kode redeem Prakerja tidak diberikan oleh", "dashboard Prakerja")
    assert shopper.value("voucher-code") and shopper.value("transaction-code")
    assert 'data-testid="redeem-code"' not in shopper.page


def redeem_code_for(shopper: Shopper) -> str:
    """The redeem code Prakerja issued for the purchase on this success page (Prakerja sends it to
    the participant; the storefront never learns it)."""
    return shopper.market.redeem_code_of(shopper.value("transaction-code"))


def refuse(monkeypatch, operation: str, answer) -> None:
    """The storefronts' gateway client, except that ``operation`` answers ``answer`` (a refusal
    name of the gateway's catalogue) or raises it (an exception)."""
    real = gateway.client_for

    def client_for(slug):
        client = real(slug)
        setattr(client, operation, lambda *args, **kwargs: _refusal_or_raise(answer))
        return client

    monkeypatch.setattr(gateway, "client_for", client_for)


def _refusal_or_raise(answer):
    if isinstance(answer, Exception):
        raise answer
    kind = GATEWAY_ERRORS[answer]
    return GatewayResponse(
        kind.status, {"code": kind.code, "message": kind.message, "success": False}, {}
    )


# --- the whole journey, platform by platform ------------------------------------------------
def test_tokopedia_newcomer_buys_with_kartu_prakerja(market):
    persona = market.mint("sms")
    shopper, account = newcomer(market, "tokopedia")
    shopper.get("/cari", q="Kartu Prakerja").sees("Hasil pencarian", "Keterampilan Digital")
    shopper.get("/cari", q="Kartu Prakerja", kategori="Keterampilan Digital").sees(
        "Lembaga pelatihan", "Lembaga Kursus Digital Nusantara"
    )
    shopper.get("/cari", q="Kartu Prakerja", kategori="Keterampilan Digital", lembaga="LPDIGI")
    shopper.sees("Desain Grafis dengan Aplikasi Gratis")
    shopper.get("/p/DIG-004").sees(
        "Lihat detail", "Cara menukarkan voucher", "Pilih jadwal", "Sisa kuota", "Kode promo"
    )
    schedule = shopper.schedule()
    quota = market.tokopedia.quota_schedule("DIG-004", schedule).data["quota"]
    assert shopper.quotas()[schedule] == quota  # as Prakerja's quota-schedule says
    shopper.submit("/beli/DIG-004", promo_code="", schedule_code=schedule)
    shopper.sees("Pembayaran", "Lihat semua")
    shopper.get(_link(shopper, "Lihat semua")).sees("Program Pemerintah", "Kartu Prakerja")
    shopper.get(_link(shopper, "Kartu Prakerja")).sees("Bayar dengan Kartu Prakerja", "Jadwal")
    shopper.submit(card_number=persona.card_number).sees("Masukkan kode OTP", "6 angka")
    order = order_code(shopper)
    shopper.submit(otp=market.latest_otp(persona.phone)).sees("Pembayaran berhasil")
    assert_paid(shopper)
    voucher, transaction = shopper.value("voucher-code"), shopper.value("transaction-code")
    assert voucher.startswith("TKP-") and shopper.value("invoice-code") == order
    assert 'href="http://localhost/prakerja/dashboard"' in shopper.page
    assert market.http.get("/prakerja/dashboard").status_code in (200, 302)

    status = market.tokopedia.payment_status(order)  # Prakerja holds the invoice we sent
    assert status.data["status"] == "SUCCESS" and status.data["transaction_code"] == transaction
    prakerja = market.http.get(f"/sandbox/transactions/{transaction}").get_json()
    assert prakerja["schedule_code"] == schedule
    assert prakerja["invoice_url"] == f"http://localhost/tokopedia/pesanan/{order}"
    redeem = redeem_code_for(shopper)
    assert re.fullmatch(r"PRAT-[A-Z0-9]{6}", redeem) and redeem not in shopper.page

    shopper.get("/riwayat").sees("Histori Transaksi Top Up dan Tagihan", voucher)
    [email] = [m for m in market.emails(account["email"]) if m["sender"] == "Tokopedia"]
    assert voucher in email["body"] and transaction in email["body"]
    assert redeem not in email["body"] and "dashboard Prakerja" in email["body"]
    assert shopper.get("/p/DIG-004").quotas()[schedule] == quota - 1  # the seat is taken
    assert market.card(persona.card_number).balance == 3_400_000
    market.assert_reconciled()


def test_bukalapak_newcomer_buys_with_kartu_prakerja(market):
    persona = market.mint("sms")
    shopper, account = newcomer(market, "bukalapak")
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
    shopper.get("/p/DIG-004").sees("Kurikulum", "Ulasan", "Jadwal", "Sisa kuota", "Beli Sekarang")
    assert shopper.quotas() and not shopper.schedules()  # chosen on the next step
    shopper.get("/beli/DIG-004").sees("Syarat dan ketentuan", "Pilih jadwal", "Ya")
    shopper.submit(accept_terms="y")
    assert shopper.status == 422
    shopper.sees("Pilih jadwal pelatihan.")
    shopper.submit(accept_terms="y", schedule_code=shopper.schedule()).sees("Cek Kartu Prakerja")
    shopper.submit(card_number=persona.card_number, action="cek").sees(
        "Kartu Prakerja terverifikasi", "Rp3.500.000", "Bayar dengan Kartu Prakerja"
    )
    shopper.submit(card_number=persona.card_number, action="bayar").sees("5 huruf")
    otp = market.latest_otp(persona.phone)
    assert re.fullmatch(r"[A-Z]{5}", otp)
    shopper.submit(otp=otp.lower()).sees("Detail Tagihan", "Kode kupon", "dashboard Prakerja")
    coupon = shopper.value("voucher-code")
    [email] = [m for m in market.emails(account["email"]) if m["sender"] == "Bukalapak"]
    assert coupon in email["body"] and redeem_code_for(shopper) not in email["body"]
    market.assert_reconciled()


def test_pintaria_newcomer_buys_fills_the_survey_and_enters_the_class(market):
    persona = market.mint("sms")
    shopper = Shopper(market, "pintaria")
    account = register(shopper, path="/kartuprakerja/daftar")
    shopper.sees("Pintaria Akun", "Masuk dengan akun Pintaria")  # the separate SSO page
    shopper.submit(login=account["email"], password=PASSWORD).sees("Kartu Prakerja", "Ikuti Kursus")
    shopper.get("/p/DIG-004").sees("Pilih jadwal", "Sisa kuota", "Ikuti Kursus")
    shopper.submit("/beli/DIG-004", schedule_code=shopper.schedule())
    shopper.sees("Konfirmasi nomor HP", "Lanjutkan Pembayaran")
    shopper.submit(phone=persona.phone).sees("ID Prakerja")  # the card's, checked at send-otp
    shopper.submit(card_number=persona.card_number)
    shopper.submit(otp=market.latest_otp(persona.phone)).sees("Kelas Saya", "Isi survei")
    shopper.get(_link(shopper, "Isi survei")).sees("Survei singkat")
    shopper.submit(motivation="usaha", expectation="Bisa membuat desain untuk usaha saya")
    shopper.sees("Masuk Kelas", "dashboard Prakerja")
    shopper.submit().sees("Selamat belajar")
    assert redeem_code_for(shopper).startswith("PRAT-")
    assert 'data-testid="redeem-code"' not in shopper.page
    market.assert_reconciled()


# --- schedules --------------------------------------------------------------------------------
def test_a_run_that_started_is_no_longer_offered_nor_accepted(market):
    shopper, _account = newcomer(market, "tokopedia")
    first = next(iter(shopper.get(f"/p/{WEBINAR}").schedules()))
    assert not any(state["checked"] for state in shopper.schedules().values())  # a real choice
    shopper.submit(f"/beli/{WEBINAR}", promo_code="")
    assert shopper.status == 422
    shopper.sees("Pilih jadwal pelatihan.")
    market.advance(days=2)  # the first run started yesterday
    assert first not in shopper.get(f"/p/{WEBINAR}").schedules()
    shopper.submit(f"/beli/{WEBINAR}", schedule_code=first)
    assert shopper.status == 422
    shopper.sees("Jadwal ini tidak dapat dibeli lagi. Pilih jadwal lain.")


def test_a_self_paced_training_with_one_open_batch_comes_preselected(market):
    shopper, _account = newcomer(market, "pintaria")
    assert not any(s["checked"] for s in shopper.get("/p/DIG-004").schedules().values())
    market.advance(days=151)  # the first batch has ended: only the second is on sale
    [(schedule, state)] = shopper.get("/p/DIG-004").schedules().items()
    assert state["checked"]
    shopper.submit("/beli/DIG-004", schedule_code=schedule).sees("Konfirmasi nomor HP")


@pytest.mark.parametrize("slug", PLATFORMS)
def test_a_run_that_started_after_ordering_is_explained_on_the_card_step(market, slug):
    shopper = reach_card_step(market, slug, WEBINAR)  # the first run: tomorrow, 09:00 WIB
    market.advance(days=2)
    persona = market.mint("ok")  # accepted after the clock moved: the card itself may buy
    if slug == "bukalapak":
        shopper.submit(card_number=persona.card_number, action="cek").sees("terverifikasi")
        shopper.submit(card_number=persona.card_number, action="bayar")
    else:
        shopper.submit(card_number=persona.card_number)
    assert shopper.status == 422
    shopper.sees(GATEWAY_ERRORS["schedule_started"].message, "Pilih jadwal lain")
    back = "beli" if slug == "bukalapak" else "p"
    assert f'href="/{slug}/{back}/{WEBINAR}">Pilih jadwal lain<' in shopper.page
    assert f'value="{persona.card_number}"' in shopper.page  # nothing to type again
    assert market.ledger(persona.card_number, "debit") == []


@pytest.mark.parametrize("slug", PLATFORMS)
def test_a_full_schedule_is_explained_on_the_card_step(market, slug, monkeypatch):
    persona = market.mint("ok")
    shopper = reach_card_step(market, slug, WEBINAR)
    refuse(monkeypatch, "send_otp", "quota_full")
    shopper.submit(card_number=persona.card_number, action="bayar")
    assert shopper.status == 422
    shopper.sees("Kuota jadwal pelatihan sudah habis. Pilih jadwal lain.", "Pilih jadwal lain")


@pytest.mark.parametrize(
    ("slug", "course", "key", "phrase"),
    [
        ("tokopedia", "DIG-003", "low_education", "Pendidikan terakhir peserta tidak memenuhi"),
        ("pintaria", "DIG-003", "low_education", "Pendidikan terakhir peserta tidak memenuhi"),
        ("bukalapak", "BHS-002", "too_old", "Usia peserta tidak memenuhi syarat"),
        ("pintaria", "BHS-002", "too_old", "Usia peserta tidak memenuhi syarat"),
    ],
)
def test_requirements_of_the_training_are_explained_on_the_card_step(
    market, slug, course, key, phrase
):
    persona = market.mint(key)
    shopper = reach_card_step(market, slug, course)
    if slug == "bukalapak":
        shopper.submit(card_number=persona.card_number, action="bayar")
    else:
        shopper.submit(card_number=persona.card_number)
    assert shopper.status == 422
    shopper.sees(phrase, "Pilih pelatihan lain")
    assert f'value="{persona.card_number}"' in shopper.page


@pytest.mark.parametrize(
    ("slug", "course", "stated"),
    [
        ("pintaria", "BHS-002", "Syarat peserta: usia 18–45 tahun."),
        ("tokopedia", "DIG-003", "Syarat peserta: pendidikan terakhir minimal SMA."),
        (
            "bukalapak",
            "TEK-001",
            "Syarat peserta: usia 18–55 tahun, pendidikan terakhir minimal SMP.",
        ),
        ("tokopedia", "DIG-004", "Syarat peserta: terbuka untuk semua peserta Kartu Prakerja."),
    ],
)
def test_the_course_page_states_who_may_buy_it(market, slug, course, stated):
    shopper, _ = newcomer(market, slug)
    shopper.get(f"/p/{course}").sees(stated)


# --- refusals, shown where they happen ------------------------------------------------------
@pytest.mark.parametrize("slug", PLATFORMS)
def test_wrong_otp_is_shown_and_the_right_one_then_pays(market, slug):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    shopper.submit(otp=wrong_otp(slug))
    assert shopper.status == 422
    shopper.sees("Kode OTP salah. Sisa percobaan: 2.")
    shopper.submit(otp=fixed_otp(slug))
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
    order = order_code(shopper)
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    shopper.submit(f"/bayar/{order}/otp", otp=market.latest_otp(persona.phone))
    assert_paid(shopper)
    assert market.partner(slug).payment_status(order).data["status"] == "SUCCESS"  # one invoice


def test_the_same_fixed_code_for_a_resent_otp_pays(market):
    """The sandbox's fixed OTP is the same after a resend: typed again for the new OTP, it is a
    new authorize (not the replay of the expired one's answer)."""
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, "tokopedia"), persona.card_number)
    order = order_code(shopper)
    market.advance(minutes=6)
    shopper.submit(otp=persona.otp).sees("kedaluwarsa")
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    shopper.submit(f"/bayar/{order}/otp", otp=persona.otp)
    assert_paid(shopper)


@pytest.mark.parametrize("slug", PLATFORMS)
def test_resending_too_soon_is_explained_not_an_error(market, slug):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    shopper.submit(f"/bayar/{order_code(shopper)}/otp/kirim-ulang")
    assert shopper.status == 422
    shopper.sees(GATEWAY_ERRORS["resend_too_soon"].message, "Masukkan kode OTP")
    shopper.submit(f"/bayar/{order_code(shopper)}/otp", otp=fixed_otp(slug))
    assert_paid(shopper)


@pytest.mark.parametrize(
    ("refusal", "phrase"),
    [
        ("schedule_started", "Pilih jadwal lain"),
        ("card_revoked", GATEWAY_ERRORS["card_revoked"].message),
        ("too_many_resends", GATEWAY_ERRORS["too_many_resends"].message),
        (requests.ConnectionError("down"), refusals.UNREACHABLE_MESSAGE),
    ],
    ids=["schedule_started", "card_revoked", "too_many_resends", "unreachable"],
)
def test_a_refused_resend_is_shown_on_the_otp_step(market, monkeypatch, refusal, phrase):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, "tokopedia"), persona.card_number)
    refuse(monkeypatch, "send_otp", refusal)
    shopper.submit(f"/bayar/{order_code(shopper)}/otp/kirim-ulang")
    assert shopper.status == 422
    shopper.sees(phrase, "Masukkan kode OTP")


def test_an_unreachable_gateway_is_explained_on_the_card_step(market, monkeypatch):
    persona = market.mint("ok")
    shopper = reach_card_step(market, "tokopedia")
    refuse(monkeypatch, "send_otp", requests.ConnectTimeout("timeout"))
    shopper.submit(card_number=persona.card_number)
    assert shopper.status == 422
    shopper.sees(refusals.UNREACHABLE_MESSAGE)


@pytest.mark.parametrize("slug", PLATFORMS)
def test_too_many_wrong_otps_start_a_new_payment_with_a_new_invoice(market, slug):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, slug), persona.card_number)
    order = order_code(shopper)
    for n in range(3):  # the gateway's limit: the third wrong code closes the payment
        shopper.submit(f"/bayar/{order}/otp", otp=wrong_otp(slug, n))
    assert shopper.status == 422
    shopper.sees(GATEWAY_ERRORS["too_many_attempts"].message, "Masukkan nomor Kartu Prakerja lagi")
    shopper.get(f"/bayar/{order}/kartu").sees("Silakan ulangi pembayaran", f"Tagihan {order}")
    pay_with(shopper, persona.card_number).sees("Masukkan kode OTP")
    shopper.submit(otp=fixed_otp(slug))
    assert_paid(shopper)
    prakerja = market.partner(slug)
    assert prakerja.payment_status(f"{order}-2").data["status"] == "SUCCESS"
    assert prakerja.payment_status(order).error_code == GATEWAY_ERRORS["transaction_not_found"].code
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    market.assert_reconciled()


def test_a_payment_prakerja_took_while_the_answer_was_lost_is_recorded(market, monkeypatch):
    """Prakerja captured the payment but its answer never reached the storefront: the next
    try finds it settled, reads it back by its invoice and shows it paid, without a second debit."""
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, "tokopedia"), persona.card_number)
    order = order_code(shopper)
    real = gateway.client_for

    def losing_the_answer(slug):
        client = real(slug)
        authorize = client.authorize

        def authorize_then_lose(*args, **kwargs):
            authorize(*args, **kwargs)
            raise requests.ReadTimeout("the answer was lost")

        client.authorize = authorize_then_lose
        return client

    monkeypatch.setattr(gateway, "client_for", losing_the_answer)
    shopper.submit(otp="123456")
    assert shopper.status == 422
    shopper.sees(refusals.UNREACHABLE_MESSAGE)
    monkeypatch.setattr(gateway, "client_for", real)
    shopper.submit(f"/bayar/{order}/otp", otp="654321")  # any code: Prakerja has it settled
    assert_paid(shopper)
    transaction = market.tokopedia.payment_status(order).data["transaction_code"]
    assert shopper.value("transaction-code") == transaction
    assert market.ledger(persona.card_number, "debit") == [-100_000]


def test_an_invoice_prakerja_already_holds_is_replaced_by_the_next(market, monkeypatch):
    persona = market.mint("ok")
    shopper = pay_with(reach_card_step(market, "tokopedia"), persona.card_number)
    order = order_code(shopper)
    real, refused = gateway.client_for, []

    def client_for(slug):
        client = real(slug)
        authorize = client.authorize

        def refuse_the_first_invoice(*args, **kwargs):
            if refused:
                return authorize(*args, **kwargs)
            refused.append(kwargs["invoice_code"])
            return _refusal_or_raise("invoice_code_used")

        client.authorize = refuse_the_first_invoice
        return client

    monkeypatch.setattr(gateway, "client_for", client_for)
    shopper.submit(otp=persona.otp)
    assert_paid(shopper)
    assert refused == [order] and shopper.value("invoice-code") == f"{order}-2"
    assert market.tokopedia.payment_status(f"{order}-2").data["status"] == "SUCCESS"


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
    code = fixed_otp(slug)
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
    buy(shopper, "DIG-001", promo_code="HEMAT50")
    assert shopper.status == 422
    shopper.sees("Kode promo tidak berlaku untuk pembayaran Kartu Prakerja.")


def test_the_codes_the_storefront_acts_on_are_the_gateways():
    for name, code in refusals.CODES.items():
        assert GATEWAY_ERRORS[name].code == code, name
    assert set(refusals.REACTIONS) <= set(refusals.CODES)


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
