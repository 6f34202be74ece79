"""OTP delivery, its limits, and the charge that debits saldo exactly once."""

from __future__ import annotations

import re
import time

from prakerja_gateway.models import LedgerEntry, RedeemCode


def test_a_whole_purchase_debits_once_and_issues_a_redeem_code(market):
    persona = market.mint("sms")
    opened = market.request_otp(persona, course_code="DIG-001", invoice_code="TOKO-1")
    assert opened.status == 200
    assert opened.data["status"] == "otp_sent"
    assert opened.data["phone_masked"] == persona.phone[:4] + "*****" + persona.phone[-3:]
    [sms] = market.sms(persona.phone)
    assert re.fullmatch(r"\d{6}", sms["otp"]) and sms["otp"] in sms["body"]
    assert "Rp1.000.000" in sms["body"]

    charged = market.tokopedia.charge(opened.data["payment_id"], sms["otp"])
    assert charged.status == 200, charged.body
    assert charged.data["status"] == "captured"
    assert charged.data["amount"] == 1_000_000
    assert charged.data["balance_after"] == 2_500_000
    assert re.fullmatch(r"PRAT-[A-Z]{6}", charged.data["redeem_code"])

    assert market.ledger(persona.card_number) == [3_500_000, -1_000_000]
    status = market.tokopedia.status(invoice_code="TOKO-1")
    assert status.data["status"] == "captured"
    assert status.data["redeem_code"] == charged.data["redeem_code"]
    [email] = market.emails(persona.email)
    assert charged.data["redeem_code"] in email["body"]
    market.assert_reconciled()


def test_fixed_otp_personas_accept_112233(market):
    persona = market.mint("ok")
    assert persona.otp == "112233"
    opened = market.request_otp(persona)
    assert market.tokopedia.charge(opened.data["payment_id"], "112233").status == 200


def test_sms_persona_does_not_accept_the_fixed_otp(market):
    persona = market.mint("sms")
    assert persona.otp is None
    opened = market.request_otp(persona)
    response = market.tokopedia.charge(opened.data["payment_id"], "112233")
    if market.latest_otp(persona.phone) != "112233":  # one chance in a million
        assert (response.status, response.error_code) == (422, "otp_invalid")


def test_otp_format_follows_the_platform(market):
    persona = market.mint("sms")
    opened = market.request_otp(persona, partner=market.bukalapak, course_code="DIG-004")
    assert opened.data["otp_length"] == 5
    otp = market.latest_otp(persona.phone)
    assert re.fullmatch(r"[A-Z]{5}", otp)
    charged = market.bukalapak.charge(opened.data["payment_id"], otp.lower())
    assert charged.status == 200


