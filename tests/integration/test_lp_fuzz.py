"""Never a 500 from the institution API: signed bodies of every odd shape to every institution
endpoint (seeded, repeatable), each answered in the success or the real failure envelope, and
the books still reconcile."""

from __future__ import annotations

import random
import time

import pytest

from prakerja_gateway.signing import sign_bytes

ENDPOINTS = (
    "/api/v1/integration/payment/redeem-code/status",
    "/api/v1/integration/payment/redeem-code/commit",
    "/api/v1/integration/payment/redeem-code/reset",
    "/api/v1/integration/oauth/url-generate",
    "/api/v1/integration/tpm/submission",
    "/api/v1/integration/tpm/submission/status",
    "/api/v1/integration/tpm/feedback/submission",
    "/api/v1/integration/ext/redeem-code/complete",
    "/api/v1/integration/ext/oauth/redirect-uri",
)
FIELDS = (
    "redeem_code",
    "sequence",
    "redirect_uri",
    "email",
    "scope",
    "url_file",
    "notes",
    "certificate_number",
)


def odd_value(rng: random.Random, real: list, depth: int = 0):
    choices = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.choice([0, 1, 2, 10, 11, 998, 999, 1000, -1]),
        lambda: rng.random() * 10 ** rng.randint(0, 20),
        lambda: "".join(chr(rng.randint(1, 0x2FFF)) for _ in range(rng.randint(0, 40))),
        lambda: rng.choice(["", " ", "tpm", "uk", "PRAT-", "USED", "' OR 1=1", "a@b.c", "/"]),
        lambda: rng.choice(["https://x.example:99999/", "http://localhost:abc/", "https://"]),
        lambda: rng.choice(real),  # a real code, test code or callback
        lambda: "9" * rng.randint(1, 600),
    ]
    if depth < 2:
        choices.append(lambda: [odd_value(rng, real, depth + 1) for _ in range(rng.randint(0, 3))])
        choices.append(lambda: {"k": odd_value(rng, real, depth + 1)})
    return rng.choice(choices)()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_odd_bodies_never_answer_500(market, endpoint):
    rng = random.Random(f"lp-fuzz-{endpoint}")
    persona = market.mint("ok")
    paid = market.buy(persona, course_code="DIG-004")
    code = market.redeem_code_of(paid.data["transaction_code"])
    codes = market.http.get("/sandbox/test-codes?client_code=lpdigi-sandbox").get_json()
    lp = market.partner("LPDIGI")
    lp.register_redirect_uri("https://lpdigi.example/kembali")
    real = [code, codes["test_codes"][0]["redeem_code"], "https://lpdigi.example/kembali", "uk"]
    for _ in range(60):
        payload = {name: odd_value(rng, real) for name in rng.sample(FIELDS, rng.randint(0, 8))}
        response = lp.call(endpoint, payload)
        assert response.status < 500, (payload, response.body)
        assert response.body["success"] is (response.status == 200), response.body
        if response.status != 200:
            assert list(response.body)[:3] == ["code", "message", "success"], response.body
            assert response.error_code.startswith("ERR") and response.message
    market.assert_reconciled()


@pytest.mark.parametrize("endpoint", ENDPOINTS[:4])
def test_odd_raw_bytes_never_answer_500(market, endpoint):
    rng = random.Random(f"lp-raw-{endpoint}")
    lp = market.partner("LPDIGI")
    for _ in range(30):
        raw = bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 60)))
        if rng.random() < 0.5:
            raw = b'{"redeem_code":' + raw + b"}"
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "client_code": lp.client_code,
            "timestamp": stamp,
            "signature": sign_bytes(lp.sign_key, f"{lp.client_code}{stamp}POST{endpoint}", raw),
        }
        response = lp.transport.post(endpoint, raw, headers)
        assert response.status == 400, (raw, response.body)
        assert response.error_code in ("ERRGEN40001", "ERRGEN40002"), response.body


def test_a_broken_ipv6_address_is_a_field_error(market):
    answer = market.partner("LPDIGI").register_redirect_uri("https://[::1/kembali")
    assert (answer.status, answer.error_code) == (400, "ERRGEN40002")
