"""The sandbox as testers use it: personas (with age and education), the catalogue with its
schedules and quotas, Prakerja's side of a purchase, outboxes, phone page, reconcile, access."""

from __future__ import annotations

import re
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

from catalog_seed.demo import COURSES, REQUIREMENTS, SMALL_CLASSES, demo_schedule_codes
from marketplace.catalog.models import EDUCATION_LEVELS
from marketplace.clock import current_clock, wib_date
from marketplace.db import db
from prakerja_gateway import domain
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.models import Card, ScheduleSeats
from prakerja_gateway.sandbox.personas import PERSONAS

CONTRACT_KEYS = {
    "ok",
    "sms",
    "semi_bansos",
    "revoked",
    "deadline_passed",
    "low_saldo",
    "previous_unfinished",
    "no_linked_account",
    "sms_lost",
    "processing_error",
    "slow",
    "too_old",
    "low_education",
}
PERSONA_FIELDS = {
    "key",
    "card_number",
    "prakerja_id",
    "phone",
    "email",
    "otp",
    "description",
    "birth_date",
    "education",
}
RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
# The public DP test suite's sandbox OTP; 112233 is its example of a wrong one.
SANDBOX_OTP = "123456"


def _personas(market) -> dict[str, dict]:
    personas = market.http.get("/sandbox/personas").get_json()["personas"]
    return {persona["key"]: persona for persona in personas}


def _courses(market) -> dict[str, dict]:
    courses = market.http.get("/sandbox/courses").get_json()["courses"]
    return {course["course_code"]: course for course in courses}


def _today(market) -> date:
    with market.app.app_context():
        return wib_date(current_clock().now())


def test_documented_personas_cover_the_contract(market):
    by_key = _personas(market)
    assert set(by_key) == CONTRACT_KEYS
    for persona in by_key.values():
        assert set(persona) >= PERSONA_FIELDS
        assert len(persona["card_number"]) == 16
        assert persona["prakerja_id"] == persona["card_number"]
        assert persona["education"] in EDUCATION_LEVELS
        assert date.fromisoformat(persona["birth_date"])
    assert by_key["ok"]["otp"] == SANDBOX_OTP == domain.OtpFormat().fixed_code
    assert SANDBOX_OTP in by_key["ok"]["description"] and "112233" not in str(by_key)
    assert by_key["sms"]["otp"] is None
    assert by_key["ok"]["card_number"] == "5204890000000015"  # documented in the README


# Published in docs/sandbox.md: outside test suites hard-code these, so they must never change.
DOCUMENTED_CARDS = {
    "ok": "5204890000000015",
    "sms": "5204890000000023",
    "semi_bansos": "5204790000000116",
    "revoked": "5204790000000033",
    "deadline_passed": "5204790000000041",
    "low_saldo": "5204790000000058",
    "previous_unfinished": "5204890000000064",
    "no_linked_account": "5204890000000072",
    "sms_lost": "5204890000000080",
    "processing_error": "5204890000000098",
    "slow": "5204890000000106",
    "too_old": "5204890000000122",
    "low_education": "5204890000000130",
}
DOCUMENTED_PROFILES = {  # birth date (from the NIK), education
    "ok": ("1990-06-05", "S1"),
    "too_old": ("1962-05-10", "SMA"),
    "low_education": ("1998-02-03", "SD"),
}


def test_documented_card_numbers_and_profiles_never_change(market):
    by_key = _personas(market)
    assert {key: p["card_number"] for key, p in by_key.items()} == DOCUMENTED_CARDS
    assert len(DOCUMENTED_CARDS) == len(PERSONAS)
    for key, (born, education) in DOCUMENTED_PROFILES.items():
        assert (by_key[key]["birth_date"], by_key[key]["education"]) == (born, education)
    assert by_key["too_old"]["phone"] == "081200000012"


def _refusal(persona: dict, course: dict, today: date) -> str | None:
    return domain.requirement_refusal(
        birth_date=date.fromisoformat(persona["birth_date"]),
        education=persona["education"],
        min_age=course["min_age"],
        max_age=course["max_age"],
        min_education=course["min_education"],
        today=today,
        levels=EDUCATION_LEVELS,
    )


