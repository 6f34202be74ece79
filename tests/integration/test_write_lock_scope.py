"""How long a checkout holds the write lock bounds checkouts per second on SQLite, where there is
one such lock for the whole database: send-otp checks the purchase (partner, card, course,
schedule, rules, limits) before it takes the lock and only writes under it; authorize and void
read the partner and the clock before it. The same calls on PostgreSQL begin their write
transaction at the same points."""

from __future__ import annotations

import time
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from marketplace.db import WRITE_OPTION, db
from prakerja_gateway.models import OtpChallenge, Payment
from tests.helpers import refusal

pytestmark = pytest.mark.usefixtures("books_balance")


@contextmanager
def statements_in_write_transactions(app):
    """The statements run inside a write transaction while the block runs (first words)."""
    seen: list[str] = []

    def note(conn, _cursor, statement, *_rest) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            seen.append(" ".join(statement.split())[:60])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def test_send_otp_reads_before_the_write_lock_and_only_writes_under_it(app, market):
    persona = market.mint("sms")
    schedule = market.open_schedule("DIG-001")
    with statements_in_write_transactions(app) as locked:
        opened = market.send_otp(persona, schedule_code=schedule)
    assert opened.status == 200, opened.body
    assert not [s for s in locked if s.startswith("SELECT")], locked
    assert [s for s in locked if s.startswith("INSERT INTO gw_payments")], locked
    assert [s for s in locked if s.startswith("INSERT INTO outbox_sms")], locked


def test_authorize_reads_partner_and_clock_before_the_write_lock(app, market):
    persona = market.mint("sms")
    opened = market.send_otp(persona, schedule_code=market.open_schedule("DIG-001"))
    otp = market.latest_otp(persona.phone)
    with statements_in_write_transactions(app) as locked:
        bought = market.authorize(opened, otp)
    assert bought.status == 200, bought.body
    early = [s for s in locked if "FROM gw_partners" in s or "FROM sim_clock" in s]
    assert not early, locked
    assert [s for s in locked if s.startswith("UPDATE gw_cards")], locked


def test_a_resend_is_checked_again_under_the_lock(app, market):
    """send-otp again for a waiting purchase re-reads it under the lock: its resend count is
    what limits resends."""
    persona = market.mint("sms")
    schedule = market.open_schedule("DIG-001")
    first = market.send_otp(persona, schedule_code=schedule)
    market.advance(seconds=31)  # past the resend cooldown
    with statements_in_write_transactions(app) as locked:
        again = market.send_otp(persona, schedule_code=schedule)
    assert first.status == again.status == 200, again.body
    assert again.data["payment_token"] == first.data["payment_token"]
    assert [s for s in locked if s.startswith("SELECT gw_payments")], locked
    with app.app_context():
        resends = db.session.execute(
            select(OtpChallenge.resends)
            .join(Payment, Payment.id == OtpChallenge.payment_id)
            .where(Payment.token == first.data["payment_token"])
        ).scalar_one()
    assert resends == 1


def test_a_refused_send_otp_sent_again_is_refused_as_a_replay(market):
    """A refusal found by the checks before the lock still marks the call as seen, as when the
    lock came first: the very same call again is a replay."""
    body = {"prakerja_id": "1234", "user_platform_id": "x", "course_code": "DIG-001",
            "schedule_code": market.open_schedule("DIG-001"), "amount": 1}  # fmt: skip
    path = "/api/v1/integration/payment/send-otp"
    stamp = int(time.time())
    refused = market.tokopedia.call(path, body, timestamp=stamp)
    assert (refused.status, refused.error_code) == refusal("invalid_card_number"), refused.body
    replayed = market.tokopedia.call(path, body, timestamp=stamp)
    assert (replayed.status, replayed.error_code) == refusal("replayed_request"), replayed.body


def test_a_malformed_authorize_sent_again_is_refused_as_a_replay(market):
    body = {"otp": "", "invoice_code": "", "invoice_url": "nope"}
    path = "/api/v1/integration/payment/authorize"
    stamp = int(time.time())
    first = market.tokopedia.call(path, body, timestamp=stamp, authorization="Payment x")
    assert first.status == 400, first.body
    again = market.tokopedia.call(path, body, timestamp=stamp, authorization="Payment x")
    assert (again.status, again.error_code) == refusal("replayed_request"), again.body
