"""Every rule checked at purchase time (card, course, schedule, quota, the participant's age and
education, invoice, account binding) refuses with its own code, HTTP 400, and moves no saldo."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Course, CourseSchedule
from marketplace.clock import current_clock, wib_date
from marketplace.db import db
from prakerja_gateway.domain import make_card_number
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Card
from tests.helpers import refusal

pytestmark = pytest.mark.usefixtures("books_balance")


# --- small factories: change the test database the way a scenario needs ----------------------
def edit(market, model, column, value, **changes) -> None:
    """Set ``changes`` on the one row of ``model`` whose ``column`` is ``value``."""
    with market.app.app_context():
        row = db.session.execute(select(model).where(column == value)).scalar_one()
        for name, new in changes.items():
            setattr(row, name, new)
        db.session.commit()


def edit_participant(market, persona, **changes) -> None:
    with market.app.app_context():
        card = db.session.execute(
            select(Card).where(Card.number == persona.card_number)
        ).scalar_one()
        for name, new in changes.items():
            setattr(card.participant, name, new)
        db.session.commit()


def simulated_now(market) -> datetime:
    return datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def quota(market, course_code: str, schedule_code: str) -> int:
    response = market.tokopedia.quota_schedule(course_code, schedule_code)
    assert response.status == 200, response.body
    return response.data["quota"]


def leave_seats(market, course_code: str, schedule_code: str, seats: int) -> None:
    """Lower the schedule's capacity so that exactly ``seats`` remain unsold."""
    sold_out_at = quota(market, course_code, schedule_code)
    with market.app.app_context():
        schedule = db.session.execute(
            select(CourseSchedule).where(CourseSchedule.schedule_code == schedule_code)
        ).scalar_one()
        schedule.capacity = schedule.capacity - sold_out_at + seats
        db.session.commit()


# --- the card (our extension: card-inquiry) ------------------------------------------------
def test_inquiry_reports_saldo_and_purchase_ability(market):
    persona = market.mint("ok")
    response = market.tokopedia.card_inquiry(persona.card_number, 1_000_000)
    assert response.status == 200
    data = response.data
    assert data["balance"] == 3_500_000 and data["scheme"] == "normal"
    assert data["can_purchase"] is True and data["reasons"] == []
    assert data["card_number_masked"].endswith(persona.card_number[-4:])
    assert persona.card_number not in str(response.body)


@pytest.mark.parametrize(
    ("key", "reasons"),
    [
        (
            "revoked",
            ["card_revoked", "participant_blacklisted", "deadline_passed", "insufficient_saldo"],
        ),
        ("deadline_passed", ["deadline_passed"]),
        ("low_saldo", ["insufficient_saldo"]),
        ("previous_unfinished", ["previous_training_unfinished"]),
        ("no_linked_account", ["payout_account_not_linked"]),
    ],
)
def test_inquiry_lists_every_reason_a_card_cannot_buy(market, key, reasons):
    persona = market.mint(key)
    response = market.tokopedia.card_inquiry(persona.card_number, 100_000)
    assert response.status == 200
    assert response.data["can_purchase"] is False
    assert response.data["reasons"] == reasons
    assert response.data["messages"] == [GATEWAY_ERRORS[name].message for name in reasons]


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("low_saldo", "insufficient_saldo"),
        ("revoked", "card_revoked"),
        ("deadline_passed", "deadline_passed"),
        ("previous_unfinished", "previous_training_unfinished"),
        ("no_linked_account", "payout_account_not_linked"),
    ],
)
def test_send_otp_refuses_cards_that_may_not_buy(market, key, name):
    persona = market.mint(key)
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal(name), response.body
    assert response.status == 400 and response.body["success"] is False
    assert response.message  # Indonesian text for people
    assert market.sms(persona.phone) == []
    assert market.card(persona.card_number).balance == persona.balance


def test_saldo_too_low_for_a_pricier_course_is_refused(market):
    persona = market.mint("ok")
    assert market.send_otp(persona, course_code="BIS-002").status == 200  # 1.5M of 3.5M
    low = market.mint("low_saldo")  # 50.000 left
    response = market.send_otp(low, course_code="FIN-001")
    assert (response.status, response.error_code) == refusal("insufficient_saldo")
    assert response.body["details"]["balance"] == 50_000


