"""Browser fixtures: a live marketplace on a fresh SQLite file per module, Debian's Chromium
driven by Playwright, and helpers a person's actions are written with."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import requests

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
