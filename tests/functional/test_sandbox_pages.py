"""The sandbox for people, clicked through with a test client: mint a card from the front page,
its live state after a purchase, the clock page, the email inbox, the phone pages, the favicon,
and every page hidden when the sandbox is off."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from marketplace.clock import current_clock
from marketplace.db import db
from marketplace.outbox import send_email
from prakerja_gateway import domain
from prakerja_gateway.models import Partner
from prakerja_gateway.sandbox import mailbox
from tests.helpers import Marketplace, Persona, sandbox_off_config

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
OK_CARD = "5204890000000015"  # the documented 'ok' persona, loaded with the demo data


class Visitor:
    """A person with a browser: follows redirects, posts forms with the page's CSRF token."""

    def __init__(self, market: Marketplace):
        self.client = market.app.test_client()
        self.page, self.status, self.path = "", 0, ""

    def get(self, path: str, **params) -> Visitor:
        query = params or None  # a path may carry its own query string (a link on a page)
        return self._keep(self.client.get(path, query_string=query, follow_redirects=True))

    def post(self, path: str, **fields) -> Visitor:
        data = {"csrf_token": self.token(), **fields}
        return self._keep(self.client.post(path, data=data, follow_redirects=True))

    def token(self) -> str:
        match = CSRF.search(self.page)
        assert match, f"no CSRF token on {self.path}"
        return html.unescape(match.group(1))

    def _keep(self, response) -> Visitor:
        self.status, self.page = response.status_code, response.get_data(as_text=True)
        self.path = response.request.path
        return self

    def text(self) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.page)).split())

    def sees(self, *phrases: str) -> Visitor:
        text = self.text()
        missing = [phrase for phrase in phrases if phrase not in text]
        assert not missing, f"missing {missing} on {self.path} ({self.status})"
        return self

    def links(self) -> list[str]:
        return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', self.page)]

    def testid(self, name: str) -> str:
        match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</', self.page, re.S)
        assert match, f"{name} not on {self.path}"
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def mint_from_home(market: Marketplace, key: str = "ok") -> tuple[Visitor, Persona]:
    """Click "Buat kartu baru" for a persona on the front page; the visitor is on the card page."""
    visitor = Visitor(market).get("/")
    visitor.post("/uji/kartu", persona=key)
    assert visitor.status == 200 and visitor.path.startswith("/uji/kartu/"), visitor.path
    number = visitor.testid("card-number")
    card = market.card(number)
    with market.app.app_context():
        participant = db.session.merge(card).participant
        phone, email = participant.phone, participant.email
    persona = Persona(key, number, phone, email, None, card.balance, card.status)
    return visitor, persona


def fixed_codes(market: Marketplace) -> dict[str, str]:
    """Each platform's fixed OTP, from its OTP format in the database (as the pages compute it)."""
    with market.app.app_context():
        partners = db.session.execute(select(Partner).where(Partner.kind == "dp")).scalars()
        return {p.name: domain.OtpFormat(p.otp_length, p.otp_alphabet).fixed_code for p in partners}


# --- minting from the front page ----------------------------------------------------------
def test_the_front_page_mints_a_fresh_card_and_shows_it_with_each_platforms_otp(market):
    visitor, persona = mint_from_home(market, "ok")
    assert persona.card_number != OK_CARD and persona.balance == 3_500_000
    visitor.sees("Kartu baru dibuat untuk persona ok", "Rp3.500.000", "Aktif", persona.phone)
    visitor.sees(persona.email, "Bisa membeli sekarang.", "Belum ada pembelian")
    codes = fixed_codes(market)
    assert codes["Tokopedia"] == "123456" and codes["Bukalapak"] == "ABCDE"
    for name, code in codes.items():
        assert f'data-otp-platform="{name}">{code}<' in visitor.page, name
    links = visitor.links()
    assert f"/sandbox/phone/{persona.phone}" in links
    assert f"/uji/email?to={persona.email}" in links
    assert {"/tokopedia/", "/bukalapak/", "/pintaria/", "/prakerja/dashboard"} <= set(links)
    visitor.sees("kode verifikasinya 123456")  # the dashboard's fixed sign-in code
    home = visitor.get("/").sees("Kartu yang Anda buat")
    assert f"/uji/kartu/{persona.card_number}" in home.links()


def test_a_card_paid_by_sms_says_so_and_shows_no_fixed_code(market):
    visitor, persona = mint_from_home(market, "sms")
    visitor.sees("OTP kartu ini acak dan hanya dikirim lewat SMS", "lewat SMS")
    assert "data-otp-platform" not in visitor.page


