"""Institution code written for the real API, run against the real server over HTTP with only
the host and the credentials changed: replicas of the official 2022 example clients (Python and
Node.js: status, then commit, no face check; see tests/fixtures/official_clients/README.md) and
a PHP-style client whose ``json_encode`` bodies escape ``/`` and non-ASCII characters."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
import requests

from catalog_seed.demo import demo_credentials
from prakerja_gateway.client import GatewayClient, HttpTransport
from tests.live import fresh_database_url, serve

CLIENTS = Path(__file__).resolve().parents[1] / "fixtures" / "official_clients"
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lp-live")
    with serve(fresh_database_url(folder, "lp-live.sqlite3"), folder) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def node_client(tmp_path_factory) -> Path:
    """The Node.js replica with its packages (axios, crypto-js) installed by ``npm ci``."""
    folder = tmp_path_factory.mktemp("node-client")
    for name in ("package.json", "package-lock.json", "redeem_code.js"):
        shutil.copy(CLIENTS / "nodejs" / name, folder / name)
    installed = subprocess.run(
        [shutil.which("npm"), "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return folder / "redeem_code.js"


def purchased_code(base_url: str, course_code: str = "DIG-004") -> str:
    """A participant buys on Tokopedia over HTTP; the redeem code Prakerja issued."""
    persona = requests.post(f"{base_url}/sandbox/personas/ok", timeout=10).json()
    tokopedia = GatewayClient(*demo_credentials("tokopedia"), HttpTransport(base_url))
    opened = tokopedia.send_otp(
        prakerja_id=persona["card_number"],
        user_platform_id=f"live-{persona['card_number'][-6:]}",
        course_code=course_code,
        schedule_code=_schedule_on_sale(base_url, course_code),
        amount=100_000,
    )
    assert opened.ok, opened.body
    invoice = f"LIVE-{persona['card_number'][-8:]}"
    paid = tokopedia.authorize(
        opened.data["payment_token"],
        otp=persona["otp"],
        invoice_code=invoice,
        invoice_url=f"https://toko.example/invoice/{invoice}",
    )
    assert paid.ok, paid.body
    transaction = paid.data["transaction_code"]
    return requests.get(f"{base_url}/sandbox/transactions/{transaction}", timeout=10).json()[
        "redeem_code"
    ]


def _schedule_on_sale(base_url: str, course_code: str) -> str:
    now = datetime.fromisoformat(
        requests.get(f"{base_url}/sandbox/clock", timeout=10).json()["now"]
    )
    courses = requests.get(f"{base_url}/sandbox/courses", timeout=10).json()["courses"]
    course = next(course for course in courses if course["course_code"] == course_code)
    return next(
        schedule["schedule_code"]
        for schedule in course["schedules"]
        if datetime.fromisoformat(schedule["end"]) > now
    )


def run_client(command: list[str], base_url: str, code: str, endpoint: str) -> dict:
    """Run a replica with the four values the samples leave to the institution; its answer."""
    client_code, sign_key = demo_credentials("LPDIGI")
    environment = {
        **os.environ,
        "PRAKERJA_HOST": base_url,
        "CLIENT_CODE": client_code,
        "SIGN_KEY": sign_key,
        "REDEEM_CODE": code,
    }
    ran = subprocess.run(
        [*command, endpoint], env=environment, capture_output=True, text=True, timeout=60
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return json.loads(ran.stdout.strip().splitlines()[-1])


def _next_second() -> None:
    time.sleep(1.1)  # the Node sample rounds its timestamp: a whole second apart either way


def assert_status_then_commit(command: list[str], base_url: str) -> None:
    code = purchased_code(base_url)
    status = run_client(command, base_url, code, "status")
    assert status["success"] is True, status
    assert status["data"]["redeem_code"] == code and status["data"]["status"] == 1
    assert status["data"]["redeem_at"] is None

    committed = run_client(command, base_url, code, "commit")
    assert committed == {
        "success": True,
        "message": "OK",
        "data": {"redeem_code": code, "course_code": "DIG-004", "status": 1},
    }
    _next_second()  # the same commit sent again later: the very same signed call is a replay
    again = run_client(command, base_url, code, "commit")
    assert list(again)[:3] == ["code", "message", "success"]  # the real envelope (+ our details)
    assert (again["code"], again["message"], again["success"]) == (
        "ERRTRX40030",
        "Redeem Code sudah digunakan",
        False,
    )
    assert run_client(command, base_url, code, "status")["data"]["redeem_at"] is not None


def test_the_official_python_sample_checks_then_commits(live_server):
    assert_status_then_commit(
        [sys.executable, str(CLIENTS / "python" / "redeem_code.py")], live_server
    )


@pytest.mark.node
def test_the_official_node_sample_checks_then_commits(live_server, node_client):
    assert_status_then_commit([NODE, str(node_client)], live_server)


# --- a PHP institution: ``json_encode($data)`` signed and sent as is ------------------------
def php_json_encode(payload: dict) -> bytes:
    """What PHP's ``json_encode`` makes of an array: compact, ``/`` escaped as ``\\/``,
    non-ASCII as ``\\uXXXX``."""
    return (
        json.dumps(payload, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()
    )


def php_post(base_url: str, path: str, payload: dict, *, tamper: bool = False) -> requests.Response:
    client_code, sign_key = demo_credentials("LPDIGI")
    body = php_json_encode(payload)
    timestamp = str(int(time.time()))
    message = f"{client_code}{timestamp}POST{path}".encode() + body
    signature = hmac.new(sign_key.encode(), message, hashlib.sha1).hexdigest()
    if tamper:
        body = body.replace(b"uk.txt", b"uk.pdf")
    return requests.post(
        base_url + path,
        data=body,
        headers={
            "Content-Type": "application/json",
            "client_code": client_code,
            "signature": signature,
            "timestamp": timestamp,
        },
        timeout=30,
    )


def test_a_php_client_signing_json_encode_output_is_understood(live_server):
    code = purchased_code(live_server)
    lp = GatewayClient(*demo_credentials("LPDIGI"), HttpTransport(live_server))
    assert lp.register_redirect_uri("https://lpdigi.example/prakerja/kembali").ok
    prefix = "/api/v1/integration"

    generated = php_post(
        live_server,
        f"{prefix}/oauth/url-generate",
        {
            "redeem_code": code,
            "redirect_uri": "https://lpdigi.example/prakerja/kembali?kelas=7",
            "email": "sari@lpdigi.example",
            "sequence": 1,
        },
    )
    assert b"\\/" in php_json_encode({"u": "a/b"})
    assert generated.status_code == 200, generated.text
    assert generated.json()["data"]["course"] == {"type": 1, "learning_method": "Daring"}

    assert php_post(live_server, f"{prefix}/payment/redeem-code/commit", {"redeem_code": code}).ok
    task = {
        "redeem_code": code,
        "scope": "uk",
        "sequence": 999,
        "url_file": "https://lp.example/uk.txt",
    }
    handed_in = php_post(live_server, f"{prefix}/tpm/submission", task)
    assert handed_in.status_code == 200, handed_in.text
    assert handed_in.json()["data"]["url_file"] == "https://lp.example/uk.txt"
    tampered = php_post(live_server, f"{prefix}/tpm/submission", task, tamper=True)
    assert tampered.status_code == 401 and tampered.json()["code"] == "ERRAUTH40103"

    feedback = php_post(
        live_server,
        f"{prefix}/tpm/feedback/submission",
        {
            "redeem_code": code,
            "scope": "uk",
            "sequence": 999,
            "notes": "Rapi — warna perlu diperbaiki",
            "url_file": "https://lp.example/catatan.md",
        },
    )
    assert feedback.status_code == 200, feedback.text
    assert b"\\u2014" in feedback.request.body
    assert feedback.json()["data"]["notes"] == "Rapi — warna perlu diperbaiki"
    assert feedback.json()["data"]["url_file"] == "https://lp.example/catatan.md"
