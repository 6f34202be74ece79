"""The traps of issue "A newcomer's first hour", one group per numbered trap, walked with test
clients the way a newcomer meets them: a resend too soon, an expired fixed OTP, the simulated
phone of the wrong person, pages that lead nowhere, Pintaria's unchecked phone number, a paid
invoice offered for payment again, English validation text, a long name, faint prices, and the
certificate's name."""

from __future__ import annotations

import html
import inspect
import re
from pathlib import Path

import pytest
import wtforms
from flask import url_for
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SelectField

import institutions.forms
import platforms.core.forms
import prakerja_gateway.dashboard.forms
from catalog_seed.demo import storefront_credentials
from institutions import registry as institution_registry
from institutions.services import QUIZ
from platforms import registry
from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.errors import GATEWAY_ERRORS
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import (
    PASSWORD,
    PLATFORMS,
    WEBINAR,
    buy,
    fixed_otp,
    newcomer,
    order_code,
    pay_with,
    reach_card_step,
    register,
)
from tests.helpers import sandbox_off_config

SITE = "lembaga/digital-nusantara"
RIGHT = {f"q{n}": str(q.answer) for n, q in enumerate(QUIZ, start=1)}


def otp_step(market, slug: str, key: str = "ok", course: str = "DIG-004"):
    """A new buyer on the OTP step of ``course``, paying with a fresh ``key`` card."""
    persona = market.mint(key)
    shopper = pay_with(reach_card_step(market, slug, course), persona.card_number)
    shopper.sees("Masukkan kode OTP")
    return shopper, persona


def paid(market, slug: str, key: str = "ok", course: str = "DIG-004"):
    shopper, persona = otp_step(market, slug, key, course)
    shopper.submit(otp=fixed_otp(slug) if persona.otp else market.latest_otp(persona.phone))
    assert shopper.status == 200, shopper.text()
    return shopper, persona


# --- 1. "Kirim ulang kode" within the cooldown ------------------------------------------------
@pytest.mark.parametrize("slug", PLATFORMS)
def test_resending_within_the_cooldown_says_how_many_seconds_to_wait(market, slug):
    shopper, persona = otp_step(market, slug)
    order = order_code(shopper)
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang")
    assert shopper.status == 422  # an explained refusal, never a 500 page
    shopper.sees(GATEWAY_ERRORS["resend_too_soon"].message, "Masukkan kode OTP")
    wait = re.search(r"Coba lagi dalam (\d+) detik\.", shopper.text())
    assert wait and 0 < int(wait.group(1)) <= 31, shopper.text()
    assert 'aria-invalid="true"' not in shopper.page  # a notice: the OTP field is not wrong
    market.advance(seconds=int(wait.group(1)))
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    shopper.submit(f"/bayar/{order}/otp", otp=fixed_otp(slug)).sees(
        "Kode redeem Prakerja tidak diberikan oleh" if slug != "pintaria" else "Kelas Saya"
    )


# --- 2. an expired OTP of a fixed-OTP card ------------------------------------------------------
@pytest.mark.parametrize("slug", PLATFORMS)
def test_an_expired_fixed_otp_offers_a_resend_that_pays(market, slug):
    shopper, persona = otp_step(market, slug)
    order = order_code(shopper)
    market.advance(minutes=6)
    for _ in range(2):  # typed again: still expired (the same request, the same answer)
        shopper.submit(f"/bayar/{order}/otp", otp=fixed_otp(slug))
        assert shopper.status == 422
        shopper.sees("kedaluwarsa", "Kirim ulang kode", "Ganti kartu atau mulai ulang pembayaran")
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    shopper.submit(f"/bayar/{order}/otp", otp=fixed_otp(slug))
    assert shopper.status == 200
    assert market.partner(slug).payment_status(order).data["status"] == "SUCCESS"
    assert market.ledger(persona.card_number, "debit") == [-100_000]


@pytest.mark.parametrize("slug", PLATFORMS)
def test_an_expired_otp_page_links_a_fresh_start_with_the_card(market, slug):
    shopper, persona = otp_step(market, slug)
    order = order_code(shopper)
    market.advance(minutes=6)
    shopper.submit(f"/bayar/{order}/otp", otp=fixed_otp(slug))
    link = re.search(r'href="/[a-z]+(/bayar/[^"]+/kartu)" data-testid="change-card"', shopper.page)
    assert link, "no way from the OTP step back to the card step"
    shopper.get(link.group(1)).sees("Kartu Prakerja")
    pay_with(shopper, persona.card_number).sees("Masukkan kode OTP")
    shopper.submit(otp=fixed_otp(slug))
    assert shopper.status == 200
    assert market.ledger(persona.card_number, "debit") == [-100_000]


