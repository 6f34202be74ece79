"""The institution (LP) API with real signatures, in the public API's shapes: redeem-code status,
Scan Wajah (the first check is the redeem), the 2022 commit, practice tasks with the
institution's feedback, completion (our extension) and every failure of the catalogue."""

from __future__ import annotations

import json
import math
import re
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog_seed.demo import demo_credentials
from marketplace.clock import WIB
from prakerja_gateway.client import GatewayClient
from prakerja_gateway.errors import INSTITUTION_ERRORS
from prakerja_gateway.signing import compact_json, sign
from tests.helpers import Marketplace, pass_face_check, sandbox_off_config

REDIRECT = "https://lpdigi.example/kelas/kembali?sesi=1"
STATUS_FIELDS = [
    "redeem_code",
    "course_code",
    "invoice_code",
    "schedule_code",
    "status",
    "attendance_status",
    "redeem_at",
    "dp_platform",
    "schedule_start_end",
    "course_type",
    "course_type_label",
    "course_learning_method",
    "is_online_attendance",
    "sequence",
]
RFC3339_Z = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def code_of(error_name: str) -> str:
    """The wire code of a refusal we raise by name (ERRTRX400nn)."""
    return INSTITUTION_ERRORS[error_name].code


def bought(market: Marketplace, *, persona: str = "ok", course_code: str = "DIG-004"):
    """A participant who paid for a course on Tokopedia; (persona, redeem code, authorize data)."""
    participant = market.mint(persona)
    paid = market.buy(participant, course_code=course_code)
    assert paid.status == 200, paid.body
    return participant, market.redeem_code_of(paid.data["transaction_code"]), paid.data


def lpdigi(market: Marketplace) -> GatewayClient:
    """LPDIGI's client, with REDIRECT registered as its Scan Wajah callback."""
    lp = market.partner("LPDIGI")
    assert lp.register_redirect_uri("https://lpdigi.example/kelas/kembali").ok
    return lp


def attend(market: Marketplace, lp, code: str, email: str, *, sequence: int = 1) -> dict:
    generated = lp.face_check_url(code, sequence=sequence, redirect_uri=REDIRECT, email=email)
    assert generated.status == 200, generated.body
    back = pass_face_check(market, generated.data["url"])
    query = parse_qs(urlsplit(back).query)
    assert back.startswith("https://lpdigi.example/kelas/kembali?")
    assert query["sesi"] == ["1"] and query["state"] == [generated.data["state"]]
    return generated.data


def refused(answer, name: str) -> None:
    assert answer.status == 400, answer.body
    assert answer.body["code"] == code_of(name) and answer.body["success"] is False
    assert answer.message == INSTITUTION_ERRORS[name].message


def simulated_now(market: Marketplace) -> datetime:
    return datetime.fromisoformat(market.http.get("/sandbox/clock").get_json()["now"])


def schedule_bounds(status: dict) -> tuple[datetime, datetime]:
    """The code's schedule from ``schedule_start_end`` ("YYYY-MM-DD HH:MM - ..." in WIB)."""
    start, end = status["schedule_start_end"].split(" - ")
    return tuple(
        datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=WIB) for text in (start, end)
    )


def advance_to(market: Marketplace, instant: datetime) -> None:
    """The simulated clock moved on to ``instant`` (to the minute after it)."""
    market.advance(minutes=math.ceil((instant - simulated_now(market)).total_seconds() / 60))


def test_status_has_the_documented_fields_types_and_order(market):
    _participant, code, paid = bought(market)
    answer = market.partner("LPDIGI").redeem_code_status(code)
    assert answer.status == 200 and answer.body["success"] is True
    data = answer.data
    assert list(data) == STATUS_FIELDS
    assert data["redeem_code"] == code and re.fullmatch(r"PRAT-[A-Z0-9]{6}", code)
    assert data["course_code"] == "DIG-004" and data["invoice_code"] == paid["invoice_code"]
    assert data["status"] == 1 and data["attendance_status"] == 0 and data["redeem_at"] is None
    assert data["dp_platform"] == "Tokopedia" and data["sequence"] == 1
    assert (data["course_type"], data["course_type_label"]) == (1, "Pembelajaran Mandiri")
    assert data["course_learning_method"] == "Daring" and data["is_online_attendance"] is True
    assert data["schedule_code"] == market.open_schedule("DIG-004")
    window = r"\d{4}-\d\d-\d\d \d\d:\d\d - \d{4}-\d\d-\d\d \d\d:\d\d"
    assert re.fullmatch(window, data["schedule_start_end"])


