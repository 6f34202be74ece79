"""A seeding run: check everything first, then write the catalogue and one transaction per wave.

A run that fails part-way keeps the waves it finished and leaves no partial wave behind: each
wave slice (participants, cards, grants, payout accounts, the wave row) commits as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, select

from catalog_seed import catalogue, loaders, plan
from catalog_seed.identity import participant_card_number
from marketplace.db import WRITE_OPTION
from prakerja_gateway.models import Card


class SeedError(ValueError):
    """A run that cannot start; nothing was written."""


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    start: int
    count: int
    institutions: int = 180
    courses: int = 600


PRESETS = {
    preset.name: preset
    for preset in (
        Preset(
            "tiny",
            "1,000 participants of wave 48 (normal scheme); a small catalogue",
            plan.first_index(48),
            1_000,
            institutions=20,
            courses=60,
        ),
        Preset(
            "small", "10,000 participants of wave 48 (normal scheme)", plan.first_index(48), 10_000
        ),
        Preset("wave", "the whole of wave 48: 150,000 participants", plan.first_index(48), 150_000),
        Preset("100k", "the first 100,000 participants of wave 1 (2020)", 0, 100_000),
        Preset("1m", "the first 1,000,000 participants (waves 1–3, 2020)", 0, 1_000_000),
        Preset(
            "programme-2020-21",
            "the 2020–21 programme: 11.4 million participants, 22 waves",
            0,
            plan.PROGRAMME_2020_21,
            courses=2_000,
        ),
    )
}


@dataclass(frozen=True)
class SeedRun:
    seed: int
    start: int
    count: int
    institutions: int
    courses: int
    anchor: date | None  # the last wave is announced on this day; None keeps historic dates

    def slices(self) -> list[tuple[plan.PlannedWave, int, int]]:
        try:
            return plan.slices(self.start, self.count)
        except ValueError as error:
            raise SeedError(str(error)) from None

    def announced_on(self, wave: plan.PlannedWave) -> date:
        last = self.slices()[-1][0]
        return wave.announced_on + plan.shift_for_anchor(last, self.anchor)

    def schedule_anchor(self) -> date:
        return self.announced_on(self.slices()[-1][0])


@dataclass
class SeedReport:
    participants: int = 0
    rows: int = 0
    waves: tuple[int, ...] = ()
    catalogue_written: bool = False


def check(engine: Engine, run: SeedRun) -> list[tuple[plan.PlannedWave, int, int]]:
    """Everything that can be known before writing: the range, and that it is not seeded yet."""
    if not 20 <= run.courses <= 3_000 or not 1 <= run.institutions <= 1_000:
        raise SeedError("courses must be 20–3,000 and institutions 1–1,000")
    parts = run.slices()
    with engine.connect() as connection:
        for wave, first, _ in parts:
            number = participant_card_number(run.seed, first)
            if connection.scalar(select(Card.id).where(Card.number == number)) is not None:
                raise SeedError(
                    f"participant {first} (wave {wave.number}) is already seeded with seed "
                    f"{run.seed}; choose another --start or --seed"
                )
    return parts


def seed(
    engine: Engine,
    run: SeedRun,
    *,
    on_rows: Callable[[int], None] = lambda rows: None,
    on_wave: Callable[[int], None] = lambda number: None,
) -> SeedReport:
    """Write the catalogue (once per database) and the participants of ``run``."""
    parts = check(engine, run)
    report = SeedReport()
    with _write_connection(engine) as connection, connection.begin():
        loaders.ensure_platforms(connection, run.seed)
        if not loaders.catalogue_present(connection):
            loaders.write_catalogue(
                connection,
                catalogue.generate(
                    run.seed,
                    institutions=run.institutions,
                    courses=run.courses,
                    anchor=run.schedule_anchor(),
                ),
            )
            report.catalogue_written = True
    for wave, first, end in parts:
        _seed_wave_slice(engine, run, wave, first, end, on_rows)
        report.participants += end - first
        report.waves += (wave.number,)
        on_wave(wave.number)
    report.rows = report.participants * 3 + sum(
        end - first for wave, first, end in parts if wave.scheme == "normal"
    )
    return report


def _seed_wave_slice(engine, run: SeedRun, wave, first: int, end: int, on_rows) -> None:
    announced_on = run.announced_on(wave)
    with _write_connection(engine) as connection, connection.begin():
        wave_id = loaders.ensure_wave(connection, wave, announced_on)
        loaders.write_wave_slice(
            connection,
            seed=run.seed,
            wave=wave,
            wave_id=wave_id,
            announced_on=announced_on,
            first=first,
            end=end,
            id_of_first=loaders.next_free_id(connection),
            on_batch=on_rows,
        )
        loaders.advance_sequences(connection)


def _write_connection(engine: Engine):
    return engine.connect().execution_options(**{WRITE_OPTION: True})