def test_resends_used_up_say_until_when_the_payment_lasts(market):
    shopper, persona = otp_step(market, "tokopedia")
    order = order_code(shopper)
    for _ in range(3):  # the gateway's limit of resends
        market.advance(seconds=31)
        shopper.submit(f"/bayar/{order}/otp/kirim-ulang").sees("Kode OTP baru sudah dikirim")
    market.advance(seconds=31)
    shopper.submit(f"/bayar/{order}/otp/kirim-ulang")
    assert shopper.status == 422
    shopper.sees(
        GATEWAY_ERRORS["too_many_resends"].message,
        "Pembayaran ini berlaku sampai",
        "bayar dengan kartu lain",
        "Ganti kartu atau mulai ulang pembayaran",
    )
    shopper.submit(f"/bayar/{order}/otp", otp=persona.otp)  # the last code still pays
    assert market.ledger(persona.card_number, "debit") == [-100_000]


# --- 3. the simulated phone is the card's --------------------------------------------------------
def sandbox_phone(market, phone: str) -> str:
    with market.app.test_request_context():
        return url_for("sandbox.phone_page", phone=phone)


def _phone_link(shopper: Shopper) -> str | None:
    found = re.search(r'<a href="([^"]+)" data-testid="sandbox-phone">', shopper.page)
    return found.group(1) if found else None


@pytest.mark.parametrize("slug", PLATFORMS)
def test_the_simulated_phone_link_follows_the_card_being_paid(market, slug):
    shopper, persona = otp_step(market, slug, key="sms")
    link = _phone_link(shopper)
    phone = shopper.client.get(link, follow_redirects=True)
    assert phone.request.path == sandbox_phone(market, persona.phone)  # not the buyer's phone
    assert phone.status_code == 200
    assert market.latest_otp(persona.phone) in phone.get_data(as_text=True)


def test_signed_out_the_simulated_phone_link_leads_to_the_test_cards(market):
    home = Shopper(market, "bukalapak").get("/")
    link = _phone_link(home)
    assert link and not link.startswith(sandbox_phone(market, "0")[:-1])  # no empty phone
    assert market.http.get(link).status_code == 200
    assert "Kartu uji" in market.http.get(link).get_data(as_text=True)


def test_tokopedias_phone_check_links_the_buyers_own_phone(market):
    shopper = Shopper(market, "tokopedia")
    account = register(shopper)
    shopper.sees("Verifikasi nomor HP")  # Tokopedia texts the account's own phone
    assert _phone_link(shopper) == sandbox_phone(market, account["phone"])


def test_off_the_sandbox_there_is_no_simulated_phone(make_app):
    app = make_app(**sandbox_off_config())
    page = app.test_client().get("/bukalapak/").get_data(as_text=True)
    assert "Ponsel simulasi" not in page and "/sandbox/" not in page


# --- 4. every page leads on -----------------------------------------------------------------
@pytest.mark.parametrize("slug", ["tokopedia", "bukalapak"])
def test_the_success_page_leads_to_the_institution_and_the_dashboard(market, slug):
    shopper, _persona = paid(market, slug)
    shopper.sees("Langkah berikutnya", "Tukar Voucher", "dashboard Prakerja", "rating dan ulasan")
    site = re.search(r'href="([^"]+)" data-testid="institution-link"', shopper.page).group(1)
    assert site == f"/{SITE}/tukar-voucher?dari={slug}"
    assert 'href="http://localhost/prakerja/dashboard"' in shopper.page

    learner = Shopper(market, SITE)  # a newcomer at the institution: sign in, or register
    learner.client = shopper.client
    learner._keep(learner.client.get(site, follow_redirects=True))
    learner.sees("Masuk", "Belum punya akun?")
    register_link = re.search(r'href="(/lembaga/[^"]+/daftar\?next=[^"]+)"', learner.page)
    learner._keep(learner.client.get(html.unescape(register_link.group(1))))
    learner.submit(name="Sari", email="sari@contoh.test", password=PASSWORD, confirm=PASSWORD)
    learner.sees("Tukar Voucher")
    assert f'<option selected value="{slug}">' in learner.page  # bought there: preselected