@pytest.mark.parametrize(
    ("card_number", "name"),
    [
        ("1234", "invalid_card_number"),
        ("52048900000000AB", "invalid_card_number"),
        ("52048900000000\uff115", "invalid_card_number"),  # a full-width digit
        ("5204890000000016", "card_not_found"),  # 16 digits: no check digit is required
        ("1234567890123456", "card_not_found"),  # the test ID a public platform suite uses
        (make_card_number(48, 9_999_999_999), "card_not_found"),
    ],
)
def test_card_number_format_and_existence(market, card_number, name):
    response = market.tokopedia.card_inquiry(card_number)
    assert (response.status, response.error_code) == refusal(name)
    response = market.tokopedia.send_otp(
        prakerja_id=card_number,
        user_platform_id="a",
        course_code="DIG-004",
        schedule_code=market.open_schedule("DIG-004"),
        amount=100_000,
    )
    assert (response.status, response.error_code) == refusal(name)


# --- the course -------------------------------------------------------------------------------
def test_unknown_course_is_refused(market):
    persona = market.mint("ok")
    response = market.send_otp(
        persona, course_code="NOPE-1", schedule_code=market.open_schedule("DIG-004"), amount=1
    )
    assert (response.status, response.error_code) == refusal("course_not_found")


def test_course_not_sold_on_this_platform_is_refused(market):
    persona = market.mint("ok")
    response = market.send_otp(persona, partner=market.bukalapak, course_code="BIS-002")
    assert (response.status, response.error_code) == refusal("course_not_listed")


def test_amount_must_equal_the_course_price(market):
    persona = market.mint("ok")
    response = market.send_otp(persona, course_code="DIG-001", amount=999_999)
    assert (response.status, response.error_code) == refusal("amount_mismatch")
    assert response.body["details"] == {"amount": 999_999, "price": 1_000_000}


# --- the schedule -----------------------------------------------------------------------------
def test_unknown_schedule_is_refused(market):
    persona = market.mint("ok")
    response = market.send_otp(persona, course_code="DIG-004", schedule_code="9d683f80404811ed")
    assert (response.status, response.error_code) == refusal("schedule_not_found")
    asked = market.tokopedia.quota_schedule("DIG-004", "9d683f80404811ed")
    assert (asked.status, asked.error_code) == refusal("schedule_not_found")


def test_a_schedule_of_another_course_is_refused(market):
    persona = market.mint("ok")
    others = market.open_schedule("DIG-001")
    response = market.send_otp(persona, course_code="DIG-004", schedule_code=others)
    assert (response.status, response.error_code) == refusal("schedule_course_mismatch")
    asked = market.tokopedia.quota_schedule("DIG-004", others)
    assert (asked.status, asked.error_code) == refusal("schedule_course_mismatch")
    unknown_course = market.tokopedia.quota_schedule("NOPE-1", others)
    assert (unknown_course.status, unknown_course.error_code) == refusal("course_not_found")
    assert market.sms(persona.phone) == []


@pytest.mark.parametrize(("course_code", "platform"), [("DIG-002", "tokopedia"),
                                                       ("TEK-002", "pintaria")])  # fmt: skip
def test_a_webinar_or_offline_run_is_sold_until_it_starts(market, course_code, platform):
    schedule = market.open_schedule(course_code)
    edit(market, CourseSchedule, CourseSchedule.schedule_code, schedule,
         starts_at=simulated_now(market) + timedelta(minutes=1))  # fmt: skip
    partner = market.partner(platform)
    early = market.mint("ok")
    opened = market.send_otp(early, partner=partner, course_code=course_code,
                             schedule_code=schedule)  # fmt: skip
    assert opened.status == 200, opened.body
    market.advance(minutes=1)
    late = market.mint("ok")
    response = market.send_otp(late, partner=partner, course_code=course_code,
                               schedule_code=schedule)  # fmt: skip
    assert (response.status, response.error_code) == refusal("schedule_started")
    assert market.sms(late.phone) == []