def test_standard_personas_meet_every_requirement_and_two_fail_some_on_every_platform(market):
    personas, courses, today = _personas(market), _courses(market), _today(market)
    failing = {key: set() for key in personas}
    for key, persona in personas.items():
        for code, course in courses.items():
            if _refusal(persona, course, today):
                failing[key].add(code)
    assert failing.pop("too_old") == {"BHS-002", "TEK-001"}
    assert failing.pop("low_education") == {"DIG-003", "TEK-001"}
    assert all(not codes for codes in failing.values()), failing
    for codes in ({"BHS-002", "TEK-001"}, {"DIG-003", "TEK-001"}):
        platforms = {slug for code in codes for slug in courses[code]["platforms"]}
        assert platforms == {"tokopedia", "bukalapak", "pintaria"}


@pytest.mark.parametrize("persona", PERSONAS, ids=lambda persona: persona.key)
def test_every_persona_can_be_minted_fresh(market, persona):
    response = market.http.post(f"/sandbox/personas/{persona.key}")
    assert response.status_code == 201
    minted = response.get_json()
    assert set(minted) >= PERSONA_FIELDS
    low, high = persona.age_range
    age = domain.age_on(date.fromisoformat(minted["birth_date"]), _today(market))
    assert low <= age <= high
    assert minted["education"] == (persona.education or minted["education"])
    assert minted["education"] in EDUCATION_LEVELS
    again = market.http.post(f"/sandbox/personas/{persona.key}").get_json()
    assert again["card_number"] != minted["card_number"]
    assert again["phone"] != minted["phone"]
    market.assert_reconciled()


def test_minted_personas_meet_or_fail_the_demo_requirements_as_documented(market):
    courses, today = _courses(market), _today(market)
    for _ in range(5):
        ok = market.http.post("/sandbox/personas/ok").get_json()
        assert not any(_refusal(ok, course, today) for course in courses.values())
        old = market.http.post("/sandbox/personas/too_old").get_json()
        assert _refusal(old, courses["BHS-002"], today) == "age_not_eligible"
        low = market.http.post("/sandbox/personas/low_education").get_json()
        assert _refusal(low, courses["DIG-003"], today) == "education_not_eligible"


def test_a_standard_persona_can_buy_every_demo_course_on_every_platform(market):
    for code, course in _courses(market).items():
        for slug in course["platforms"]:
            bought = market.buy(
                market.mint("ok"),
                partner=market.partner(slug),
                course_code=code,
                amount=course["price"],
            )
            assert bought.ok, (code, slug, bought.body)
    market.assert_reconciled()


@pytest.mark.parametrize(
    ("key", "course_code", "platform", "refusal"),
    [
        ("too_old", "TEK-001", "tokopedia", "age_not_eligible"),
        ("too_old", "BHS-002", "pintaria", "age_not_eligible"),
        ("low_education", "DIG-003", "tokopedia", "education_not_eligible"),
        ("low_education", "TEK-001", "bukalapak", "education_not_eligible"),
    ],
)
def test_send_otp_refuses_the_personas_that_miss_a_requirement(
    market, key, course_code, platform, refusal
):
    persona = market.mint(key)
    opened = market.send_otp(persona, partner=market.partner(platform), course_code=course_code)
    assert (opened.status, opened.error_code) == (400, GATEWAY_ERRORS[refusal].code), opened.body
    assert market.sms(persona.phone) == []


def test_unknown_persona_is_404_in_the_failure_envelope(market):
    response = market.http.post("/sandbox/personas/nobody")
    assert response.status_code == 404
    body = response.get_json()
    assert (body["code"], body["success"]) == ("ERRSBX40401", False)
    assert "too_old" in body["details"]["known"]


