"""The real server: ``flask --app marketplace run`` on a fresh database, driven over HTTP by the
README's example script and by the client's HTTP transport."""

from __future__ import annotations

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
    assert "paid: redeem code PRA" in result.stdout


def test_http_transport_speaks_the_signed_api(live_server):
    client = GatewayClient(
        "pintaria-sandbox", "sk_sandbox_pintaria_demo", HttpTransport(live_server)
    )
    card = requests.post(f"{live_server}/sandbox/personas/ok", timeout=10).json()
    inquiry = client.card_inquiry(card["card_number"], 100_000)
    assert inquiry.ok and inquiry.data["can_purchase"] is True
    opened = client.request_otp(
        card_number=card["card_number"],
        amount=100_000,
        invoice_code="PIN-LIVE-1",
        course_code="DIG-004",
        account_id="live",
    )
    assert opened.ok, opened.body
    charged = client.charge(opened.data["payment_id"], "112233", idempotency_key="live-1")
    assert charged.ok and charged.data["balance_after"] == 3_400_000
    report = requests.get(f"{live_server}/sandbox/reconcile", timeout=10).json()
    assert report["ok"] is True