def test_minting_needs_the_forms_token_and_a_known_persona(market):
    client = market.app.test_client()
    refused = client.post("/uji/kartu", data={"persona": "ok"})
    assert refused.status_code == 400 and "Formulir kedaluwarsa" in refused.get_data(as_text=True)
    visitor = Visitor(market).get("/")
    visitor.post("/uji/kartu", persona="tidak-ada")
    assert visitor.status == 400
    visitor.sees("Kartu belum dibuat", "Persona tidak dikenal.")


def test_the_card_page_is_a_404_page_for_an_unknown_or_malformed_number(market):
    for number in ("5204899999999999", "abc", "1" * 40):
        page = market.http.get(f"/uji/kartu/{number}")
        assert page.status_code == 404 and page.mimetype == "text/html"
        assert "Halaman tidak ditemukan" in page.get_data(as_text=True)


# --- live state ---------------------------------------------------------------------------
def test_the_card_page_follows_a_purchase_live(market):
    visitor, persona = mint_from_home(market, "ok")
    bought = market.buy(persona, course_code="DIG-004")
    assert bought.status == 200, bought.body
    redeem = market.redeem_code_of(bought.data["transaction_code"])
    visitor.get(f"/uji/kartu/{persona.card_number}")
    assert visitor.testid("balance") == "Rp3.400.000"
    visitor.sees("Berhasil dibayar — pelatihan belum selesai", redeem, "Tokopedia")
    visitor.sees("Selesaikan pelatihan sebelumnya", "Sudah dipakai sebuah akun di Tokopedia")
    assert "Bisa membeli sekarang." not in visitor.page
    market.complete(redeem, rating=5, review="Materi jelas dan praktis sekali.")
    visitor.get(f"/uji/kartu/{persona.card_number}").sees("Selesai dan sudah diulas")


def test_the_front_page_shows_a_shared_test_card_as_it_stands_now(market):
    home = Visitor(market).get("/")
    row = re.search(r'<tr data-persona="ok">(.*?)</tr>', home.page, re.S).group(1)
    assert "Bisa membeli sekarang." in row and "Buat kartu baru" in row
    ok = Persona("ok", OK_CARD, "081200000001", "ok@peserta.prakerja.test", "123456", 0, "")
    assert market.buy(ok, course_code="DIG-004").status == 200
    home.get("/")
    row = re.search(r'<tr data-persona="ok">(.*?)</tr>', home.page, re.S).group(1)
    assert "Bisa membeli sekarang." not in row
    assert "Selesaikan pelatihan sebelumnya" in html.unescape(row)
    assert "Sudah dipakai sebuah akun di Tokopedia" in row and "Rp3.400.000" in row
    revoked = re.search(r'<tr data-persona="revoked">(.*?)</tr>', home.page, re.S).group(1)
    assert "Kepesertaan Kartu Prakerja telah dicabut." in revoked


def test_the_front_page_has_no_hard_coded_test_card_prose(market):
    page = Visitor(market).get("/")
    steps = page.page[page.page.index("Membeli pelatihan dalam satu menit") :]
    steps = steps[: steps.index("</ol>")]
    assert OK_CARD not in steps and "Buat kartu baru" in steps
    assert "Tokopedia: <strong>123456</strong>" in steps  # from the partners' OTP formats
    assert "Bukalapak: <strong>ABCDE</strong>" in steps


# --- the clock ----------------------------------------------------------------------------
def test_the_clock_page_advances_and_says_what_ran(market):
    late = market.mint("deadline_passed")  # its deadline was yesterday: revoked at the next run
    waiting = market.mint("ok")
    assert market.send_otp(waiting, course_code="DIG-004").status == 200
    before = market.http.get("/sandbox/clock").get_json()["offset_seconds"]
    visitor = Visitor(market).get("/uji/jam").sees("Jam simulasi", "Sama dengan waktu nyata.")
    visitor.post("/uji/jam", days="1", hours="2", minutes="")
    assert visitor.status == 200 and visitor.path == "/uji/jam"
    visitor.sees("Jam dimajukan 1 hari 2 jam", "1 hari 2 jam di depan waktu nyata.")
    result = visitor.testid("clock-result") + " " + visitor.text()
    assert re.search(r"Kartu dicabut karena batas pembelian pertama lewat: [1-9]", result)
    assert re.search(r"Pembayaran yang menunggu OTP menjadi kedaluwarsa: [1-9]", result)
    assert {"/prakerja/dashboard", "/"} <= set(visitor.links())
    after = market.http.get("/sandbox/clock").get_json()["offset_seconds"]
    assert after - before >= 26 * 3600
    assert market.card(late.card_number).status == "revoked"
    visitor.get("/uji/jam")  # what ran is shown once
    assert 'data-testid="clock-result"' not in visitor.page


