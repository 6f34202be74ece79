"""Command-line tools: ``flask --app marketplace <command>`` or the ``marketplace`` script."""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext

from catalog_seed.cli import seed_group
from marketplace.clock import current_clock, to_wib
from marketplace.db import begin_write, db


def register_commands(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(clock_group)
    app.cli.add_command(reconcile_command)
    app.cli.add_command(partners_command)
    app.cli.add_command(personas_command)
    app.cli.add_command(seed_group)


@click.command("init-db")
@click.option(
    "--demo/--no-demo", default=True, show_default=True, help="Load the demo data if empty."
)
@click.option("--reset", is_flag=True, help="Drop every table first (destroys all data).")
@click.pass_context
def init_db_command(ctx: click.Context, demo: bool, reset: bool) -> None:
    """Create the tables (and the demo data in an empty database)."""
    from flask import current_app

    from marketplace.database import init_database

    if reset:
        click.confirm("Drop every table and lose all data?", abort=True, err=True)
    app = current_app._get_current_object()
    loaded = init_database(app, load_demo=demo, reset=reset)
    url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"database ready at {url}" + ("; demo data loaded" if loaded else ""))


@click.group("clock")
def clock_group() -> None:
    """Read or move the simulated programme clock."""


@clock_group.command("show")
@with_appcontext
def clock_show() -> None:
    """Print the simulated time (UTC and WIB)."""
    now = current_clock().now()
    click.echo(f"{now.isoformat()}  ({to_wib(now):%Y-%m-%d %H:%M} WIB)")


@clock_group.command("advance")
@click.option("--days", type=click.IntRange(0, 3650), default=0)
@click.option("--hours", type=click.IntRange(0, 87600), default=0)
@click.option("--minutes", type=click.IntRange(0, 5256000), default=0)
@with_appcontext
def clock_advance(days: int, hours: int, minutes: int) -> None:
    """Move the clock forward and run what falls due (revocations, expiries, incentives)."""
    from prakerja_gateway.services.sweeps import run_due_jobs

    begin_write(db.session)
    now = current_clock().advance(timedelta(days=days, hours=hours, minutes=minutes))
    done = run_due_jobs(db.session, now)
    db.session.commit()
    click.echo(f"now {to_wib(now):%Y-%m-%d %H:%M} WIB; ran {json.dumps(done)}")


@clock_group.command("run-due")
@click.option(
    "--every",
    type=click.FloatRange(min=1),
    help="Keep running, every this many seconds (Ctrl+C stops); default: once.",
)
@with_appcontext
def clock_run_due(every: float | None) -> None:
    """Run what falls due now, without moving the clock (for real time: cron, or --every)."""
    from prakerja_gateway.services.sweeps import run_due_jobs

    while True:
        begin_write(db.session)
        now = current_clock().now()
        done = run_due_jobs(db.session, now)
        db.session.commit()
        click.echo(f"{to_wib(now):%Y-%m-%d %H:%M:%S} WIB; ran {json.dumps(done)}")
        if every is None:
            return
        time.sleep(every)


@click.command("reconcile")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def reconcile_command(as_json: bool) -> None:
    """Check the invariants; exit status 1 if any fails."""
    from prakerja_gateway.services.reconcile import reconcile

    report = reconcile(db.session)
    if as_json:
        click.echo(json.dumps(report, indent=2))
    else:
        for check in report["checks"]:
            mark = "ok  " if check["ok"] else "FAIL"
            click.echo(f"{mark} {check['name']}: {check['violations']} violations")
    sys.exit(0 if report["ok"] else 1)


@click.command("partners")
@with_appcontext
def partners_command() -> None:
    """List partner credentials (client_code, sign_key, kind, name)."""
    from prakerja_gateway.models import Partner

    for partner in db.session.execute(db.select(Partner).order_by(Partner.id)).scalars():
        click.echo(f"{partner.kind}  {partner.client_code:28} {partner.sign_key:34} {partner.name}")


@click.command("personas")
@with_appcontext
def personas_command() -> None:
    """List the documented test cards."""
    from prakerja_gateway.sandbox.personas import documented_personas

    for persona in documented_personas(db.session):
        otp = persona["otp"] or "SMS"
        click.echo(f"{persona['key']:20} {persona['card_number']}  OTP {otp:6}  {persona['phone']}")


def main() -> None:
    """The ``marketplace`` console script: Flask's CLI with this app."""
    from marketplace import create_app

    FlaskGroup(create_app=create_app, help="The Prakerja marketplace simulator.")(
        prog_name="marketplace"
    )
