"""Idempotency keys replay the first answer; void gives the saldo and the seat back once; status
reads a purchase by its invoice code."""

from __future__ import annotations

import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from marketplace.db import db
from prakerja_gateway.models import IdempotencyRecord, Payment, RedeemCode
from tests.helpers import refusal

pytestmark = pytest.mark.usefixtures("books_balance")

VOIDED = {"success": True, "message": "Transaksi berhasil dibatalkan."}


def quota(market, course_code: str, schedule_code: str) -> int:
    response = market.tokopedia.quota_schedule(course_code, schedule_code)
    assert response.status == 200, response.body
    return response.data["quota"]


def redeem_code_status(market, transaction_code: str) -> str:
    code = market.redeem_code_of(transaction_code)
    with market.app.app_context():
        return db.session.execute(
            select(RedeemCode.status).where(RedeemCode.code == code)
        ).scalar_one()


# --- Idempotency-Key (our extension) on authorize and void ----------------------------------
def test_same_key_and_body_replays_the_first_answer(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    first = market.authorize(opened, "123456", invoice_code="IDEM-1", idempotency_key="buy-1")
    second = market.authorize(opened, "123456", invoice_code="IDEM-1", idempotency_key="buy-1")
    assert first.status == second.status == 200
    assert first.body == second.body
    assert "Idempotent-Replayed" not in first.headers
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert market.ledger(persona.card_number, "debit") == [-1_000_000]


def test_same_key_with_another_body_or_another_token_is_refused(market):
    persona, other = market.mint("ok"), market.mint("ok")
    opened, other_opened = market.send_otp(persona), market.send_otp(other)
    market.authorize(opened, "123456", invoice_code="IDEM-2", idempotency_key="buy-2")
    other_body = market.authorize(opened, "654321", invoice_code="IDEM-2", idempotency_key="buy-2")
    assert (other_body.status, other_body.error_code) == refusal("idempotency_key_reused")
    assert other_body.status == 400
    other_token = market.authorize(
        other_opened, "123456", invoice_code="IDEM-2", idempotency_key="buy-2"
    )
    assert (other_token.status, other_token.error_code) == refusal("idempotency_key_reused")
    assert market.card(other.card_number).balance == 3_500_000


def test_refusals_are_replayed_too(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    first = market.authorize(opened, "000000", invoice_code="IDEM-3", idempotency_key="wrong-otp")
    replay = market.authorize(opened, "000000", invoice_code="IDEM-3", idempotency_key="wrong-otp")
    assert (first.status, first.error_code) == refusal("otp_invalid")
    assert first.body == replay.body  # the attempt was counted once, not twice
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert first.body["details"]["attempts_left"] == 2
    third = market.authorize(opened, "000000", invoice_code="IDEM-3")
    assert third.body["details"]["attempts_left"] == 1


def test_keys_belong_to_one_platform(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    mine = market.authorize(opened, "123456", invoice_code="IDEM-4", idempotency_key="shared")
    assert mine.status == 200
    theirs = market.authorize(
        opened, "123456", partner=market.pintaria, invoice_code="IDEM-4", idempotency_key="shared"
    )
    assert (theirs.status, theirs.error_code) == (401, "ERRAUTH40106")  # not tokopedia's answer
    assert "Idempotent-Replayed" not in theirs.headers


@pytest.mark.parametrize("key", ["", "x" * 256, "kunci\u00e9"])
def test_malformed_idempotency_key_is_refused_before_anything_happens(market, key):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    response = market.authorize(opened, "123456", idempotency_key=key)
    assert (response.status, response.error_code) == (400, "ERRGEN40002")
    assert "Idempotency-Key" in response.body["details"]["fields"]
    assert market.count(IdempotencyRecord) == 0
    assert market.card(persona.card_number).balance == 3_500_000


# --- void -------------------------------------------------------------------------------------
def test_void_returns_the_saldo_and_the_seat_and_cancels_the_redeem_code(market):
    persona = market.mint("ok")
    schedule = market.open_schedule("DIG-002")
    seats = quota(market, "DIG-002", schedule)
    bought = market.buy(persona, course_code="DIG-002", schedule_code=schedule,
                        invoice_code="VOID-1")  # fmt: skip
    assert bought.status == 200, bought.body
    assert quota(market, "DIG-002", schedule) == seats - 1

    voided = market.tokopedia.void("VOID-1", bought.data["transaction_code"])
    assert voided.status == 200, voided.body
    assert voided.body == VOIDED  # no data, as the real void
    assert market.ledger(persona.card_number) == [3_500_000, -500_000, 500_000]
    assert market.card(persona.card_number).balance == 3_500_000
    assert quota(market, "DIG-002", schedule) == seats
    assert redeem_code_status(market, bought.data["transaction_code"]) == "cancelled"
    status = market.tokopedia.payment_status("VOID-1")
    assert status.data["status"] == "CANCELLED"
    assert status.data["transaction_code"] == bought.data["transaction_code"]
    # a voided training no longer blocks the next purchase
    assert market.buy(persona, course_code="DIG-004").status == 200


def test_void_twice_is_ERRPLT40028_and_replays_with_its_key(market):
    persona = market.mint("ok")
    transaction = market.buy(persona, course_code="DIG-002", invoice_code="VOID-2").data[
        "transaction_code"
    ]
    first = market.tokopedia.void("VOID-2", transaction, idempotency_key="void-2")
    replay = market.tokopedia.void("VOID-2", transaction, idempotency_key="void-2")
    assert first.status == replay.status == 200 and first.body == replay.body == VOIDED
    assert replay.headers.get("Idempotent-Replayed") == "true"
    again = market.tokopedia.void("VOID-2", transaction)
    assert (again.status, again.error_code) == (400, "ERRPLT40028")
    assert again.message == "Transaksi sudah dibatalkan sebelumnya."
    other_body = market.tokopedia.void("VOID-X", transaction, idempotency_key="void-2")
    assert (other_body.status, other_body.error_code) == refusal("idempotency_key_reused")
    assert market.ledger(persona.card_number, "refund") == [500_000]


def test_racing_voids_of_one_purchase_give_the_saldo_back_once(market):
    persona = market.mint("ok")
    transaction = market.buy(persona, course_code="DIG-002", invoice_code="VOID-RACE").data[
        "transaction_code"
    ]
    barrier = threading.Barrier(8, timeout=60)

    def void(_):
        barrier.wait()
        return market.tokopedia.void("VOID-RACE", transaction)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(void, range(8)))
    answers = Counter((result.status, result.error_code) for result in results)
    assert answers == {(200, None): 1, (400, "ERRPLT40028"): 7}, answers
    assert market.ledger(persona.card_number, "refund") == [500_000]


def test_void_of_an_unknown_transaction_is_ERRVOD40001(market):
    persona = market.mint("ok")
    transaction = market.buy(persona, invoice_code="VOID-3").data["transaction_code"]
    for invoice, code in (
        ("VOID-3", "QHBST9GB5OSS888I"),  # unknown transaction code
        ("VOID-NOPE", transaction),  # the transaction of another invoice
        ("VOID-3", transaction.lower()),
    ):
        response = market.tokopedia.void(invoice, code)
        assert (response.status, response.error_code) == (400, "ERRVOD40001"), (invoice, code)
        assert response.message == "Kode transaksi tidak ditemukan."
    assert market.tokopedia.payment_status("VOID-3").data["status"] == "SUCCESS"


def test_a_payment_still_waiting_for_its_otp_cannot_be_voided(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    with market.app.app_context():
        transaction = db.session.execute(
            select(Payment.transaction_code).where(Payment.token == opened.data["payment_token"])
        ).scalar_one()
    response = market.tokopedia.void("VOID-4", transaction)
    assert (response.status, response.error_code) == (400, "ERRVOD40001")
    assert market.authorize(opened, "123456").status == 200


def test_void_after_the_institution_used_the_redeem_code_is_refused(market):
    persona = market.mint("ok")
    transaction = market.buy(persona, course_code="DIG-002", invoice_code="VOID-5").data[
        "transaction_code"
    ]
    market.complete(transaction)  # the institution committed the redeem code
    response = market.tokopedia.void("VOID-5", transaction)
    assert (response.status, response.error_code) == (400, "ERRVOD40002")
    assert market.card(persona.card_number).balance == 3_000_000
    assert market.tokopedia.payment_status("VOID-5").data["status"] == "SUCCESS"


# --- status -----------------------------------------------------------------------------------
def test_status_reads_a_purchase_by_its_invoice_code(market):
    persona = market.mint("ok")
    bought = market.buy(persona, invoice_code="INV-STATUS")
    response = market.tokopedia.payment_status("INV-STATUS")
    assert response.status == 200 and response.message == "OK"
    assert list(response.data) == [
        "created_at", "invoice_code", "transaction_code", "amount", "status", "prakerja_name",
    ]  # fmt: skip
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", response.data["created_at"])
    assert {key: response.data[key] for key in list(bought.data)} == bought.data


def test_status_validates_its_body_and_refuses_an_unknown_invoice(market):
    missing = market.tokopedia.call("/api/v1/integration/payment/status", {})
    assert (missing.status, missing.error_code) == (400, "ERRGEN40002")
    assert "invoice_code" in missing.body["details"]["fields"]
    unknown = market.tokopedia.payment_status("INV-NOPE")
    assert (unknown.status, unknown.error_code) == refusal("transaction_not_found")
    assert unknown.status == 400


def test_a_purchase_only_opened_has_no_status_yet(market):
    """The invoice code reaches Prakerja with authorize: before it, there is nothing to read."""
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    refused = market.authorize(opened, "000000", invoice_code="INV-LATER")
    assert refused.error_code == refusal("otp_invalid")[1]
    response = market.tokopedia.payment_status("INV-LATER")
    assert (response.status, response.error_code) == refusal("transaction_not_found")