def test_the_clock_page_refuses_odd_input_in_indonesian_and_keeps_the_time(market):
    before = market.http.get("/sandbox/clock").get_json()["offset_seconds"]
    visitor = Visitor(market).get("/uji/jam")
    for fields, message in (
        ({"days": "abc"}, "Isi dengan angka bulat (0–9), tanpa titik atau huruf."),
        ({"days": "١"}, "Isi dengan angka bulat (0–9), tanpa titik atau huruf."),
        ({"hours": "24"}, "Isi 0 sampai 23 jam."),
        ({"days": "366"}, "Isi 0 sampai 365 hari."),
        ({"minutes": "-5"}, "Isi dengan angka bulat"),
        ({"days": "0", "hours": "", "minutes": ""}, "Isi paling sedikit satu"),
    ):
        visitor.post("/uji/jam", **fields)
        assert visitor.status == 422, fields
        visitor.sees(message)
    forged = market.app.test_client().post("/uji/jam", data={"days": "1"})
    assert forged.status_code == 422 and "Formulir kedaluwarsa" in forged.get_data(as_text=True)
    assert market.http.get("/sandbox/clock").get_json()["offset_seconds"] - before < 60


def test_the_clock_json_api_is_unchanged(market):
    clock = market.http.get("/sandbox/clock")
    assert clock.mimetype == "application/json"
    assert set(clock.get_json()) == {"now", "now_wib", "offset_seconds"}
    assert "ran" in market.advance(minutes=1)


# --- the inbox ----------------------------------------------------------------------------
def test_the_inbox_lists_the_redeem_code_email_and_opens_it(market):
    visitor, persona = mint_from_home(market, "ok")
    bought = market.buy(persona, course_code="DIG-004")
    redeem = market.redeem_code_of(bought.data["transaction_code"])
    visitor.get(f"/uji/kartu/{persona.card_number}")
    inbox_link = next(link for link in visitor.links() if link.startswith("/uji/email?"))
    visitor.get(inbox_link).sees("Kode Redeem Pelatihan Prakerja", persona.email)
    message = next(link for link in visitor.links() if re.fullmatch(r"/uji/email/\d+", link))
    visitor.get(message).sees("Kode Redeem Pelatihan Prakerja", f"Kode redeem Anda: {redeem}")
    assert f"/uji/email?to={persona.email}" in visitor.links()


def test_the_inbox_is_newest_first_and_filters_by_recipient(market):
    with market.app.app_context():
        now = current_clock().now()
        send_email(db.session, now, "a@contoh.test", "Pertama", "isi")
        send_email(db.session, now, "b@contoh.test", "Kedua", "isi")
        send_email(db.session, now, "a@contoh.test", "Ketiga", "isi")
        db.session.commit()
    everyone = Visitor(market).get("/uji/email")
    table = everyone.text()
    assert table.index("Ketiga") < table.index("Kedua") < table.index("Pertama")
    only_a = Visitor(market).get("/uji/email", to="a@contoh.test").text()
    assert "Ketiga" in only_a and "Pertama" in only_a and "Kedua" not in only_a
    nobody = Visitor(market).get("/uji/email", to="tidak.ada@contoh.test")
    nobody.sees("Belum ada email untuk alamat ini.")
    odd = Visitor(market).get("/uji/email", to="a\x00b")
    assert odd.status == 422
    odd.sees("Karakter tidak valid.")


def test_links_to_this_site_in_an_email_are_clickable_and_others_are_not(market):
    body = (
        "Buka http://localhost/prakerja/masuk. Jangan buka https://contoh.test/x atau "
        'http://localhost.evil.test/ <b>"tebal"</b>'
    )
    with market.app.app_context():
        send_email(db.session, current_clock().now(), "c@contoh.test", "Tautan", body)
        db.session.commit()
    visitor = Visitor(market).get("/uji/email", to="c@contoh.test")
    message = next(link for link in visitor.links() if re.fullmatch(r"/uji/email/\d+", link))
    page = visitor.get(message).page
    assert '<a href="http://localhost/prakerja/masuk">http://localhost/prakerja/masuk</a>.' in page
    assert 'href="https://contoh.test' not in page and 'href="http://localhost.evil' not in page
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert market.http.get("/uji/email/999999999999").status_code == 404


