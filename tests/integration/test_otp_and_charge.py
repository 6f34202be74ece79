"""send-otp texts the OTP (and sends it again, within limits); authorize checks it and debits the
saldo exactly once."""

from __future__ import annotations

import re
import time

import pytest

from prakerja_gateway.models import LedgerEntry, RedeemCode
from tests.helpers import refusal

pytestmark = pytest.mark.usefixtures("books_balance")

RFC3339_Z = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


def test_a_whole_purchase_debits_once_and_gives_the_redeem_code_to_the_participant(market):
    persona = market.mint("sms")
    opened = market.send_otp(persona, course_code="DIG-001")
    assert opened.status == 200, opened.body
    assert set(opened.data) >= {"payment_token", "otp_expired_at", "expired_at"}
    assert RFC3339_Z.fullmatch(opened.data["otp_expired_at"])
    assert RFC3339_Z.fullmatch(opened.data["expired_at"])
    assert opened.data["phone_masked"] == persona.phone[:4] + "*****" + persona.phone[-3:]
    assert opened.data["otp_length"] == 6
    [sms] = market.sms(persona.phone)
    assert re.fullmatch(r"\d{6}", sms["otp"]) and sms["otp"] in sms["body"]
    assert "Rp1.000.000" in sms["body"]

    bought = market.authorize(opened, sms["otp"], invoice_code="TOKO-1")
    assert bought.status == 200, bought.body
    assert bought.message == "Pelatihan berhasil dibeli."
    assert list(bought.data) == [
        "invoice_code", "transaction_code", "amount", "status", "prakerja_name",
    ]  # fmt: skip
    assert re.fullmatch(r"[A-Z0-9]{16}", bought.data["transaction_code"])
    name = market.card(persona.card_number).participant.name
    assert (bought.data["invoice_code"], bought.data["amount"]) == ("TOKO-1", 1_000_000)
    assert (bought.data["status"], bought.data["prakerja_name"]) == ("SUCCESS", name)

    assert market.ledger(persona.card_number) == [3_500_000, -1_000_000]
    assert market.card(persona.card_number).balance == 2_500_000
    status = market.tokopedia.payment_status("TOKO-1")
    assert status.data["status"] == "SUCCESS"
    assert status.data["transaction_code"] == bought.data["transaction_code"]
    redeem_code = market.redeem_code_of(bought.data["transaction_code"])
    assert re.fullmatch(r"PRAT-[A-Z0-9]{6}", redeem_code)
    assert redeem_code not in str(bought.body)  # Prakerja gives it to the participant only
    [email] = market.emails(persona.email)
    assert redeem_code in email["body"]


def test_fixed_otp_personas_accept_123456(market):
    persona = market.mint("ok")
    assert persona.otp == "123456"
    opened = market.send_otp(persona)
    assert market.latest_otp(persona.phone) == "123456"
    assert market.authorize(opened, "123456").status == 200


def test_sms_persona_does_not_accept_the_fixed_otp(market):
    persona = market.mint("sms")
    assert persona.otp is None
    opened = market.send_otp(persona)
    if market.latest_otp(persona.phone) == "123456":
        pytest.skip("the random OTP came out as 123456 (one chance in a million)")
    response = market.authorize(opened, "123456")
    assert (response.status, response.error_code) == refusal("otp_invalid")


def test_otp_format_follows_the_platform(market):
    persona = market.mint("sms")
    opened = market.send_otp(persona, partner=market.bukalapak, course_code="DIG-004")
    assert opened.data["otp_length"] == 5
    otp = market.latest_otp(persona.phone)
    assert re.fullmatch(r"[A-Z]{5}", otp)
    bought = market.authorize(opened, f" {otp.lower()} ", partner=market.bukalapak)
    assert bought.status == 200, bought.body


def test_the_fixed_otp_of_a_letters_platform_is_ABCDE(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, partner=market.bukalapak, course_code="DIG-004")
    assert market.latest_otp(persona.phone) == "ABCDE"
    wrong_format = market.authorize(opened, "123456", partner=market.bukalapak)
    assert (wrong_format.status, wrong_format.error_code) == refusal("otp_invalid")
    assert market.authorize(opened, "ABCDE", partner=market.bukalapak).status == 200