def test_current_flow_the_first_scan_wajah_is_the_redeem(market):
    participant, code, _paid = bought(market)
    lp = lpdigi(market)
    generated = attend(market, lp, code, participant.email)
    assert generated["course"] == {"type": 1, "learning_method": "Daring"}

    first = lp.redeem_code_status(code, sequence=1).data
    assert first["attendance_status"] == 1 and first["status"] == 1
    assert RFC3339_Z.fullmatch(first["redeem_at"])
    redeemed = datetime.strptime(first["redeem_at"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((simulated_now(market) - redeemed).total_seconds()) < 60
    later = lp.redeem_code_status(code, sequence=2).data
    assert later["attendance_status"] == 0 and later["redeem_at"] == first["redeem_at"]

    refused(lp.redeem_code_commit(code), "redeem_code_used")  # no commit needed, nor possible
    attend(market, lp, code, participant.email, sequence=2)
    assert lp.redeem_code_status(code, sequence=2).data["attendance_status"] == 1
    task = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t1.pdf")
    assert task.status == 200, task.body


def test_legacy_flow_status_then_commit_without_a_face_check(market):
    """The 2022 samples: status, then commit; the code is used and tasks may follow."""
    _participant, code, _paid = bought(market)
    lp = market.partner("LPDIGI")
    assert lp.redeem_code_status(code).data["redeem_at"] is None
    committed = lp.redeem_code_commit(code)
    assert committed.status == 200, committed.body
    assert committed.body == {
        "success": True,
        "message": "OK",
        "data": {"redeem_code": code, "course_code": "DIG-004", "status": 1},
    }
    after = lp.redeem_code_status(code).data
    assert RFC3339_Z.fullmatch(after["redeem_at"]) and after["attendance_status"] == 0
    refused(lp.redeem_code_commit(code), "redeem_code_used")
    uk = lp.submit_task(code, scope="uk", sequence=999, url_file="https://lp.example/uk.pdf")
    assert uk.status == 200 and uk.data["status"] == 2


def test_completion_is_our_extension_and_needs_the_skills_demonstration(market):
    participant, code, _paid = bought(market)
    lp = lpdigi(market)
    refused(lp.report_completion(code, "CERT-0001"), "redeem_code_not_committed")
    attend(market, lp, code, participant.email)
    refused(lp.report_completion(code, "CERT-0001"), "training_not_finished")
    lp.submit_task(code, scope="uk", sequence=999, url_file="https://lp.example/uk.pdf")

    done = lp.report_completion(code, "CERT-0001")
    assert done.status == 200, done.body
    assert done.data["status"] == "completed" and done.data["certificate_number"] == "CERT-0001"
    assert RFC3339_Z.fullmatch(done.data["completed_at"])
    refused(lp.report_completion(code, "CERT-0001"), "training_already_completed")
    assert lp.redeem_code_status(code).data["status"] == 2  # ours: completed
    assert any("CERT-0001" in mail["body"] for mail in market.emails(participant.email))
    old_path = lp.call(
        "/api/v1/integration/payment/redeem-code/complete",
        {"redeem_code": code, "certificate_number": "CERT-0001"},
    )
    assert old_path.status == 404
    market.assert_reconciled()


def test_completion_unlocks_the_next_purchase_of_a_semi_bansos_card(market):
    participant, code, _paid = bought(market, persona="semi_bansos")
    lp = market.partner("LPDIGI")
    assert lp.redeem_code_commit(code).status == 200
    blocked = market.send_otp(participant, course_code="FIN-001")
    assert blocked.error_code == "ERRPLT40017"  # previous training unfinished
    lp.submit_task(code, scope="uk", sequence=999, url_file="https://lp.example/uk.pdf")
    assert lp.report_completion(code, "CERT-SB-1").data["next_purchase_unlocked"] is True
    assert market.buy(participant, course_code="FIN-001").status == 200
    market.assert_reconciled()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sequence": 0}, "sequence"),
        ({"sequence": 11}, "sequence"),
        ({"sequence": 998}, "sequence"),
        ({"sequence": 1000}, "sequence"),
        ({"sequence": "1"}, "sequence"),
        ({"redeem_code": 5}, "redeem_code"),
    ],
)
def test_status_takes_sequences_1_to_10_and_999_only(market, body, field):
    answer = market.partner("LPDIGI").call(
        "/api/v1/integration/payment/redeem-code/status", {"redeem_code": "PRAT-AAAAAA", **body}
    )
    assert (answer.status, answer.error_code) == (400, "ERRGEN40002")
    assert list(answer.body["details"]["fields"]) == [field]


