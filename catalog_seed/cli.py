"""``flask --app marketplace seed ...``: programme-scale data, deterministic, with progress bars."""

from __future__ import annotations

import csv
import json
import sys
import time
from dataclasses import asdict

import click
from flask.cli import with_appcontext

from catalog_seed import plan
from catalog_seed.identity import participant
from catalog_seed.seeder import PRESETS, SeedError, SeedRun, seed
from marketplace.clock import current_clock, wib_date
from marketplace.db import db


@click.group("seed")
def seed_group() -> None:
    """Fill the database with deterministic programme-scale data."""


@seed_group.command("presets")
def presets_command() -> None:
    """List the presets (participant ranges and catalogue sizes)."""
    click.echo("demo       the fixed demo marketplace, loaded into every new database")
    for preset in PRESETS.values():
        end = preset.start + preset.count - 1
        click.echo(f"{preset.name:10} {preset.description} (i = {preset.start}..{end})")


def _range_options(command):
    options = [
        click.option(
            "--preset",
            type=click.Choice(sorted(PRESETS)),
            default="small",
            show_default=True,
            help="Participant range and catalogue size.",
        ),
        click.option(
            "--seed",
            "seed_value",
            type=click.IntRange(0, 2**31 - 1),
            default=2020,
            show_default=True,
            help="Same seed, same data.",
        ),
        click.option(
            "--start",
            type=click.IntRange(0, plan.CAPACITY - 1),
            help="First participant index (overrides the preset).",
        ),
        click.option(
            "--count",
            type=click.IntRange(1, plan.CAPACITY),
            help="How many participants (overrides the preset).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@seed_group.command("run")
@_range_options
@click.option("--institutions", type=click.IntRange(1, 1_000), help="Catalogue: institutions.")
@click.option("--courses", type=click.IntRange(20, 3_000), help="Catalogue: trainings.")
@click.option(
    "--anchor-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="The last seeded wave is announced on this day [default: simulated today].",
)
@click.option("--historic", is_flag=True, help="Keep historic dates (every deadline long past).")
@with_appcontext
def run_command(preset, seed_value, start, count, institutions, courses, anchor_date, historic):
    """Seed the catalogue (once) and a range of participants, one transaction per wave."""
    if anchor_date and historic:
        raise click.UsageError("--anchor-date and --historic exclude each other")
    chosen = PRESETS[preset]
    anchor = (
        None
        if historic
        else (anchor_date.date() if anchor_date else wib_date(current_clock().now()))
    )
    run = SeedRun(
        seed=seed_value,
        start=chosen.start if start is None else start,
        count=chosen.count if count is None else count,
        institutions=institutions or chosen.institutions,
        courses=courses or chosen.courses,
        anchor=anchor,
    )
    started = time.perf_counter()
    done: list[int] = []
    try:
        with click.progressbar(length=run.count, label="participants", file=sys.stderr) as bar:
            report = seed(db.engine, run, on_rows=bar.update, on_wave=done.append)
    except SeedError as error:
        raise click.ClickException(str(error)) from None
    except Exception as error:
        waves = ", ".join(map(str, done)) or "none"
        raise click.ClickException(
            f"seeding failed ({error.__class__.__name__}: {str(error)[:300]}). "
            f"Committed waves: {waves}; the wave in progress was rolled back."
        ) from None
    seconds = time.perf_counter() - started
    click.echo(
        f"seeded {report.participants:,} participants "
        f"(i = {run.start}..{run.start + run.count - 1}, seed {run.seed}) "
        f"in waves {', '.join(map(str, report.waves))}"
        f"{'; catalogue written' if report.catalogue_written else ''}; "
        f"{report.rows:,} rows in {seconds:.1f} s ({report.rows / seconds:,.0f} rows/s)"
    )
    click.echo(
        f"anchor: {run.anchor or 'historic dates'}; card and phone of participant i: "
        f"catalog_seed.identity.participant_card_number({run.seed}, i), participant_phone(...)"
    )


@seed_group.command("who")
@click.option(
    "--seed", "seed_value", type=click.IntRange(0, 2**31 - 1), default=2020, show_default=True
)
@click.argument("index", type=click.IntRange(0, plan.CAPACITY - 1))
def who_command(seed_value: int, index: int) -> None:
    """Print participant INDEX as the seeder makes it (no database needed)."""
    person = participant(seed_value, index)
    fields = {**asdict(person), "birth_date": person.birth_date.isoformat()}
    click.echo(json.dumps({**fields, "wave": plan.wave_of(index).number}))


@seed_group.command("export")
@_range_options
@click.option(
    "--out", type=click.File("w"), default="-", show_default=True, help="CSV file to write."
)
def export_command(preset, seed_value, start, count, out) -> None:
    """Write the participants of a range as CSV for load generators (no database needed)."""
    chosen = PRESETS[preset]
    first = chosen.start if start is None else start
    total = chosen.count if count is None else count
    if first + total > plan.CAPACITY:
        raise click.BadParameter(f"the range must end before {plan.CAPACITY}", param_hint="--count")
    writer = csv.writer(out)
    # New columns go at the end: readers that take the first seven by position keep working.
    writer.writerow(
        ["i", "wave", "card_number", "phone", "nik", "name", "email", "birth_date", "education"]
    )
    with click.progressbar(range(first, first + total), label="export", file=sys.stderr) as bar:
        for i in bar:
            person = participant(seed_value, i)
            writer.writerow(
                [
                    i,
                    plan.wave_of(i).number,
                    person.card_number,
                    person.phone,
                    person.nik,
                    person.name,
                    person.email,
                    person.birth_date.isoformat(),
                    person.education,
                ]
            )