def test_wrong_otps_count_down_then_the_payment_fails(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    first = market.authorize(opened, "000000")
    assert (first.status, first.error_code) == refusal("otp_invalid")
    assert list(first.body) == ["code", "message", "success", "details"]
    assert first.body["details"]["attempts_left"] == 2
    second = market.authorize(opened, "000001")
    assert second.body["details"]["attempts_left"] == 1
    third = market.authorize(opened, "000002")
    assert (third.status, third.error_code) == refusal("too_many_attempts")
    after = market.authorize(opened, "123456")
    assert (after.status, after.error_code) == refusal("payment_not_pending")
    payment = market.payment_of(opened)
    assert (payment.status, payment.failure_code) == ("failed", "too_many_attempts")
    assert market.card(persona.card_number).balance == 3_500_000


def test_expired_otp_is_refused_and_sending_again_gives_a_working_one(market):
    persona = market.mint("sms")
    opened = market.send_otp(persona)
    old_otp = market.latest_otp(persona.phone)
    market.advance(minutes=6)
    expired = market.authorize(opened, old_otp)
    assert (expired.status, expired.error_code) == refusal("otp_expired")
    assert RFC3339_Z.fullmatch(expired.body["details"]["otp_expired_at"])
    again = market.send_otp(persona)  # the same purchase: a resend
    assert again.status == 200, again.body
    assert again.data["payment_token"] == opened.data["payment_token"]
    assert len(market.sms(persona.phone)) == 2
    new_otp = market.latest_otp(persona.phone)
    assert market.authorize(again, new_otp).status == 200
    assert market.ledger(persona.card_number, "debit") == [-1_000_000]


def test_a_resent_otp_replaces_the_previous_one(market):
    persona = market.mint("sms")
    opened = market.send_otp(persona)
    old_otp = market.latest_otp(persona.phone)
    market.advance(seconds=31)
    assert market.send_otp(persona).status == 200
    new_otp = market.latest_otp(persona.phone)
    if new_otp == old_otp:
        pytest.skip("the random OTP came out the same twice (one chance in a million)")
    stale = market.authorize(opened, old_otp)
    assert (stale.status, stale.error_code) == refusal("otp_invalid")
    assert market.authorize(opened, new_otp).status == 200


def test_resend_has_a_cooldown_and_a_limit(market):
    persona = market.mint("ok")
    token = market.send_otp(persona).data["payment_token"]
    too_soon = market.send_otp(persona)
    assert (too_soon.status, too_soon.error_code) == refusal("resend_too_soon")
    assert 0 < too_soon.body["details"]["retry_after"] <= 31
    for _ in range(3):
        market.advance(seconds=31)
        resent = market.send_otp(persona)
        assert resent.status == 200, resent.body
        assert resent.data["payment_token"] == token
    market.advance(seconds=31)
    limit = market.send_otp(persona)
    assert (limit.status, limit.error_code) == refusal("too_many_resends")
    assert len(market.sms(persona.phone)) == 4
    assert market.authorize(resent, "123456").status == 200  # the payment still waits


def schedules_on_sale(market, course_code: str) -> list[str]:
    courses = market.http.get("/sandbox/courses").get_json()["courses"]
    [course] = [course for course in courses if course["course_code"] == course_code]
    return [s["schedule_code"] for s in course["schedules"] if s["on_sale"]]


@pytest.mark.parametrize("differs", ["course", "schedule", "account"])
def test_only_the_very_same_purchase_is_a_resend(market, differs):
    """A resend is send-otp again with the same card, account, course and schedule; anything
    else is another purchase, with its own token and no cooldown."""
    persona = market.mint("ok")
    first_schedule, second_schedule = schedules_on_sale(market, "DIG-001")[:2]
    first = market.send_otp(persona, schedule_code=first_schedule, account_id="andi")
    other = {
        "course": {"course_code": "FIN-001", "account_id": "andi"},
        "schedule": {"schedule_code": second_schedule, "account_id": "andi"},
        "account": {"schedule_code": first_schedule, "account_id": "budi"},
    }[differs]
    response = market.send_otp(persona, **other)
    assert response.status == 200, response.body
    assert response.data["payment_token"] != first.data["payment_token"]
    assert len(market.sms(persona.phone)) == 2


def test_payment_expires_after_its_window_and_a_new_one_can_be_opened(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    market.advance(minutes=31)
    response = market.authorize(opened, "123456")
    assert (response.status, response.error_code) == refusal("payment_expired")
    assert market.payment_of(opened).status == "expired"
    reopened = market.send_otp(persona)
    assert reopened.status == 200, reopened.body
    assert reopened.data["payment_token"] != opened.data["payment_token"]
    assert market.authorize(reopened, "123456").status == 200


def test_a_token_buys_once(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    assert market.authorize(opened, "123456").status == 200
    again = market.authorize(opened, "123456")
    assert (again.status, again.error_code) == refusal("payment_already_captured")
    assert market.ledger(persona.card_number, "debit") == [-100_000]


def test_an_unknown_token_or_another_platforms_token_is_refused(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    unknown = market.tokopedia.authorize(
        "no-such-token", otp="123456", invoice_code="X-1", invoice_url="https://toko.example/x"
    )
    assert (unknown.status, unknown.error_code) == (401, "ERRAUTH40106")
    foreign = market.authorize(opened, "123456", partner=market.pintaria)
    assert (foreign.status, foreign.error_code) == (401, "ERRAUTH40106")
    assert market.payment_of(opened).status == "otp_sent"
    assert market.authorize(opened, "123456").status == 200


def test_another_platform_cannot_read_or_void_a_purchase(market):
    persona = market.mint("ok")
    bought = market.buy(persona, invoice_code="TOKO-OWN")
    status = market.pintaria.payment_status("TOKO-OWN")
    assert (status.status, status.error_code) == refusal("transaction_not_found")
    void = market.pintaria.void("TOKO-OWN", bought.data["transaction_code"])
    assert (void.status, void.error_code) == refusal("void_unknown_transaction")
    assert market.tokopedia.payment_status("TOKO-OWN").data["status"] == "SUCCESS"


def test_next_purchase_waits_for_the_previous_training(market):
    persona = market.mint("ok")  # normal scheme: completion and review
    first = market.buy(persona, course_code="DIG-004")
    assert first.status == 200
    blocked = market.send_otp(persona, course_code="FIN-001")
    assert (blocked.status, blocked.error_code) == refusal("previous_training_unfinished")
    completed = market.complete(first.data["transaction_code"])
    assert completed["next_purchase_unlocked"] is False  # normal scheme needs the review too
    still = market.send_otp(persona, course_code="FIN-001")
    assert still.error_code == refusal("previous_training_unfinished")[1]
    reviewed = market.complete(first.data["transaction_code"], rating=5, review="Membantu")
    assert reviewed["next_purchase_unlocked"] is True
    assert market.buy(persona, course_code="FIN-001").status == 200


def test_semi_bansos_unlocks_on_completion_alone(market):
    persona = market.mint("semi_bansos")
    assert persona.balance == 1_000_000
    first = market.buy(persona, course_code="DIG-004")
    assert first.status == 200
    assert market.complete(first.data["transaction_code"])["next_purchase_unlocked"] is True
    assert market.buy(persona, course_code="FIN-001").status == 200
    assert market.card(persona.card_number).balance == 650_000


def test_sms_lost_persona_gets_no_sms_even_when_sent_again(market):
    persona = market.mint("sms_lost")
    opened = market.send_otp(persona)
    assert opened.status == 200
    market.advance(seconds=31)
    assert market.send_otp(persona).status == 200
    assert market.sms(persona.phone) == []


def test_processing_error_persona_answers_503_and_moves_nothing(market):
    persona = market.mint("processing_error")
    opened = market.send_otp(persona)
    assert opened.status == 200
    first = market.authorize(opened, "123456", invoice_code="ERR-1", idempotency_key="retry-me")
    assert (first.status, first.error_code) == refusal("processing_error")
    assert first.status == 503
    again = market.authorize(opened, "123456", invoice_code="ERR-1", idempotency_key="retry-me")
    assert again.status == 503 and "Idempotent-Replayed" not in again.headers
    assert market.card(persona.card_number).balance == 3_500_000
    assert market.payment_of(opened).status == "otp_sent"
    status = market.tokopedia.payment_status("ERR-1")
    assert (status.status, status.error_code) == refusal("transaction_not_found")


def test_slow_persona_answers_late(market):
    persona = market.mint("slow")
    started = time.monotonic()
    opened = market.send_otp(persona)
    assert opened.status == 200
    assert time.monotonic() - started >= 0.3  # SANDBOX_SLOW_SECONDS in the test config
    started = time.monotonic()
    assert market.authorize(opened, "123456").status == 200
    assert time.monotonic() - started >= 0.3


def test_each_purchase_writes_one_debit_and_one_redeem_code(market):
    persona = market.mint("ok")
    codes = []
    for course in ("DIG-004", "FIN-001"):
        bought = market.buy(persona, course_code=course)
        assert bought.status == 200, bought.body
        codes.append(market.redeem_code_of(bought.data["transaction_code"]))
        market.complete(bought.data["transaction_code"], rating=5, review="Baik")
    assert len(set(codes)) == 2
    assert market.ledger(persona.card_number, "debit") == [-100_000, -250_000]
    assert market.count(RedeemCode) >= 2 and market.count(LedgerEntry) > 0
