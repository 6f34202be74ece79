"""The programme's timeline of waves: where participant *i* sits, whatever the preset.

Every participant the seeder can make has a global index ``i`` on one timeline: the 22 waves of
2020–21 (11.4 million people), then the semi-bansos waves of 2022 and the normal-scheme waves of
2023–24. A preset seeds a contiguous range of ``i``. Sizes and dates follow public reporting
where known (11.4 million in 22 waves; waves of 100k–800k) and are otherwise plausible round
figures, documented here as approximations.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate


@dataclass(frozen=True)
class PlannedWave:
    number: int
    scheme: str
    size: int
    announced_on: date  # historic announcement date


def _waves(numbers, scheme, sizes, first_day: date, spacing_days: int) -> list[PlannedWave]:
    return [
        PlannedWave(number, scheme, size, first_day + timedelta(days=spacing_days * k))
        for k, (number, size) in enumerate(zip(numbers, sizes, strict=True))
    ]


_2020 = [
    168_111,
    288_154,
    800_000,
    800_000,
    800_000,
    800_000,
    800_000,
    337_206,
    400_000,
    200_000,
    200_000,
]  # 5,593,471 in 2020
_2021 = [600_000] * 7 + [500_000, 400_000, 306_529, 400_000]  # 5,806,529 in 2021

TIMELINE: tuple[PlannedWave, ...] = tuple(
    _waves(range(1, 12), "semi_bansos", _2020, date(2020, 4, 9), 21)
    + _waves(range(12, 23), "semi_bansos", _2021, date(2021, 3, 1), 24)
    + _waves(range(23, 48), "semi_bansos", [120_000] * 25, date(2022, 1, 10), 14)
    + _waves(range(48, 71), "normal", [150_000] * 23, date(2023, 3, 1), 30)
)
_STARTS = [0, *accumulate(wave.size for wave in TIMELINE)]
CAPACITY = _STARTS[-1]
PROGRAMME_2020_21 = sum(_2020) + sum(_2021)  # 11,400,000


def wave_of(i: int) -> PlannedWave:
    """The wave participant ``i`` belongs to."""
    if not 0 <= i < CAPACITY:
        raise ValueError(f"participant index must be in 0..{CAPACITY - 1}")
    return TIMELINE[bisect.bisect_right(_STARTS, i) - 1]


def first_index(wave_number: int) -> int:
    """The index of the first participant of a wave."""
    for position, wave in enumerate(TIMELINE):
        if wave.number == wave_number:
            return _STARTS[position]
    raise ValueError(f"wave {wave_number} is not on the timeline")


def slices(start: int, count: int) -> list[tuple[PlannedWave, int, int]]:
    """The range ``start .. start+count-1`` cut at wave boundaries: (wave, first i, end i)."""
    if count < 1 or start < 0 or start + count > CAPACITY:
        raise ValueError(f"the range must lie within 0..{CAPACITY - 1}")
    parts = []
    i = start
    while i < start + count:
        wave = wave_of(i)
        end = min(_STARTS[TIMELINE.index(wave) + 1], start + count)
        parts.append((wave, i, end))
        i = end
    return parts


def shift_for_anchor(last_wave: PlannedWave, anchor: date | None) -> timedelta:
    """How far to move historic dates so the last seeded wave is announced on ``anchor``
    (its purchase window open); no shift when ``anchor`` is None (historic dates)."""
    return timedelta(0) if anchor is None else anchor - last_wave.announced_on
