"""The bare ceiling's server: the statements of the project's checkout (``send_otp`` in
``prakerja_gateway/services/payments.py``, ``capture_payment`` in ``capture.py``) as plain
``text()`` SQL behind three Flask endpoints, with nothing else: no ORM, no signing, no
validation beyond what keeps the money right.

    BARE_DATABASE_URL=sqlite:////tmp/bare.sqlite3 python -m gunicorn --worker-class gthread \
        --workers 2 --threads 8 'loadtests.bare.app:create_bare_app()'

It is a yardstick, not a product: what these cores can do with the same SQL, so the benchmark
can say how far below that the project runs. It must still be correct under concurrency, or the
figure would be flattering: on SQLite write requests take the write lock at their first statement
(``BEGIN IMMEDIATE``, as the project does), on both databases the money-moving UPDATEs are
conditional (``balance >= amount``, ``seats > 0``, ``status = 'otp_sent'``). Money is integer
rupiah; times are integer Unix seconds. Its tables (prefix ``bare_``) live beside the project's.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time

from flask import Flask, request
from sqlalchemy import Column, Engine, Index, Integer, MetaData, String, Table, create_engine, event
from sqlalchemy import text as sql
from sqlalchemy.exc import DBAPIError, IntegrityError

PRICE = 100_000
BALANCE = 3_500_000  # wave 48, normal scheme
SEATS = 1_000_000_000  # never the limit: the run measures throughput, not a sell-out
SCHEDULE = "BARE-001"
PER_HOUR = 10  # the project's default per-card payments and per-phone texts in an hour
MAX_ATTEMPTS = 3
OTP_TTL = 300
WRITE = "bare_write"  # execution option: this transaction writes (SQLite: BEGIN IMMEDIATE)

# The tables are declared here only so that create_all can make them on both databases
# (portable auto-increment ids); every statement of the endpoints is plain SQL below.
metadata = MetaData()
CARDS = Table(
    "bare_card", metadata,
    Column("id", Integer, primary_key=True),
    Column("card_number", String(20), nullable=False, unique=True),
    Column("phone", String(20), nullable=False),
    Column("balance", Integer, nullable=False),
)  # fmt: skip
SCHEDULES = Table(
    "bare_schedule", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("price", Integer, nullable=False),
    Column("seats", Integer, nullable=False),
)  # fmt: skip
Table(
    "bare_payment", metadata,
    Column("id", Integer, primary_key=True),
    Column("token", String(40), nullable=False, unique=True),
    Column("card_id", Integer, nullable=False),
    Column("schedule_id", Integer, nullable=False),
    Column("amount", Integer, nullable=False),
    Column("status", String(12), nullable=False),
    Column("invoice", String(64), unique=True),  # NULL until captured
    Column("created_at", Integer, nullable=False),
    Column("captured_at", Integer),
    Index("ix_bare_payment_card", "card_id", "created_at"),
)  # fmt: skip
Table(
    "bare_otp", metadata,
    Column("payment_id", Integer, primary_key=True, autoincrement=False),
    Column("code_hash", String(64), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("expires_at", Integer, nullable=False),
)  # fmt: skip
Table(
    "bare_sms", metadata,
    Column("id", Integer, primary_key=True),
    Column("phone", String(20), nullable=False),
    Column("otp", String(8)),
    Column("body", String(200), nullable=False),
    Column("sent_at", Integer, nullable=False),
    Index("ix_bare_sms_phone", "phone", "id"),
)  # fmt: skip
Table(
    "bare_ledger", metadata,
    Column("id", Integer, primary_key=True),
    Column("card_id", Integer, nullable=False),
    Column("payment_id", Integer, nullable=False),
    Column("amount", Integer, nullable=False),
    Column("created_at", Integer, nullable=False),
)  # fmt: skip
Table(
    "bare_redeem", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(20), nullable=False, unique=True),
    Column("payment_id", Integer, nullable=False, unique=True),
)  # fmt: skip

# send-otp: the card and the schedule, the two hourly limits, then payment, OTP and SMS.
CARD = sql("SELECT id, phone, balance FROM bare_card WHERE card_number = :card_number")
SCHEDULE_ROW = sql("SELECT id, price, seats FROM bare_schedule WHERE code = :code")
PAYMENTS_IN_HOUR = sql(
    "SELECT count(*) FROM bare_payment WHERE card_id = :card_id AND created_at > :since"
)
TEXTS_IN_HOUR = sql("SELECT count(*) FROM bare_sms WHERE phone = :phone AND sent_at > :since")
NEW_PAYMENT = sql(
    "INSERT INTO bare_payment (token, card_id, schedule_id, amount, status, created_at) "
    "VALUES (:token, :card_id, :schedule_id, :amount, 'otp_sent', :now) RETURNING id"
)
NEW_OTP = sql(
    "INSERT INTO bare_otp (payment_id, code_hash, attempts, expires_at) "
    "VALUES (:payment_id, :code_hash, 0, :expires_at)"
)
NEW_SMS = sql("INSERT INTO bare_sms (phone, otp, body, sent_at) VALUES (:phone, :otp, :body, :now)")
# The phone's inbox.
NEWEST_SMS = sql("SELECT otp FROM bare_sms WHERE phone = :phone ORDER BY id DESC LIMIT 1")
# authorize: the payment, one counted attempt, the invoice, then the capture in one savepoint.
PAYMENT = sql(
    "SELECT p.id, p.card_id, p.schedule_id, p.amount, p.status, o.code_hash, o.expires_at "
    "FROM bare_payment p JOIN bare_otp o ON o.payment_id = p.id WHERE p.token = :token"
)
COUNT_ATTEMPT = sql(
    "UPDATE bare_otp SET attempts = attempts + 1 "
    "WHERE payment_id = :id AND attempts < :max RETURNING attempts"
)
INVOICE_USED = sql("SELECT 1 FROM bare_payment WHERE invoice = :invoice")
CLAIM = sql(
    "UPDATE bare_payment SET status = 'captured', invoice = :invoice, captured_at = :now "
    "WHERE id = :id AND status = 'otp_sent'"
)
TAKE_SEAT = sql("UPDATE bare_schedule SET seats = seats - 1 WHERE id = :schedule_id AND seats > 0")
DEBIT = sql(
    "UPDATE bare_card SET balance = balance - :amount "
    "WHERE id = :card_id AND balance >= :amount RETURNING balance"
)
LEDGER = sql(
    "INSERT INTO bare_ledger (card_id, payment_id, amount, created_at) "
    "VALUES (:card_id, :id, :debit, :now)"
)
REDEEM = sql("INSERT INTO bare_redeem (code, payment_id) VALUES (:code, :id)")
FAIL = sql("UPDATE bare_payment SET status = 'failed' WHERE id = :id AND status = 'otp_sent'")


class Refused(Exception):
    """A 4xx answer: ``{"code": ...}`` with its status."""

    def __init__(self, status: int, code: str):
        super().__init__(code)
        self.status, self.code = status, code


def card_number(i: int) -> str:
    return f"BARE{i:012d}"


def phone(i: int) -> str:
    return f"08{i:011d}"


def create_bare_app(database_url: str | None = None) -> Flask:
    """The app on ``database_url`` (default: env ``BARE_DATABASE_URL``); makes missing tables."""
    engine = make_engine(database_url or os.environ["BARE_DATABASE_URL"])
    try:
        metadata.create_all(engine)
    except DBAPIError:  # another gunicorn worker created them a moment ago
        metadata.create_all(engine)
    writer = engine.execution_options(**{WRITE: True})
    secret = os.environ.get("BARE_OTP_SECRET", "bare-yardstick").encode()
    app = Flask(__name__)
    app.extensions["bare_engine"] = engine

    @app.errorhandler(Refused)
    def refused(error: Refused):
        return {"code": error.code}, error.status

    @app.get("/health")
    def health():
        return {"ok": True}

    @app.post("/send-otp")
    def send_otp():
        body = _body(card_number=str, amount=int)
        with writer.begin() as connection:
            return _send_otp(connection, secret, body["card_number"], body["amount"])

    @app.get("/sms")
    def sms():
        with engine.connect() as connection:
            otp = connection.execute(NEWEST_SMS, {"phone": request.args.get("phone", "")}).scalar()
        if otp is None:
            raise Refused(404, "no_sms")
        return {"otp": otp}

    @app.post("/authorize")
    def authorize():
        body = _body(token=str, otp=str, invoice=str)
        with writer.begin() as connection:  # commits a counted attempt even when refused
            outcome = _authorize(connection, secret, **body)
        if isinstance(outcome, Refused):
            raise outcome
        return outcome

    return app


def _body(**fields: type) -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict) or any(
        not isinstance(data.get(name), kind) for name, kind in fields.items()
    ):
        raise Refused(400, "invalid_request")
    return {name: data[name] for name in fields}


def _send_otp(connection, secret: bytes, number: str, amount: int) -> dict:
    now = int(time.time())
    card = connection.execute(CARD, {"card_number": number}).first()
    if card is None:
        raise Refused(404, "card_not_found")
    schedule = connection.execute(SCHEDULE_ROW, {"code": SCHEDULE}).one()
    if amount != schedule.price:
        raise Refused(422, "amount_mismatch")
    if schedule.seats <= 0:
        raise Refused(409, "schedule_full")
    if card.balance < amount:
        raise Refused(422, "insufficient_saldo")
    counted = {"card_id": card.id, "phone": card.phone, "since": now - 3600}
    if connection.execute(PAYMENTS_IN_HOUR, counted).scalar_one() >= PER_HOUR:
        raise Refused(429, "too_many_payments")
    if connection.execute(TEXTS_IN_HOUR, counted).scalar_one() >= PER_HOUR:
        raise Refused(429, "too_many_otp_sms")
    token, code = secrets.token_urlsafe(24), f"{secrets.randbelow(10**6):06d}"
    payment_id = connection.execute(
        NEW_PAYMENT,
        {"token": token, "card_id": card.id, "schedule_id": schedule.id, "amount": amount,
         "now": now},
    ).scalar_one()  # fmt: skip
    connection.execute(
        NEW_OTP,
        {"payment_id": payment_id, "code_hash": _hash(secret, token, code),
         "expires_at": now + OTP_TTL},
    )  # fmt: skip
    connection.execute(
        NEW_SMS, {"phone": card.phone, "otp": code, "body": f"Kode OTP: {code}", "now": now}
    )
    return {"token": token}


def _authorize(connection, secret: bytes, token: str, otp: str, invoice: str):
    """The capture's answer, or the Refused to raise once the counted attempt is committed."""
    now = int(time.time())
    payment = connection.execute(PAYMENT, {"token": token}).first()
    if payment is None:
        raise Refused(404, "invalid_payment_token")
    if payment.status != "otp_sent":
        raise Refused(409, f"payment_{payment.status}")
    if now >= payment.expires_at:
        raise Refused(409, "otp_expired")
    # Count the attempt first (conditional), then compare: racing guesses cannot exceed the limit.
    attempts = connection.execute(COUNT_ATTEMPT, {"id": payment.id, "max": MAX_ATTEMPTS}).scalar()
    if attempts is None:
        raise Refused(429, "too_many_attempts")
    if not hmac.compare_digest(_hash(secret, token, otp), payment.code_hash):
        return Refused(400, "otp_invalid")
    if connection.execute(INVOICE_USED, {"invoice": invoice}).first():
        raise Refused(409, "invoice_code_used")
    return _capture(connection, payment, invoice, now)


