"""Never a 500: signed bodies of every odd shape, to every platform endpoint (seeded, repeatable),
each answered in the success envelope or the real failure envelope."""

from __future__ import annotations

import random
import time

import pytest

from prakerja_gateway.signing import sign_bytes

pytestmark = pytest.mark.usefixtures("books_balance")

PAYMENT = "/api/v1/integration/payment"
ENDPOINTS = (
    f"{PAYMENT}/quota-schedule",
    f"{PAYMENT}/send-otp",
    f"{PAYMENT}/authorize",
    f"{PAYMENT}/status",
    f"{PAYMENT}/void",
    "/api/v1/integration/ext/payment/card-inquiry",
)
FIELDS = (
    "prakerja_id",
    "user_platform_id",
    "course_code",
    "schedule_code",
    "amount",
    "otp",
    "invoice_url",
    "invoice_code",
    "transaction_code",
)


def odd_value(rng: random.Random, real: list, depth: int = 0):
    choices = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.choice([0, 1, -1, 100_000, 1_000_000, 3_500_000]),
        lambda: rng.random() * 10 ** rng.randint(0, 20),
        lambda: "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40))),
        lambda: rng.choice(["123456", "ABCDE", "", " ", "' OR 1=1", "https://x.example/\\/", "/"]),
        lambda: rng.choice(real),  # a real card, course, schedule, token or price
        lambda: "9" * rng.randint(1, 400),
    ]
    if depth < 2:
        choices.append(lambda: [odd_value(rng, real, depth + 1) for _ in range(rng.randint(0, 3))])
        choices.append(lambda: {"k": odd_value(rng, real, depth + 1)})
    return rng.choice(choices)()


def odd_authorization(rng: random.Random, token: str) -> str | None:
    return rng.choice(
        [None, "", "Payment", f"Payment {token}", f"payment  {token} ", f"Bearer {token}",
         "Payment " + "x" * rng.randint(0, 300), "Payment \u00e9\u00e8", token]
    )  # fmt: skip


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_bodies_never_answer_500(market, endpoint):
    rng = random.Random(f"fuzz-{endpoint}")
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    token = opened.data["payment_token"]
    real = [persona.card_number, "DIG-004", market.open_schedule("DIG-004"),
            market.open_schedule("DIG-001"), token, 100_000, "INV-FUZZ"]  # fmt: skip
    for _ in range(80):
        payload = {name: odd_value(rng, real) for name in rng.sample(FIELDS, rng.randint(0, 9))}
        response = market.tokopedia.call(
            endpoint, payload, authorization=odd_authorization(rng, token)
        )
        assert response.status < 500, (payload, response.body)
        assert response.body["success"] is (response.status == 200), response.body
        if response.status != 200:
            assert list(response.body)[:3] == ["code", "message", "success"], response.body
            assert response.error_code.startswith("ERR") and response.message


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_raw_bytes_never_answer_500(market, endpoint):
    rng = random.Random(f"raw-{endpoint}")
    for _ in range(40):
        raw = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.5:
            raw = b'{"prakerja_id":' + raw + b"}"
        response = market.tokopedia.transport.post(
            endpoint, raw, _signed_headers(market, endpoint, raw)
        )
        assert response.status == 400, (raw, response.body)
        assert response.error_code in ("ERRGEN40001", "ERRGEN40002", "ERRPLT40036"), response.body


def _signed_headers(market, path: str, raw: bytes) -> dict[str, str]:
    """Signed over the exact bytes: the body gets past the signature and reaches the parser."""
    client = market.tokopedia
    stamp = str(int(time.time()))
    return {
        "Content-Type": "application/json",
        "client_code": client.client_code,
        "timestamp": stamp,
        "signature": sign_bytes(client.sign_key, f"{client.client_code}{stamp}POST{path}", raw),
        "Authorization": "Payment fuzz",
    }
