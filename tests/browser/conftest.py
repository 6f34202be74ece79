"""Browser fixtures: a live marketplace on a fresh SQLite file per module, Debian's Chromium
driven by Playwright, and helpers a person's actions are written with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

from institutions.services import QUIZ
from tests.conftest import CHROMIUM
from tests.live import fresh_database_url, serve

SCREENSHOTS = Path(os.environ.get("MARKETPLACE_SCREENSHOTS", "test-artifacts/screenshots"))
PASSWORD = "rahasia-123"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    database_url = fresh_database_url(folder, "browser.sqlite3")
    with serve(database_url, folder) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    yield context.new_page()
    context.close()


def mint(site: str, key: str) -> dict:
    return requests.post(f"{site}/sandbox/personas/{key}", timeout=10).json()


def otp_from_phone(page, site: str, phone: str) -> str:
    """Open the phone simulator in a new tab, as a person would glance at their phone."""
    phone_page = page.context.new_page()
    phone_page.goto(f"{site}/sandbox/phone/{phone}")
    code = phone_page.locator("[data-otp]").first.get_attribute("data-otp")
    phone_page.close()
    return code


def save(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


# --- what a person does on many pages ----------------------------------------------------------
def register(page, account: dict, *, name: str | None = None) -> None:
    """Fill a storefront's registration form (``name`` overrides the account's) and send it."""
    page.get_by_label("Nama lengkap").fill(name or account["name"])
    page.get_by_label("Email", exact=True).fill(account["email"])
    page.get_by_label("Nomor HP").fill(account["phone"])
    page.get_by_label("Kata sandi", exact=True).fill(PASSWORD)
    page.get_by_label("Ulangi kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Daftar").click()


def page_fits(page) -> None:
    """Nothing wider than the window (a long name once made the page 1,430 px wide). Measured
    once the page and its stylesheet have loaded: a click may still be navigating, and before
    the stylesheet applies, an unbroken name is as wide as it is long."""
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    window = page.viewport_size["width"]
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"


def search_and_open(page, title: str) -> None:
    page.get_by_label("Cari pelatihan").fill(title)
    page.get_by_label("Cari pelatihan").press("Enter")
    page.get_by_role("link", name=title).first.click()


def in_a_new_tab(page, link):
    """Open ``link`` in a new tab (Ctrl+click), as a person keeps the page they are on."""
    with page.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    tab = opened.value
    tab.wait_for_load_state()
    return tab


def answer_quiz(page) -> None:
    """An institution's pre-test or post-test, every answer right."""
    for question in QUIZ:
        group = page.get_by_role("group", name=question.text)
        group.get_by_label(question.options[question.answer]).check()
    page.get_by_role("button", name="Kirim Jawaban").click()
