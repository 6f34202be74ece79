"""The simulated clock: advancing it runs revocations, expiries and stale-payment cleanup."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from marketplace.db import db
from prakerja_gateway.models import NikBlacklist, Payment
from tests.helpers import refusal

pytestmark = pytest.mark.usefixtures("books_balance")


def test_clock_reads_and_advances(market):
    before = market.http.get("/sandbox/clock").get_json()
    after = market.advance(days=2, hours=3, minutes=4)
    moved = datetime.fromisoformat(after["now"]) - datetime.fromisoformat(before["now"])
    assert 2 * 86400 + 3 * 3600 + 4 * 60 <= moved.total_seconds() < 2 * 86400 + 3 * 3600 + 300
    assert after["offset_seconds"] == 2 * 86400 + 3 * 3600 + 4 * 60
    assert after["now_wib"].endswith("+07:00")


def test_clock_advance_validates_its_body(market):
    for body in ({"days": -1}, {"days": "2"}, {"hours": 1.5}, {"days": 10**9}):
        response = market.http.post("/sandbox/clock/advance", json=body)
        assert response.status_code == 400, body
        failure = response.get_json()
        assert (failure["code"], failure["success"]) == ("ERRGEN40002", False), body
    assert market.http.get("/sandbox/clock").get_json()["offset_seconds"] == 0


def test_advancing_with_an_empty_body_runs_what_is_due_now(market):
    persona = market.mint("deadline_passed")
    response = market.http.post("/sandbox/clock/advance")
    assert response.status_code == 200
    assert response.get_json()["offset_seconds"] == 0
    assert market.card(persona.card_number).status == "revoked"


def test_passing_the_deadline_revokes_and_returns_saldo_through_the_ledger(market):
    persona = market.mint("semi_bansos")  # deadline: 30 days after acceptance
    market.advance(days=30)
    assert market.card(persona.card_number).status == "active"  # the deadline day itself
    assert market.advance(days=1)["ran"]["cards_revoked"] >= 1
    card = market.card(persona.card_number)
    assert (card.status, card.balance) == ("revoked", 0)
    assert market.ledger(persona.card_number) == [1_000_000, -1_000_000]
    assert market.count(NikBlacklist) >= 1
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("card_revoked")


def test_the_last_evening_before_the_deadline_still_sells(market):
    persona = market.mint("ok")  # normal scheme: 15 days
    deadline = market.tokopedia.card_inquiry(persona.card_number).data["first_purchase_deadline_at"]
    now = datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])
    seconds_left = (datetime.fromisoformat(deadline) - now).total_seconds()
    market.advance(seconds=int(seconds_left) - 120)  # 23:58 WIB on the deadline day
    assert market.buy(persona, course_code="DIG-004").status == 200
    market.advance(minutes=5)  # past midnight WIB: a buyer keeps the card
    assert market.card(persona.card_number).status == "active"


def test_an_otp_sent_before_midnight_cannot_buy_after_the_revocation(market):
    persona = market.mint("ok")
    deadline = market.tokopedia.card_inquiry(persona.card_number).data["first_purchase_deadline_at"]
    now = datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])
    seconds_left = (datetime.fromisoformat(deadline) - now).total_seconds()
    market.advance(seconds=int(seconds_left) - 120)  # 23:58 WIB on the deadline day
    opened = market.send_otp(persona, course_code="DIG-004")
    assert opened.status == 200, opened.body
    market.advance(minutes=3)  # 00:01 WIB: the sweep revokes the card
    assert market.card(persona.card_number).status == "revoked"
    late = market.authorize(opened, "123456")
    assert (late.status, late.error_code) == refusal("card_revoked")
    assert market.card(persona.card_number).balance == 0
    assert market.ledger(persona.card_number) == [3_500_000, -3_500_000]


def test_a_card_that_bought_is_never_revoked(market):
    persona = market.mint("semi_bansos")
    assert market.buy(persona, course_code="DIG-004").status == 200
    market.advance(days=40)
    assert market.card(persona.card_number).status == "active"


def test_deadline_passed_persona_is_refused_then_revoked_by_the_sweep(market):
    persona = market.mint("deadline_passed")
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("deadline_passed")
    market.advance(minutes=0)
    assert market.card(persona.card_number).status == "revoked"


def test_normal_saldo_expires_fifteen_days_after_finishing_without_a_purchase(market):
    persona = market.mint("ok")
    transaction = market.buy(persona, course_code="DIG-004").data["transaction_code"]
    market.complete(transaction, rating=5, review="Mantap")
    market.advance(days=14)
    assert market.card(persona.card_number).status == "active"
    market.advance(days=2)
    card = market.card(persona.card_number)
    assert (card.status, card.balance) == ("expired", 0)
    assert market.ledger(persona.card_number, "expiry") == [-3_400_000]
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("card_inactive")


def test_semi_bansos_saldo_does_not_expire(market):
    persona = market.mint("semi_bansos")
    transaction = market.buy(persona, course_code="DIG-004").data["transaction_code"]
    market.complete(transaction)
    market.advance(days=60)
    assert market.card(persona.card_number).balance == 900_000


def test_stale_pending_payments_expire_on_advance(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    assert market.advance(minutes=29)["ran"]["payments_expired"] == 0
    assert market.advance(minutes=2)["ran"]["payments_expired"] == 1
    with market.app.app_context():
        payment = db.session.execute(
            select(Payment).where(Payment.token == opened.data["payment_token"])
        ).scalar_one()
        assert (payment.status, payment.failure_code) == ("expired", "payment_expired")
    response = market.authorize(opened, "123456")
    assert (response.status, response.error_code) == refusal("payment_expired")
