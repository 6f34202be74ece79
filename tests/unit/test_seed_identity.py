"""Participant i is a pure function of (seed, i): deterministic, unique, plausible."""

from __future__ import annotations

import re
from datetime import date

import pytest

from catalog_seed import plan
from catalog_seed.identity import (
    participant,
    participant_card_number,
    participant_phone,
    permute,
)
from prakerja_gateway.domain import is_valid_card_number


def test_permutation_is_a_bijection():
    for modulus in (9, 16, 1000, 9_999):
        assert sorted(permute(7, "x", modulus, x) for x in range(modulus)) == list(range(modulus))


def test_same_seed_same_person_other_seed_other_person():
    assert participant(2020, 12_345) == participant(2020, 12_345)
    assert participant(2020, 12_345).card_number != participant(2021, 12_345).card_number
    assert participant_card_number(2020, 5) == participant(2020, 5).card_number
    assert participant_phone(2020, 5) == participant(2020, 5).phone


def test_identities_are_unique_at_scale():
    indices = [*range(0, 150_000), *range(plan.first_index(48), plan.first_index(48) + 50_000)]
    people = [participant(2020, i) for i in indices]
    for field in ("card_number", "phone", "nik", "email"):
        values = [getattr(person, field) for person in people]
        assert len(set(values)) == len(values), field


@pytest.mark.parametrize("i", [0, 1, 168_110, 168_111, 11_399_999, plan.CAPACITY - 1])
def test_fields_are_plausible(i):
    person = participant(2020, i)
    assert is_valid_card_number(person.card_number)
    assert person.card_number[2:5] == f"{plan.wave_of(i).number:03d}"
    assert int(person.card_number[5:15]) < 9_000_000_000  # below the sandbox's serials
    assert re.fullmatch(r"08\d{10}", person.phone) and person.phone[:4] not in ("0812", "0813")
    assert re.fullmatch(r"\d{16}", person.nik)
    day, month, year = int(person.nik[6:8]), int(person.nik[8:10]), int(person.nik[10:12])
    if person.female:
        day -= 40
    born = date(1900 + year if year > 50 else 2000 + year, month, day)
    assert date(1956, 1, 1) <= born <= date(2002, 12, 31)
    assert len(person.name.split()) >= 2 and person.email.endswith("@peserta.prakerja.test")


def test_timeline_holds_the_2020_21_programme():
    assert plan.PROGRAMME_2020_21 == 11_400_000
    waves_2020_21 = {plan.wave_of(i).number for i in (0, plan.PROGRAMME_2020_21 - 1)}
    assert waves_2020_21 == {1, 22}
    assert all(100_000 <= wave.size <= 800_000 for wave in plan.TIMELINE)
    assert plan.wave_of(plan.first_index(48)).scheme == "normal"
    assert plan.wave_of(plan.first_index(48) - 1).scheme == "semi_bansos"


def test_slices_cut_at_wave_boundaries():
    start = plan.first_index(2) - 10
    parts = plan.slices(start, 30)
    assert [(wave.number, first, end) for wave, first, end in parts] == [
        (1, start, start + 10),
        (2, start + 10, start + 30),
    ]


@pytest.mark.parametrize(("start", "count"), [(-1, 5), (0, 0), (plan.CAPACITY - 1, 2)])
def test_slices_reject_ranges_off_the_timeline(start, count):
    with pytest.raises(ValueError):
        plan.slices(start, count)
