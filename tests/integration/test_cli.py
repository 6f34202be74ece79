"""The command line: help, clock, reconcile, partners, personas."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def test_flask_cli_help_lists_the_commands(app):
    result = app.test_cli_runner().invoke(args=["--help"])
    assert result.exit_code == 0
    for command in ("init-db", "clock", "reconcile", "partners", "personas"):
        assert command in result.output


def test_clock_advance_runs_due_jobs(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["clock", "advance", "--days", "40"])
    assert result.exit_code == 0, result.output
    assert '"cards_revoked":' in result.output
    assert runner.invoke(args=["clock", "show"]).exit_code == 0


def test_clock_advance_rejects_negative_values(app):
    result = app.test_cli_runner().invoke(args=["clock", "advance", "--days", "-1"])
    assert result.exit_code == 2
    assert "Invalid value" in result.output


def test_reconcile_exit_status_reflects_the_report(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reconcile"])
    assert result.exit_code == 0
    assert "ok   balance_equals_ledger" in result.output


def test_partners_and_personas_list_the_demo_data(app):
    runner = app.test_cli_runner()
    assert "tokopedia-sandbox" in runner.invoke(args=["partners"]).output
    personas = runner.invoke(args=["personas"]).output
    assert "5204890000000015" in personas and "OTP 123456" in personas
    for key in ("too_old", "low_education"):
        assert key in personas


def test_console_script_help(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "MARKETPLACE_SECRET_KEY": "test",
    }
    result = subprocess.run(
        [sys.executable, "-c", "from marketplace.cli import main; main()", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0
    assert "init-db" in result.stdout and "run" in result.stdout


def test_an_out_of_date_database_is_refused_with_what_to_do(tmp_path):
    from sqlalchemy import create_engine, text

    from marketplace import create_app
    from marketplace.database import SchemaOutOfDate

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    engine = create_engine(url)
    with engine.begin() as connection:  # as if made before the column existed
        connection.execute(text("ALTER TABLE catalog_courses DROP COLUMN duration_hours"))
    engine.dispose()
    with pytest.raises(SchemaOutOfDate, match="init-db --reset"):
        create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})


def test_clock_run_due_pays_incentives_that_fell_due_in_real_time(app):
    """The real-time counterpart of advancing the clock: nothing moves, what is due runs."""
    from datetime import timedelta

    from sqlalchemy import select

    from marketplace.db import db
    from prakerja_gateway.models import Incentive
    from tests.helpers import Marketplace

    market = Marketplace(app)
    persona = market.mint("sms")
    charged = market.buy(persona, course_code="DIG-004")
    assert charged.ok, charged.body
    market.complete(
        charged.data["transaction_code"], rating=5, review="Bermanfaat untuk usaha saya."
    )
    runner = app.test_cli_runner()
    assert '"incentives_paid": 0' in runner.invoke(args=["clock", "run-due"]).output
    with app.app_context():  # as if 24 hours had passed on the wall clock
        for incentive in db.session.execute(select(Incentive)).scalars():
            incentive.due_at -= timedelta(days=1)
        db.session.commit()
    result = runner.invoke(args=["clock", "run-due"])
    assert result.exit_code == 0 and '"incentives_paid": 1' in result.output
    assert "--every" in runner.invoke(args=["clock", "run-due", "--help"]).output