def test_courses_list_requirements_and_schedules(market):
    courses = _courses(market)
    assert set(courses) == {code for code, *_ in COURSES}
    for code, course in courses.items():
        assert {
            "course_code",
            "title",
            "price",
            "institution",
            "lp_client_code",
            "platforms",
            "type",
            "min_age",
            "max_age",
            "min_education",
            "schedules",
        } <= set(course)
        assert isinstance(course["price"], int)
        expected = REQUIREMENTS.get(code, (None, None, None))
        assert (course["min_age"], course["max_age"], course["min_education"]) == expected
        assert [s["schedule_code"] for s in course["schedules"]] == demo_schedule_codes(code)
        for schedule in course["schedules"]:
            assert {"schedule_code", "start", "end", "quota", "capacity"} <= set(schedule)
            assert RFC3339_UTC.fullmatch(schedule["start"])
            assert RFC3339_UTC.fullmatch(schedule["end"])
            assert schedule["start"] < schedule["end"]


def _instant(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def test_every_demo_course_has_a_schedule_on_sale_now_and_for_weeks(market):
    for days_later, first_run_within in (
        (0, timedelta(days=1, hours=10)),
        (60, timedelta(days=14)),
    ):
        market.advance(days=days_later)
        with market.app.app_context():
            now = current_clock().now()
        for code, course in _courses(market).items():
            on_sale = next(s for s in course["schedules"] if s["on_sale"])
            if course["type"] == "self_paced":  # bought after it opened, until it ends
                assert _instant(on_sale["start"]) < now < _instant(on_sale["end"]), code
                assert on_sale["capacity"] == 1_000_000
            else:  # bought before it starts
                assert now < _instant(on_sale["start"]) <= now + first_run_within, code
                seats = {"webinar": 500, "offline": 40}[course["type"]]
                assert on_sale["capacity"] == SMALL_CLASSES.get(code, seats)


def test_dated_courses_also_list_the_run_that_has_started(market):
    with market.app.app_context():
        now = current_clock().now()
    for code, course in _courses(market).items():
        if course["type"] == "self_paced":
            continue
        running = course["schedules"][0]
        assert _instant(running["start"]) < now < _instant(running["end"]), code
        assert running["on_sale"] is False  # quota may remain: a run is sold until it starts


def test_the_small_class_sells_out_in_three_purchases(market):
    course = _courses(market)["TEK-003"]
    run = next(s for s in course["schedules"] if s["on_sale"])
    assert run["quota"] == 3
    for _ in range(3):
        bought = market.buy(
            market.mint("ok"),
            course_code="TEK-003",
            schedule_code=run["schedule_code"],
            amount=course["price"],
        )
        assert bought.ok, bought.body
    after = {s["schedule_code"]: s for s in _courses(market)["TEK-003"]["schedules"]}
    sold_out = after[run["schedule_code"]]
    assert sold_out["quota"] == 0 and sold_out["on_sale"] is False
    refused = market.send_otp(
        market.mint("ok"),
        course_code="TEK-003",
        schedule_code=run["schedule_code"],
        amount=course["price"],
    )
    assert refused.error_code == GATEWAY_ERRORS["quota_full"].code, refused.body
    market.assert_reconciled()


def test_quota_is_the_capacity_minus_the_seats_sold(market):
    course = _courses(market)["TEK-002"]
    schedule_code = course["schedules"][0]["schedule_code"]
    with market.app.app_context():
        db.session.add(ScheduleSeats(schedule_code=schedule_code, sold=40))
        db.session.commit()
    schedule = _courses(market)["TEK-002"]["schedules"][0]
    assert (schedule["quota"], schedule["capacity"], schedule["on_sale"]) == (0, 40, False)


def test_partners_describe_the_demo_marketplace(market):
    partners = market.http.get("/sandbox/partners").get_json()["partners"]
    kinds = {partner["kind"] for partner in partners}
    assert kinds == {"dp", "lp", "sso"}  # sso: the "Login dengan Prakerja" clients
    assert all({"client_code", "sign_key", "kind", "name"} <= set(p) for p in partners)


# --- Prakerja's side of a purchase -------------------------------------------------------------
TRANSACTION_FIELDS = {
    "invoice_code",
    "transaction_code",
    "status",
    "amount",
    "course_code",
    "schedule_code",
    "redeem_code",
    "prakerja_id",
    "prakerja_name",
    "dp_platform",
    "created_at",
}


def _transaction(market, code: str, **params) -> dict:
    response = market.http.get(f"/sandbox/transactions/{code}", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_persona_history_purchase_reads_back_by_every_code(market):
    persona = market.mint("previous_unfinished")
    invoice = f"RIWAYAT-{persona.card_number}"
    found = _transaction(market, invoice)
    assert set(found) >= TRANSACTION_FIELDS
    assert found["status"] == "SUCCESS" and found["prakerja_id"] == persona.card_number
    assert (found["course_code"], found["amount"]) == ("DIG-004", 100_000)
    assert found["schedule_code"] == demo_schedule_codes("DIG-004")[0]
    assert RFC3339_UTC.fullmatch(found["created_at"])
    assert _transaction(market, found["transaction_code"]) == found
    assert _transaction(market, found["redeem_code"]) == found


def test_an_unknown_transaction_is_404_in_the_failure_envelope(market):
    response = market.http.get("/sandbox/transactions/TIDAKADA")
    assert response.status_code == 404
    body = response.get_json()
    assert (body["code"], body["success"]) == ("ERRSBX40402", False)
    persona = market.mint("previous_unfinished")
    elsewhere = market.http.get(
        f"/sandbox/transactions/RIWAYAT-{persona.card_number}",
        query_string={"client_code": "pintaria-sandbox"},  # the history was on Tokopedia
    )
    assert elsewhere.status_code == 404


def test_a_purchase_reads_back_pending_then_success_then_cancelled(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    assert opened.status == 200, opened.body
    pending = _transaction(market, opened.data["payment_token"])
    assert pending["status"] == "PENDING" and pending["invoice_code"] is None
    assert pending["redeem_code"] is None
    bought = market.authorize(opened, SANDBOX_OTP, invoice_code="INV-SBX-1")
    assert bought.ok, bought.body
    found = _transaction(market, "INV-SBX-1")
    assert found["status"] == "SUCCESS" and found["dp_platform"] == "Tokopedia"
    assert found["transaction_code"] == bought.data["transaction_code"]
    assert found["redeem_code"] == market.redeem_code_of(found["transaction_code"])
    assert found["prakerja_name"] == bought.data["prakerja_name"]
    voided = market.tokopedia.void("INV-SBX-1", found["transaction_code"])
    assert voided.ok, voided.body
    assert _transaction(market, found["transaction_code"])["status"] == "CANCELLED"


def test_the_same_invoice_code_on_two_platforms_answers_the_newest_or_the_named_one(market):
    first = market.buy(market.mint("ok"), course_code="DIG-004", invoice_code="INV-DUA")
    assert first.ok, first.body
    market.advance(seconds=5)
    second = market.buy(
        market.mint("ok"), partner=market.pintaria, course_code="DIG-004", invoice_code="INV-DUA"
    )
    assert second.ok, second.body
    newest = _transaction(market, "INV-DUA")
    assert newest["transaction_code"] == second.data["transaction_code"]
    named = _transaction(market, "INV-DUA", client_code="tokopedia-sandbox")
    assert named["transaction_code"] == first.data["transaction_code"]


def test_complete_training_by_redeem_code_or_transaction_code(market):
    persona = market.mint("previous_unfinished")
    history = _transaction(market, f"RIWAYAT-{persona.card_number}")
    done = market.complete(history["redeem_code"], rating=5, review="Bermanfaat sekali.")
    assert done["transaction_code"] == history["transaction_code"]
    assert done["next_purchase_unlocked"] and done["reviewed"]
    assert RFC3339_UTC.fullmatch(done["completed_at"])
    assert _transaction(market, history["transaction_code"])["completed_at"] == done["completed_at"]


def test_complete_training_validates_input(market):
    persona = market.mint("previous_unfinished")
    code = _transaction(market, f"RIWAYAT-{persona.card_number}")["transaction_code"]
    for body in ({"rating": 6, "review": "x"}, {"rating": 5}, {"rating": "5", "review": "x"}):
        response = market.http.post(f"/sandbox/payments/{code}/complete", json=body)
        assert response.status_code == 400, body
    missing = market.http.post("/sandbox/payments/TIDAKADA/complete", json={})
    assert (missing.status_code, missing.get_json()["code"]) == (404, "ERRSBX40402")


def test_complete_refuses_a_purchase_that_did_not_succeed(market):
    persona = market.mint("ok")
    opened = market.send_otp(persona, course_code="DIG-004")
    assert opened.status == 200, opened.body
    pending = _transaction(market, opened.data["payment_token"])
    response = market.http.post(f"/sandbox/payments/{pending['transaction_code']}/complete")
    assert (response.status_code, response.get_json()["code"]) == (409, "ERRSBX40901")


# --- outboxes, reconcile, access ---------------------------------------------------------------
def test_sms_outbox_is_newest_first_and_can_wait(market):
    persona = market.mint("sms")
    market.send_otp(persona, course_code="DIG-004")
    market.advance(seconds=31)
    market.send_otp(persona, course_code="DIG-004")  # the same purchase: the OTP is sent again
    messages = market.sms(persona.phone)
    assert len(messages) == 2 and messages[0]["id"] > messages[1]["id"]
    newest = messages[0]["id"]

    started = time.monotonic()
    assert market.sms(persona.phone, after=newest, wait=0.3) == []
    assert time.monotonic() - started >= 0.3

    def resend_soon():
        time.sleep(0.2)
        market.advance(seconds=31)
        market.send_otp(persona, course_code="DIG-004")

    thread = threading.Thread(target=resend_soon)
    thread.start()
    waited = market.sms(persona.phone, after=newest, wait=2)
    thread.join()
    assert len(waited) == 1 and waited[0]["otp"]


def test_outbox_queries_need_their_parameter(market):
    for path in ("/sandbox/sms", "/sandbox/emails", "/sandbox/sms?phone="):
        response = market.http.get(path)
        assert response.status_code == 400
        assert response.get_json()["code"] == "ERRGEN40002"


def test_phone_page_shows_the_inbox_newest_first(market):
    persona = market.mint("sms")
    market.send_otp(persona, course_code="DIG-004")
    otp = market.latest_otp(persona.phone)
    page = market.http.get(f"/sandbox/phone/{persona.phone}")
    assert page.status_code == 200 and page.content_type.startswith("text/html")
    html = page.get_data(as_text=True)
    assert f'data-otp="{otp}"' in html and 'lang="id"' in html
    empty = market.http.get("/sandbox/phone/089999999999").get_data(as_text=True)
    assert "Belum ada SMS" in empty


def test_reconcile_counts_payments_by_status(market):
    before = market.reconcile()["totals"]
    persona = market.mint("ok")
    market.buy(persona, course_code="DIG-004")
    after = market.reconcile()["totals"]
    assert after["payments_captured"] == before["payments_captured"] + 1
    assert after["cards"] == before["cards"] + 1


def test_reconcile_catches_a_tampered_balance(market):
    assert market.reconcile()["ok"] is True
    persona = market.mint("ok")
    with market.app.app_context():
        db.session.execute(
            update(Card).where(Card.number == persona.card_number).values(balance=Card.balance + 1)
        )
        db.session.commit()
    report = market.reconcile()
    assert report["ok"] is False
    failing = {check["name"]: check for check in report["checks"] if not check["ok"]}
    assert failing["balance_equals_ledger"]["examples"] == [persona.card_number]


def test_sandbox_can_be_put_behind_a_token(make_app):
    client = make_app(SANDBOX_TOKEN="rahasia").test_client()
    refused = client.get("/sandbox/personas")
    assert refused.status_code == 401
    assert refused.get_json()["code"] == "ERRSBX40101"
    assert (
        client.get("/sandbox/personas", headers={"X-Sandbox-Token": "rahasia"}).status_code == 200
    )
    # never in the address, where logs and browser history keep it
    assert client.get("/sandbox/personas?token=rahasia").status_code == 401


def test_sandbox_can_be_switched_off(make_app):
    client = make_app(SANDBOX_ENABLED=False).test_client()
    response = client.get("/sandbox/personas")
    assert response.status_code == 404
    assert response.get_json()["code"] == "ERRGEN40401"


def test_home_page_links_the_test_cards_and_phone(market):
    html = market.http.get("/").get_data(as_text=True)
    assert "5204890000000015" in html and "/sandbox/phone/081200000001" in html
    assert "Rp3.500.000" in html
    for slug in ("tokopedia", "bukalapak", "pintaria"):
        assert f'href="/{slug}/"' in html