def test_url_generate_defaults_to_sequence_1_and_answers_integer_types(market):
    participant, code, _paid = bought(market)
    lp = lpdigi(market)
    generated = lp.face_check_url(code, redirect_uri=REDIRECT, email=participant.email)
    assert generated.status == 200, generated.body
    assert list(generated.data) == ["url", "state", "course"]
    assert generated.data["course"] == {"type": 1, "learning_method": "Daring"}
    pass_face_check(market, generated.data["url"])
    assert lp.redeem_code_status(code, sequence=1).data["attendance_status"] == 1


@pytest.mark.parametrize("sandbox", [True, False])
def test_redirect_uri_must_be_registered_and_the_sandbox_allows_localhost(make_app, sandbox):
    market = Marketplace(make_app(**({} if sandbox else sandbox_off_config())))
    lp = market.partner("LPDIGI")
    code = _committed_code_without_the_sandbox(market) if not sandbox else bought(market)[1]

    def generate(uri, lp=lp, code=code):
        return lp.face_check_url(code, redirect_uri=uri, email="a@lpdigi.example")

    refused(generate(REDIRECT), "redirect_uri_not_registered")
    registered = lp.register_redirect_uri("https://lpdigi.example/kelas/kembali")
    assert registered.data == {"redirect_uris": ["https://lpdigi.example/kelas/kembali"]}
    assert lp.register_redirect_uri("https://lpdigi.example/kelas/kembali").status == 200
    assert generate(REDIRECT).status == 200  # the query may differ
    assert generate("https://lpdigi.example:443/kelas/kembali").status == 200
    refused(generate("https://lpdigi.example/kelas/lain"), "redirect_uri_not_registered")
    refused(generate("http://lpdigi.example/kelas/kembali"), "redirect_uri_not_registered")
    refused(generate("https://lpdigi.example:abc/kelas"), "redirect_uri_not_registered")
    local = generate("http://127.0.0.1:5000/lembaga/kembali")
    if sandbox:
        assert local.status == 200 and generate("http://localhost/x").status == 200
    else:
        refused(local, "redirect_uri_not_registered")


def _committed_code_without_the_sandbox(market: Marketplace) -> str:
    """With the sandbox off there are no personas: a demo participant buys (the OTP from the
    outbox table, read directly)."""
    from sqlalchemy import select

    from marketplace.db import db
    from marketplace.outbox import SmsMessage
    from prakerja_gateway.models import Card, Participant

    with market.app.app_context():
        card, phone = db.session.execute(
            select(Card.number, Participant.phone)
            .join(Participant, Participant.id == Card.participant_id)
            .where(Participant.persona.is_(None), Card.scheme == "semi_bansos")
            .limit(1)
        ).one()
    opened = market.tokopedia.send_otp(
        prakerja_id=card,
        user_platform_id="no-sandbox",
        course_code="DIG-004",
        schedule_code=market.open_schedule("DIG-004"),
        amount=100_000,
    )
    assert opened.status == 200, opened.body
    with market.app.app_context():
        body = db.session.execute(
            select(SmsMessage.body).where(SmsMessage.phone == phone).order_by(SmsMessage.id.desc())
        ).scalar()
    otp = re.search(r"\b(\d{6})\b", body).group(1)
    paid = market.authorize(opened, otp)
    assert paid.status == 200, paid.body
    return market.redeem_code_of(paid.data["transaction_code"])


def test_an_email_serves_one_redeem_code_per_training(market):
    first, code, _paid = bought(market)
    _second, other_code, _other = bought(market)
    _third, other_course, _x = bought(market, course_code="DIG-003")
    lp = lpdigi(market)
    email = "Sari@LPDIGI.example"
    attend(market, lp, code, email)
    again = lp.face_check_url(code, sequence=2, redirect_uri=REDIRECT, email=email.lower())
    assert again.status == 200  # the same code again: fine
    taken = lp.face_check_url(other_code, redirect_uri=REDIRECT, email="sari@lpdigi.example")
    refused(taken, "email_already_used")
    elsewhere = lp.face_check_url(other_course, redirect_uri=REDIRECT, email=email)
    assert elsewhere.status == 200  # another training: fine
    assert lp.face_check_url(other_code, redirect_uri=REDIRECT, email=first.email).status == 200


