"""Pintaria's sign-in offers "Masuk dengan Prakerja" beside its own account: the Pintaria
account with the participant's email or phone is signed in (made on first use, its phone
counted as verified), through the same client steps as the institutions
(``prakerja_gateway.client.SsoLogin``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from marketplace.db import db
from platforms.core.models import Buyer
from tests.functional.test_institution_sso import answer_consent, csrf, sign_in_at_prakerja
from tests.helpers import Marketplace

PINTARIA = "/pintaria"


def start_at_pintaria(browser) -> str:
    login = browser.get(f"{PINTARIA}/sso/masuk?next={PINTARIA}/kartuprakerja")
    assert "Masuk dengan Prakerja" in login.get_data(as_text=True)
    sent = browser.post(
        f"{PINTARIA}/sso/prakerja?next={PINTARIA}/kartuprakerja", data={"csrf_token": csrf(login)}
    )
    consent = sent.headers["Location"]
    query = parse_qs(urlsplit(consent).query)
    assert query["client_id"] == ["pintaria-sso"]
    assert query["redirect_uri"] == [f"http://localhost{PINTARIA}/sso/kembali"]
    return consent


def test_a_participant_signs_in_to_pintaria_with_prakerja(market: Marketplace):
    persona, browser = market.mint("ok"), market.app.test_client()
    consent = start_at_pintaria(browser)
    sign_in_at_prakerja(market, browser, consent, persona)
    back = answer_consent(browser, consent, "allow").headers["Location"]
    arrived = browser.get(back)
    assert arrived.status_code == 302 and arrived.headers["Location"] == f"{PINTARIA}/kartuprakerja"
    menu = browser.get(f"{PINTARIA}/kartuprakerja").get_data(as_text=True)
    with market.app.app_context():
        buyer = db.session.query(Buyer).filter_by(platform="pintaria", phone=persona.phone).one()
        assert buyer.email == persona.email.lower() and buyer.phone_verified_at is not None
    assert buyer.name in menu


def test_a_refused_consent_ends_on_pintarias_sign_in_saying_so(market: Marketplace):
    persona, browser = market.mint("ok"), market.app.test_client()
    consent = start_at_pintaria(browser)
    sign_in_at_prakerja(market, browser, consent, persona)
    refused = answer_consent(browser, consent, "deny").headers["Location"]
    page = browser.get(refused)
    assert page.status_code == 200
    assert "Masuk dengan Prakerja dibatalkan" in page.get_data(as_text=True)


def test_a_forged_callback_signs_nobody_in(market: Marketplace):
    browser = market.app.test_client()
    start_at_pintaria(browser)
    page = browser.get(f"{PINTARIA}/sso/kembali?code=abc&state=lain")
    assert page.status_code == 400
    assert "tidak dimulai dari halaman ini" in page.get_data(as_text=True)
