"""Which seeded participant a simulated buyer pays with: disjoint across users and workers,
with no coordination — the card number and phone come from the seeder's pure functions."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from catalog_seed.identity import participant_card_number, participant_phone


@dataclass(frozen=True)
class Participant:
    i: int
    card_number: str
    phone: str


class ParticipantPool:
    """Worker *w* of at most ``max_workers`` takes indices ``first + w*slice ...`` in order."""

    def __init__(self, *, seed: int, first: int, count: int, worker_index: int, max_workers: int):
        if not 0 <= worker_index < max_workers:
            raise ValueError(f"worker index {worker_index} beyond --max-workers {max_workers}")
        self.seed = seed
        self.slice = count // max_workers
        self.start = first + worker_index * self.slice
        self._next = itertools.count(self.start)

    def take(self) -> Participant:
        i = next(self._next)
        if i >= self.start + self.slice:
            raise RuntimeError(
                "seeded participants used up: seed more (flask seed run --count N)"
                " or lower the load"
            )
        return Participant(
            i, participant_card_number(self.seed, i), participant_phone(self.seed, i)
        )