def test_a_self_paced_batch_is_sold_after_it_opened_until_it_ends(market):
    schedule = market.open_schedule("DIG-001")
    now = simulated_now(market)
    edit(market, CourseSchedule, CourseSchedule.schedule_code, schedule,
         starts_at=now - timedelta(days=10), ends_at=now + timedelta(minutes=1))  # fmt: skip
    bought = market.buy(market.mint("ok"), course_code="DIG-001", schedule_code=schedule)
    assert bought.status == 200, bought.body
    market.advance(minutes=1)
    response = market.send_otp(market.mint("ok"), course_code="DIG-001", schedule_code=schedule)
    assert (response.status, response.error_code) == refusal("schedule_started")


def test_a_full_schedule_refuses_at_send_otp_and_at_authorize(market):
    schedule = market.open_schedule("DIG-004")
    leave_seats(market, "DIG-004", schedule, 1)
    assert quota(market, "DIG-004", schedule) == 1
    first, second = market.mint("ok"), market.mint("ok")
    opened = [
        market.send_otp(buyer, course_code="DIG-004", schedule_code=schedule)
        for buyer in (first, second)
    ]
    assert [o.status for o in opened] == [200, 200]  # a seat is taken when the purchase is
    assert market.authorize(opened[0], "123456").status == 200
    assert quota(market, "DIG-004", schedule) == 0

    last_seat_gone = market.authorize(opened[1], "123456")
    assert (last_seat_gone.status, last_seat_gone.error_code) == refusal("quota_full")
    assert market.card(second.card_number).balance == 3_500_000
    assert market.payment_of(opened[1]).failure_code == "quota_full"
    third = market.mint("ok")
    response = market.send_otp(third, course_code="DIG-004", schedule_code=schedule)
    assert (response.status, response.error_code) == refusal("quota_full")
    assert market.sms(third.phone) == []


# --- who may buy: the course's age and education requirements --------------------------------
@pytest.mark.parametrize(
    ("years", "days", "allowed"),
    [
        (18, 0, True),  # turns 18 today
        (18, 1, False),  # turns 18 tomorrow
        (36, 1, True),  # still 35, 36 tomorrow
        (36, 0, False),  # turned 36 today
    ],
)
def test_age_must_be_within_the_courses_range_on_the_purchase_day(market, years, days, allowed):
    edit(market, Course, Course.course_code, "DIG-004", min_age=18, max_age=35)
    persona = market.mint("ok")
    today = wib_date(simulated_now(market))
    edit_participant(market, persona, birth_date=years_before(today, years) + timedelta(days))
    response = market.send_otp(persona, course_code="DIG-004")
    if allowed:
        assert response.status == 200, response.body
    else:
        assert (response.status, response.error_code) == refusal("age_not_eligible")
        assert response.body["details"]["min_age"] == 18
        assert response.body["details"]["max_age"] == 35
        assert market.sms(persona.phone) == []


def test_an_unknown_birth_date_does_not_meet_an_age_requirement(market):
    edit(market, Course, Course.course_code, "DIG-004", min_age=18)
    persona = market.mint("ok")
    edit_participant(market, persona, birth_date=None)
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("age_not_eligible")
    assert market.send_otp(persona, course_code="FIN-001").status == 200  # no requirement


@pytest.mark.parametrize(
    ("education", "allowed"),
    [("SD", False), ("SMP", False), ("SMA", True), ("D3", True), ("S1", True), (None, False)],
)
def test_education_must_reach_the_courses_minimum(market, education, allowed):
    edit(market, Course, Course.course_code, "DIG-004", min_education="SMA")
    persona = market.mint("ok")
    edit_participant(market, persona, education=education)
    response = market.send_otp(persona, course_code="DIG-004")
    if allowed:
        assert response.status == 200, response.body
    else:
        assert (response.status, response.error_code) == refusal("education_not_eligible")
        assert response.body["details"]["min_education"] == "SMA"


