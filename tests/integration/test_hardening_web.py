"""The web fixes of issue 11: sign-in pages send people back to local paths only, the secret
key file is its owner's alone, cookies are SameSite, every page carries the security headers,
and a database error's message carries no SQL parameter values."""

from __future__ import annotations

import itertools
import logging
import os
import stat

import pytest
from flask import Flask
from sqlalchemy import text

from marketplace import create_app
from marketplace.db import db
from marketplace.web import safe_next
from tests.functional.storefront import Shopper

PASSWORD = "rahasia-123"
INSTITUTION = "digital-nusantara"
_numbers = itertools.count(1)

# What a browser would read as another site (or as no path at all).
NASTY = [
    "/\t/evil.test",
    "/%09/evil.test",  # as typed in a query string: decoded to the one above by then
    "\\\\evil.test",
    "/\\evil.test",
    "//evil.test",
    "https://evil.test",
    " //evil.test",
    "\n//evil.test",
    "/\r\n/evil.test",
    "javascript:alert(1)",
    "http:/evil.test",
    "/\x00/evil.test",
]


def decoded(value: str) -> str:
    """``value`` as the view reads it from ``?next=`` (the test client encodes it for us)."""
    return value.replace("%09", "\t")


@pytest.mark.parametrize("target", NASTY)
def test_safe_next_refuses_anything_a_browser_reads_as_another_site(target):
    assert safe_next(decoded(target)) is None


@pytest.mark.parametrize(
    ("target", "prefix", "expected"),
    [
        ("/tokopedia/beli/DIG-001?x=1", "/", "/tokopedia/beli/DIG-001?x=1"),
        ("/prakerja/dashboard", "/prakerja/", "/prakerja/dashboard"),
        ("/tokopedia/", "/prakerja/", None),
        ("", "/", None),
        (None, "/", None),
    ],
)
def test_safe_next_keeps_local_paths_under_the_prefix(target, prefix, expected):
    assert safe_next(target, prefix=prefix) == expected


# --- the three sign-in pages ----------------------------------------------------------------
def _post_form(client, page: str, target: str, **fields):
    shopper = Shopper.__new__(Shopper)
    shopper.page = client.get(page).get_data(as_text=True)
    data = {"csrf_token": shopper.token(), **fields}
    return client.post(page, query_string={"next": target}, data=data)


def storefront_location(market, target: str) -> str:
    n = next(_numbers)
    email = f"arah{n}@contoh.test"
    buyer = Shopper(market, "tokopedia")
    buyer.get("/daftar").submit(
        name=f"Pembeli Arah {n}",
        email=email,
        phone=f"0898{n:08d}",
        password=PASSWORD,
        confirm=PASSWORD,
    )
    client = market.app.test_client()
    answer = _post_form(client, "/tokopedia/masuk", target, login=email, password=PASSWORD)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"]


def institution_location(market, target: str) -> str:
    n = next(_numbers)
    email = f"peserta{n}@contoh.test"
    learner = Shopper(market, f"lembaga/{INSTITUTION}")
    learner.get("/daftar").submit(
        name="Budi Peserta", email=email, password=PASSWORD, confirm=PASSWORD
    )
    client = market.app.test_client()
    page = f"/lembaga/{INSTITUTION}/masuk"
    answer = _post_form(client, page, target, email=email, password=PASSWORD)
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"]


def dashboard_location(market, target: str) -> str:
    persona = market.mint("sms")
    client = market.app.test_client()
    sent = _post_form(client, "/prakerja/masuk", target, login=persona.phone)
    assert sent.status_code == 302, sent.get_data(as_text=True)[:300]
    page = "/prakerja/masuk/kode"
    answer = _post_form(client, page, target, code=market.latest_otp(persona.phone))
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"]


SIGN_IN_PAGES = {
    "storefront": (storefront_location, "/tokopedia/beli/DIG-001?x=1", "/tokopedia/"),
    "institution": (
        institution_location,
        f"/lembaga/{INSTITUTION}/voucher?x=1",
        f"/lembaga/{INSTITUTION}/",
    ),
    "dashboard": (dashboard_location, "/prakerja/dashboard?x=1", "/prakerja/dashboard"),
}


@pytest.mark.parametrize("page", SIGN_IN_PAGES)
def test_sign_in_never_sends_a_person_to_another_site(market, page):
    location_after_sign_in, good, home = SIGN_IN_PAGES[page]
    for target in NASTY:
        location = location_after_sign_in(market, decoded(target))
        assert location.startswith(home), (page, target, location)
        assert not location.lstrip().startswith(("//", "\\")), (page, target, location)
    assert location_after_sign_in(market, good) == good


# --- secret key, cookies, headers -----------------------------------------------------------
@pytest.fixture
def instance_folder(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setattr(Flask, "auto_find_instance_path", lambda self: str(folder))
    return folder


def _app_without_secret(tmp_path) -> Flask:
    return create_app(
        {
            "SECRET_KEY": "",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'secret.sqlite3'}",
            "AUTO_INIT_DB": False,
        }
    )


def test_the_secret_key_file_is_made_readable_by_its_owner_only(tmp_path, instance_folder):
    old_umask = os.umask(0o022)
    try:
        app = _app_without_secret(tmp_path)
    finally:
        os.umask(old_umask)
    secret = instance_folder / "secret_key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == secret.read_text().strip()
    assert not list(instance_folder.glob("*.tmp"))


def test_a_world_readable_secret_key_file_is_tightened_on_start(tmp_path, instance_folder):
    instance_folder.mkdir()
    secret = instance_folder / "secret_key"
    secret.write_text("an-old-secret\n")
    secret.chmod(0o644)
    app = _app_without_secret(tmp_path)
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert app.config["SECRET_KEY"] == "an-old-secret"


