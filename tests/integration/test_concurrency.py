"""Saldo can never be spent twice: racing purchases, racing charges, racing guesses.

Threads run on whichever database the suite runs on (SQLite by default, PostgreSQL in CI's
second run); the last test uses separate processes and runs on PostgreSQL only.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.models import Payment
from tests.conftest import DATABASE_URL, TEST_CONFIG

RACERS = 20


def race(task, racers: int = RACERS) -> list:
    """Run ``task(i, barrier)`` in ``racers`` threads at once; their results in order."""
    barrier = threading.Barrier(racers, timeout=60)
    with ThreadPoolExecutor(max_workers=racers) as pool:
        return list(pool.map(lambda i: task(i, barrier), range(racers)))


def test_racing_purchases_with_one_card_capture_exactly_one(market):
    persona = market.mint("ok")

    def purchase(i, barrier):
        opened = market.request_otp(persona, course_code="DIG-004", account_id="andi")
        barrier.wait()  # every payment is open: now all charges hit the card together
        return market.tokopedia.charge(opened.data["payment_id"], "112233")

    results = race(purchase)
    statuses = Counter(result.status for result in results)
    assert statuses[200] == 1, statuses
    assert set(statuses) <= {200, 403, 409}, statuses
    refused = {result.error_code for result in results if result.status != 200}
    assert refused == {"previous_training_unfinished"}
    assert market.card(persona.card_number).balance == 3_500_000 - 100_000
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    market.assert_reconciled()


def test_racing_purchases_from_different_accounts_capture_exactly_one(market):
    persona = market.mint("ok")

    def purchase(i, barrier):
        opened = market.request_otp(persona, course_code="DIG-004", account_id=f"akun-{i}")
        barrier.wait()
        return market.tokopedia.charge(opened.data["payment_id"], "112233")

    results = race(purchase)
    statuses = Counter(result.status for result in results)
    assert statuses[200] == 1 and set(statuses) <= {200, 403}, statuses
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    market.assert_reconciled()


def test_racing_charges_of_one_payment_capture_it_once(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona, course_code="DIG-002").data["payment_id"]

    def charge(i, barrier):
        barrier.wait()
        return market.tokopedia.charge(payment_id, "112233")

    results = race(charge)
    statuses = Counter(result.status for result in results)
    assert statuses == Counter({200: 1, 409: RACERS - 1}), statuses
    assert {r.error_code for r in results if r.status == 409} == {"payment_already_captured"}
    assert market.ledger(persona.card_number, "debit") == [-500_000]
    market.assert_reconciled()


def test_racing_retries_with_one_idempotency_key_all_get_the_first_answer(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona, course_code="DIG-002").data["payment_id"]

    def charge(i, barrier):
        barrier.wait()
        return market.tokopedia.charge(payment_id, "112233", idempotency_key="double-click")

    results = race(charge)
    assert {result.status for result in results} == {200}
    assert len({str(result.body) for result in results}) == 1
    assert market.ledger(persona.card_number, "debit") == [-500_000]


def test_racing_wrong_guesses_are_all_counted(market):
    persona = market.mint("ok")
    payment_id = market.request_otp(persona).data["payment_id"]

    def guess(i, barrier):
        barrier.wait()
        return market.tokopedia.charge(payment_id, f"{i:06d}")

    results = race(guess)
    statuses = Counter(result.status for result in results)
    assert statuses[422] == 2, statuses  # attempts 1 and 2; the 3rd fails the payment
    assert set(statuses) <= {422, 429, 409}, statuses
    assert market.tokopedia.status(payment_id=payment_id).data["status"] == "failed"
    assert market.card(persona.card_number).balance == 3_500_000


def test_saldo_for_three_trainings_cannot_buy_a_fourth(market):
    persona = market.mint("ok")  # Rp3.500.000; DIG-001 costs Rp1.000.000
    for expected_balance in (2_500_000, 1_500_000, 500_000):
        charged = market.buy(persona, course_code="DIG-001")
        assert charged.data["balance_after"] == expected_balance
        market.complete(charged.data["payment_id"], rating=5, review="Bermanfaat")
    fourth = market.request_otp(persona, course_code="DIG-001")
    assert (fourth.status, fourth.error_code) == (402, "insufficient_saldo")
    assert market.ledger(persona.card_number, "debit") == [-1_000_000] * 3
    market.assert_reconciled()


def test_racing_purchases_of_several_cards_never_answer_500(market):
    personas = [market.mint("ok") for _ in range(4)]

    def purchase(i, barrier):
        persona = personas[i % len(personas)]
        opened = market.request_otp(persona, course_code="FIN-001", account_id=f"akun-{i % 4}")
        barrier.wait()
        return market.tokopedia.charge(opened.data["payment_id"], "112233")

    results = race(purchase)
    assert all(result.status < 500 for result in results)
    assert Counter(result.status for result in results)[200] == len(personas)
    market.assert_reconciled()


# --- separate processes, PostgreSQL only ----------------------------------------------------
def _charge_in_own_process(database_url, payment_id, barrier, answers):
    from marketplace import create_app

    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url, "AUTO_INIT_DB": False})
    client = GatewayClient("tokopedia-sandbox", "sk_sandbox_tokopedia_demo", WsgiTransport(app))
    barrier.wait()
    answers.put(client.charge(payment_id, "112233").status)


@pytest.mark.postgres
def test_processes_racing_on_postgres_capture_once(market):
    persona = market.mint("ok")
    payment_ids = [
        market.request_otp(persona, course_code="DIG-004", account_id="andi").data["payment_id"]
        for _ in range(3)
    ]
    context = multiprocessing.get_context("spawn")
    processes_per_payment = 3
    barrier = context.Barrier(len(payment_ids) * processes_per_payment)
    answers = context.Queue()
    processes = [
        context.Process(
            target=_charge_in_own_process, args=(DATABASE_URL, payment_id, barrier, answers)
        )
        for payment_id in payment_ids
        for _ in range(processes_per_payment)
    ]
    for process in processes:
        process.start()
    statuses = Counter(answers.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    assert statuses[200] == 1 and set(statuses) <= {200, 403, 409}, statuses
    assert market.ledger(persona.card_number, "debit") == [-100_000]
    assert market.count(Payment) >= 3
    market.assert_reconciled()
