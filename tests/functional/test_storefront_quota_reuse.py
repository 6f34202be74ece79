"""A storefront reuses Prakerja's answer to quota-schedule for ``STOREFRONT_QUOTA_SECONDS``: the
training page and the buy step a moment later share one answer per schedule (the load bench's
storefront checkout asked four times). A purchase made here, or a payment step Prakerja refused,
makes the next page ask again, so a buyer never sees their own seat still free."""

from __future__ import annotations

import pytest

from platforms.core import schedules
from prakerja_gateway.client import GatewayClient
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import newcomer
from tests.helpers import Marketplace


@pytest.fixture
def asked(monkeypatch):
    """The schedules Prakerja was asked about, in order; no answer remembered from before."""
    monkeypatch.setattr(schedules, "_known_quotas", {})
    calls: list[str] = []
    original = GatewayClient.quota_schedule

    def counting(self, course_code, schedule_code):
        calls.append(schedule_code)
        return original(self, course_code, schedule_code)

    monkeypatch.setattr(GatewayClient, "quota_schedule", counting)
    return calls


def test_pages_a_moment_apart_share_one_answer_per_schedule(make_app, asked):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=60))
    shopper = Shopper(market, "tokopedia")
    first = shopper.get("/p/DIG-004").quotas()
    assert sorted(asked) == sorted(first) and len(asked) == len(set(asked))
    assert shopper.get("/p/DIG-004").quotas() == first
    assert len(asked) == len(first)  # the second page asked nothing


def test_an_answer_is_asked_for_again_once_it_is_older_than_the_setting(
    make_app, asked, monkeypatch
):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=2))
    shopper = Shopper(market, "tokopedia")
    shown = len(shopper.get("/p/DIG-004").quotas())
    later = schedules.time.monotonic() + 3
    monkeypatch.setattr(schedules.time, "monotonic", lambda: later)
    shopper.get("/p/DIG-004")
    assert len(asked) == 2 * shown


def test_a_purchase_here_shows_its_seat_taken_at_once(make_app, asked):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=60))
    persona = market.mint("sms")
    shopper, _account = newcomer(market, "tokopedia")
    shopper.get("/p/DIG-004")
    schedule = shopper.schedule()
    before = shopper.quotas()[schedule]
    shopper.submit("/beli/DIG-004", promo_code="", schedule_code=schedule)
    order = shopper.url.split("/bayar/")[1].split("/")[0]
    shopper.get(f"/bayar/{order}/kartu")
    shopper.submit(card_number=persona.card_number).sees("Masukkan kode OTP")
    shopper.submit(otp=market.latest_otp(persona.phone)).sees("Pembayaran berhasil")
    assert shopper.get("/p/DIG-004").quotas()[schedule] == before - 1


def test_zero_asks_on_every_page(make_app, asked):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=0))
    shopper = Shopper(market, "tokopedia")
    shown = len(shopper.get("/p/DIG-004").quotas())
    shopper.get("/p/DIG-004")
    assert len(asked) == 2 * shown