def test_linkify_escapes_everything_but_links_to_the_origin():
    text = mailbox.linkify("x http://h:5/a?b=1&c=2) <i> http://h:6/", "http://h:5")
    assert str(text) == (
        'x <a href="http://h:5/a?b=1&amp;c=2">http://h:5/a?b=1&amp;c=2</a>) &lt;i&gt; http://h:6/'
    )
    assert str(mailbox.linkify("http://[::1/", "http://h")) == "http://[::1/"


# --- phones -------------------------------------------------------------------------------
def test_the_phone_pages_lead_on(market):
    visitor, persona = mint_from_home(market, "sms")
    assert market.send_otp(persona, course_code="DIG-004").status == 200
    visitor.get(f"/uji/kartu/{persona.card_number}")
    phone_link = f"/sandbox/phone/{persona.phone}"
    assert phone_link in visitor.links()
    visitor.get(phone_link)
    assert 'data-otp="' in visitor.page
    assert {"/", f"/uji/kartu/{persona.card_number}", f"/uji/email?to={persona.email}"} <= set(
        visitor.links()
    )
    phones = Visitor(market).get("/sandbox/phone/").sees("Ponsel simulasi")
    assert f"/sandbox/phone/{persona.phone}" in phones.links()
    typed = market.http.get("/sandbox/phone/", query_string={"nomor": persona.phone})
    assert typed.status_code == 302 and typed.location.endswith(f"/sandbox/phone/{persona.phone}")
    wrong = Visitor(market).get("/sandbox/phone/", nomor="nomor saya")
    assert wrong.status == 422
    wrong.sees("Isi 6–19 angka, boleh diawali +, tanpa spasi.")
    assert market.http.get("/sandbox/phone").status_code == 308  # to the page with the slash


def test_partners_and_reconcile_have_pages_for_people(market):
    partners = Visitor(market).get("/uji/mitra").sees("tokopedia-sandbox", "5 huruf", "ABCDE")
    assert "/sandbox/partners" in partners.links()
    Visitor(market).get("/uji/rekonsiliasi").sees("Semua pemeriksaan lolos")


def test_the_front_page_links_pages_for_people_and_labels_the_json(market):
    home = Visitor(market).get("/")
    links = set(home.links())
    assert {"/uji/jam", "/uji/email", "/sandbox/phone/", "/uji/mitra", "/uji/rekonsiliasi"} <= links
    tools = home.page[home.page.index('id="alat-title"') :]
    for json_path in ("/sandbox/partners", "/sandbox/reconcile", "/sandbox/courses"):
        assert re.search(rf'href="{json_path}">JSON</a>', tools), json_path


# --- the whole site -------------------------------------------------------------------------
PAGES = ["/uji/jam", "/uji/email", f"/uji/kartu/{OK_CARD}", "/uji/mitra", "/uji/rekonsiliasi",
         "/sandbox/phone/", "/"]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_sandbox_pages_keep_the_content_security_policy(market, path):
    answer = market.http.get(path)
    assert answer.status_code == 200 and answer.mimetype == "text/html"
    page = answer.get_data(as_text=True)
    assert "<script" not in page and ' style="' not in page and 'lang="id"' in page
    assert '<link rel="icon"' in page
    assert "nonce-" not in answer.headers["Content-Security-Policy"] or "<style" in page


def test_the_favicon_is_a_real_icon(market):
    with market.http.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/vnd.microsoft.icon"
        assert icon.data[:4] == b"\x00\x00\x01\x00"  # the ICO header
    with market.http.get("/static/favicon.svg") as svg:
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"


def test_with_the_sandbox_off_every_sandbox_page_is_a_404(make_app):
    app = make_app(**sandbox_off_config())
    client = app.test_client()
    for path in [*PAGES[:-1], "/uji/email/1", "/sandbox/phone/081200000001"]:
        answer = client.get(path)
        assert answer.status_code == 404, path
    assert client.post("/uji/kartu", data={"persona": "ok"}).status_code == 404
    assert client.post("/uji/jam", data={"days": "1"}).status_code == 404
    home = client.get("/").get_data(as_text=True)
    assert "Buat kartu baru" not in home and "/uji/" not in home and "/sandbox/" not in home
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200