def test_requirement_refusals_move_nothing(market):
    edit(market, Course, Course.course_code, "DIG-004", max_age=20, min_education="S2")
    persona = market.mint("ok")
    edit_participant(market, persona, birth_date=date(1980, 1, 1), education="S3")
    response = market.send_otp(persona, course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("age_not_eligible")
    assert market.card(persona.card_number).balance == 3_500_000


# --- the invoice ------------------------------------------------------------------------------
def test_invoice_code_is_unique_per_platform_at_authorize(market):
    first, second, elsewhere = market.mint("ok"), market.mint("ok"), market.mint("ok")
    bought = market.buy(first, invoice_code="INV-SAME")
    assert bought.status == 200
    opened = market.send_otp(second)
    again = market.authorize(opened, "123456", invoice_code="INV-SAME")
    assert (again.status, again.error_code) == refusal("invoice_code_used")
    assert market.card(second.card_number).balance == 3_500_000
    assert market.authorize(opened, "123456", invoice_code="INV-OTHER").status == 200
    status = market.tokopedia.payment_status("INV-SAME")
    assert status.data["transaction_code"] == bought.data["transaction_code"]
    other_platform = market.buy(elsewhere, partner=market.pintaria, invoice_code="INV-SAME")
    assert other_platform.status == 200, other_platform.body


def test_invoice_code_may_be_a_json_integer(market):
    """The docs type it "integer" in one table and a string in every example: both work."""
    bought = market.buy(market.mint("ok"), invoice_code=20240001)
    assert bought.status == 200, bought.body
    assert bought.data["invoice_code"] == "20240001"
    status = market.tokopedia.payment_status("20240001")
    assert status.data["transaction_code"] == bought.data["transaction_code"]
    opened = market.send_otp(market.mint("ok"))
    same_as_text = market.authorize(opened, "123456", invoice_code="20240001")
    assert (same_as_text.status, same_as_text.error_code) == refusal("invoice_code_used")


# --- one card per platform account ------------------------------------------------------------
def test_a_card_belongs_to_the_first_account_that_paid_with_it_per_platform(market):
    persona = market.mint("ok")
    bought = market.buy(persona, account_id="andi", course_code="DIG-004")
    assert bought.status == 200
    market.complete(bought.data["transaction_code"], rating=5, review="Bagus")

    other_account = market.send_otp(persona, account_id="budi", course_code="DIG-004")
    assert (other_account.status, other_account.error_code) == refusal(
        "card_bound_to_other_account"
    )
    same_account = market.send_otp(persona, account_id="andi", course_code="DIG-004")
    assert same_account.status == 200
    elsewhere = market.send_otp(
        persona, partner=market.pintaria, account_id="budi", course_code="DIG-004"
    )
    assert elsewhere.status == 200


def test_an_account_may_use_only_one_card_per_platform(market):
    first, second = market.mint("ok"), market.mint("ok")
    assert market.buy(first, account_id="andi", course_code="DIG-004").status == 200
    response = market.send_otp(second, account_id="andi", course_code="DIG-004")
    assert (response.status, response.error_code) == refusal("account_bound_to_other_card")


def test_binding_is_rechecked_at_authorize(market):
    """Two accounts open payments with one card; the second to pay is refused, money intact."""
    persona = market.mint("ok")
    first = market.send_otp(persona, account_id="andi", course_code="DIG-004")
    second = market.send_otp(persona, account_id="budi", course_code="FIN-001")
    assert market.authorize(first, "123456").status == 200
    bought = market.payment_of(first)
    market.complete(bought.transaction_code, rating=4, review="Oke")
    refused = market.authorize(second, "123456")
    assert (refused.status, refused.error_code) == refusal("card_bound_to_other_account")
    assert market.card(persona.card_number).balance == 3_500_000 - 100_000
    payment = market.payment_of(second)
    assert (payment.status, payment.failure_code) == ("failed", "card_bound_to_other_account")


def test_an_otp_sent_before_a_run_starts_cannot_buy_after_it_started(market):
    """send-otp checks the start; authorize checks it again, so the seat is never sold late."""
    persona = market.mint("ok")
    with market.app.app_context():
        now = current_clock().now()
        schedule = (
            db.session.execute(
                select(CourseSchedule)
                .join(Course, Course.id == CourseSchedule.course_id)
                .where(Course.course_type == "webinar", CourseSchedule.starts_at > now)
                .order_by(CourseSchedule.starts_at)
            )
            .scalars()
            .first()
        )
        course_code = schedule.course.course_code
        schedule_code = schedule.schedule_code
        schedule.starts_at = now + timedelta(minutes=1)
        db.session.commit()
    opened = market.send_otp(persona, course_code=course_code, schedule_code=schedule_code)
    assert opened.ok, opened.body
    market.advance(minutes=2)
    late = market.authorize(opened, persona.otp)
    assert (late.status, late.error_code) == (400, GATEWAY_ERRORS["schedule_started"].code)
    assert market.ledger(persona.card_number, "debit") == []