def test_pintarias_class_before_its_start_says_when_and_where_to_go(market):
    shopper, _persona = paid(market, "pintaria", course=WEBINAR)  # tomorrow 09:00 WIB
    shopper.sees("Kelas Saya", "Isi survei", "langkah berikutnya")
    order = re.search(r"/kelas/([A-Z]+-INV-[0-9A-F]+)/survei", shopper.page).group(1)
    shopper.get(f"/kelas/{order}/survei")
    shopper.submit(motivation="kerja", expectation="Mengelola keuangan usaha dengan rapi")
    shopper.sees("Kelas belum dimulai. Kelas dimulai", "Langkah berikutnya", "Tukar Voucher")
    assert 'data-testid="institution-link"' in shopper.page
    assert "dashboard Prakerja" in shopper.text()
    token = shopper.token()  # a "Masuk Kelas" sent before the start (an old tab): explained
    response = shopper.client.post(
        f"/pintaria/kelas/{order}", data={"csrf_token": token}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Kelas belum dimulai" in response.get_data(as_text=True)
    market.advance(days=2)
    shopper.get(f"/kelas/{order}").submit().sees("Selamat belajar", "Langkah berikutnya")


def test_the_certificate_leads_to_the_review_on_the_dashboard(market):
    learner, _name = certified(market)
    learner.sees("Langkah berikutnya", "rating dan ulasan", "Insentif dijadwalkan")
    assert 'href="/prakerja/dashboard#pelatihan" data-testid="dashboard-link"' in learner.page


# --- 5. Pintaria's "Nomor HP terdaftar di Prakerja" --------------------------------------------
def test_pintarias_phone_step_checks_the_format_in_indonesian(market):
    persona = market.mint("ok")
    shopper, _account = newcomer(market, "pintaria")
    buy(shopper, "DIG-004")
    shopper.submit(phone="12345")
    assert shopper.status == 422
    shopper.sees("Nomor HP diawali 08 dan terdiri dari 10–13 angka.")
    spaced = "+62 " + persona.phone[1:4] + "-" + persona.phone[4:8] + "-" + persona.phone[8:]
    shopper.submit(phone=spaced).sees("ID Prakerja")  # typed as people write it
    shopper.submit(card_number=persona.card_number).sees("Masukkan kode OTP")


def test_pintarias_phone_must_be_the_cards_registered_phone(market):
    persona = market.mint("ok")
    shopper, account = newcomer(market, "pintaria")
    buy(shopper, "DIG-004")
    shopper.submit(phone=account["phone"]).sees("ID Prakerja")  # the account's, not the card's
    shopper.submit(card_number=persona.card_number)
    assert shopper.url.endswith("/telepon") and shopper.status == 422
    shopper.sees("tidak sama dengan nomor yang terdaftar di Prakerja", "Konfirmasi nomor HP")
    order = order_code(shopper)
    assert shopper.get(f"/bayar/{order}/otp").url.endswith("/telepon")  # no way around it
    shopper.submit(phone=persona.phone).sees("Masukkan kode OTP")
    shopper.submit(otp=persona.otp).sees("Kelas Saya", "Berhasil")


# --- 6. a paid invoice is paid; a refused order can be paid again or cancelled -----------------
@pytest.mark.parametrize(
    ("slug", "steps"),
    [
        ("tokopedia", ["", "/metode", "/kartu", "/otp"]),
        ("bukalapak", ["/kartu", "/otp"]),
        ("pintaria", ["/telepon", "/kartu", "/otp"]),
    ],
)
def test_a_paid_orders_payment_pages_show_it_paid(market, slug, steps):
    shopper, persona = paid(market, slug)
    order = order_code(shopper) if slug != "pintaria" else _pintaria_order(shopper)
    for step in steps:
        shopper.get(f"/bayar/{order}{step}")
        assert shopper.url == f"/{slug}/pesanan/{order}", (step, shopper.url)
        shopper.sees("Langkah berikutnya")
        assert shopper.value("voucher-code")
        assert "Total tagihan" not in shopper.page and "Kirim OTP" not in shopper.page
    assert market.ledger(persona.card_number, "debit") == [-100_000]


def _pintaria_order(shopper: Shopper) -> str:
    return re.search(r"/kelas/([A-Z]+-INV-[0-9A-F]+)/survei", shopper.page).group(1)


@pytest.mark.parametrize("slug", PLATFORMS)
def test_an_order_the_gateway_refused_can_be_paid_again_or_cancelled(market, slug):
    shopper = reach_card_step(market, slug, WEBINAR)
    order = order_code(shopper)
    market.advance(days=2)  # the run started: Prakerja refuses it
    pay_with(shopper, market.mint("ok").card_number)
    assert shopper.status == 422
    shopper.get("/riwayat").sees("Menunggu pembayaran", "Bayar atau batalkan")
    shopper.get(f"/pesanan/{order}").sees("Menunggu pembayaran", "Batalkan pesanan")
    assert re.search(r">(Bayar ulang|Bayar dengan Kartu Prakerja)<", shopper.page)
    shopper.submit(f"/pesanan/{order}/batal").sees("Pesanan dibatalkan", "tidak terpakai")
    shopper.get("/riwayat").sees("Dibatalkan")
    assert shopper.get(f"/bayar/{order}/kartu").url == f"/{slug}/pesanan/{order}"


def test_a_paid_order_is_not_cancelled(market):
    shopper, _persona = paid(market, "tokopedia")
    order = order_code(shopper)
    shopper.submit(f"/pesanan/{order}/batal").sees("Pembayaran berhasil")
    assert "Batalkan pesanan" not in shopper.page


# --- 7. validation in Indonesian on every form --------------------------------------------------
POT = Path(wtforms.__file__).parent / "locale" / "wtforms.pot"
ENGLISH_DEFAULTS = set(re.findall(r'^msgid "(.+)"$', POT.read_text(), re.MULTILINE))
ENGLISH = re.compile(r"\b(Field|must|characters?|Invalid|[Nn]ot a valid|This field|CSRF)\b")
FORM_MODULES = [platforms.core.forms, institutions.forms, prakerja_gateway.dashboard.forms]
BAD_VALUES = ["", "x", "x" * 3000, "zz-bukan-pilihan", "-1", "1.5", "abc\x00"]


def _forms():
    for module in FORM_MODULES:
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and issubclass(cls, FlaskForm) and cls is not FlaskForm:
                yield pytest.param(cls, id=f"{module.__name__}.{name}")


@pytest.mark.parametrize("form_class", list(_forms()))
def test_no_validation_message_is_english(app, form_class):
    with app.test_request_context():
        names = [field.name for field in form_class(formdata=None, meta={"csrf": False})]
    messages = set()
    for value in BAD_VALUES:
        data = {name: value for name in names}
        with app.test_request_context(method="POST", data=data):
            form = form_class(meta={"csrf": False})
            for field in form:
                if isinstance(field, SelectField | RadioField) and not field.choices:
                    field.choices = [SelectChoice("satu", "Satu")]  # set by the view
            form.validate()
            messages.update(error for errors in form.errors.values() for error in errors)
    english = [m for m in messages if m in ENGLISH_DEFAULTS or ENGLISH.search(m)]
    assert not english, english


@pytest.mark.parametrize(
    "path",
    ["/tokopedia/daftar", "/bukalapak/daftar", "/pintaria/kartuprakerja/daftar", f"/{SITE}/daftar"],
)
def test_registration_answers_in_indonesian(market, path):
    visitor = Shopper(market, "")
    visitor._keep(visitor.client.get(path))
    visitor.submit(name="A", email="x" * 250, phone="1", password="x", confirm="y")
    assert visitor.status == 422
    visitor.sees("Nama terdiri dari 2–120 karakter.", "Email paling banyak 200 karakter.")
    assert not ENGLISH.search(visitor.text()), visitor.text()


# --- 8. a long name does not break the header ---------------------------------------------------
def static_text(market, path: str) -> str:
    with market.http.get(path) as response:  # a file response: closed, not left to the GC
        assert response.status_code == 200, path
        return response.get_data(as_text=True)


def test_long_names_are_cut_in_every_header(market):
    css = static_text(market, "/storefront-static/storefront.css")
    who = re.search(r"\.who \{([^}]*)\}", css).group(1)
    assert "text-overflow: ellipsis" in who and "max-width" in who and "overflow: hidden" in who
    assert "overflow-wrap: anywhere" in re.search(r"\bmain \{([^}]*)\}", css).group(1)

    shopper = Shopper(market, "bukalapak")
    shopper.get("/daftar").submit(
        name="A" * 120, email="panjang@contoh.test", phone="089912345678",
        password=PASSWORD, confirm=PASSWORD,
    )  # fmt: skip
    assert f'<span class="who" title="{"A" * 120}">' in shopper.page

    learner = Shopper(market, SITE)
    learner.get("/daftar").submit(
        name="B" * 120, email="b@contoh.test", password=PASSWORD, confirm=PASSWORD
    )
    assert "institution.css" in learner.page
    lp_css = static_text(market, "/lembaga-static/institution.css")
    assert "text-overflow: ellipsis" in re.search(r"\.lp-who \{([^}]*)\}", lp_css).group(1)
    person = Shopper(market, "prakerja").get("/masuk")
    assert "overflow-wrap: anywhere" in person.page


# --- 9. prices and text colours reach WCAG AA ---------------------------------------------------
def contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula():
    assert round(contrast("#ffc107", "#ffffff"), 2) == 1.63  # the Bukalapak price
    assert round(contrast("#f59e0b", "#ffffff"), 2) == 2.15  # the Pintaria price
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


@pytest.mark.parametrize("spec", registry.PLATFORMS, ids=lambda spec: spec.slug)
def test_every_text_colour_of_a_platform_look_reaches_aa(spec):
    look = spec.look
    pairs = {
        "price on white": (look.accent, "#ffffff"),
        "price on page": (look.accent, look.background),
        "brand on white": (look.primary, "#ffffff"),
        "brand on page": (look.primary, look.background),
        "button text on brand": (look.primary_ink, look.primary),
    }
    assert set(pairs.values()) == set(look.text_pairs().values())
    low = {what: round(contrast(*pair), 2) for what, pair in pairs.items() if contrast(*pair) < 4.5}
    assert not low, low


@pytest.mark.parametrize("site", institution_registry.SITES, ids=lambda site: site.slug)
def test_every_text_colour_of_an_institution_site_reaches_aa(site):
    pairs = {  # marketplace.css: white on the header, dark text (#1d2433) on accent buttons
        "header text": ("#ffffff", site.primary),
        "brand on white": (site.primary, "#ffffff"),
        "button text on accent": ("#1d2433", site.accent),
    }
    low = {what: round(contrast(*pair), 2) for what, pair in pairs.items() if contrast(*pair) < 4.5}
    assert not low, low


def test_the_storefront_stylesheets_grey_text_reaches_aa_on_every_page_colour(market):
    css = static_text(market, "/storefront-static/storefront.css")
    pages = {spec.look.background for spec in registry.PLATFORMS}
    backgrounds = {"#ffffff", "#fff8e1", "#e8f5e9"} | pages  # panels, notices, the pages
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        for colour in re.findall(r"(?<![-\w])color: (#[0-9a-fA-F]{6})", body):
            if ".full" in selector:  # a schedule that cannot be chosen: a disabled control
                continue
            low = [bg for bg in backgrounds if contrast(colour, bg) < 4.5]
            assert not low, (selector.strip(), colour, low)


# --- 10. the certificate names the card holder --------------------------------------------------
def certified(market) -> tuple[Shopper, str]:
    """Buy on Tokopedia with an account named unlike the card holder, learn at the institution
    to the certificate; the learner on the certificate page and Prakerja's name of the holder."""
    shopper, _persona = paid(market, "tokopedia")  # the account: "Pembeli Uji <n>"
    holder = market.tokopedia.payment_status(order_code(shopper)).data["prakerja_name"]
    assert holder and not holder.startswith("Pembeli Uji")
    voucher = shopper.value("voucher-code")
    redeem = market.redeem_code_of(shopper.value("transaction-code"))

    learner = Shopper(market, SITE)
    learner.get("/daftar").submit(
        name="Nama Akun Lembaga", email="akun@contoh.test", password=PASSWORD, confirm=PASSWORD
    )
    learner.submit(platform="tokopedia", voucher_code=voucher).sees("Masukkan Kode Redeem")
    course = re.search(r"/kelas/\d+", learner.url).group(0)
    learner.submit(f"{course}/redeem", redeem_code=redeem).submit(scan="1").sees("Pre-test")
    learner.submit(f"{course}/pretest", **RIGHT)
    for number in (1, 2, 3):
        learner.submit(f"{course}/materi/{number}")
    learner.submit(f"{course}/tugas", url_file="https://drive.example/tugas.pdf")
    learner.submit(f"{course}/posttest", **RIGHT)
    learner.submit(f"{course}/tugas-akhir", url_file="https://drive.example/uk.pdf")
    learner.submit(f"{course}/selesai")
    return learner, holder


def test_the_certificate_carries_the_card_holders_name(market):
    learner, holder = certified(market)
    assert learner.value("certificate-name") == holder
    assert "Pembeli Uji" not in learner.value("certificate-name")
    number = learner.value("certificate-number")
    pdf = learner.client.get(f"/{SITE}/sertifikat/{number}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_voucher_api_tells_the_institution_the_card_holders_name(market):
    shopper, _persona = paid(market, "bukalapak")
    holder = market.bukalapak.payment_status(order_code(shopper)).data["prakerja_name"]
    lp = GatewayClient(*storefront_credentials("bukalapak", "LPDIGI"), WsgiTransport(market.app))
    answer = lp.call(
        "/bukalapak/api/v1/voucher/status", {"voucher_code": shopper.value("voucher-code")}
    )
    assert answer.ok, answer.body
    assert answer.data["participant_name"] == holder
    assert answer.data["buyer_name"].startswith("Pembeli Uji")


# --- found walking as a newcomer: a redeem code before its class starts ------------------------
def test_a_redeem_code_before_the_class_starts_says_when_and_links_the_clock(market):
    shopper, _persona = paid(market, "tokopedia", course=WEBINAR)  # runs from tomorrow 09:00
    voucher = shopper.value("voucher-code")
    redeem = market.redeem_code_of(shopper.value("transaction-code"))
    learner = Shopper(market, "lembaga/akademi-keuangan")
    learner.get("/daftar").submit(
        name="Nama Akun Lembaga", email="akun@contoh.test", password=PASSWORD, confirm=PASSWORD
    )
    learner.submit(platform="tokopedia", voucher_code=voucher).sees("Masukkan Kode Redeem")
    course = re.search(r"/kelas/\d+", learner.url).group(0)
    learner.submit(f"{course}/redeem", redeem_code=redeem)
    assert learner.status == 422
    learner.sees("Jadwal pelatihan belum dimulai", "Jadwal pelatihan Anda:", "majukan jam simulasi")
    assert 'href="/uji/jam"' in learner.page
    assert f'value="{redeem}"' in learner.page  # the code stays typed for the next try
    market.advance(days=1, hours=12)
    learner.submit(f"{course}/redeem", redeem_code=redeem).sees("Verifikasi Wajah")


@pytest.mark.parametrize("slug", ["tokopedia", "bukalapak"])
def test_a_card_refused_on_the_card_step_points_to_a_fresh_test_card(market, slug):
    shopper = reach_card_step(market, slug)
    revoked = market.mint("revoked")
    action = {"action": "cek"} if slug == "bukalapak" else {}
    shopper.submit(card_number=revoked.card_number, **action)
    shopper.sees("dicabut", "Buat kartu baru")
    assert 'data-testid="sandbox-card-hint"' in shopper.page


def test_the_dashboard_sign_in_says_which_email_and_links_the_phone_with_the_code(market):
    persona = market.mint("sms")
    dashboard = Shopper(market, "prakerja").get("/masuk")
    dashboard.sees("bukan akun toko", "kartu uji")
    dashboard.submit(login=persona.phone)
    assert f'href="/sandbox/phone/{persona.phone}"' in dashboard.page
    dashboard.sees("ponsel simulasi peserta")
    dashboard.submit(code=market.latest_otp(persona.phone)).sees("Halo,")


def test_off_the_sandbox_the_dashboard_sign_in_has_no_simulator_hints(make_app):
    from tests.helpers import Marketplace

    market = Marketplace(make_app(**sandbox_off_config()))
    page = Shopper(market, "prakerja").get("/masuk")
    assert page.status == 200 and "sandbox-sign-in-hint" not in page.page
