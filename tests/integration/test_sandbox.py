"""The sandbox as testers use it: personas, outboxes, phone page, reconcile, access control."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import update

from marketplace.db import db
from prakerja_gateway.models import Card
from prakerja_gateway.sandbox.personas import PERSONAS

CONTRACT_KEYS = {
    "ok",
    "sms",
    "revoked",
    "deadline_passed",
    "low_saldo",
    "previous_unfinished",
    "no_linked_account",
    "sms_lost",
    "processing_error",
    "slow",
}
PERSONA_FIELDS = {"key", "card_number", "phone", "email", "otp", "description"}


def test_documented_personas_cover_the_contract(market):
    personas = market.http.get("/sandbox/personas").get_json()["personas"]
    by_key = {persona["key"]: persona for persona in personas}
    assert set(by_key) >= CONTRACT_KEYS
    for persona in personas:
        assert set(persona) >= PERSONA_FIELDS
        assert len(persona["card_number"]) == 16
    assert by_key["ok"]["otp"] == "112233"
    assert by_key["sms"]["otp"] is None
    assert by_key["ok"]["card_number"] == "5204890000000015"  # documented in the README


# Published in the README: outside test suites hard-code these, so they must never change.
DOCUMENTED_CARDS = {
    "ok": "5204890000000015",
    "sms": "5204890000000023",
    "semi_bansos": "5204790000000116",
    "revoked": "5204790000000033",
    "deadline_passed": "5204790000000041",
    "low_saldo": "5204790000000058",
    "previous_unfinished": "5204890000000064",
    "no_linked_account": "5204890000000072",
    "sms_lost": "5204890000000080",
    "processing_error": "5204890000000098",
    "slow": "5204890000000106",
}


def test_documented_card_numbers_never_change(market):
    personas = market.http.get("/sandbox/personas").get_json()["personas"]
    assert {p["key"]: p["card_number"] for p in personas} == DOCUMENTED_CARDS
    assert len(DOCUMENTED_CARDS) == len(PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.key)
def test_every_persona_can_be_minted_fresh(market, persona):
    response = market.http.post(f"/sandbox/personas/{persona.key}")
    assert response.status_code == 201
    minted = response.get_json()
    assert set(minted) >= PERSONA_FIELDS
    again = market.http.post(f"/sandbox/personas/{persona.key}").get_json()
    assert again["card_number"] != minted["card_number"]
    assert again["phone"] != minted["phone"]
    market.assert_reconciled()


def test_unknown_persona_is_404(market):
    response = market.http.post("/sandbox/personas/nobody")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "unknown_persona"


def test_courses_and_partners_describe_the_demo_marketplace(market):
    courses = market.http.get("/sandbox/courses").get_json()["courses"]
    assert {"course_code", "title", "price", "institution", "lp_client_code", "platforms"} <= set(
        courses[0]
    )
    assert all(isinstance(course["price"], int) for course in courses)
    partners = market.http.get("/sandbox/partners").get_json()["partners"]
    kinds = {partner["kind"] for partner in partners}
    assert kinds == {"dp", "lp"}
    assert {"client_code", "sign_key", "kind", "name"} <= set(partners[0])


def test_sms_outbox_is_newest_first_and_can_wait(market):
    persona = market.mint("sms")
    market.request_otp(persona)
    market.advance(seconds=31)
    payment = market.request_otp(persona)
    messages = market.sms(persona.phone)
    assert len(messages) == 2 and messages[0]["id"] > messages[1]["id"]
    newest = messages[0]["id"]

    started = time.monotonic()
    assert market.sms(persona.phone, after=newest, wait=0.3) == []
    assert time.monotonic() - started >= 0.3

    def resend_soon():
        time.sleep(0.2)
        market.advance(seconds=31)
        market.tokopedia.resend_otp(payment.data["payment_id"])

    thread = threading.Thread(target=resend_soon)
    thread.start()
    waited = market.sms(persona.phone, after=newest, wait=2)
    thread.join()
    assert len(waited) == 1 and waited[0]["otp"]


def test_outbox_queries_need_their_parameter(market):
    for path in ("/sandbox/sms", "/sandbox/emails", "/sandbox/sms?phone="):
        response = market.http.get(path)
        assert response.status_code == 400
        assert response.get_json()["error"]["code"] == "invalid_request"


def test_phone_page_shows_the_inbox_newest_first(market):
    persona = market.mint("sms")
    market.request_otp(persona)
    otp = market.latest_otp(persona.phone)
    page = market.http.get(f"/sandbox/phone/{persona.phone}")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert f'data-otp="{otp}"' in html and 'lang="id"' in html
    empty = market.http.get("/sandbox/phone/089999999999").get_data(as_text=True)
    assert "Belum ada SMS" in empty


def test_reconcile_counts_payments_by_status(market):
    before = market.reconcile()["totals"]
    persona = market.mint("ok")
    market.buy(persona, course_code="DIG-004")
    after = market.reconcile()["totals"]
    assert after["payments_captured"] == before["payments_captured"] + 1
    assert after["cards"] == before["cards"] + 1


def test_reconcile_catches_a_tampered_balance(market):
    assert market.reconcile()["ok"] is True
    persona = market.mint("ok")
    with market.app.app_context():
        db.session.execute(
            update(Card).where(Card.number == persona.card_number).values(balance=Card.balance + 1)
        )
        db.session.commit()
    report = market.reconcile()
    assert report["ok"] is False
    failing = {check["name"]: check for check in report["checks"] if not check["ok"]}
    assert failing["balance_equals_ledger"]["examples"] == [persona.card_number]


def test_complete_training_by_redeem_code(market):
    persona = market.mint("semi_bansos")
    charged = market.buy(persona, course_code="DIG-004")
    done = market.complete(charged.data["redeem_code"])
    assert done["payment_id"] == charged.data["payment_id"] and done["next_purchase_unlocked"]


def test_complete_training_validates_input(market):
    persona = market.mint("ok")
    payment_id = market.buy(persona, course_code="DIG-004").data["payment_id"]
    for body in ({"rating": 6, "review": "x"}, {"rating": 5}, {"rating": "5", "review": "x"}):
        response = market.http.post(f"/sandbox/payments/{payment_id}/complete", json=body)
        assert response.status_code == 400, body
    missing = market.http.post("/sandbox/payments/pay_nope/complete", json={})
    assert missing.status_code == 404
    pending = market.request_otp(market.mint("ok")).data["payment_id"]
    response = market.http.post(f"/sandbox/payments/{pending}/complete", json={})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "payment_not_captured"


def test_sandbox_can_be_put_behind_a_token(make_app):
    client = make_app(SANDBOX_TOKEN="rahasia").test_client()
    refused = client.get("/sandbox/personas")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "sandbox_token_required"
    assert (
        client.get("/sandbox/personas", headers={"X-Sandbox-Token": "rahasia"}).status_code == 200
    )
    assert client.get("/sandbox/personas?token=rahasia").status_code == 200


def test_sandbox_can_be_switched_off(make_app):
    client = make_app(SANDBOX_ENABLED=False).test_client()
    response = client.get("/sandbox/personas")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_home_page_links_the_test_cards_and_phone(market):
    html = market.http.get("/").get_data(as_text=True)
    assert "5204890000000015" in html and "/sandbox/phone/081200000001" in html
    assert "Rp3.500.000" in html
    for slug in ("tokopedia", "bukalapak", "pintaria"):
        assert f'href="/{slug}/"' in html
