"""The real server: ``flask --app marketplace run`` on a fresh database, driven over HTTP by the
README's example script and by the client's HTTP transport."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from prakerja_gateway.client import GatewayClient, HttpTransport
from tests.live import fresh_database_url, serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("live")
    database_url = fresh_database_url(folder, "live.sqlite3")
    with serve(database_url, folder) as base_url:
        yield base_url


def test_readme_purchase_script_runs_against_the_server(live_server):
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "purchase.py"), "--base-url", live_server],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "paid: transaction " in result.stdout


@pytest.mark.jq
def test_readme_curl_purchase_runs_against_the_server(live_server):
    result = subprocess.run(
        ["bash", str(ROOT / "examples" / "purchase.sh")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BASE_URL": live_server},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"message":"Pelatihan berhasil dibeli."' in result.stdout
    assert '"status":"SUCCESS"' in result.stdout.split("status:")[-1]


def test_http_transport_speaks_the_signed_api(live_server):
    client = GatewayClient(
        "pintaria-sandbox", "sk_sandbox_pintaria_demo", HttpTransport(live_server)
    )
    card = requests.post(f"{live_server}/sandbox/personas/ok", timeout=10).json()
    inquiry = client.card_inquiry(card["card_number"], 100_000)
    assert inquiry.ok and inquiry.data["can_purchase"] is True
    courses = requests.get(f"{live_server}/sandbox/courses", timeout=10).json()["courses"]
    course = next(c for c in courses if c["course_code"] == "DIG-004")
    schedule = next(s for s in course["schedules"] if s["quota"] > 0)
    opened = client.send_otp(
        prakerja_id=card["card_number"],
        user_platform_id="live",
        course_code="DIG-004",
        schedule_code=schedule["schedule_code"],
        amount=course["price"],
    )
    assert opened.ok, opened.body
    bought = client.authorize(
        opened.data["payment_token"],
        otp="123456",
        invoice_code="PIN-LIVE-1",
        invoice_url="https://pintaria.example/invoice/PIN-LIVE-1",
        idempotency_key="live-1",
    )
    assert bought.ok and bought.data["amount"] == course["price"], bought.body
    after = client.card_inquiry(card["card_number"])
    assert after.data["balance"] == 3_500_000 - course["price"]
    report = requests.get(f"{live_server}/sandbox/reconcile", timeout=10).json()
    assert report["ok"] is True
