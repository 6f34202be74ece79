"""Seeding a database: deterministic rows, integrity, buyable cards, safe failures, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import func, select

from catalog_seed import loaders, plan
from catalog_seed.catalogue import sign_key
from catalog_seed.identity import participant, participant_card_number, participant_phone
from catalog_seed.seeder import PRESETS, SeedError, SeedRun, seed
from marketplace import create_app
from marketplace.catalog.models import (
    EDUCATION_LEVELS,
    Course,
    CourseListing,
    CourseSchedule,
    Institution,
)
from marketplace.clock import current_clock, wib_date
from marketplace.db import db
from prakerja_gateway import domain
from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Card, LedgerEntry, Participant, Partner, PayoutAccount, Wave
from tests.conftest import TEST_CONFIG

ANCHOR = date(2026, 11, 21)
WAVE_48 = plan.first_index(48)
# Seeded cards have serials below the sandbox's 9,000,000,000 (the demo's personas are above).
SEEDED_CARD = func.substr(Card.number, 6, 10) < "9000000000"
# Seeded courses are PK-00001 on. The demo's own (DIG-001, ...) are scheduled from today, so a
# database filled after midnight WIB differs from the session's snapshot made before it.
SEEDED_COURSE = Course.course_code.like("PK-%")


def tiny_run(**changes) -> SeedRun:
    base = dict(seed=7, start=WAVE_48, count=600, institutions=12, courses=40, anchor=ANCHOR)
    return SeedRun(**{**base, **changes})


def seed_app(app, run: SeedRun):
    with app.app_context():
        return seed(db.engine, run)


def snapshot(app) -> dict:
    """The seeded content, without surrogate ids."""
    with app.app_context():
        rows = lambda query: sorted(tuple(map(str, row)) for row in db.session.execute(query))  # noqa: E731
        return {
            "participants": rows(
                select(
                    Participant.name,
                    Participant.nik,
                    Participant.phone,
                    Participant.email,
                    Participant.birth_date,
                    Participant.education,
                    Wave.number,
                )
                .join(Wave)
                .where(Participant.persona.is_(None))
            ),
            "cards": rows(
                select(Card.number, Card.scheme, Card.balance, Card.first_purchase_deadline).where(
                    SEEDED_CARD
                )
            ),
            "grants": rows(
                select(Card.number, LedgerEntry.amount, LedgerEntry.created_at)
                .join(Card, Card.id == LedgerEntry.card_id)
                .where(SEEDED_CARD)
            ),
            "courses": rows(
                select(
                    Course.course_code,
                    Course.title,
                    Course.price_idr,
                    Course.scheme,
                    Course.institution_code,
                    Course.min_age,
                    Course.max_age,
                    Course.min_education,
                ).where(SEEDED_COURSE)
            ),
            "schedules": rows(
                select(
                    CourseSchedule.schedule_code,
                    CourseSchedule.starts_at,
                    CourseSchedule.ends_at,
                    CourseSchedule.capacity,
                )
                .join(Course, Course.id == CourseSchedule.course_id)
                .where(SEEDED_COURSE)
            ),
            "partners": rows(select(Partner.client_code, Partner.sign_key)),
        }


def test_same_seed_gives_the_same_rows_in_another_database(app, tmp_path):
    seed_app(app, tiny_run())
    other = create_app({**TEST_CONFIG, "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}"})
    seed_app(other, tiny_run())
    assert snapshot(app) == snapshot(other)
    with other.app_context():
        db.engine.dispose()


def test_seeded_rows_are_whole_and_reconcile(market):
    report = seed_app(market.app, tiny_run(start=WAVE_48 - 300))  # waves 47 and 48
    assert report.waves == (47, 48) and report.participants == 600
    with market.app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        seeded_cards = db.session.scalar(
            select(func.count())
            .select_from(Card)
            .where(Card.number.like("52047%") | Card.number.like("52048%"))
        )
        assert seeded_cards >= 600
        assert count(Institution) >= 12 and count(Course) >= 40
        orphans = db.session.scalar(
            select(func.count())
            .select_from(CourseListing)
            .outerjoin(Course, Course.id == CourseListing.course_id)
            .where(Course.id.is_(None))
        )
        assert orphans == 0
        normal_payouts = db.session.scalar(
            select(func.count())
            .select_from(PayoutAccount)
            .join(Participant, Participant.id == PayoutAccount.participant_id)
            .where(Participant.persona.is_(None))
        )
        assert normal_payouts >= 300  # the wave-48 half, plus the demo's regulars
        unscheduled = db.session.scalar(
            select(func.count()).select_from(Course).where(~Course.schedules.any())
        )
        assert unscheduled == 0
        seeded = select(Participant).where(Participant.persona.is_(None))
        for person in db.session.execute(seeded).scalars():
            assert person.education in EDUCATION_LEVELS
            assert 18 <= domain.age_on(person.birth_date, ANCHOR) <= 64
    market.assert_reconciled()


def _today(market) -> date:
    with market.app.app_context():
        return wib_date(current_clock().now())


def test_a_seeded_participant_buys_with_the_computed_card_and_phone(market):
    seed_app(market.app, tiny_run(anchor=_today(market)))
    i = WAVE_48 + 123
    card, phone = participant_card_number(7, i), participant_phone(7, i)
    inquiry = market.tokopedia.card_inquiry(card, 100_000)
    assert inquiry.data["scheme"] == "normal" and inquiry.data["can_purchase"] is True
    opened = market.tokopedia.send_otp(
        prakerja_id=card,
        user_platform_id="seeded",
        course_code="DIG-004",  # open to everyone
        schedule_code=market.open_schedule("DIG-004"),
        amount=100_000,
    )
    assert opened.status == 200, opened.body
    bought = market.authorize(opened, market.latest_otp(phone), invoice_code="SEED-1")
    assert bought.ok, bought.body
    assert market.card(card).balance == 3_400_000
    market.assert_reconciled()


def _eligible_and_not(market, seed_value: int) -> tuple[dict, int, int]:
    """A seeded course with an education requirement sold on Tokopedia, a seeded participant who
    meets it and one who does not (found with the domain's own rule)."""
    with market.app.app_context():
        course = db.session.execute(
            select(Course)
            .join(CourseListing)
            .where(
                CourseListing.platform_slug == "tokopedia",
                Course.course_code.like("PK-%"),
                Course.min_education.is_not(None),
                Course.min_age.is_(None),
                Course.max_age.is_(None),
            )
            .order_by(Course.course_code)
            .limit(1)
        ).scalar_one()
        facts = {
            "course_code": course.course_code,
            "price": course.price_idr,
            "schedule_code": course.schedules[0].schedule_code,
        }
        today = wib_date(current_clock().now())
    verdicts: dict[bool, int] = {}
    for i in range(WAVE_48, WAVE_48 + 600):
        person = participant(seed_value, i)
        refusal = domain.requirement_refusal(
            birth_date=person.birth_date,
            education=person.education,
            min_age=None,
            max_age=None,
            min_education=course.min_education,
            today=today,
            levels=EDUCATION_LEVELS,
        )
        verdicts.setdefault(refusal is None, i)
    return facts, verdicts[True], verdicts[False]


def test_seeded_requirements_are_checked_against_seeded_participants(market):
    seed_app(market.app, tiny_run(anchor=_today(market), courses=200))
    course, eligible, ineligible = _eligible_and_not(market, 7)
    refused = GATEWAY_ERRORS["education_not_eligible"].code
    for i, expected in ((eligible, None), (ineligible, refused)):
        opened = market.tokopedia.send_otp(
            prakerja_id=participant_card_number(7, i),
            user_platform_id=f"seeded-{i}",
            course_code=course["course_code"],
            schedule_code=course["schedule_code"],
            amount=course["price"],
        )
        assert opened.error_code == expected, opened.body


def test_platforms_beyond_the_demo_get_partners_signed_from_the_seed(market):
    seed_app(market.app, tiny_run(anchor=_today(market)))
    client_code = "sisnaker-sandbox"
    sisnaker = GatewayClient(client_code, sign_key(7, client_code), WsgiTransport(market.app))
    with market.app.app_context():
        course = db.session.execute(
            select(Course)
            .join(CourseListing)
            .where(CourseListing.platform_slug == "sisnaker")
            .order_by(Course.course_code)
            .limit(1)
        ).scalar_one()
        course_code, schedule_code = course.course_code, course.schedules[-1].schedule_code
    quota = sisnaker.quota_schedule(course_code, schedule_code)
    assert quota.ok, quota.body
    assert quota.data["quota"] >= 30


def test_seeded_cards_past_their_deadline_are_revoked_by_the_next_clock_advance(market):
    seed_app(market.app, tiny_run(start=1_000, count=300, anchor=None))  # historic: April 2020
    ran = market.advance(minutes=1)["ran"]
    assert ran["cards_revoked"] >= 300
    card = market.card(participant_card_number(7, 1_100))
    assert (card.status, card.balance) == ("revoked", 0)
    assert market.ledger(card.number) == [1_000_000, -1_000_000]
    market.assert_reconciled()


def test_the_same_range_cannot_be_seeded_twice(market):
    seed_app(market.app, tiny_run())
    before = market.count(Participant)
    with pytest.raises(SeedError, match="already seeded"):
        seed_app(market.app, tiny_run())
    assert market.count(Participant) == before


def test_a_failed_run_leaves_no_partial_wave(market, monkeypatch):
    failing_at = WAVE_48 + 150

    def flaky(seed_value, i):
        if i == failing_at:
            raise RuntimeError("disk full (simulated)")
        return participant(seed_value, i)

    monkeypatch.setattr(loaders, "participant", flaky)
    monkeypatch.setattr(loaders, "BATCH", 100)
    with pytest.raises(RuntimeError):
        seed_app(market.app, tiny_run(start=WAVE_48 - 300))
    with market.app.app_context():

        def seeded(first, end):
            numbers = [participant_card_number(7, i) for i in range(first, end)]
            return db.session.scalar(select(func.count()).where(Card.number.in_(numbers)))

        assert seeded(WAVE_48 - 300, WAVE_48) == 300  # wave 47: committed whole
        assert seeded(WAVE_48, WAVE_48 + 300) == 0  # wave 48: rolled back whole
    market.assert_reconciled()


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=["seed", *args])