def test_webinars_verify_sessions_and_the_post_test_within_their_schedule(market):
    participant, code, _paid = bought(market, course_code="DIG-002")
    lp = lpdigi(market)
    status = lp.redeem_code_status(code).data
    assert (status["course_type"], status["course_type_label"]) == (2, "Webinar")
    assert status["schedule_code"] == market.open_schedule("DIG-002")  # fixed at purchase
    early = lp.face_check_url(code, redirect_uri=REDIRECT, email=participant.email)
    refused(early, "ERRTRX40027")
    refused(lp.redeem_code_commit(code), "ERRTRX40027")

    start, end = schedule_bounds(status)
    advance_to(market, start - timedelta(minutes=30))  # the room opens 30 minutes early
    not_redeemed = lp.face_check_url(
        code, sequence=999, redirect_uri=REDIRECT, email=participant.email
    )
    refused(not_redeemed, "redeem_code_not_committed")
    generated = attend(market, lp, code, participant.email)
    assert generated["course"] == {"type": 2, "learning_method": "Daring"}
    attend(market, lp, code, participant.email, sequence=999)  # TC2-999-200: a positive case
    assert lp.redeem_code_status(code, sequence=999).data["attendance_status"] == 1
    task = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t.pdf")
    refused(task, "ERRTRX40001")

    advance_to(market, end + timedelta(minutes=1))
    late = lp.face_check_url(code, sequence=2, redirect_uri=REDIRECT, email=participant.email)
    refused(late, "ERRTRX40027")


def test_offline_courses_redeem_by_commit_not_by_scan_wajah(market):
    participant, code, _paid = bought(market, course_code="TEK-001")
    lp = market.partner("LPTEK")
    status = lp.redeem_code_status(code).data
    assert (status["course_type"], status["course_type_label"]) == (3, "Luring")
    assert status["is_online_attendance"] is False
    assert lp.register_redirect_uri(REDIRECT).ok
    scan = lp.face_check_url(code, redirect_uri=REDIRECT, email=participant.email)
    refused(scan, "ERRTRX40001")
    advance_to(market, schedule_bounds(status)[0])
    assert lp.redeem_code_commit(code).status == 200


def test_tasks_scope_and_sequence_pair_up(market):
    lp = market.partner("LPDIGI")
    for scope, sequence in (("uk", 1), ("tpm", 999), ("TPM", 1), ("kuis", 2)):
        answer = lp.submit_task(
            "PRAT-AAAAAA", scope=scope, sequence=sequence, url_file="https://lp.example/t.pdf"
        )
        assert (answer.status, answer.error_code) == (400, "ERRGEN40002"), (scope, sequence)
    status = lp.call(
        "/api/v1/integration/tpm/submission/status",
        {"redeem_code": "PRAT-AAAAAA", "scope": "uk", "sequence": 998},
    )
    assert list(status.body["details"]["fields"]) == ["sequence"]


def test_tasks_are_handed_in_again_and_the_institution_gives_feedback(market):
    participant, code, _paid = bought(market)
    lp = lpdigi(market)
    early = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t.pdf")
    refused(early, "redeem_code_not_committed")
    attend(market, lp, code, participant.email)
    assert lp.task_status(code, scope="tpm", sequence=1).body["data"] == {
        "assignment": {"redeem_code": code, "scope": "tpm", "sequence": 1, "status": 0},
        "feedback": {"redeem_code": code, "scope": "tpm", "sequence": 1, "status": 0},
    }
    refused(
        lp.submit_feedback(code, scope="tpm", sequence=1, notes="Belum ada tugas"),
        "task_not_submitted",
    )

    first = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t1.pdf")
    assert first.status == 200, first.body
    assert first.data == {
        "id": first.data["id"],
        "redeem_code": code,
        "scope": "tpm",
        "sequence": 1,
        "status": 2,
        "url_file": "https://lp.example/t1.pdf",
    }
    assert isinstance(first.data["id"], int)
    second = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t2.txt")
    assert second.status == 200 and second.data["id"] > first.data["id"]
    status = lp.task_status(code, scope="tpm", sequence=1).data
    assert status["assignment"]["status"] == 2 and status["feedback"]["status"] == 0

    feedback = lp.submit_feedback(code, scope="tpm", sequence=1, notes="Rapi; perbaiki warna.")
    assert feedback.status == 200, feedback.body
    assert feedback.data == {
        "id": feedback.data["id"],
        "redeem_code": code,
        "scope": "tpm",
        "sequence": 1,
        "status": 2,
        "url_file": "",
        "notes": "Rapi; perbaiki warna.",
    }
    with_file = lp.submit_feedback(
        code, scope="tpm", sequence=1, notes="Lihat catatan", url_file="https://lp.example/f.md"
    )
    assert with_file.data["url_file"] == "https://lp.example/f.md"
    assert lp.task_status(code, scope="tpm", sequence=1).data["feedback"]["status"] == 2
    other = lp.task_status(code, scope="tpm", sequence=2).data
    assert other["assignment"]["status"] == 0 and other["feedback"]["status"] == 0

    no_notes = lp.call(
        "/api/v1/integration/tpm/feedback/submission",
        {"redeem_code": code, "scope": "tpm", "sequence": 1, "url_file": ""},
    )
    assert list(no_notes.body["details"]["fields"]) == ["notes"]
    bad_file = lp.submit_feedback(code, scope="tpm", sequence=1, notes="x", url_file="berkas")
    assert list(bad_file.body["details"]["fields"]) == ["url_file"]


