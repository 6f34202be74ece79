"""The generated catalogue: deterministic, complete, every price within its scheme's saldo,
every course scheduled and most open to everyone; schedule codes unique in the real style."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest

from catalog_seed.catalogue import PLATFORMS, generate
from catalog_seed.codes import demo_schedule_code, scramble, seeded_schedule_code
from catalog_seed.demo import COURSES, demo_schedule_codes
from marketplace.catalog.models import EDUCATION_LEVELS
from prakerja_gateway.domain import SCHEMES

ANCHOR = date(2026, 11, 21)
ANCHOR_START = datetime(2026, 11, 20, 17, tzinfo=UTC)  # 00:00 WIB on the anchor day
HEX_CODE = re.compile(r"[0-9a-f]{16}")


def test_same_seed_same_catalogue():
    assert generate(1, institutions=30, courses=100, anchor=ANCHOR) == generate(
        1, institutions=30, courses=100, anchor=ANCHOR
    )
    assert generate(1, institutions=30, courses=100, anchor=ANCHOR) != generate(
        2, institutions=30, courses=100, anchor=ANCHOR
    )


def test_programme_sized_catalogue_is_complete_and_affordable():
    catalogue = generate(2020, institutions=180, courses=3_000, anchor=ANCHOR)
    assert len(catalogue.institutions) == 180 and len(catalogue.courses) == 3_000
    institutions = {row["code"] for row in catalogue.institutions}
    for course in catalogue.courses:
        assert 0 < course["price_idr"] <= SCHEMES[course["scheme"]].saldo_idr
        assert course["price_idr"] % 25_000 == 0
        assert course["institution_code"] in institutions
    assert {row["scheme"] for row in catalogue.courses} == {"semi_bansos", "normal"}
    assert Counter(row["course_type"] for row in catalogue.courses).keys() == {
        "self_paced",
        "webinar",
        "offline",
    }
    assert len({row["category"] for row in catalogue.courses}) >= 10


def test_most_courses_are_open_to_all_and_the_rest_ask_plausible_requirements():
    courses = generate(2020, institutions=50, courses=3_000, anchor=ANCHOR).courses
    keys = ("min_age", "max_age", "min_education")
    open_to_all = [c for c in courses if all(c[key] is None for key in keys)]
    assert 0.6 <= len(open_to_all) / len(courses) <= 0.8
    assert any(c["min_age"] is not None for c in courses)
    assert any(c["max_age"] is not None for c in courses)
    assert {c["min_education"] for c in courses} - {None} >= {"SMA", "D3", "S1"}
    for course in courses:
        assert course["min_education"] in (None, *EDUCATION_LEVELS)
        low, high = course["min_age"] or 18, course["max_age"] or 64
        assert 18 <= low < high <= 64


def test_every_course_is_sold_somewhere_and_has_schedules_on_sale_at_the_anchor():
    catalogue = generate(2020, institutions=50, courses=500, anchor=ANCHOR)
    slugs = {slug for slug, *_ in PLATFORMS}
    listed = Counter(code for code, slug in catalogue.listings if slug in slugs)
    assert set(listed) == {course["course_code"] for course in catalogue.courses}
    by_course = defaultdict(list)
    for row in catalogue.schedules:
        by_course[row["course_code"]].append(row)
    for course in catalogue.courses:
        schedules = by_course[course["course_code"]]
        assert all(row["starts_at"] < row["ends_at"] for row in schedules)
        if course["course_type"] == "self_paced":
            _assert_self_paced_batches(schedules)
        else:
            _assert_dated_runs(course, schedules)


def _assert_self_paced_batches(batches: list[dict]) -> None:
    """The current batch opened before the anchor and is still running; the next follows it."""
    current, following = batches
    assert current["starts_at"] < ANCHOR_START < current["ends_at"] - timedelta(days=29)
    assert following["starts_at"] == current["ends_at"]
    assert all(batch["capacity"] >= 100_000 for batch in batches)


def _assert_dated_runs(course: dict, runs: list[dict]) -> None:
    """Three runs in the weeks after the anchor (so on sale on the anchor day), class-sized."""
    assert len(runs) == 3
    for run in runs:
        assert ANCHOR_START + timedelta(days=1) <= run["starts_at"]
        assert run["starts_at"] < ANCHOR_START + timedelta(days=22)
        assert run["ends_at"] - run["starts_at"] <= timedelta(days=course["duration_hours"] / 4)
        assert (30 if course["course_type"] == "offline" else 100) <= run["capacity"] <= 500


def test_schedule_codes_look_real_and_never_repeat():
    seeded = [
        row["schedule_code"]
        for seed in (1, 2020)
        for row in generate(seed, institutions=20, courses=3_000, anchor=ANCHOR).schedules
    ]
    demo = [code for course_code, *_ in COURSES for code in demo_schedule_codes(course_code)]
    codes = seeded + demo
    assert all(HEX_CODE.fullmatch(code) for code in codes)
    assert len(set(codes)) == len(codes)


def test_schedule_codes_are_a_bijection_of_distinct_inputs():
    assert len({scramble(x) for x in range(100_000)}) == 100_000
    assert scramble(2**64 + 5) == scramble(5)  # only 64 bits count
    assert demo_schedule_code("DIG-001", 0) != demo_schedule_code("DIG-001", 1)
    assert seeded_schedule_code(7, 1, 0) != seeded_schedule_code(8, 1, 0)
    assert demo_schedule_codes("DIG-002")[0] == demo_schedule_code("DIG-002", 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: demo_schedule_code("TOOLONG1", 0),
        lambda: demo_schedule_code("DIG-001", 16),
        lambda: seeded_schedule_code(2**31, 1, 0),
        lambda: seeded_schedule_code(1, 2**28, 0),
    ],
)
def test_schedule_code_inputs_out_of_range_are_refused(call):
    with pytest.raises(ValueError):
        call()


def test_each_institution_gets_signed_credentials():
    catalogue = generate(2020, institutions=10, courses=20, anchor=ANCHOR)
    codes = [partner["client_code"] for partner in catalogue.lp_partners]
    assert codes == [f"lp{n:04d}-sandbox" for n in range(1, 11)]
    assert len({partner["sign_key"] for partner in catalogue.lp_partners}) == 10
