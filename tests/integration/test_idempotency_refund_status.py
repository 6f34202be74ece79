"""Idempotency keys replay the first answer; refunds give saldo back once; status reads."""

from __future__ import annotations

import pytest

from prakerja_gateway.models import IdempotencyRecord


def test_same_key_and_body_replays_the_first_answer(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    first = market.tokopedia.charge(payment_id, "112233", idempotency_key="charge-1")
    second = market.tokopedia.charge(payment_id, "112233", idempotency_key="charge-1")
    assert first.status == second.status == 200
    assert first.body == second.body
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert market.ledger(persona.card_number, "debit") == [-1_000_000]


def test_same_key_with_another_body_is_409(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    market.tokopedia.charge(payment_id, "112233", idempotency_key="charge-2")
    other = market.tokopedia.charge(payment_id, "654321", idempotency_key="charge-2")
    assert (other.status, other.error_code) == (409, "idempotency_key_reused")


def test_refusals_are_replayed_too(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    first = market.tokopedia.charge(payment_id, "000000", idempotency_key="wrong-otp")
    replay = market.tokopedia.charge(payment_id, "000000", idempotency_key="wrong-otp")
    assert first.status == replay.status == 422
    assert first.body == replay.body  # the attempt was counted once, not twice
    assert first.body["error"]["details"]["attempts_left"] == 2
    third = market.tokopedia.charge(payment_id, "000000")
    assert third.body["error"]["details"]["attempts_left"] == 1


def test_keys_belong_to_one_partner(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    market.tokopedia.charge(payment_id, "112233", idempotency_key="shared-key")
    response = market.pintaria.charge(payment_id, "112233", idempotency_key="shared-key")
    assert (response.status, response.error_code) == (404, "payment_not_found")


@pytest.mark.parametrize("key", ["", "x" * 256, "kunci\u00e9"])
def test_malformed_idempotency_key_is_400(market, key):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    headers_key = key.encode("latin-1").decode("latin-1")
    response = market.tokopedia.charge(payment_id, "112233", idempotency_key=headers_key)
    assert (response.status, response.error_code) == (400, "invalid_request")
    assert market.count(IdempotencyRecord) == 0


def test_refund_returns_saldo_and_cancels_the_redeem_code(market):
    persona = market.mint("ok")
    charged = market.buy(persona, course_code="DIG-002")
    refunded = market.tokopedia.refund(charged.data["payment_id"], "Peserta membatalkan")
    assert refunded.status == 200, refunded.body
    assert refunded.data == {
        "payment_id": charged.data["payment_id"],
        "status": "refunded",
        "balance_after": 3_500_000,
    }
    assert market.ledger(persona.card_number) == [3_500_000, -500_000, 500_000]
    status = market.tokopedia.status(payment_id=charged.data["payment_id"])
    assert status.data["status"] == "refunded" and status.data["redeem_code"] is None
    # a refunded training no longer blocks the next purchase
    assert market.buy(persona, course_code="DIG-004").status == 200
    market.assert_reconciled()


def test_refund_twice_is_409_and_replays_with_its_key(market):
    persona = market.mint("ok")
    payment_id = market.buy(persona, course_code="DIG-002").data["payment_id"]
    first = market.tokopedia.refund(payment_id, "batal", idempotency_key="refund-1")
    replay = market.tokopedia.refund(payment_id, "batal", idempotency_key="refund-1")
    assert first.status == replay.status == 200 and first.body == replay.body
    again = market.tokopedia.refund(payment_id, "batal")
    assert (again.status, again.error_code) == (409, "already_refunded")
    assert market.ledger(persona.card_number, "refund") == [500_000]


def test_refund_of_a_pending_payment_is_409(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    response = market.tokopedia.refund(payment_id, "batal")
    assert (response.status, response.error_code) == (409, "payment_not_captured")


def test_refund_after_the_training_started_is_409(market):
    persona = market.mint("ok")
    payment_id = market.buy(persona, course_code="DIG-002").data["payment_id"]
    market.complete(payment_id)
    response = market.tokopedia.refund(payment_id, "batal")
    assert (response.status, response.error_code) == (409, "redeem_code_used")
    assert market.card(persona.card_number).balance == 3_000_000


def test_status_by_invoice_code_and_validation(market):
    persona = market.mint("ok")
    market.request_otp(persona, invoice_code="INV-STATUS")
    by_invoice = market.tokopedia.status(invoice_code="INV-STATUS")
    assert by_invoice.status == 200
    assert by_invoice.data["status"] == "otp_sent" and by_invoice.data["redeem_code"] is None
    assert by_invoice.data["amount"] == 1_000_000
    missing = market.tokopedia.call("/api/v1/integration/payment/status", {})
    assert (missing.status, missing.error_code) == (400, "invalid_request")
    unknown = market.tokopedia.status(invoice_code="INV-NOPE")
    assert (unknown.status, unknown.error_code) == (404, "payment_not_found")