def test_sandbox_words_in_the_file_address_refuse_or_delay_a_hand_in(market):
    participant, code, _paid = bought(market)
    lp = lpdigi(market)
    attend(market, lp, code, participant.email)
    failed = lp.submit_task(code, scope="uk", sequence=999, url_file="https://lp.example/gagal")
    assert failed.data["status"] == 3
    refused(lp.report_completion(code, "C-1"), "training_not_finished")
    pending = lp.submit_task(code, scope="uk", sequence=999, url_file="https://x.example/tertunda")
    assert pending.data["status"] == 1
    assert lp.task_status(code, scope="uk", sequence=999).data["assignment"]["status"] == 1
    market.advance(hours=25)
    assert lp.task_status(code, scope="uk", sequence=999).data["assignment"]["status"] == 2
    assert lp.report_completion(code, "C-1").status == 200


def test_without_the_sandbox_every_hand_in_is_received(make_app):
    market = Marketplace(make_app(**sandbox_off_config()))
    code = _committed_code_without_the_sandbox(market)
    lp = market.partner("LPDIGI")
    assert lp.redeem_code_commit(code).status == 200
    answer = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/gagal")
    assert answer.data["status"] == 2


@pytest.mark.parametrize(
    ("trigger", "code", "message"),
    [
        ("ERRTRX40020", "ERRTRX40020", "Transaksi tidak ditemukan"),
        ("ERRTRX40001", "ERRTRX40001", "Gagal verifikasi, tipe pelatihan tidak sesuai."),
        (
            "ERRTRX40027",
            "ERRTRX40027",
            "Jadwal pelatihan belum dimulai atau sudah selesai, silahkan cek jadwal pelatihan "
            "pada dashboard Prakerja",
        ),
        (
            "ERRTRX40028",
            "ERRTRX40028",
            "Gagal verifikasi, kode redeem bukan milik lembaga pelatihan.",
        ),
        ("ERRTRX40022", "ERRTRX40022", "Gagal verifikasi, kode sudah dibatalkan"),
        ("ERRTRX40101", "ERRTRX40101", "Gagal verifikasi, transaksi sudah dibatalkan"),
        ("USED", "ERRTRX40030", "Redeem Code sudah digunakan"),
    ],
)
def test_sandbox_trigger_codes_force_each_catalogue_failure(market, trigger, code, message):
    lp = market.partner("LPKEU")
    for answer in (
        lp.redeem_code_status(trigger),
        lp.redeem_code_commit(trigger),
        lp.face_check_url(trigger, sequence=1, redirect_uri=REDIRECT, email="a@b.example"),
    ):
        assert answer.status == 400
        assert answer.body == {"code": code, "message": message, "success": False}


def test_real_failures_unknown_code_other_institution_and_voided_transaction(market):
    _participant, code, _paid = bought(market)
    assert market.partner("LPDIGI").redeem_code_status("PRAT-ZZZZZZ").error_code == "ERRTRX40020"
    assert market.partner("LPKEU").redeem_code_status(code).error_code == "ERRTRX40028"

    _other, voided_code, paid = bought(market)
    assert market.partner("LPDIGI").redeem_code_status(voided_code).status == 200
    voided = market.tokopedia.void(paid["invoice_code"], paid["transaction_code"])
    assert voided.status == 200, voided.body
    cancelled = market.partner("LPDIGI").redeem_code_status(voided_code)
    assert (cancelled.status, cancelled.error_code) == (400, "ERRTRX40101")
    market.assert_reconciled()


