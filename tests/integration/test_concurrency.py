"""Saldo can never be spent twice: racing purchases, racing authorizes, racing guesses, racing
buyers of the last seats.

Threads run on whichever database the suite runs on (SQLite by default, PostgreSQL in CI's
second run); the last test uses separate processes and runs on PostgreSQL only.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, update

from marketplace.catalog.models import Course, CourseListing, CourseSchedule
from marketplace.clock import current_clock
from marketplace.db import db
from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Payment
from tests.conftest import DATABASE_URL, TEST_CONFIG
from tests.helpers import Marketplace

RACERS = 20


def race(task, racers: int = RACERS) -> list:
    """Run ``task(i, barrier)`` in ``racers`` threads at once; their results in order."""
    barrier = threading.Barrier(racers, timeout=60)
    with ThreadPoolExecutor(max_workers=racers) as pool:
        return list(pool.map(lambda i: task(i, barrier), range(racers)))


def _code(name: str) -> str:
    return GATEWAY_ERRORS[name].code


def test_racing_purchases_with_one_card_capture_exactly_one(market):
    persona = market.mint("ok")
    purchases = _distinct_purchases(market, limit=10)
    openings = [
        market.send_otp(persona, course_code=course, schedule_code=schedule, account_id="andi")
        for course, schedule in purchases
    ]
    assert all(opened.ok for opened in openings), [o.body for o in openings if not o.ok]

    def purchase(i, barrier):
        barrier.wait()  # every payment is open: now all authorizes hit the card together
        return market.authorize(openings[i], "123456", invoice_code=f"ONE-CARD-{i}")

    results = race(purchase, racers=len(openings))
    statuses = Counter(result.status for result in results)
    assert statuses[200] == 1 and set(statuses) == {200, 400}, statuses
    refused = {result.error_code for result in results if result.status != 200}
    assert refused <= {_code("previous_training_unfinished"), _code("insufficient_saldo")}
    assert len(market.ledger(persona.card_number, "debit")) == 1
    market.assert_reconciled()


def _distinct_purchases(market, *, limit: int) -> list[tuple[str, str]]:
    """(course, schedule) pairs the 'ok' persona may buy on Tokopedia: distinct purchases."""
    with market.app.app_context():
        now = current_clock().now()
        rows = db.session.execute(
            select(Course.course_code, CourseSchedule.schedule_code, Course.course_type,
                   CourseSchedule.starts_at, CourseSchedule.ends_at)
            .join(CourseSchedule, CourseSchedule.course_id == Course.id)
            .join(CourseListing, CourseListing.course_id == Course.id)
            .where(CourseListing.platform_slug == "tokopedia", Course.price_idr <= 3_500_000,
                   Course.min_age.is_(None), Course.max_age.is_(None),
                   Course.min_education.is_(None))
            .order_by(Course.course_code, CourseSchedule.starts_at)
        ).all()  # fmt: skip
    open_rows = [
        (code, schedule)
        for code, schedule, kind, starts, ends in rows
        if (ends if kind == "self_paced" else starts) > now
    ]
    assert len(open_rows) >= 4, open_rows
    return open_rows[:limit]


@pytest.fixture
def roomy_market(make_app) -> Marketplace:
    """A marketplace whose per-card and per-phone hourly limits leave room for a crowd."""
    return Marketplace(make_app(PAYMENTS_PER_CARD_PER_HOUR=100, OTP_SMS_PER_PHONE_PER_HOUR=100))


def test_racing_purchases_from_different_accounts_capture_exactly_one(roomy_market):
    market = roomy_market
    persona = market.mint("ok")
    openings = [
        market.send_otp(persona, course_code="DIG-004", account_id=f"akun-{i}")
        for i in range(RACERS)
    ]

    def purchase(i, barrier):
        barrier.wait()
        return market.authorize(openings[i], "123456")

    results = race(purchase)
    statuses = Counter(result.status for result in results)
    assert statuses[200] == 1 and set(statuses) <= {200, 400}, statuses
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    market.assert_reconciled()


def test_twenty_racing_authorizes_of_one_token_buy_once(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-002")

    def authorize(i, barrier):
        barrier.wait()
        return market.authorize(opened, "123456", invoice_code=f"RACE-{i}")

    results = race(authorize)
    statuses = Counter(result.status for result in results)
    assert statuses == Counter({200: 1, 400: RACERS - 1}), statuses
    assert {r.error_code for r in results if r.status == 400} == {_code("payment_already_captured")}
    assert market.ledger(persona.card_number, "debit") == [-500_000]
    market.assert_reconciled()


def test_racing_retries_with_one_idempotency_key_all_get_the_first_answer(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-002")

    def authorize(i, barrier):
        barrier.wait()
        return market.authorize(
            opened, "123456", invoice_code="DOUBLE-CLICK", idempotency_key="double-click"
        )

    results = race(authorize)
    assert {result.status for result in results} == {200}
    assert len({str(result.body) for result in results}) == 1
    assert market.ledger(persona.card_number, "debit") == [-500_000]


def test_racing_wrong_guesses_are_all_counted(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona)

    def guess(i, barrier):
        barrier.wait()
        return market.authorize(opened, f"{i + 200000:06d}", invoice_code=f"GUESS-{i}")

    results = race(guess)
    codes = Counter(result.error_code for result in results)
    assert codes[_code("otp_invalid")] == 2, codes  # attempts 1 and 2; the 3rd fails it
    assert set(codes) <= {
        _code("otp_invalid"), _code("too_many_attempts"), _code("payment_not_pending"),
    }, codes  # fmt: skip
    assert market.card(persona.card_number).balance == 3_500_000
    market.assert_reconciled()


def test_racing_purchases_of_the_last_seats_never_oversell(market):
    schedule_code = market.open_schedule("FIN-001")
    with market.app.app_context():
        db.session.execute(
            update(CourseSchedule)
            .where(CourseSchedule.schedule_code == schedule_code)
            .values(capacity=3)
        )
        db.session.commit()
    personas = [market.mint("ok") for _ in range(8)]
    openings = [
        market.send_otp(persona, course_code="FIN-001", schedule_code=schedule_code)
        for persona in personas
    ]

    def purchase(i, barrier):
        barrier.wait()
        return market.authorize(openings[i], "123456")

    results = race(purchase, racers=len(personas))
    statuses = Counter(result.status for result in results)
    assert statuses[200] == 3, statuses
    assert {r.error_code for r in results if r.status != 200} == {_code("quota_full")}
    quota = market.tokopedia.quota_schedule("FIN-001", schedule_code)
    assert quota.data["quota"] == 0
    market.assert_reconciled()


def test_saldo_for_three_trainings_cannot_buy_a_fourth(market):
    persona = market.mint("ok")  # Rp3.500.000; DIG-001 costs Rp1.000.000
    for _ in range(3):
        bought = market.buy(persona, course_code="DIG-001")
        assert bought.ok, bought.body
        market.complete(bought.data["transaction_code"], rating=5, review="Bermanfaat")
    fourth = market.send_otp(persona, course_code="DIG-001")
    assert (fourth.status, fourth.error_code) == (400, _code("insufficient_saldo"))
    assert market.ledger(persona.card_number, "debit") == [-1_000_000] * 3
    market.assert_reconciled()


def test_racing_purchases_of_several_cards_never_answer_500(market):
    personas = [market.mint("ok") for _ in range(4)]
    purchases = _distinct_purchases(market, limit=RACERS // 4)
    openings = [
        market.send_otp(personas[i % 4], course_code=course, schedule_code=schedule,
                        account_id=f"akun-{i % 4}")
        for i, (course, schedule) in enumerate(p for p in purchases for _ in range(4))
    ]  # fmt: skip
    assert all(opened.ok for opened in openings), [o.body for o in openings if not o.ok]

    def purchase(i, barrier):
        barrier.wait()
        return market.authorize(openings[i], "123456", invoice_code=f"SEVERAL-{i}")

    results = race(purchase, racers=len(openings))
    assert all(result.status < 500 for result in results)
    assert Counter(result.status for result in results)[200] == len(personas)
    market.assert_reconciled()


# --- separate processes, PostgreSQL only ----------------------------------------------------
def _authorize_in_own_process(database_url, token, invoice, barrier, answers):
    from marketplace import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "AUTO_INIT_DB": False})
    client = GatewayClient("tokopedia-sandbox", "sk_sandbox_tokopedia_demo", WsgiTransport(app))
    barrier.wait()
    answer = client.authorize(
        token, otp="123456", invoice_code=invoice, invoice_url="https://toko.example/p"
    )
    answers.put(answer.status)


@pytest.mark.postgres
def test_processes_racing_on_postgres_capture_once(market):
    persona = market.mint("ok")
    tokens = [
        market.send_otp(persona, course_code="DIG-004", account_id=f"andi-{i}").data[
            "payment_token"
        ]
        for i in range(3)
    ]
    context = multiprocessing.get_context("spawn")
    processes_per_token = 3
    barrier = context.Barrier(len(tokens) * processes_per_token)
    answers = context.Queue()
    processes = [
        context.Process(
            target=_authorize_in_own_process,
            args=(DATABASE_URL, token, f"PROC-{t}-{n}", barrier, answers),
        )
        for t, token in enumerate(tokens)
        for n in range(processes_per_token)
    ]
    for process in processes:
        process.start()
    statuses = Counter(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert statuses[200] == 1 and set(statuses) <= {200, 400}, statuses
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    assert market.count(Payment) >= 3
    market.assert_reconciled()
