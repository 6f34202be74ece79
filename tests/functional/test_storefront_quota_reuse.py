"""What a storefront keeps between Prakerja's answers, and when it asks again.

A storefront reuses Prakerja's answer to quota-schedule for ``STOREFRONT_QUOTA_SECONDS``: the
training page and the buy step a moment later share one answer per schedule (the load bench's
storefront checkout asked four times). A purchase made here counts its seat down in the answer
kept, so a buyer never sees their own seat still free; a payment step Prakerja refused makes the
next page ask again."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from marketplace.db import db
from platforms.core import gateway, schedules
from platforms.core.models import Order
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
    asked_before = len(asked)
    assert shopper.get("/p/DIG-004").quotas()[schedule] == before - 1
    assert len(asked) == asked_before  # the kept answer counts the seat down: no new question
    # and Prakerja agrees
    with market.app.test_request_context():
        fresh = gateway.client_for("tokopedia").quota_schedule("DIG-004", schedule)
    assert fresh.data["quota"] == before - 1


def test_a_payment_step_prakerja_refused_makes_the_next_page_ask_again(make_app, asked):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=60))
    refused = market.mint("revoked")
    shopper, _account = newcomer(market, "tokopedia")
    shown = len(shopper.get("/p/DIG-004").quotas())
    shopper.submit("/beli/DIG-004", promo_code="", schedule_code=shopper.schedule())
    order = shopper.url.split("/bayar/")[1].split("/")[0]
    shopper.get(f"/bayar/{order}/kartu")
    assert shopper.submit(card_number=refused.card_number).status == 422
    asked_before = len(asked)
    shopper.get("/p/DIG-004")
    assert len(asked) == asked_before + 1  # the refused schedule only: the others are kept
    assert len(asked) == shown + 1


def test_zero_asks_on_every_page(make_app, asked):
    market = Marketplace(make_app(STOREFRONT_QUOTA_SECONDS=0))
    shopper = Shopper(market, "tokopedia")
    shown = len(shopper.get("/p/DIG-004").quotas())
    shopper.get("/p/DIG-004")
    assert len(asked) == 2 * shown


def test_an_order_paid_in_another_tab_meanwhile_is_not_reopened_by_the_card_step(
    market, monkeypatch
):
    """What a storefront read before a gateway call stays loaded after it; the step that writes
    re-reads the order (``payment.fresh_order``), so a payment another tab recorded meanwhile
    is kept, not turned back into a wait for the OTP."""
    persona = market.mint("sms")
    shopper, _account = newcomer(market, "tokopedia")
    shopper.get("/p/DIG-004")
    shopper.submit("/beli/DIG-004", promo_code="", schedule_code=shopper.schedule())
    order = shopper.url.split("/bayar/")[1].split("/")[0]
    shopper.get(f"/bayar/{order}/kartu")
    original = gateway.call

    def paid_in_another_tab(slug, operation):
        answer = original(slug, operation)
        with Session(db.engine) as other:
            other.execute(update(Order).where(Order.code == order).values(status="paid"))
            other.commit()
        return answer

    monkeypatch.setattr(gateway, "call", paid_in_another_tab)
    shopper.submit(card_number=persona.card_number)
    with market.app.app_context():
        status = db.session.execute(select(Order.status).where(Order.code == order)).scalar()
    assert status == "paid"
