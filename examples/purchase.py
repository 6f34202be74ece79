"""A whole purchase on the real Prakerja DP flow, against a running simulator, the way a
platform's backend does it.

    flask --app marketplace run            # in one terminal
    python examples/purchase.py            # in another (or: --base-url http://host:port)

Steps: demo credentials, a fresh test card and a course with its schedules from the sandbox;
quota-schedule, send-otp, the OTP read from the simulated phone, authorize (with
``Authorization: Payment <payment_token>``), status. Only the standard library and requests.
Against the real API, only the host and the credentials change.
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
        sys.exit(f"refused: {answer['code']} {answer['message']}")
    return answer.get("data", {})


def open_schedule(course: dict) -> dict:
    """The first schedule still on sale (a self-paced batch may have opened already)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for schedule in course["schedules"]:
        if schedule["quota"] > 0 and (course["type"] == "self_paced" or schedule["start"] > now):
            return schedule
    sys.exit(f"no schedule of {course['course_code']} is on sale")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:5000")
    base = parser.parse_args().base_url.rstrip("/")
    api = "/api/v1/integration/payment"

    partners = requests.get(f"{base}/sandbox/partners", timeout=30).json()["partners"]
    tokopedia = next(p for p in partners if p["client_code"] == "tokopedia-sandbox")
    courses = requests.get(f"{base}/sandbox/courses", timeout=30).json()["courses"]
    course = next(c for c in courses if c["course_code"] == "DIG-001")
    schedule = open_schedule(course)
    card = requests.post(f"{base}/sandbox/personas/sms", timeout=30).json()  # OTP only by SMS
    print(f"test card {card['card_number']} (phone {card['phone']}, saldo {card['balance']})")

    signed_post(
        base,
        tokopedia,
        f"{api}/quota-schedule",
        {"schedule_code": schedule["schedule_code"], "course_code": course["course_code"]},
    )
    sent = signed_post(
        base,
        tokopedia,
        f"{api}/send-otp",
        {
            "user_platform_id": "pembeli-contoh",
            "prakerja_id": card["card_number"],
            "course_code": course["course_code"],
            "schedule_code": schedule["schedule_code"],
            "amount": course["price"],
        },
    )
    sms = requests.get(
        f"{base}/sandbox/sms", params={"phone": card["phone"], "wait": 5}, timeout=30
    ).json()["messages"][0]
    print(f"SMS to {sms['phone']}: {sms['body']}")
    invoice_code = f"INV-{uuid.uuid4().hex[:12].upper()}"
    bought = signed_post(
        base,
        tokopedia,
        f"{api}/authorize",
        {
            "otp": sms["otp"],
            "invoice_url": f"https://toko.example/invoice/{invoice_code}",
            "invoice_code": invoice_code,
        },
        Authorization=f"Payment {sent['payment_token']}",
    )
    status = signed_post(base, tokopedia, f"{api}/status", {"invoice_code": invoice_code})
    assert (
        status["status"] == "SUCCESS" and status["transaction_code"] == bought["transaction_code"]
    )
    print(f"paid: transaction {bought['transaction_code']} for {bought['prakerja_name']}")


if __name__ == "__main__":
    main()
