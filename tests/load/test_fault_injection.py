"""Faults during a bounded purchase load on PostgreSQL: gunicorn workers killed with SIGKILL and
every database connection dropped (``pg_terminate_backend``) while buyers pay.

Afterwards no rupiah is lost or invented: every purchase the database captured was either seen
by its buyer or is answered again by replaying the buyer's request with its ``Idempotency-Key``;
no purchase a buyer was told succeeded is missing; reconcile is clean.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import create_engine, text

from catalog_seed.demo import demo_credentials
from loadtests._serving import free_port
from loadtests.bench import _gunicorn, _wait, _worker_memory
from marketplace.db import normalise_database_url
from prakerja_gateway.client import GatewayClient, GatewayResponse, HttpTransport
from tests.conftest import DATABASE_URL, empty_postgres

pytestmark = pytest.mark.postgres

BUYERS = 4
PURCHASES_PER_BUYER = 40  # 160 purchases in all: bounded (a few seconds on this machine)
FAULTS = 8  # alternately a worker killed and every connection dropped, while the buyers pay
FAULT_EVERY_SECONDS = 0.4
COURSE, PRICE = "DIG-004", 100_000


@dataclass
class Attempt:
    invoice: str
    key: str
    token: str = ""
    answer: GatewayResponse | None = None
    errors: list[str] = field(default_factory=list)


def _worker_pids(master: int) -> list[int]:
    pids = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/stat") as stat:
                    parent = stat.read().rsplit(")", 1)[1].split()[1]
            except OSError:
                continue
            if parent == str(master):
                pids.append(int(entry.name))
    return pids


SERVER_APPLICATION = "fault-injection-server"


def _server_url(url: str) -> str:
    """The server's connections carry a name, so only they are dropped (not this process's)."""
    return f"{url}{'&' if '?' in url else '?'}application_name={SERVER_APPLICATION}"


def _drop_connections(url: str) -> None:
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :server"
            ),
            {"server": SERVER_APPLICATION},
        )
    engine.dispose()


def _inject_faults(master: int, url: str, stop: threading.Event) -> list[str]:
    done = []
    for n in range(FAULTS):
        if stop.wait(FAULT_EVERY_SECONDS):
            break
        if n % 2 == 0:
            workers = _worker_pids(master)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                done.append(f"killed worker {workers[0]}")
        else:
            _drop_connections(url)
            done.append("dropped every connection")
    return done


def _buy(host: str, client: GatewayClient, buyer: int, n: int, schedule: str) -> Attempt:
    attempt = Attempt(invoice=f"FAULT-{buyer}-{n}", key=f"fault-{buyer}-{n}")
    for _ in range(5):  # the buyer's own retries of the steps before paying
        try:
            card = requests.post(f"{host}/sandbox/personas/ok", timeout=30).json()
            opened = client.send_otp(
                prakerja_id=card["card_number"], user_platform_id=f"fault-{buyer}-{n}",
                course_code=COURSE, schedule_code=schedule, amount=PRICE,
            )  # fmt: skip
            if opened.ok:
                attempt.token = opened.data["payment_token"]
                break
        except (requests.RequestException, ValueError, KeyError) as exc:  # a fault hit this step
            attempt.errors.append(repr(exc))
        time.sleep(0.2)
    if attempt.token:
        attempt.answer = _authorize(client, attempt)
    return attempt


def _authorize(client: GatewayClient, attempt: Attempt) -> GatewayResponse | None:
    try:
        return client.authorize(
            attempt.token, otp="123456", invoice_code=attempt.invoice,
            invoice_url=f"https://toko.example/{attempt.invoice}", idempotency_key=attempt.key,
        )  # fmt: skip
    except requests.RequestException as exc:  # the worker died mid-request: outcome unknown
        attempt.errors.append(repr(exc))
        return None


def _open_schedule(host: str) -> str:
    courses = requests.get(f"{host}/sandbox/courses", timeout=30).json()["courses"]
    course = next(c for c in courses if c["course_code"] == COURSE)
    return max(course["schedules"], key=lambda s: s["quota"])["schedule_code"]


def test_no_purchase_is_lost_when_workers_die_and_connections_drop(tmp_path):
    empty_postgres()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = _gunicorn(_server_url(DATABASE_URL), port, 2, tmp_path)
    try:
        _wait(host)
        schedule = _open_schedule(host)
        client = GatewayClient(*demo_credentials("tokopedia"), HttpTransport(host, timeout=20))
        stop = threading.Event()
        with ThreadPoolExecutor(max_workers=BUYERS + 1) as pool:
            chaos = pool.submit(_inject_faults, server.pid, DATABASE_URL, stop)
            buyers = [
                pool.submit(
                    lambda b: [
                        _buy(host, client, b, n, schedule) for n in range(PURCHASES_PER_BUYER)
                    ],
                    b,
                )  # fmt: skip
                for b in range(BUYERS)
            ]
            attempts = [attempt for future in buyers for attempt in future.result(timeout=300)]
            stop.set()
            faults = chaos.result(timeout=60)
        assert len(faults) >= 4, faults
        _wait(host)  # gunicorn replaced the killed workers

        # Every purchase whose answer was lost or not a clean one is asked again, same key.
        told_paid = {}
        for attempt in attempts:
            answer = attempt.answer
            if attempt.token and (answer is None or answer.status >= 500):
                answer = _authorize(client, attempt)
                assert answer is not None and answer.status < 500, (attempt, answer)
            if answer is not None and answer.ok:
                told_paid[answer.data["transaction_code"]] = attempt.invoice

        captured = _captured(DATABASE_URL)
        print(f"{len(faults)} faults, {len(attempts)} attempts, {len(captured)} captured, "
              f"{sum(1 for a in attempts if a.errors)} with errors")  # fmt: skip
        assert captured, "the load captured nothing: the test proves nothing"
        assert set(captured) == set(told_paid), (set(captured) ^ set(told_paid), faults)
        for transaction_code, invoice in captured.items():
            assert told_paid[transaction_code] == invoice
        report = requests.get(f"{host}/sandbox/reconcile", timeout=60).json()
        assert report["ok"], [check for check in report["checks"] if not check["ok"]]
        assert _worker_memory(server.pid, "VmRSS")  # workers are up again
    finally:
        server.terminate()
        server.wait(timeout=60)


def _captured(url: str) -> dict[str, str]:
    engine = create_engine(normalise_database_url(url))
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT transaction_code, invoice_code FROM gw_payments "
                "WHERE status = 'captured' AND invoice_code LIKE 'FAULT-%'"
            )
        ).all()
    engine.dispose()
    return dict(rows)
