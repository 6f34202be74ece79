"""The bare ceiling (``loadtests/bare``), the yardstick of ``python -m loadtests.bench``: its three
endpoints keep the money right (through Flask's test client, on SQLite), and its Locust user
counts checkouts against a real gunicorn gthread 2×8. Not a timing test."""

from __future__ import annotations

import json
import subprocess

import pytest

from loadtests._serving import free_port
from loadtests.bare import run
from loadtests.bare.app import PRICE, card_number, create_bare_app, phone, seed_bare

CARDS = 5


@pytest.fixture
def client(tmp_path):
    url = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    seed_bare(url, CARDS, balance=int(1.5 * PRICE))  # enough for one purchase, not two
    app = create_bare_app(url)
    yield app.test_client()
    app.extensions["bare_engine"].dispose()


def open_payment(client, i: int) -> tuple[str, str]:
    """send-otp, then the OTP from the phone's newest SMS: (token, otp)."""
    sent = client.post("/send-otp", json={"card_number": card_number(i), "amount": PRICE})
    assert sent.status_code == 200, sent.json
    sms = client.get("/sms", query_string={"phone": phone(i)})
    assert sms.status_code == 200
    return sent.json["token"], sms.json["otp"]


def authorize(client, token: str, otp: str, invoice: str):
    return client.post("/authorize", json={"token": token, "otp": otp, "invoice": invoice})


def test_a_checkout_debits_the_card_once(client):
    token, otp = open_payment(client, 0)
    bought = authorize(client, token, otp, "INV-1")
    assert bought.status_code == 200
    assert bought.json["status"] == "captured" and bought.json["balance"] == PRICE // 2
    again = authorize(client, token, otp, "INV-2")
    assert again.status_code == 409 and again.json["code"] == "payment_captured"


def test_an_overdraft_is_refused_at_send_otp_and_at_authorize(client):
    first, second = open_payment(client, 1), open_payment(client, 1)  # both before any debit
    assert authorize(client, *first, "INV-A").status_code == 200
    overdraft = authorize(client, *second, "INV-B")
    assert overdraft.status_code == 422 and overdraft.json["code"] == "insufficient_saldo"
    refused = client.post("/send-otp", json={"card_number": card_number(1), "amount": PRICE})
    assert refused.status_code == 422 and refused.json["code"] == "insufficient_saldo"


def test_a_used_invoice_an_unknown_token_and_a_wrong_otp_are_refused(client):
    token, otp = open_payment(client, 2)
    assert authorize(client, token, otp, "INV-X").status_code == 200
    token, otp = open_payment(client, 3)
    used = authorize(client, token, otp, "INV-X")
    assert used.status_code == 409 and used.json["code"] == "invoice_code_used"
    unknown = authorize(client, "no-such-token", otp, "INV-Y")
    assert unknown.status_code == 404
    wrong = authorize(client, token, "x" + otp, "INV-Y")
    assert wrong.status_code == 400 and wrong.json["code"] == "otp_invalid"
    assert client.post("/authorize", json={"token": token}).status_code == 400


def test_the_bare_locust_user_counts_checkouts_against_gunicorn(tmp_path):
    url = f"sqlite:///{tmp_path / 'bare.sqlite3'}"
    seed_bare(url, 20_000)
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = run.start_gunicorn(url, port, tmp_path)
    summary = tmp_path / "bare.json"
    try:
        run.wait_until_up(host, server)
        command = run.locust_command(host, users=2, seconds=4, cards=20_000, summary=summary)
        result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=run.ROOT)
    finally:
        run.stop(server)
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(summary.read_text())["checkouts"] > 0