def test_wrong_otp_is_422_and_counts_down_then_429_fails_the_payment(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    first = market.tokopedia.charge(payment_id, "000000")
    assert (first.status, first.error_code) == (422, "otp_invalid")
    assert first.body["error"]["details"]["attempts_left"] == 2
    assert market.tokopedia.charge(payment_id, "000001").status == 422
    third = market.tokopedia.charge(payment_id, "000002")
    assert (third.status, third.error_code) == (429, "too_many_attempts")
    after = market.tokopedia.charge(payment_id, "112233")
    assert (after.status, after.error_code) == (409, "payment_not_pending")
    assert market.tokopedia.status(payment_id=payment_id).data["status"] == "failed"
    assert market.card(persona.card_number).balance == 3_500_000


def test_expired_otp_is_410_and_a_resent_one_works(market):
    persona = market.mint("sms")
    payment_id = market.request_otp(persona).data["payment_id"]
    old_otp = market.latest_otp(persona.phone)
    market.advance(minutes=6)
    expired = market.tokopedia.charge(payment_id, old_otp)
    assert (expired.status, expired.error_code) == (410, "otp_expired")
    resent = market.tokopedia.resend_otp(payment_id)
    assert resent.status == 200 and resent.data["resends_left"] == 2
    new_otp = market.latest_otp(persona.phone)
    assert len(market.sms(persona.phone)) == 2
    assert market.tokopedia.charge(payment_id, new_otp).status == 200


def test_resend_has_a_cooldown_and_a_limit(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    too_soon = market.tokopedia.resend_otp(payment_id)
    assert (too_soon.status, too_soon.error_code) == (429, "resend_too_soon")
    assert too_soon.body["error"]["details"]["retry_after"] > 0
    for _ in range(3):
        market.advance(seconds=31)
        assert market.tokopedia.resend_otp(payment_id).status == 200
    market.advance(seconds=31)
    limit = market.tokopedia.resend_otp(payment_id)
    assert (limit.status, limit.error_code) == (429, "too_many_resends")


def test_payment_expires_after_its_window(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    market.advance(minutes=31)
    response = market.tokopedia.charge(payment_id, "112233")
    assert (response.status, response.error_code) == (410, "payment_expired")
    assert market.tokopedia.status(payment_id=payment_id).data["status"] == "expired"
    resend = market.tokopedia.resend_otp(payment_id)
    assert (resend.status, resend.error_code) == (410, "payment_expired")


def test_a_captured_payment_cannot_be_charged_again(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona, course_code="DIG-004").data["payment_id"]
    assert market.tokopedia.charge(payment_id, "112233").status == 200
    again = market.tokopedia.charge(payment_id, "112233")
    assert (again.status, again.error_code) == (409, "payment_already_captured")
    resend = market.tokopedia.resend_otp(payment_id)
    assert (resend.status, resend.error_code) == (409, "payment_already_captured")
    assert market.ledger(persona.card_number, "debit") == [-100_000]


def test_unknown_or_foreign_payment_is_404(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]
    for call in (
        lambda: market.tokopedia.charge("pay_nope", "112233"),
        lambda: market.pintaria.charge(payment_id, "112233"),
        lambda: market.pintaria.status(payment_id=payment_id),
        lambda: market.pintaria.resend_otp(payment_id),
        lambda: market.pintaria.refund(payment_id, "x"),
    ):
        response = call()
        assert (response.status, response.error_code) == (404, "payment_not_found")


def test_next_purchase_waits_for_the_previous_training(market):
    persona = market.mint("ok")  # normal scheme: completion and review
    first = market.buy(persona, course_code="DIG-004")
    assert first.status == 200
    blocked = market.request_otp(persona, course_code="DIG-004")
    assert (blocked.status, blocked.error_code) == (403, "previous_training_unfinished")
    completed = market.complete(first.data["payment_id"])
    assert completed["next_purchase_unlocked"] is False  # normal scheme needs the review too
    assert market.request_otp(persona, course_code="DIG-004").status == 403
    reviewed = market.complete(first.data["payment_id"], rating=5, review="Sangat membantu")
    assert reviewed["next_purchase_unlocked"] is True
    assert market.buy(persona, course_code="FIN-001").status == 200


def test_semi_bansos_unlocks_on_completion_alone(market):
    persona = market.mint("semi_bansos")
    assert persona.balance == 1_000_000
    first = market.buy(persona, course_code="DIG-004")
    assert first.status == 200
    assert market.complete(first.data["payment_id"])["next_purchase_unlocked"] is True
    assert market.buy(persona, course_code="FIN-001").data["balance_after"] == 650_000


def test_sms_lost_persona_gets_no_sms(market):
    persona = market.mint("sms_lost")
    opened = market.request_otp(persona)
    assert opened.status == 200
    assert market.sms(persona.phone) == []


def test_processing_error_persona_answers_503_and_moves_nothing(market):
    persona = market.mint("processing_error")
    payment_id = market.request_otp(persona).data["payment_id"]
    first = market.tokopedia.charge(payment_id, "112233", idempotency_key="retry-me")
    assert (first.status, first.error_code) == (503, "processing_error")
    again = market.tokopedia.charge(payment_id, "112233", idempotency_key="retry-me")
    assert again.status == 503 and "Idempotent-Replayed" not in again.headers
    assert market.card(persona.card_number).balance == 3_500_000
    assert market.tokopedia.status(payment_id=payment_id).data["status"] == "otp_sent"


def test_slow_persona_answers_late(market):
    persona = market.mint("slow")
    started = time.monotonic()
    opened = market.request_otp(persona)
    assert opened.status == 200
    assert time.monotonic() - started >= 0.3  # SANDBOX_SLOW_SECONDS in the test config


def test_each_capture_writes_one_debit_and_one_redeem_code(market):
    persona = market.mint("ok")
    for course in ("DIG-004", "FIN-001"):
        charged = market.buy(persona, course_code=course)
        market.complete(charged.data["payment_id"], rating=5, review="Baik")
    assert market.count(RedeemCode) >= 2
    debits = market.ledger(persona.card_number, "debit")
    assert debits == [-100_000, -250_000]
    assert market.count(LedgerEntry) > 0
    market.assert_reconciled()
