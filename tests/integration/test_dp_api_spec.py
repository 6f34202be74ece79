"""The DP payment API as ``shared/prakerja-api/`` documents it, driven over real HTTP.

Written from the reference alone, like a platform's own test suite would be: its own signing
(the documented recipe), raw ``requests``, and the sandbox only to set the stage (a test card, a
course and its schedules, the SMS the participant receives). Nothing here imports the
simulator's code, so what passes here passes for a client written against the real API.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from collections.abc import Iterator

import pytest
import requests

from tests.live import fresh_database_url, serve

PAYMENT = "/api/v1/integration/payment"
RFC3339_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def signature(
    key: str, client_code: str, stamp: str, path: str, body: bytes, slot: str = ""
) -> str:
    message = f"{client_code}{stamp}POST{path}{slot}".encode() + body
    return hmac.new(key.encode(), message, hashlib.sha1).hexdigest()


def test_the_official_test_vector_holds_for_this_recipe():
    message_body = b'{"redeem_code":"code"}'
    path = "/api/v1/integration/payment/redeem-code/commit"
    assert (
        signature("my_sign_key", "myclient_code", "1516239022", path, message_body)
        == "943c20a8e36b6243f576404b00fffdc86411ce1f"
    )


class Platform:
    """A DP's backend: compact JSON, signed as the docs say, headers as the docs name them."""

    def __init__(self, base_url: str, client_code: str, sign_key: str):
        self.base_url, self.client_code, self.sign_key = base_url, client_code, sign_key

    def post(
        self,
        endpoint: str,
        payload: dict,
        *,
        body: bytes | None = None,
        signed_body: bytes | None = None,
        headers: dict | None = None,
        slot: str = "",
    ) -> requests.Response:
        path = f"{PAYMENT}/{endpoint}"
        body = body if body is not None else json.dumps(payload, separators=(",", ":")).encode()
        stamp = str(int(time.time()))
        sent_headers = {
            "Content-Type": "application/json",
            "client_code": self.client_code,
            "timestamp": stamp,
            "signature": signature(
                self.sign_key, self.client_code, stamp, path,
                signed_body if signed_body is not None else body, slot,
            ),
            **(headers or {}),
        }  # fmt: skip
        return requests.post(self.base_url + path, data=body, headers=sent_headers, timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("dp-spec")
    with serve(fresh_database_url(folder, "dp-spec.sqlite3"), folder) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def tokopedia(server) -> Platform:
    partners = requests.get(f"{server}/sandbox/partners", timeout=10).json()["partners"]
    dp = next(p for p in partners if p["kind"] == "dp" and "tokopedia" in p["client_code"])
    return Platform(server, dp["client_code"], dp["sign_key"])


@pytest.fixture(scope="module")
def courses(server) -> list[dict]:
    return requests.get(f"{server}/sandbox/courses", timeout=10).json()["courses"]


def card(server: str, persona: str = "ok") -> dict:
    minted = requests.post(f"{server}/sandbox/personas/{persona}", timeout=10)
    assert minted.status_code == 201, minted.text
    return minted.json()


def otp_of(server: str, phone: str) -> str:
    messages = requests.get(f"{server}/sandbox/sms", params={"phone": phone}, timeout=10).json()
    return messages["messages"][0]["otp"]


def on_sale(course: dict) -> dict:
    """A schedule still open: the first with quota that has not started (self-paced: any)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for schedule in course["schedules"]:
        started = schedule["start"] <= now
        if schedule["quota"] > 0 and (course["type"] == "self_paced" or not started):
            return schedule
    raise AssertionError(f"no schedule of {course['course_code']} on sale")


def sellable(courses: list[dict], *, platform: str = "tokopedia", price_below: int = 10**9,
             course_type: str | None = None, open_to_all: bool = True) -> dict:  # fmt: skip
    for course in courses:
        if (
            platform in course["platforms"]
            and course["price"] <= price_below
            and (course_type is None or course["type"] == course_type)
            and (
                not open_to_all
                or not (course["min_age"] or course["max_age"] or course["min_education"])
            )  # fmt: skip
        ):
            return course
    raise AssertionError("no such course in the demo catalogue")


def send_otp_body(holder: dict, course: dict, schedule_code: str | None = None, **changes) -> dict:
    body = {
        "user_platform_id": f"user-{holder['card_number'][-6:]}",
        "prakerja_id": holder["card_number"],
        "course_code": course["course_code"],
        "schedule_code": schedule_code or on_sale(course)["schedule_code"],
        "amount": course["price"],
    }
    body.update(changes)
    return body


def assert_refusal(response: requests.Response, code: str | None = None) -> dict:
    """The documented failure: HTTP 400, ``code``, ``message``, ``success`` false, in that order."""
    assert response.status_code == 400, (response.status_code, response.text)
    body = response.json()
    assert list(body)[:3] == ["code", "message", "success"], body
    assert body["success"] is False and isinstance(body["message"], str) and body["message"]
    assert re.fullmatch(r"ERR[A-Z]+\d{4,5}", body["code"]), body
    assert "data" not in body and "error" not in body
    if code is not None:
        assert body["code"] == code, body
    return body


def buy(server: str, platform: Platform, holder: dict, course: dict, invoice: str) -> dict:
    opened = platform.post("send-otp", send_otp_body(holder, course))
    assert opened.status_code == 200, opened.text
    token = opened.json()["data"]["payment_token"]
    authorized = platform.post(
        "authorize",
        {
            "otp": otp_of(server, holder["phone"]),
            "invoice_url": f"https://dp.example/{invoice}",
            "invoice_code": invoice,
        },  # fmt: skip
        headers={"Authorization": f"Payment {token}"},
    )
    assert authorized.status_code == 200, authorized.text
    return authorized.json()


# --- the happy path, field by field ---------------------------------------------------------
def test_quota_schedule_answers_the_documented_shape(tokopedia, courses):
    course = sellable(courses)
    schedule = on_sale(course)
    response = tokopedia.post(
        "quota-schedule",
        {"schedule_code": schedule["schedule_code"], "course_code": course["course_code"]},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert list(body) == ["success", "message", "data"]
    assert body["success"] is True and body["message"] == "OK"
    assert body["data"] == {
        "schedule_code": schedule["schedule_code"],
        "course_code": course["course_code"],
        "quota": schedule["quota"],
    }
    assert isinstance(body["data"]["quota"], int)


@pytest.mark.parametrize("missing", ["course_code", "schedule_code"])
def test_quota_schedule_without_a_field_is_ERRPLT40036(tokopedia, courses, missing):
    course = sellable(courses)
    payload = {
        "schedule_code": on_sale(course)["schedule_code"],
        "course_code": course["course_code"],
    }
    payload[missing] = ""
    assert_refusal(tokopedia.post("quota-schedule", payload), "ERRPLT40036")


def test_send_otp_texts_the_participant_and_gives_a_payment_token(server, tokopedia, courses):
    holder = card(server)
    response = tokopedia.post("send-otp", send_otp_body(holder, sellable(courses)))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert isinstance(body["data"]["payment_token"], str) and body["data"]["payment_token"]
    assert re.fullmatch(r"\d{6}", otp_of(server, holder["phone"]))


def test_authorize_buys_and_answers_as_documented(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    body = buy(server, tokopedia, holder, course, "invoice-testing-ops-111")
    assert list(body) == ["success", "message", "data"]
    assert body["message"] == "Pelatihan berhasil dibeli."
    data = body["data"]
    assert list(data) == ["invoice_code", "transaction_code", "amount", "status", "prakerja_name"]
    assert data["invoice_code"] == "invoice-testing-ops-111"
    assert isinstance(data["transaction_code"], str) and data["transaction_code"]
    assert data["amount"] == course["price"] and isinstance(data["amount"], int)
    assert data["status"] == "SUCCESS"
    assert isinstance(data["prakerja_name"], str) and data["prakerja_name"]


def test_status_reads_the_purchase_by_invoice_code(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    bought = buy(server, tokopedia, holder, course, "TOKPED-XB9C89BXBJL7X")["data"]
    response = tokopedia.post("status", {"invoice_code": "TOKPED-XB9C89BXBJL7X"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["message"] == "OK"
    data = body["data"]
    assert list(data) == [
        "created_at", "invoice_code", "transaction_code", "amount", "status", "prakerja_name",
    ]  # fmt: skip
    assert RFC3339_Z.match(data["created_at"]), data["created_at"]
    assert data["transaction_code"] == bought["transaction_code"]
    assert (data["amount"], data["status"]) == (course["price"], "SUCCESS")
    assert data["prakerja_name"] == bought["prakerja_name"]


def test_status_of_an_unknown_invoice_is_a_400(tokopedia):
    assert_refusal(tokopedia.post("status", {"invoice_code": "testing-does-not-exist"}))


def test_void_cancels_without_data_then_refuses_a_second_time(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    bought = buy(server, tokopedia, holder, course, "invoice-void-1")["data"]
    payload = {"invoice_code": "invoice-void-1", "transaction_code": bought["transaction_code"]}
    response = tokopedia.post("void", payload)
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "message": "Transaksi berhasil dibatalkan."}
    # the same void a moment later (the very same signed request would be a replay)
    again = tokopedia.post("void", payload, headers={"Idempotency-Key": "void-again"})
    again = assert_refusal(again, "ERRPLT40028")
    assert again["message"].startswith("Transaksi sudah dibatalkan sebelumny")


def test_void_of_an_unknown_transaction_is_ERRVOD40001(tokopedia):
    refused = assert_refusal(
        tokopedia.post("void", {"invoice_code": "x", "transaction_code": "QHBST9GB5OSS888I"}),
        "ERRVOD40001",
    )
    assert refused["message"] == "Kode transaksi tidak ditemukan."


# --- what real clients send ------------------------------------------------------------------
def test_a_php_client_signing_its_escaped_slashes_is_accepted(server, tokopedia, courses):
    """PHP's json_encode escapes ``/`` as ``\\/`` and signs exactly what it sends."""
    holder, course = card(server), sellable(courses)
    opened = tokopedia.post("send-otp", send_otp_body(holder, course))
    token = opened.json()["data"]["payment_token"]
    text = json.dumps(
        {"otp": otp_of(server, holder["phone"]), "invoice_url": "https://dp.example/inv/php-1",
         "invoice_code": "php-1"}, separators=(",", ":"),
    ).replace("/", "\\/")  # fmt: skip
    response = tokopedia.post(
        "authorize", {}, body=text.encode(), headers={"Authorization": f"Payment {token}"}
    )
    assert response.status_code == 200, response.text


def test_the_official_python_style_spaces_with_a_compact_signature_are_accepted(
    server, tokopedia, courses
):
    holder, course = card(server), sellable(courses)
    payload = send_otp_body(holder, course)
    compact = json.dumps(payload, separators=(",", ":")).encode()
    response = tokopedia.post("send-otp", payload, body=json.dumps(payload).encode(),
                              signed_body=compact)  # fmt: skip
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("slot", ["", "Payment {token}", "{token}"])
def test_authorize_accepts_the_authorization_slot_in_the_signature_or_not(
    server, tokopedia, courses, slot
):
    """The official Go sample signs the Authorization value between path and body."""
    holder, course = card(server), sellable(courses)
    token = tokopedia.post("send-otp", send_otp_body(holder, course)).json()["data"][
        "payment_token"
    ]
    invoice = f"slot-{len(slot)}-{holder['card_number'][-4:]}"
    response = tokopedia.post(
        "authorize",
        {
            "otp": otp_of(server, holder["phone"]),
            "invoice_url": "https://dp.example/x",
            "invoice_code": invoice,
        },  # fmt: skip
        headers={"Authorization": f"Payment {token}"},
        slot=slot.format(token=token),
    )
    assert response.status_code == 200, response.text


def test_go_style_header_names_are_read(server, tokopedia, courses):
    course = sellable(courses)
    path = f"{PAYMENT}/quota-schedule"
    body = json.dumps(
        {"schedule_code": on_sale(course)["schedule_code"], "course_code": course["course_code"]},
        separators=(",", ":"),
    ).encode()
    stamp = str(int(time.time()))
    response = requests.post(
        server + path,
        data=body,
        headers={
            "Content-Type": "application/json",
            "Client_code": tokopedia.client_code,
            "Timestamp": stamp,
            "Signature": signature(tokopedia.sign_key, tokopedia.client_code, stamp, path, body),
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text


# --- the documented send-otp validations, each a 400 in the documented envelope --------------
def test_send_otp_refuses_an_unknown_schedule(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    assert_refusal(tokopedia.post("send-otp", send_otp_body(holder, course, "9d683f80404811ed")))


def test_send_otp_refuses_a_schedule_of_another_course(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    other = next(c for c in courses if c["course_code"] != course["course_code"] and c["schedules"])
    refused = tokopedia.post(
        "send-otp", send_otp_body(holder, course, other["schedules"][0]["schedule_code"])
    )
    assert_refusal(refused)


def test_send_otp_refuses_a_webinar_schedule_that_has_started(server, tokopedia, courses):
    holder = card(server)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for course in courses:
        if course["type"] == "self_paced" or "tokopedia" not in course["platforms"]:
            continue
        started = [s for s in course["schedules"] if s["start"] <= now]
        if started:
            refused = tokopedia.post(
                "send-otp", send_otp_body(holder, course, started[0]["schedule_code"])
            )
            assert_refusal(refused)
            return
    pytest.fail("the demo catalogue should hold a started webinar or offline schedule")


def test_send_otp_refuses_a_participant_outside_the_age_requirement(server, tokopedia, courses):
    course = next(c for c in courses if c["max_age"] and "tokopedia" in c["platforms"])
    assert_refusal(tokopedia.post("send-otp", send_otp_body(card(server, "too_old"), course)))


def test_send_otp_refuses_a_participant_below_the_education_requirement(server, tokopedia, courses):
    course = next(c for c in courses if c["min_education"] and "tokopedia" in c["platforms"])
    holder = card(server, "low_education")
    assert_refusal(tokopedia.post("send-otp", send_otp_body(holder, course)))


def test_send_otp_refuses_when_the_quota_is_gone(server, tokopedia, courses):
    smallest = min(
        (c for c in courses if "tokopedia" in c["platforms"] and not c["min_education"]
         and not c["max_age"] and not c["min_age"]),
        key=lambda c: on_sale(c)["quota"],
    )  # fmt: skip
    schedule = on_sale(smallest)
    assert schedule["quota"] <= 5, "the demo data should hold a nearly full schedule"
    for n in range(schedule["quota"]):
        holder = card(server)
        opened = tokopedia.post(
            "send-otp", send_otp_body(holder, smallest, schedule["schedule_code"])
        )
        assert opened.status_code == 200, opened.text
        token = opened.json()["data"]["payment_token"]
        tokopedia.post(
            "authorize",
            {
                "otp": otp_of(server, holder["phone"]),
                "invoice_url": "https://dp.example/q",
                "invoice_code": f"quota-{n}-{holder['card_number'][-6:]}",
            },  # fmt: skip
            headers={"Authorization": f"Payment {token}"},
        )
    quota = tokopedia.post(
        "quota-schedule",
        {"schedule_code": schedule["schedule_code"], "course_code": smallest["course_code"]},
    )
    assert quota.json()["data"]["quota"] == 0
    refused = tokopedia.post(
        "send-otp", send_otp_body(card(server), smallest, schedule["schedule_code"])
    )
    assert_refusal(refused)


# --- refusals at authorize ---------------------------------------------------------------------
def test_authorize_with_a_wrong_otp_is_a_400(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    token = tokopedia.post("send-otp", send_otp_body(holder, course)).json()["data"][
        "payment_token"
    ]
    right = otp_of(server, holder["phone"])
    wrong = "000000" if right != "000000" else "111111"
    assert_refusal(
        tokopedia.post(
            "authorize",
            {"otp": wrong, "invoice_url": "https://dp.example/w", "invoice_code": "wrong-otp"},
            headers={"Authorization": f"Payment {token}"},
        )
    )


def test_authorize_without_a_valid_payment_token_is_refused(tokopedia):
    response = tokopedia.post(
        "authorize",
        {"otp": "123456", "invoice_url": "https://dp.example/t", "invoice_code": "no-token"},
        headers={"Authorization": "Payment not-a-token"},
    )
    assert response.status_code in (400, 401)
    body = response.json()
    assert body["success"] is False and body["code"].startswith("ERR")


def test_a_token_buys_once(server, tokopedia, courses):
    holder, course = card(server), sellable(courses)
    token = tokopedia.post("send-otp", send_otp_body(holder, course)).json()["data"][
        "payment_token"
    ]
    otp = otp_of(server, holder["phone"])
    body = {"otp": otp, "invoice_url": "https://dp.example/once", "invoice_code": "once-1"}
    headers = {"Authorization": f"Payment {token}"}
    assert tokopedia.post("authorize", body, headers=headers).status_code == 200
    assert_refusal(tokopedia.post("authorize", {**body, "invoice_code": "once-2"}, headers=headers))


def test_a_bad_signature_is_refused_in_the_failure_envelope(tokopedia, courses):
    course = sellable(courses)
    payload = {
        "schedule_code": on_sale(course)["schedule_code"],
        "course_code": course["course_code"],
    }
    response = tokopedia.post("quota-schedule", payload, signed_body=b"{}")
    assert response.status_code in (400, 401)
    body = response.json()
    assert list(body)[:3] == ["code", "message", "success"] and body["success"] is False


def test_the_books_balance_after_all_of_the_above(server):
    report = requests.get(f"{server}/sandbox/reconcile", timeout=10).json()
    assert report["ok"] is True, [check for check in report["checks"] if not check["ok"]]
