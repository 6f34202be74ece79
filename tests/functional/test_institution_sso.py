"""An institution site's "Masuk dengan Prakerja": its own client of the SSO (hand-built consent
URL, ``state`` kept in the browser's session, the code exchanged and the profile read through
``prakerja_gateway.client.SsoClient``), walked with Flask's test client as a browser would."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from institutions.models import Learner
from marketplace.db import db
from tests.helpers import Marketplace

SITE = "/lembaga/digital-nusantara"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf(page) -> str:
    return CSRF.search(page.get_data(as_text=True)).group(1)


def start_at_the_institution(browser):
    """The sign-in page's "Masuk dengan Prakerja": off to Prakerja's consent page."""
    login = browser.get(f"{SITE}/masuk?next={SITE}/tukar-voucher")
    assert "Masuk dengan Prakerja" in login.get_data(as_text=True)
    sent = browser.post(
        f"{SITE}/masuk/prakerja?next={SITE}/tukar-voucher", data={"csrf_token": csrf(login)}
    )
    assert sent.status_code == 302
    consent = sent.headers["Location"]
    query = parse_qs(urlsplit(consent).query)
    assert consent.startswith("/consent-sso?")
    assert query["client_id"] == ["lpdigi-sso"]
    assert query["redirect_uri"] == [f"http://localhost{SITE}/sso/kembali"]
    assert query["login_uri"] == [f"http://localhost{SITE}/masuk"]
    assert query["scope"] == ["name email prakerjaid notelp"]
    return consent


def sign_in_at_prakerja(market: Marketplace, browser, consent: str, persona) -> None:
    """Signed out at Prakerja: its sign-in (phone, then the texted code), and back."""
    sign_in = browser.get(consent).headers["Location"]
    page = browser.get(sign_in)
    code_page = browser.post(sign_in, data={"csrf_token": csrf(page), "login": persona.phone})
    code_url = code_page.headers["Location"]
    code_form = browser.get(code_url)
    signed_in = browser.post(
        code_url,
        data={"csrf_token": csrf(code_form), "code": market.latest_otp(persona.phone)},
    )
    assert browser.get(signed_in.headers["Location"]).status_code == 302  # to the consent page


def answer_consent(browser, consent: str, button: str):
    page = browser.get(consent)
    assert page.status_code == 200
    return browser.post(consent, data={"csrf_token": csrf(page), button: "1"})


def test_a_participant_signs_in_to_an_institution_with_prakerja(market: Marketplace):
    persona, browser = market.mint("ok"), market.app.test_client()
    consent = start_at_the_institution(browser)
    sign_in_at_prakerja(market, browser, consent, persona)
    allowed = answer_consent(browser, consent, "allow")
    back = allowed.headers["Location"]
    assert back.startswith(f"http://localhost{SITE}/sso/kembali?")
    arrived = browser.get(back)
    assert arrived.status_code == 302 and arrived.headers["Location"] == f"{SITE}/tukar-voucher"
    voucher_page = browser.get(f"{SITE}/tukar-voucher").get_data(as_text=True)
    with market.app.app_context():
        learner = db.session.query(Learner).filter_by(email=persona.email.lower()).one()
    assert learner.institution == "LPDIGI" and learner.name in voucher_page
    # The same account the next time: signed in again, not a second learner.
    again = start_at_the_institution(browser)
    allowed = answer_consent(browser, again, "allow")
    assert browser.get(allowed.headers["Location"]).status_code == 302
    with market.app.app_context():
        assert db.session.query(Learner).filter_by(email=persona.email.lower()).count() == 1


def test_a_refused_consent_ends_on_the_sign_in_page_saying_so(market: Marketplace):
    persona, browser = market.mint("ok"), market.app.test_client()
    consent = start_at_the_institution(browser)
    sign_in_at_prakerja(market, browser, consent, persona)
    refused = answer_consent(browser, consent, "deny")
    assert refused.headers["Location"].startswith(f"http://localhost{SITE}/masuk?")
    page = browser.get(refused.headers["Location"])
    assert page.status_code == 200
    assert "Masuk dengan Prakerja dibatalkan" in page.get_data(as_text=True)


def test_a_code_without_its_state_or_used_twice_signs_nobody_in(market: Marketplace):
    persona, browser = market.mint("ok"), market.app.test_client()
    consent = start_at_the_institution(browser)
    sign_in_at_prakerja(market, browser, consent, persona)
    back = answer_consent(browser, consent, "allow").headers["Location"]
    forged = re.sub(r"state=[^&]+", "state=lain", back)
    refused = browser.get(forged)
    assert refused.status_code == 400
    assert "tidak dimulai dari halaman ini" in refused.get_data(as_text=True)
    assert browser.get(back).status_code == 400  # the state was spent by the forged try
    stranger = market.app.test_client()  # a code from someone else's browser
    assert stranger.get(back).status_code == 400