def test_cli_seeds_a_preset_and_reports(app):
    result = _cli(app, "run", "--preset", "tiny", "--seed", "3", "--anchor-date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "seeded 1,000 participants" in result.output and "rows/s" in result.output
    assert "catalog_seed.identity.participant_card_number(3, i)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--preset", "huge"], "Invalid value for '--preset'"),
        (["run", "--count", "0"], "Invalid value for '--count'"),
        (["run", "--seed", "-1"], "Invalid value for '--seed'"),
        (["run", "--anchor-date", "21-11-2026"], "Invalid value for '--anchor-date'"),
        (["run", "--historic", "--anchor-date", "2026-11-21"], "exclude each other"),
        (["run", "--start", str(plan.CAPACITY - 5), "--count", "10"], "must lie within"),
        (["run", "--courses", "5"], "Invalid value for '--courses'"),
    ],
)
def test_cli_rejects_bad_arguments_and_writes_nothing(app, args, message):
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Participant))
    result = _cli(app, *args)
    assert result.exit_code != 0
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == before


def test_cli_who_and_export_use_the_identity_functions(app, tmp_path):
    who = json.loads(_cli(app, "who", "--seed", "5", "42").output)
    assert who["card_number"] == participant_card_number(5, 42) and who["wave"] == 1
    person = participant(5, 42)
    assert (who["birth_date"], who["education"]) == (
        person.birth_date.isoformat(),
        person.education,
    )
    out = tmp_path / "participants.csv"
    result = _cli(app, "export", "--seed", "5", "--start", "40", "--count", "3", "--out", str(out))
    assert result.exit_code == 0, result.output
    lines = out.read_text().splitlines()
    assert lines[0] == "i,wave,card_number,phone,nik,name,email,birth_date,education"
    assert lines[3].startswith(f"42,1,{participant_card_number(5, 42)},{participant_phone(5, 42)}")
    assert lines[3].endswith(f",{person.birth_date.isoformat()},{person.education}")


def test_cli_lists_the_presets(app):
    output = _cli(app, "presets").output
    for name in ("demo", *PRESETS):
        assert name in output


def test_benchmark_prints_rows_per_second_and_peak_memory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "catalog_seed.bench", "--count", "3000"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.splitlines()[0])
    assert figures["participants"] == 3000 and figures["rows"] == 9000
    assert figures["rows_per_s"] > 0 and figures["peak_rss_mb"] > 0
