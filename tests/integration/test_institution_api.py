"""The institution (LP) API with real signatures: redeem-code status and commit, Scan Wajah,
practice tasks, completion, and every failure of the public catalogue."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from catalog_seed.demo import demo_credentials
from prakerja_gateway.errors import INSTITUTION_ERRORS
from prakerja_gateway.signing import compact_json, sign
from tests.helpers import Marketplace, pass_face_check

REDIRECT = "https://lpdigi.example/kelas/kembali?sesi=1"


def bought(market: Marketplace, *, persona: str = "ok", course_code: str = "DIG-004"):
    """A participant who paid for a course; (persona, redeem code)."""
    participant = market.mint(persona)
    charged = market.buy(participant, course_code=course_code)
    assert charged.status == 200, charged.body
    return participant, charged.data["redeem_code"]


def attend(market: Marketplace, lp, code: str, email: str, *, sequence: int = 1) -> dict:
    generated = lp.face_check_url(code, sequence=sequence, redirect_uri=REDIRECT, email=email)
    assert generated.status == 200, generated.body
    back = pass_face_check(market, generated.data["url"])
    query = parse_qs(urlsplit(back).query)
    assert back.startswith("https://lpdigi.example/kelas/kembali?")
    assert query["sesi"] == ["1"] and query["state"] == [generated.data["state"]]
    return generated.data


def test_self_paced_journey_status_face_check_commit_tasks_completion(market):
    participant, code = bought(market)
    lp = market.partner("LPDIGI")

    before = lp.redeem_code_status(code)
    assert before.status == 200 and before.body["success"] is True
    assert before.data["attendance_status"] == 0 and before.data["status"] == "issued"
    assert before.data["course_code"] == "DIG-004" and before.data["dp_platform"] == "Tokopedia"
    assert before.data["redeem_at"] is None and before.data["course_type"] == "self_paced"

    generated = attend(market, lp, code, participant.email)
    assert generated["course"] == {"type": "self_paced", "learning_method": "Video Pembelajaran"}
    assert lp.redeem_code_status(code, sequence=1).data["attendance_status"] == 1
    assert lp.redeem_code_status(code, sequence=2).data["attendance_status"] == 0

    committed = lp.redeem_code_commit(code)
    assert committed.status == 200
    assert committed.data == {"redeem_code": code, "course_code": "DIG-004", "status": "committed"}
    again = lp.redeem_code_commit(code)
    assert (again.status, again.message) == (409, "Redeem Code sudah digunakan")
    redeem_at = lp.redeem_code_status(code).data["redeem_at"]
    assert redeem_at is not None

    task = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t1.pdf")
    assert task.status == 200 and task.data["assignment"]["status"] == 2
    early = lp.report_completion(code, "CERT-0001")
    assert (early.status, early.error_code) == (409, "training_not_finished")
    final = lp.submit_task(code, scope="tpm", sequence=999, url_file="https://lp.example/uk.pdf")
    assert final.status == 200

    done = lp.report_completion(code, "CERT-0001")
    assert done.status == 200, done.body
    assert done.data["status"] == "completed" and done.data["certificate_number"] == "CERT-0001"
    assert lp.report_completion(code, "CERT-0001").error_code == "training_already_completed"
    after = lp.redeem_code_status(code).data
    assert after["redeem_at"] == redeem_at and after["completed_at"] == done.data["completed_at"]
    assert any("CERT-0001" in mail["body"] for mail in market.emails(participant.email))
    market.assert_reconciled()


def test_completion_unlocks_the_next_purchase_of_a_semi_bansos_card(market):
    participant, code = bought(market, persona="semi_bansos")
    lp = market.partner("LPDIGI")
    attend(market, lp, code, participant.email)
    assert lp.redeem_code_commit(code).status == 200
    blocked = market.request_otp(participant, course_code="FIN-001")
    assert blocked.error_code == "previous_training_unfinished"
    lp.submit_task(code, scope="uk", sequence=999, url_file="https://lp.example/uk.pdf")
    assert lp.report_completion(code, "CERT-SB-1").data["next_purchase_unlocked"] is True
    assert market.buy(participant, course_code="FIN-001").status == 200
    market.assert_reconciled()


@pytest.mark.parametrize(
    ("trigger", "status", "message"),
    [
        ("ERRTRX40020", 404, "Transaksi tidak ditemukan"),
        ("ERRTRX40001", 409, "Gagal verifikasi, tipe pelatihan tidak sesuai."),
        (
            "ERRTRX40027",
            409,
            "Jadwal pelatihan belum dimulai atau sudah selesai, silahkan cek jadwal pelatihan "
            "pada dashboard Prakerja",
        ),
        ("ERRTRX40028", 403, "Gagal verifikasi, kode redeem bukan milik lembaga pelatihan."),
        ("ERRTRX40022", 409, "Gagal verifikasi, kode sudah dibatalkan"),
        ("ERRTRX40101", 409, "Gagal verifikasi, transaksi sudah dibatalkan"),
        ("USED", 409, "Redeem Code sudah digunakan"),
    ],
)
def test_sandbox_trigger_codes_force_each_catalogue_failure(market, trigger, status, message):
    lp = market.partner("LPKEU")
    for answer in (
        lp.redeem_code_status(trigger),
        lp.redeem_code_commit(trigger),
        lp.face_check_url(trigger, sequence=1, redirect_uri=REDIRECT, email="a@b.example"),
    ):
        assert answer.status == status
        assert answer.body["success"] is False and answer.message == message
        assert answer.error_code == (trigger if trigger.startswith("ERR") else "redeem_code_used")


def test_real_failures_unknown_code_other_institution_and_refunded_transaction(market):
    _participant, code = bought(market)
    assert market.partner("LPDIGI").redeem_code_status("PRAT-ZZZZZZ").error_code == "ERRTRX40020"
    assert market.partner("LPKEU").redeem_code_status(code).error_code == "ERRTRX40028"

    _other, refunded_code = bought(market)
    status = market.partner("LPDIGI").redeem_code_status(refunded_code)
    assert status.status == 200
    invoice = status.data["invoice_code"]
    payment_id = market.tokopedia.status(invoice_code=invoice).data["payment_id"]
    assert market.tokopedia.refund(payment_id, "batal").status == 200
    cancelled = market.partner("LPDIGI").redeem_code_status(refunded_code)
    assert (cancelled.status, cancelled.error_code) == (409, "ERRTRX40101")
    market.assert_reconciled()


def test_commit_needs_the_face_check_and_a_used_code_cannot_be_refunded(market):
    participant, code = bought(market)
    lp = market.partner("LPDIGI")
    refused = lp.redeem_code_commit(code)
    assert (refused.status, refused.error_code) == (409, "attendance_required")
    attend(market, lp, code, participant.email)
    assert lp.redeem_code_commit(code).status == 200
    invoice = lp.redeem_code_status(code).data["invoice_code"]
    payment_id = market.tokopedia.status(invoice_code=invoice).data["payment_id"]
    assert market.tokopedia.refund(payment_id, "batal").error_code == "redeem_code_used"


def test_webinar_courses_refuse_tasks_and_sessions_outside_their_schedule(market):
    participant, code = bought(market, course_code="DIG-002")
    lp = market.partner("LPDIGI")
    task = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t.pdf")
    assert (task.status, task.error_code) == (409, "ERRTRX40001")
    final = lp.face_check_url(code, sequence=999, redirect_uri=REDIRECT, email=participant.email)
    assert final.error_code == "ERRTRX40001"
    attend(market, lp, code, participant.email)
    committed = lp.redeem_code_commit(code)
    assert committed.status == 200
    assert lp.redeem_code_status(code).data["schedule_code"] == "DIG-002-B1"

    market.advance(days=95)  # after the last demo batch
    late = lp.face_check_url(code, sequence=2, redirect_uri=REDIRECT, email=participant.email)
    assert (late.status, late.error_code) == (409, "ERRTRX40027")


def test_task_reviews_failed_pending_and_resubmission(market):
    participant, code = bought(market)
    lp = market.partner("LPDIGI")
    attend(market, lp, code, participant.email)
    lp.redeem_code_commit(code)
    assert lp.task_status(code, scope="tpm", sequence=1).data["assignment"]["status"] == 0

    failed = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/gagal")
    assert failed.data["assignment"]["status"] == 3
    pending = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://x.example/tertunda")
    assert pending.data["assignment"]["status"] == 1
    status = lp.task_status(code, scope="tpm", sequence=1).data
    assert status["assignment"] == {"status": 1, "url_file": "https://x.example/tertunda"}
    assert status["feedback"]["status"] == 1
    again = lp.submit_task(code, scope="tpm", sequence=1, url_file="https://lp.example/t.pdf")
    assert (again.status, again.error_code) == (409, "task_already_submitted")
    market.advance(hours=25)
    assert lp.task_status(code, scope="tpm", sequence=1).data["feedback"]["status"] == 2


def test_tasks_need_a_committed_code(market):
    _participant, code = bought(market)
    answer = market.partner("LPDIGI").submit_task(
        code, scope="tpm", sequence=1, url_file="https://lp.example/t.pdf"
    )
    assert (answer.status, answer.error_code) == (409, "redeem_code_not_committed")


def test_face_check_can_be_cancelled_and_expires(market):
    participant, code = bought(market)
    lp = market.partner("LPDIGI")
    generated = lp.face_check_url(code, sequence=1, redirect_uri=REDIRECT, email=participant.email)
    back = pass_face_check(market, generated.data["url"], button="cancel")
    assert parse_qs(urlsplit(back).query)["error"] == ["cancelled"]
    assert lp.redeem_code_status(code).data["attendance_status"] == 0

    market.advance(minutes=31)
    path = "/" + generated.data["url"].split("://", 1)[1].split("/", 1)[1]
    expired = market.http.get(path)
    assert expired.status_code == 410 and "kedaluwarsa" in expired.text
    assert market.http.get("/prakerja/scan-wajah?state=tidak-ada").status_code == 404


def test_malformed_bodies_get_400_naming_the_field(market):
    lp = market.partner("LPDIGI")
    answer = lp.call(
        "/api/v1/integration/oauth/url-generate",
        {"redeem_code": "PRAT-AAAAAA", "sequence": "1", "redirect_uri": "ftp://x", "email": "x"},
    )
    assert answer.status == 400 and answer.error_code == "invalid_request"
    assert set(answer.body["error"]["details"]["fields"]) == {"sequence", "redirect_uri", "email"}


def test_platform_credentials_are_refused_with_a_message_for_institutions(market):
    answer = market.tokopedia.call(
        "/api/v1/integration/payment/redeem-code/status", {"redeem_code": "PRAT-AAAAAA"}
    )
    assert (answer.status, answer.error_code) == (401, "wrong_partner_kind")
    assert answer.message == INSTITUTION_ERRORS["wrong_partner_kind"].message


def test_a_client_signing_the_compact_body_but_sending_spaced_json_is_accepted(market):
    """As the public examples do: sign compact JSON, send ``json.dumps`` output."""
    participant, code = bought(market)
    client_code, sign_key = demo_credentials("LPDIGI")
    path = "/api/v1/integration/payment/redeem-code/status"
    payload = {"redeem_code": code, "sequence": 1}
    stamp = str(int(time.time()))
    signature = sign(sign_key, client_code, stamp, "POST", path, compact_json(payload))
    response = market.http.post(
        path,
        data=json.dumps(payload),  # '{"redeem_code": "...", "sequence": 1}', with spaces
        headers={
            "Content-Type": "application/json",
            "client_code": client_code,
            "timestamp": stamp,
            "signature": signature,
        },
    )
    assert " " in json.dumps(payload)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["data"]["redeem_code"] == code

    tampered = market.http.post(
        path,
        data=json.dumps({"redeem_code": code, "sequence": 2}),
        headers={
            "Content-Type": "application/json",
            "client_code": client_code,
            "timestamp": stamp,
            "signature": signature,
        },
    )
    assert tampered.status_code == 401
    assert tampered.get_json()["error"]["code"] == "invalid_signature"


def test_trigger_codes_are_ordinary_unknown_codes_when_the_sandbox_is_off(make_app):
    market = Marketplace(make_app(SANDBOX_ENABLED=False))
    lp = market.partner("LPDIGI")
    assert lp.redeem_code_status("USED").error_code == "ERRTRX40020"
    odd = lp.call("/api/v1/integration/payment/redeem-code/status", {"redeem_code": ["USED"]})
    assert (odd.status, odd.error_code) == (400, "invalid_request")
