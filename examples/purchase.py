"""A whole purchase against a running gateway, the way a platform's backend does it.

    flask --app marketplace run            # in one terminal
    python examples/purchase.py            # in another (or: --base-url http://host:port)

Steps: demo credentials and a fresh test card from the sandbox, card inquiry, OTP request,
the OTP read from the simulated phone, charge, status. Only the standard library and requests.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import time
import uuid

import requests


def signed_post(base_url: str, partner: dict, path: str, payload: dict, **headers) -> dict:
    """POST a signed partner call: HMAC-SHA1 over client_code + timestamp + POST + path + body."""
    body = json.dumps(payload, separators=(",", ":"))
    timestamp = str(int(time.time()))
    message = f"{partner['client_code']}{timestamp}POST{path}{body}".encode()
    signature = hmac.new(partner["sign_key"].encode(), message, hashlib.sha1).hexdigest()
    response = requests.post(
        base_url + path,
        data=body,
        timeout=30,
        headers={
            "Content-Type": "application/json",
            "client_code": partner["client_code"],
            "timestamp": timestamp,
            "signature": signature,
            **headers,
        },
    )
    answer = response.json()
    print(f"POST {path} -> {response.status_code} {json.dumps(answer, ensure_ascii=False)}")
    if not answer["success"]:
        sys.exit(f"refused: {answer['error']['code']}")
    return answer["data"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    base = parser.parse_args().base_url.rstrip("/")
    api = "/api/v1/integration/payment"

    partners = requests.get(f"{base}/sandbox/partners", timeout=30).json()["partners"]
    tokopedia = next(p for p in partners if p["client_code"] == "tokopedia-sandbox")
    card = requests.post(f"{base}/sandbox/personas/sms", timeout=30).json()  # OTP only by SMS
    print(f"test card {card['card_number']} (phone {card['phone']}, saldo {card['balance']})")

    signed_post(
        base,
        tokopedia,
        f"{api}/card/inquiry",
        {"card_number": card["card_number"], "amount": 1_000_000},
    )
    payment = signed_post(
        base,
        tokopedia,
        f"{api}/otp/request",
        {
            "card_number": card["card_number"],
            "amount": 1_000_000,
            "invoice_code": f"INV-{uuid.uuid4().hex[:12]}",
            "course_code": "DIG-001",
            "account_id": "pembeli-contoh",
        },
    )
    sms = requests.get(
        f"{base}/sandbox/sms", params={"phone": card["phone"], "wait": 5}, timeout=30
    ).json()["messages"][0]
    print(f"SMS to {sms['phone']}: {sms['body']}")
    captured = signed_post(
        base,
        tokopedia,
        f"{api}/charge",
        {"payment_id": payment["payment_id"], "otp": sms["otp"]},
        **{"Idempotency-Key": str(uuid.uuid4())},
    )
    status = signed_post(base, tokopedia, f"{api}/status", {"payment_id": payment["payment_id"]})
    assert status["status"] == "captured" and status["redeem_code"] == captured["redeem_code"]
    print(f"paid: redeem code {captured['redeem_code']}, saldo left {captured['balance_after']}")


if __name__ == "__main__":
    main()
