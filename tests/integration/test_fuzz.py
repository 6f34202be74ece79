"""Never a 500: signed bodies of every odd shape, to every endpoint (seeded, repeatable)."""

from __future__ import annotations

import random

import pytest

FIELDS = (
    "card_number",
    "amount",
    "invoice_code",
    "course_code",
    "account_id",
    "payment_id",
    "otp",
    "reason",
)
ENDPOINTS = ("card/inquiry", "otp/request", "otp/resend", "charge", "refund", "status")


def odd_value(rng: random.Random, depth: int = 0):
    choices = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.choice([0, 1, -1, 100_000, 3_500_000]),
        lambda: rng.random() * 10 ** rng.randint(0, 20),
        lambda: "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40))),
        lambda: rng.choice(["5204890000000015", "112233", "DIG-004", "pay_x", "", " ", "' OR 1=1"]),
        lambda: "9" * rng.randint(1, 400),
    ]
    if depth < 2:
        choices.append(lambda: [odd_value(rng, depth + 1) for _ in range(rng.randint(0, 3))])
        choices.append(lambda: {"k": odd_value(rng, depth + 1)})
    return rng.choice(choices)()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_bodies_never_answer_500(market, endpoint):
    rng = random.Random(f"fuzz-{endpoint}")
    for _ in range(60):
        payload = {name: odd_value(rng) for name in rng.sample(FIELDS, rng.randint(0, len(FIELDS)))}
        response = market.tokopedia.call(f"/api/v1/integration/payment/{endpoint}", payload)
        assert response.status < 500, (payload, response.body)
        assert response.body["success"] is (response.status == 200)
        if response.status != 200:
            assert response.error_code and response.message
    market.assert_reconciled()
