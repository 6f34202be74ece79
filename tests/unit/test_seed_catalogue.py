"""The generated catalogue: deterministic, complete, every price within its scheme's saldo."""

from __future__ import annotations

from collections import Counter
from datetime import date

from catalog_seed.catalogue import PLATFORMS, generate
from prakerja_gateway.domain import SCHEMES

ANCHOR = date(2026, 11, 21)


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


def test_every_course_is_sold_somewhere_and_scheduled_when_dated():
    catalogue = generate(2020, institutions=50, courses=500, anchor=ANCHOR)
    slugs = {slug for slug, *_ in PLATFORMS}
    listed = Counter(code for code, slug in catalogue.listings if slug in slugs)
    assert set(listed) == {course["course_code"] for course in catalogue.courses}
    scheduled = {row["course_code"] for row in catalogue.schedules}
    dated = {c["course_code"] for c in catalogue.courses if c["course_type"] != "self_paced"}
    assert scheduled == dated
    assert all(row["starts_at"].date() >= ANCHOR for row in catalogue.schedules)
    assert len({row["schedule_code"] for row in catalogue.schedules}) == len(catalogue.schedules)


def test_each_institution_gets_signed_credentials():
    catalogue = generate(2020, institutions=10, courses=20, anchor=ANCHOR)
    codes = [partner["client_code"] for partner in catalogue.lp_partners]
    assert codes == [f"lp{n:04d}-sandbox" for n in range(1, 11)]
    assert len({partner["sign_key"] for partner in catalogue.lp_partners}) == 10
