"""Participant i is a pure function of (seed, i): deterministic, unique, plausible; and the
sandbox's random identities (``services.participants``) are as plausible."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import date

import pytest

from catalog_seed import plan
from catalog_seed.identity import (
    EDUCATION_SPREAD,
    YOUNGEST_GRADUATE,
    participant,
    participant_card_number,
    participant_phone,
    permute,
)
from marketplace.catalog.models import EDUCATION_LEVELS
from prakerja_gateway.domain import age_on, is_valid_card_number
from prakerja_gateway.services.participants import birth_date_of, nik_for, random_identity

WAVE_1_OPENED = date(2020, 4, 9)


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
    assert person.birth_date == date(1900 + year if year > 50 else 2000 + year, month, day)
    assert person.education in EDUCATION_LEVELS
    assert len(person.name.split()) >= 2 and person.email.endswith("@peserta.prakerja.test")


def test_everyone_is_18_to_64_from_wave_1_to_the_end_of_2027():
    for i in range(0, plan.CAPACITY, 9_973):
        born = participant(2020, i).birth_date
        assert age_on(born, WAVE_1_OPENED) >= 18
        assert age_on(born, date(2027, 12, 31)) <= 64


def test_education_follows_the_spread_and_nobody_graduates_too_young():
    assert [level for level, _ in EDUCATION_SPREAD] == list(EDUCATION_LEVELS)
    assert sum(share for _, share in EDUCATION_SPREAD) == 1000
    people = [participant(2020, i) for i in range(20_000)]
    counts = Counter(person.education for person in people)
    assert counts.most_common(1)[0][0] == "SMA"
    assert set(counts) == set(EDUCATION_LEVELS)
    assert 0.4 < counts["SMA"] / len(people) < 0.7
    for person in people:
        youngest = YOUNGEST_GRADUATE.get(person.education, 0)
        assert age_on(person.birth_date, WAVE_1_OPENED) >= youngest


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


@pytest.mark.parametrize("today", [date(2026, 11, 27), date(2028, 2, 29), date(2027, 1, 1)])
@pytest.mark.parametrize("ages", [(20, 40), (60, 64), (18, 18)])
def test_random_identities_have_the_asked_age_and_a_nik_that_says_so(today, ages):
    rng = random.Random(f"{today}:{ages}")
    for _ in range(200):
        identity = random_identity("uji", rng, today=today, age_range=ages)
        assert ages[0] <= age_on(identity.birth_date, today) <= ages[1]
        assert birth_date_of(identity.nik) == identity.birth_date
        assert identity.education in ("SMA", "D3", "S1")  # meets every demo requirement
    assert random_identity("uji", rng, today=today, education="SD").education == "SD"


def test_nik_round_trips_the_birth_date_for_both_sexes():
    for born in (date(1962, 5, 10), date(1999, 12, 31), date(2006, 2, 28)):
        for female in (False, True):
            nik = nik_for("317101", born, female=female, serial=12)
            assert len(nik) == 16 and birth_date_of(nik) == born
            assert (int(nik[6:8]) > 40) is female
