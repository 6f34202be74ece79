""" "Masuk dengan Prakerja" in Chromium: from an institution's sign-in page to Prakerja's sign-in
and consent page and back, signed in at the institution; a refused consent ends on the
institution's sign-in page (its ``login_uri``), saying so."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import mint, otp_from_phone, save

pytestmark = pytest.mark.browser
INSTITUTION = "Lembaga Kursus Digital Nusantara"


def to_the_consent_page(page, site: str, persona: dict) -> None:
    """The institution's "Masuk", then "Masuk dengan Prakerja": Prakerja's sign-in (the phone,
    then the texted code), and its consent page."""
    page.goto(f"{site}/lembaga/digital-nusantara/")
    page.get_by_role("banner").get_by_role("link", name="Masuk").click()
    page.get_by_role("button", name="Masuk dengan Prakerja").click()
    page.get_by_label("Email atau nomor HP").fill(persona["phone"])
    page.get_by_role("button", name="Kirim Kode").click()
    code_field = page.get_by_role("textbox", name="Kode verifikasi")
    expect(code_field).to_be_visible()  # the code is sent: the phone has it now
    code_field.fill(otp_from_phone(page, site, persona["phone"]))
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(
        page.get_by_role("heading", name=f"Masuk ke {INSTITUTION} dengan akun Prakerja")
    ).to_be_visible()
    expect(page.get_by_test_id("sso-scopes")).to_contain_text("alamat email")


def test_a_participant_signs_in_to_an_institution_through_the_consent_page(site, page):
    persona = mint(site, "sms")
    to_the_consent_page(page, site, persona)
    save(page, "sso-consent")
    page.get_by_role("button", name="Izinkan").click()
    expect(page).to_have_url(re.compile(r"/lembaga/digital-nusantara/tukar-voucher$"))
    expect(page.get_by_role("banner")).to_contain_text(persona["name"])


def test_a_refused_consent_ends_on_the_institution_sign_in_page(site, page):
    persona = mint(site, "sms")
    to_the_consent_page(page, site, persona)
    page.get_by_role("button", name="Tolak").click()
    expect(page).to_have_url(re.compile(r"/lembaga/digital-nusantara/masuk\?error=access_denied"))
    expect(page.get_by_test_id("sso-message")).to_contain_text("Masuk dengan Prakerja dibatalkan")
    expect(page.get_by_role("button", name="Masuk dengan Prakerja")).to_be_visible()