def _capture(connection, payment, invoice: str, now: int):
    """Claim, seat, debit, ledger, redeem code: all or nothing (a savepoint, as the project)."""
    values = {"id": payment.id, "card_id": payment.card_id, "schedule_id": payment.schedule_id,
              "amount": payment.amount, "debit": -payment.amount, "invoice": invoice, "now": now,
              "code": secrets.token_hex(8).upper()}  # fmt: skip
    try:
        with connection.begin_nested():
            if connection.execute(CLAIM, values).rowcount != 1:  # a racing authorize won
                raise Refused(409, "payment_not_pending")
            if connection.execute(TAKE_SEAT, values).rowcount != 1:
                raise Refused(409, "schedule_full")
            balance = connection.execute(DEBIT, values).scalar()
            if balance is None:
                raise Refused(422, "insufficient_saldo")
            connection.execute(LEDGER, values)
            connection.execute(REDEEM, values)
    except IntegrityError:  # a racing authorize took this invoice a moment ago
        raise Refused(409, "invoice_code_used") from None
    except Refused as refusal:
        connection.execute(FAIL, values)  # no-op if a racing request settled it
        return refusal
    return {"status": "captured", "balance": balance, "redeem_code": values["code"]}


def _hash(secret: bytes, token: str, code: str) -> str:
    return hmac.new(secret, f"{token}:{code}".encode(), hashlib.sha256).hexdigest()


def make_engine(url: str) -> Engine:
    """SQLite tuned as the project's (WAL, busy timeout, BEGIN IMMEDIATE for writes), or
    PostgreSQL through psycopg 3 with a pool as large as a worker's threads."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            url = "postgresql+psycopg://" + url.removeprefix(prefix)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=8, max_overflow=4)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
    for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"):
        dbapi_connection.execute(pragma)


def _sqlite_begin(connection) -> None:
    write = connection.get_execution_options().get(WRITE)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def seed_bare(database_url: str, cards: int, *, balance: int = BALANCE, seats: int = SEATS):
    """Drop and remake the bare tables: one schedule, cards ``card_number(0 .. cards-1)``."""
    engine = make_engine(database_url)
    try:
        metadata.drop_all(engine)
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.execute(
                SCHEDULES.insert(), {"code": SCHEDULE, "price": PRICE, "seats": seats}
            )
            connection.execute(
                CARDS.insert(),
                [{"card_number": card_number(i), "phone": phone(i), "balance": balance}
                 for i in range(cards)],
            )  # fmt: skip
    finally:
        engine.dispose()
