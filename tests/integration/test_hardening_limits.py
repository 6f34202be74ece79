"""Bounded guessing and a real "sandbox off": OTP attempts across resends and under a race,
payments per card and texts per phone per hour, dashboard codes, sign-in lock-outs, replayed
signed calls, and a whole purchase with the sandbox switched off (issue 11)."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from sqlalchemy import select

from marketplace.clock import current_clock
from marketplace.db import db
from marketplace.outbox import SmsMessage
from prakerja_gateway import domain
from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.models import Card, Participant, VerificationCode
from prakerja_gateway.services import accounts
from tests.functional.storefront import Shopper
from tests.functional.test_storefronts import PASSWORD, assert_paid, reach_card_step, register
from tests.helpers import Marketplace, refusal, sandbox_off_config
from tests.integration.test_concurrency import race

OK_CARD = "5204890000000015"  # the documented 'ok' persona, loaded with the demo data
WRONG = "000000"


def _code(name: str) -> str:
    return refusal(name)[1]


def _latest_otp(app, phone: str) -> str:
    """Straight from the SMS outbox table (the sandbox's endpoints may be switched off)."""
    with app.app_context():
        return db.session.execute(
            select(SmsMessage.otp)
            .where(SmsMessage.phone == phone, SmsMessage.otp.is_not(None))
            .order_by(SmsMessage.id.desc())
            .limit(1)
        ).scalar_one()


# --- the payment OTP ------------------------------------------------------------------------
def test_resending_the_otp_does_not_give_new_guesses(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    for left in (2, 1):
        wrong = market.authorize(opened, WRONG)
        assert (wrong.error_code, wrong.body["details"]["attempts_left"]) == (
            _code("otp_invalid"),
            left,
        )
    market.advance(seconds=31)
    assert market.send_otp(persona, course_code="DIG-004").ok  # the same payment, resent
    last = market.authorize(opened, WRONG)
    assert (last.status, last.error_code) == refusal("too_many_attempts")
    assert not market.authorize(opened, "123456").ok


def test_forty_racing_wrong_guesses_are_compared_at_most_three_times(market, monkeypatch):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    compared = []
    real = domain.otp_matches
    monkeypatch.setattr(domain, "otp_matches", lambda *args: compared.append(1) or real(*args))

    def guess(i, barrier):
        barrier.wait()
        return market.authorize(opened, f"{i:06d}"[-6:] if i else "999999", invoice_code=f"G{i}")

    results = race(guess, racers=40)
    codes = Counter(result.error_code for result in results)
    assert codes[_code("otp_invalid")] <= 2, codes
    assert len(compared) <= 3, codes
    assert not market.authorize(opened, "123456", invoice_code="RIGHT").ok
    assert market.card(persona.card_number).balance == 3_500_000


def test_a_card_opens_at_most_n_payments_an_hour(make_app):
    market = Marketplace(make_app(PAYMENTS_PER_CARD_PER_HOUR=2))
    persona = market.mint("ok")
    for course in ("DIG-004", "DIG-002"):
        assert market.send_otp(persona, course_code=course).ok
    third = market.send_otp(persona, course_code="DIG-001")
    assert (third.status, third.error_code) == refusal("too_many_payments")
    assert 0 < third.body["details"]["retry_after"] <= 3600
    market.advance(minutes=61)
    assert market.send_otp(persona, course_code="DIG-001").ok


def test_a_phone_gets_at_most_m_otp_texts_an_hour(make_app):
    market = Marketplace(make_app(OTP_SMS_PER_PHONE_PER_HOUR=2))
    persona = market.mint("ok")
    assert market.send_otp(persona, course_code="DIG-004").ok
    market.advance(seconds=31)
    assert market.send_otp(persona, course_code="DIG-004").ok  # a resend is a text too
    market.advance(seconds=31)
    again = market.send_otp(persona, course_code="DIG-004")
    assert (again.status, again.error_code) == refusal("too_many_otp_sms")
    assert again.body["details"]["retry_after"] > 0
    assert len(market.sms(persona.phone)) == 2


# --- replayed signed calls ------------------------------------------------------------------
def test_a_replayed_signed_call_is_refused_and_sends_nothing(market):
    persona = market.mint("ok")
    client = GatewayClient(
        "tokopedia-sandbox", "sk_sandbox_tokopedia_demo", WsgiTransport(market.app)
    )
    body = {
        "prakerja_id": persona.card_number,
        "user_platform_id": "replay",
        "course_code": "DIG-004",
        "schedule_code": market.open_schedule("DIG-004"),
        "amount": 100_000,
    }
    stamp = int(time.time())
    path = "/api/v1/integration/payment/send-otp"
    assert client.call(path, body, timestamp=stamp).ok
    replayed = client.call(path, body, timestamp=stamp)
    assert (replayed.status, replayed.error_code) == (401, "ERRAUTH40107")
    assert len(market.sms(persona.phone)) == 1
    # a question that changes nothing may be asked twice in one second
    quota = {"course_code": "DIG-004", "schedule_code": body["schedule_code"]}
    quota_path = "/api/v1/integration/payment/quota-schedule"
    assert client.call(quota_path, quota, timestamp=stamp).ok
    assert client.call(quota_path, quota, timestamp=stamp).ok


def test_an_authorize_with_an_idempotency_key_replays_its_answer(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    client = GatewayClient(
        "tokopedia-sandbox", "sk_sandbox_tokopedia_demo", WsgiTransport(market.app)
    )
    stamp = int(time.time())

    def authorize():
        return client.call(
            "/api/v1/integration/payment/authorize",
            {"otp": "123456", "invoice_code": "IDEM-1", "invoice_url": "https://toko.example/1"},
            timestamp=stamp,
            idempotency_key="idem-1",
            authorization=f"Payment {opened.data['payment_token']}",
        )

    first, second = authorize(), authorize()
    assert first.ok and second.ok and second.headers.get("Idempotent-Replayed") == "true"


# --- the dashboard sign-in code --------------------------------------------------------------
def _dashboard_code(market: Marketplace, login: str) -> Shopper:
    shopper = Shopper(market, "prakerja")
    return shopper.get("/masuk").submit(login=login)


def test_the_dashboard_code_allows_three_guesses(market):
    persona = market.mint("sms")
    shopper = _dashboard_code(market, persona.email)
    shopper.sees("Kode verifikasi dikirim")
    right = market.latest_otp(persona.phone)
    for _ in range(3):
        shopper.submit(code=WRONG)
    shopper.sees("Terlalu banyak percobaan")
    shopper.submit(code=right)
    assert shopper.status == 422
    shopper.sees("Terlalu banyak percobaan")


def test_at_most_five_dashboard_codes_an_hour(market):
    persona = market.mint("sms")
    for _ in range(accounts.CODES_PER_HOUR):
        _dashboard_code(market, persona.email).sees("Kode verifikasi dikirim")
    refused = _dashboard_code(market, persona.email)
    assert refused.status == 422
    refused.sees("Terlalu banyak kode dikirim")
    market.advance(minutes=61)
    _dashboard_code(market, persona.email).sees("Kode verifikasi dikirim")


# --- sign-in lock-outs ----------------------------------------------------------------------
def test_five_failed_storefront_logins_lock_the_account_for_15_minutes(market):
    account = register(Shopper(market, "bukalapak"))
    shopper = Shopper(market, "bukalapak").get("/masuk")
    for _ in range(5):
        shopper.submit(login=account["email"], password="salah-salah-1")
        shopper.sees("kata sandi salah")
    shopper.submit(login=account["email"], password=PASSWORD)
    assert shopper.status == 422
    shopper.sees("Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit.")
    market.advance(minutes=16)
    shopper.get("/masuk").submit(login=account["email"], password=PASSWORD)
    assert shopper.status in (200, 302) and "Terlalu banyak" not in shopper.text()


def test_twenty_failures_from_one_address_lock_every_account(market):
    shopper = Shopper(market, "bukalapak").get("/masuk")
    for n in range(20):
        shopper.submit(login=f"orang{n}@contoh.test", password="salah-salah-1")
    shopper.submit(login="baru@contoh.test", password="salah-salah-1")
    shopper.sees("Terlalu banyak percobaan masuk")


def test_five_failed_institution_logins_lock_the_account(market):
    learner = Shopper(market, "lembaga/digital-nusantara").get("/daftar")
    email = "pelajar.kunci@contoh.test"
    learner.submit(name="Pelajar Kunci", email=email, password=PASSWORD, confirm=PASSWORD)
    shopper = Shopper(market, "lembaga/digital-nusantara").get("/masuk")
    for _ in range(5):
        shopper.submit(email=email, password="salah-salah-1")
    shopper.submit(email=email, password=PASSWORD)
    assert shopper.status == 422
    shopper.sees("Terlalu banyak percobaan masuk. Coba lagi dalam 15 menit.")


def test_tokopedia_phone_verification_is_locked_after_five_wrong_codes(market):
    shopper = Shopper(market, "tokopedia")
    account = register(shopper)
    shopper.sees("Verifikasi nomor HP")
    code = market.latest_otp(account["phone"])
    for _ in range(5):
        shopper.submit(code="000000" if code != "000000" else "111111")
    shopper.submit(code=code)
    assert shopper.status == 422
    shopper.sees("Terlalu banyak percobaan")


# --- the sandbox switched off ---------------------------------------------------------------
def test_with_the_sandbox_off_a_storefront_purchase_works_with_configured_keys(make_app):
    app = make_app(**sandbox_off_config())
    market = Marketplace(app)
    shopper = reach_card_step(market, "bukalapak")
    shopper.submit(card_number=OK_CARD, action="cek").sees("terverifikasi")
    shopper.submit(card_number=OK_CARD, action="bayar").sees("5 huruf")
    with app.app_context():
        phone = db.session.execute(
            select(SmsMessage.phone).order_by(SmsMessage.id.desc()).limit(1)
        ).scalar_one()
    otp = _latest_otp(app, phone)
    assert otp != "ABCDE"  # the persona's fixed code is ignored off the sandbox
    shopper.submit(otp="ABCDE")
    assert shopper.status == 422
    shopper.submit(otp=otp)
    assert_paid(shopper)


def test_with_the_sandbox_off_the_fixed_otp_does_not_pay_and_demo_keys_are_refused(make_app):
    app = make_app(**sandbox_off_config())
    market = Marketplace(app)
    opened = market.tokopedia.send_otp(
        prakerja_id=OK_CARD, user_platform_id="live-1", course_code="DIG-004",
        schedule_code=market.open_schedule("DIG-004"), amount=100_000,
    )  # fmt: skip
    assert opened.ok, opened.body
    fixed = market.authorize(opened, "123456")
    assert (fixed.status, fixed.error_code) == refusal("otp_invalid")
    with app.app_context():
        persona_phone = db.session.execute(
            select(SmsMessage.phone).order_by(SmsMessage.id.desc()).limit(1)
        ).scalar_one()
    assert market.authorize(opened, _latest_otp(app, persona_phone)).ok
    demo = GatewayClient("tokopedia-sandbox", "sk_sandbox_tokopedia_demo", WsgiTransport(app))
    refused = demo.quota_schedule("DIG-004", market.open_schedule("DIG-004"))
    assert (refused.status, refused.error_code) == (401, "ERRAUTH40103")


def test_with_the_sandbox_off_the_home_page_lists_no_test_cards(make_app):
    page = make_app(**sandbox_off_config()).test_client().get("/").get_data(as_text=True)
    assert OK_CARD not in page and "Kartu uji" not in page and "123456" not in page
    on = make_app().test_client().get("/").get_data(as_text=True)
    assert OK_CARD in on


def test_with_the_sandbox_off_the_fixed_code_does_not_sign_in_to_the_dashboard(make_app):
    market = Marketplace(make_app(**sandbox_off_config()))
    with market.app.app_context():
        card = db.session.execute(select(Card).where(Card.number == OK_CARD)).scalar_one()
        email = card.participant.email
    shopper = _dashboard_code(market, email)
    shopper.submit(code="123456")
    assert shopper.status == 422
    shopper.sees("Kode salah")


def test_with_the_sandbox_off_the_fixed_code_does_not_link_a_payout_account(make_app):
    """The payout confirmation takes only the texted code, like the sign-in."""
    app = make_app(**sandbox_off_config())
    with app.app_context():
        participant = db.session.execute(
            select(Participant).join(Card).where(Card.fixed_otp.is_(True)).limit(1)
        ).scalar_one()
        now = current_clock().now()
        account = participant.phone
        sent = accounts.start_payout_link(
            db.session, now, app.config["SECRET_KEY"], participant, "DANA", account
        )
        fixed = domain.OtpFormat().fixed_code
        with pytest.raises(accounts.AccountRefusal):
            accounts.confirm_payout_link(
                db.session, now, app.config["SECRET_KEY"], participant, sent.code_id, fixed,
                sandbox=False,
            )  # fmt: skip
        assert db.session.get(VerificationCode, sent.code_id).used_at is None


def test_with_the_sandbox_off_the_voucher_api_takes_only_configured_keys(make_app):
    app = make_app(**sandbox_off_config())
    path = "/tokopedia/api/v1/voucher/status"
    configured = app.config["VOUCHER_API_KEYS"]["tokopedia"]["lpdigi-lp"]
    for sign_key, expected in [("sk_tokopedia_lpdigi_demo", 401), (configured, 404)]:
        client = GatewayClient("lpdigi-lp", sign_key, WsgiTransport(app))
        answer = client.call(path, {"voucher_code": "TKP-TIDAKADA"})
        assert answer.status == expected, (sign_key, answer.body)