def test_a_redeemed_code_cannot_be_voided(market):
    participant, code, paid = bought(market)
    attend(market, lpdigi(market), code, participant.email)
    voided = market.tokopedia.void(paid["invoice_code"], paid["transaction_code"])
    assert voided.status == 400, voided.body
    market.assert_reconciled()


def test_face_check_can_be_cancelled_expires_and_refuses_a_cancelled_code(market):
    participant, code, paid = bought(market)
    lp = lpdigi(market)
    generated = lp.face_check_url(code, sequence=1, redirect_uri=REDIRECT, email=participant.email)
    back = pass_face_check(market, generated.data["url"], button="cancel")
    assert parse_qs(urlsplit(back).query)["error"] == ["cancelled"]
    assert lp.redeem_code_status(code).data["attendance_status"] == 0

    market.advance(minutes=31)
    path = "/" + generated.data["url"].split("://", 1)[1].split("/", 1)[1]
    expired = market.http.get(path)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.text
    assert market.http.get("/prakerja/scan-wajah?state=tidak-ada").status_code == 404

    fresh = lp.face_check_url(code, redirect_uri=REDIRECT, email=participant.email)
    assert market.tokopedia.void(paid["invoice_code"], paid["transaction_code"]).status == 200
    path = "/" + fresh.data["url"].split("://", 1)[1].split("/", 1)[1]
    gone = market.http.get(path)
    assert gone.status_code == 410 and "dibatalkan" in gone.text


def test_malformed_bodies_get_400_naming_the_field(market):
    lp = market.partner("LPDIGI")
    answer = lp.call(
        "/api/v1/integration/oauth/url-generate",
        {"redeem_code": "PRAT-AAAAAA", "sequence": "1", "redirect_uri": "ftp://x", "email": "x"},
    )
    assert answer.status == 400 and answer.error_code == "ERRGEN40002"
    assert set(answer.body["details"]["fields"]) == {"sequence", "redirect_uri", "email"}
    assert list(answer.body)[:3] == ["code", "message", "success"]
    broken = market.http.post(
        "/api/v1/integration/payment/redeem-code/status",
        data=b"{",
        headers={"client_code": "x", "signature": "y", "timestamp": str(int(time.time()))},
    )
    assert broken.status_code in (400, 401) and broken.get_json()["success"] is False


def test_platform_credentials_are_refused_with_a_message_for_institutions(market):
    answer = market.tokopedia.call(
        "/api/v1/integration/payment/redeem-code/status", {"redeem_code": "PRAT-AAAAAA"}
    )
    assert (answer.status, answer.error_code) == (401, "ERRAUTH40105")
    assert answer.message == INSTITUTION_ERRORS["wrong_partner_kind"].message


def test_a_client_signing_the_compact_body_but_sending_spaced_json_is_accepted(market):
    """As the official Python sample does: sign compact JSON, send ``json.dumps`` output."""
    _participant, code, _paid = bought(market)
    client_code, sign_key = demo_credentials("LPDIGI")
    path = "/api/v1/integration/payment/redeem-code/status"
    payload = {"redeem_code": code, "sequence": 1}
    stamp = str(int(time.time()))
    signature = sign(sign_key, client_code, stamp, "POST", path, compact_json(payload))
    headers = {
        "Content-Type": "application/json",
        "client_code": client_code,
        "timestamp": stamp,
        "signature": signature,
    }
    response = market.http.post(path, data=json.dumps(payload), headers=headers)
    assert " " in json.dumps(payload)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["redeem_code"] == code

    tampered = market.http.post(
        path, data=json.dumps({"redeem_code": code, "sequence": 2}), headers=headers
    )
    assert tampered.status_code == 401
    assert tampered.get_json()["code"] == "ERRAUTH40103"


def test_trigger_codes_are_ordinary_unknown_codes_when_the_sandbox_is_off(make_app):
    market = Marketplace(make_app(**sandbox_off_config()))
    lp = market.partner("LPDIGI")
    assert lp.redeem_code_status("USED").error_code == "ERRTRX40020"
    odd = lp.call("/api/v1/integration/payment/redeem-code/status", {"redeem_code": ["USED"]})
    assert (odd.status, odd.error_code) == (400, "ERRGEN40002")


def test_an_email_that_grows_when_lower_cased_still_fits(market):
    _participant, code, _paid = bought(market)
    email = "İ" * 180 + "@lpdigi.example"  # 195 characters; lower-cased, 375
    generated = lpdigi(market).face_check_url(code, redirect_uri=REDIRECT, email=email)
    assert generated.status == 200, generated.body