def test_the_session_cookie_is_samesite_lax_and_http_only(market):
    answer = market.app.test_client().get("/tokopedia/masuk")  # a CSRF token: a session
    cookie = answer.headers["Set-Cookie"]
    assert "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # local http by default


def test_the_session_cookie_can_be_made_secure(make_app):
    answer = make_app(SESSION_COOKIE_SECURE=True).test_client().get("/tokopedia/masuk")
    assert "Secure" in answer.headers["Set-Cookie"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tokopedia/",
        "/tokopedia/masuk",
        f"/lembaga/{INSTITUTION}/",
        "/prakerja/masuk",
        "/api/docs",
        "/sandbox/phone/081200000002",
        "/tidak-ada",
    ],
)
def test_every_page_carries_the_security_headers(market, path):
    answer = market.app.test_client().get(path)
    assert answer.mimetype == "text/html"
    headers = answer.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(
        (part.split(" ", 1) + [""])[:2] for part in headers["Content-Security-Policy"].split("; ")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'" and policy["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in policy["style-src"]
    html = answer.get_data(as_text=True)
    assert "<script" not in html and ' style="' not in html
    for nonce in _style_nonces(html):
        assert f"'nonce-{nonce}'" in policy["style-src"]


def _style_nonces(html: str) -> list[str]:
    import re

    blocks = re.findall(r"<style([^>]*)>", html)
    nonces = [re.search(r'nonce="([^"]+)"', attrs) for attrs in blocks]
    assert all(nonces), "a <style> block without the CSP nonce"
    return [match.group(1) for match in nonces]


def test_each_page_gets_its_own_style_nonce(market):
    client = market.app.test_client()
    first, second = (_style_nonces(client.get("/tokopedia/").get_data(as_text=True)) for _ in "ab")
    assert first and second and first != second


def _form_action(answer) -> list[str]:
    policy = answer.headers["Content-Security-Policy"].split("; ")
    return next(part for part in policy if part.startswith("form-action ")).split()[1:]


def test_the_scan_wajah_form_may_end_on_the_institutions_registered_site(market):
    from tests.functional.test_journey import buy_on_tokopedia
    from tests.integration.test_lp_institution_sites import (
        PublicShopper,
        enrolment_path,
        learner_with,
    )

    voucher, redeem = buy_on_tokopedia(market, market.mint("ok"))
    learner = learner_with(market, voucher, f"lembaga/{INSTITUTION}", PublicShopper)
    learner.submit(f"{enrolment_path(learner)}/redeem", redeem_code=redeem)
    assert learner.url.startswith("/prakerja/scan-wajah?state="), learner.url
    page = learner.client.get(learner.url, base_url=PublicShopper.BASE)
    assert _form_action(page) == ["'self'", "https://lembaga.example"]
    assert _form_action(learner.client.get("/tokopedia/masuk")) == ["'self'"]


def test_forms_may_end_on_the_configured_gateway(make_app):
    app = make_app(GATEWAY_URL="https://prakerja.example/")
    answer = app.test_client().get(f"/lembaga/{INSTITUTION}/")
    assert _form_action(answer) == ["'self'", "https://prakerja.example"]


def test_json_answers_are_nosniff_too(market):
    answer = market.app.test_client().get("/sandbox/clock")
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"


# --- no SQL parameters in logs --------------------------------------------------------------
def test_a_database_error_logs_no_parameter_values(market, caplog):
    secret_email = "rahasia.peserta@contoh.test"
    app = market.app
    with app.app_context():
        try:
            db.session.execute(
                text("INSERT INTO no_such_table (email) VALUES (:email)"), {"email": secret_email}
            )
        except Exception as error:  # noqa: BLE001 - any database error will do
            message = str(error)
        else:
            pytest.fail("the statement should have failed")
        finally:
            db.session.rollback()
    assert "no_such_table" in message  # the statement is still there to debug with
    assert secret_email not in message
    with caplog.at_level(logging.WARNING), app.test_request_context("/api/v1/x"):
        # SQLite calls a missing table an OperationalError, PostgreSQL a ProgrammingError: the
        # app's handlers (busy database, unexpected error) must log neither's parameters.
        from sqlalchemy.exc import DBAPIError

        with app.app_context():
            try:
                db.session.execute(
                    text("SELECT * FROM no_such_table WHERE email = :email"),
                    {"email": secret_email},
                )
            except DBAPIError as error:
                app.handle_user_exception(error)
            finally:
                db.session.rollback()
    assert caplog.records and secret_email not in caplog.text


# --- the pages still look right under the policy, in a real browser -------------------------
@pytest.mark.browser
def test_pages_keep_their_colours_under_the_policy_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM
    from tests.live import fresh_database_url, serve

    pages = {
        "/": ".storefronts li:first-child strong",
        "/tokopedia/": ".logo",
        f"/lembaga/{INSTITUTION}/": ".lp-header",
        "/prakerja/masuk": "main",
        "/api/docs": "main",
    }
    database_url = fresh_database_url(tmp_path, "csp.sqlite3")
    with serve(database_url, tmp_path) as site, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        refused = []
        page.on("console", lambda message: refused.append(message.text))
        for path, selector in pages.items():
            page.goto(f"{site}{path}")
            assert page.locator(selector).first.is_visible(), path
        page.goto(f"{site}/tokopedia/")
        brand = page.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--brand')"
        )
        page.goto(f"{site}/")
        store = page.evaluate(
            "getComputedStyle(document.querySelector('.storefronts li'))"
            ".getPropertyValue('--store')"
        )
        browser.close()
    assert not [text for text in refused if "Content Security Policy" in text], refused
    assert brand.strip() and store.strip()
