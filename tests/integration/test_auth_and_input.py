"""Signed calls: every auth failure is a 401 ``ERRAUTH401xx``, every malformed body a 400 in the
real failure envelope, never a 500; the bodies real clients sign (PHP's raw bytes, the official
Python sample's spaces, Go's header names) are accepted."""

from __future__ import annotations

import json
import time

import pytest

from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.signing import sign
from tests.helpers import Marketplace, refusal

PAYMENT = "/api/v1/integration/payment"
QUOTA = f"{PAYMENT}/quota-schedule"
AUTHORIZE = f"{PAYMENT}/authorize"
INQUIRY = "/api/v1/integration/ext/payment/card-inquiry"
OK_CARD = "5204890000000015"  # the documented 'ok' persona
CLIENT, KEY = "tokopedia-sandbox", "sk_sandbox_tokopedia_demo"


def headers_for(path: str, signed_body: str | bytes, *, client_code=CLIENT, key=KEY,
                timestamp=None, **extra: str) -> dict[str, str]:  # fmt: skip
    """The documented headers, the signature over ``signed_body`` exactly."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    if isinstance(signed_body, bytes):
        signed_body = signed_body.decode()
    return {
        "Content-Type": "application/json",
        "client_code": client_code,
        "timestamp": stamp,
        "signature": sign(key, client_code, stamp, "POST", path, signed_body),
        **extra,
    }


def post(market: Marketplace, path: str, raw_body: str | bytes, headers) -> tuple[int, dict]:
    response = market.http.post(path, data=raw_body, headers=headers)
    assert response.content_type == "application/json"
    return response.status_code, response.get_json()


def assert_failure(body: dict, code: str) -> None:
    """The real failure envelope, keys in its order; ``details`` only as our extra."""
    assert list(body)[:3] == ["code", "message", "success"], body
    assert set(body) <= {"code", "message", "success", "details"}
    assert (body["code"], body["success"]) == (code, False)
    assert isinstance(body["message"], str) and body["message"]


@pytest.fixture
def quota_body(market) -> str:
    """A compact quota-schedule body for an open schedule (key order as the docs' example)."""
    schedule = market.open_schedule("DIG-001")
    return json.dumps({"schedule_code": schedule, "course_code": "DIG-001"}, separators=(",", ":"))


def test_a_correctly_signed_call_succeeds(market, quota_body):
    status, body = post(market, QUOTA, quota_body, headers_for(QUOTA, quota_body))
    assert status == 200, body
    assert body["success"] is True and body["data"]["quota"] > 0


# --- what real clients sign ------------------------------------------------------------------
def test_python_json_dumps_spaces_are_verified_against_the_compact_form(market, quota_body):
    """The official Python sample signs compact JSON but sends ``json.dumps`` (with spaces)."""
    spaced = json.dumps(json.loads(quota_body))
    assert spaced != quota_body
    status, body = post(market, QUOTA, spaced, headers_for(QUOTA, quota_body))
    assert status == 200, body


def test_a_signature_over_the_exact_bytes_sent_is_accepted(market, quota_body):
    spaced = json.dumps(json.loads(quota_body), indent=2)
    status, body = post(market, QUOTA, spaced, headers_for(QUOTA, spaced))
    assert status == 200, body


def test_php_escaped_slashes_signed_as_sent_buy_a_training(market):
    """PHP's json_encode writes ``https:\\/\\/…`` and signs exactly that."""
    persona = market.mint("ok")
    token = market.send_otp(persona).data["payment_token"]
    php = json.dumps(
        {"otp": "123456", "invoice_url": "https://toko.example/invoice/PHP-1",
         "invoice_code": "PHP/1"}, separators=(",", ":"),
    ).replace("/", "\\/")  # fmt: skip
    assert "\\/" in php
    status, body = post(
        market, AUTHORIZE, php, headers_for(AUTHORIZE, php, Authorization=f"Payment {token}")
    )
    assert status == 200, body
    assert body["data"]["invoice_code"] == "PHP/1"
    market.assert_reconciled()


def test_php_unicode_escapes_and_raw_utf8_are_both_accepted(market):
    for raw in ('{"prakerja_id":"5204890000000015","catatan":"pelatihan\\u2014baru"}',
                '{"prakerja_id":"5204890000000015","catatan":"pelatihan—baru"}'):  # fmt: skip
        status, body = post(market, INQUIRY, raw.encode(), headers_for(INQUIRY, raw))
        assert status == 200, (raw, body)


def test_go_style_capitalised_header_names_are_read(market, quota_body):
    headers = headers_for(QUOTA, quota_body)
    go_headers = {name.capitalize() if name != "Content-Type" else name: value
                  for name, value in headers.items()}  # fmt: skip
    assert {"Client_code", "Signature", "Timestamp"} <= set(go_headers)
    status, body = post(market, QUOTA, quota_body, go_headers)
    assert status == 200, body


# --- auth refusals -------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["client_code", "signature", "timestamp"])
def test_missing_auth_header_is_ERRAUTH40101(market, quota_body, missing):
    headers = headers_for(QUOTA, quota_body)
    del headers[missing]
    status, body = post(market, QUOTA, quota_body, headers)
    assert status == 401
    assert_failure(body, "ERRAUTH40101")
    assert "details" not in body


def test_unknown_client_is_ERRAUTH40102(market, quota_body):
    status, body = post(
        market, QUOTA, quota_body, headers_for(QUOTA, quota_body, client_code="nobody", key="x")
    )
    assert status == 401
    assert_failure(body, "ERRAUTH40102")


def test_wrong_key_is_ERRAUTH40103(market, quota_body):
    status, body = post(market, QUOTA, quota_body, headers_for(QUOTA, quota_body, key="not-it"))
    assert status == 401
    assert_failure(body, "ERRAUTH40103")


def test_tampered_body_is_ERRAUTH40103(market, quota_body):
    tampered = quota_body.replace("DIG-001", "DIG-004")
    status, body = post(market, QUOTA, tampered, headers_for(QUOTA, quota_body))
    assert (status, body["code"]) == (401, "ERRAUTH40103")


def test_signature_is_bound_to_the_path(market, quota_body):
    status, body = post(market, QUOTA, quota_body, headers_for(f"{PAYMENT}/status", quota_body))
    assert (status, body["code"]) == (401, "ERRAUTH40103")


# +360, not +301: the request reaches the check a moment after the header is made, which brings
# a future stamp closer (on a loaded machine, by more than a second). The exact bound is tested
# with a fixed clock in tests/unit/test_signed_timestamp.py.
@pytest.mark.parametrize("skew", [-301, 360, -100_000])
def test_stale_or_future_timestamp_is_ERRAUTH40104(market, quota_body, skew):
    headers = headers_for(QUOTA, quota_body, timestamp=int(time.time()) + skew)
    status, body = post(market, QUOTA, quota_body, headers)
    assert status == 401
    assert_failure(body, "ERRAUTH40104")


def test_timestamp_within_tolerance_is_accepted(market, quota_body):
    headers = headers_for(QUOTA, quota_body, timestamp=int(time.time()) - 250)
    status, _ = post(market, QUOTA, quota_body, headers)
    assert status == 200


@pytest.mark.parametrize("stamp", ["abc", "1.5", "-5", "", "9" * 40, "１７００００００００"])
def test_non_numeric_timestamp_is_401(market, quota_body, stamp):
    headers = headers_for(QUOTA, quota_body)
    headers["timestamp"] = stamp
    status, body = post(market, QUOTA, quota_body.encode(), headers)
    assert status == 401
    assert body["code"] in ("ERRAUTH40104", "ERRAUTH40101")


def test_signature_ignores_the_simulated_clock(market, quota_body):
    """Timestamps are wall-clock time, even when the simulated clock runs days ahead."""
    market.advance(days=3)
    status, _ = post(market, QUOTA, quota_body, headers_for(QUOTA, quota_body))
    assert status == 200


def test_institution_credentials_cannot_call_the_platform_api(market):
    client = GatewayClient("lpdigi-sandbox", "sk_sandbox_lpdigi_demo", WsgiTransport(market.app))
    for response in (client.card_inquiry(OK_CARD), client.payment_status("INV-1")):
        assert (response.status, response.error_code) == (401, "ERRAUTH40105")


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Payment", "Payment ", "Bearer {token}", "{token}", "Basic dXNlcjpwYXNz",
     "Payment " + "x" * 65, "Payment t\u00f6ken"],
)  # fmt: skip
def test_authorize_needs_a_Payment_authorization_header(market, authorization):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    token = opened.data["payment_token"]
    header = None if authorization is None else authorization.format(token=token)
    response = market.tokopedia.call(
        AUTHORIZE,
        {"otp": "123456", "invoice_url": "https://toko.example/i", "invoice_code": "AUTH-1"},
        authorization=header,
    )
    assert (response.status, response.error_code) == (401, "ERRAUTH40106"), response.body
    assert market.card(persona.card_number).balance == 3_500_000
    assert market.authorize(opened, "123456").status == 200  # no attempt was used up


# --- malformed bodies: a 400, never a 500 -----------------------------------------------------
@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe", b"null"])
@pytest.mark.parametrize("path", [QUOTA, f"{PAYMENT}/send-otp", AUTHORIZE, f"{PAYMENT}/void"])
def test_malformed_json_is_ERRGEN40001(market, raw, path):
    text = raw.decode("utf-8", "replace")
    headers = headers_for(path, text, Authorization="Payment x")
    status, body = post(market, path, raw, headers)
    assert status == 400
    assert_failure(body, "ERRGEN40001")


def bad_fields(response) -> set[str]:
    assert (response.status, response.error_code) == (400, "ERRGEN40002"), response.body
    return set(response.body["details"]["fields"])


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"prakerja_id": 5204890000000015}, "prakerja_id"),
        ({"prakerja_id": None}, "prakerja_id"),
        ({}, "prakerja_id"),
        ({"prakerja_id": [OK_CARD]}, "prakerja_id"),
        ({"prakerja_id": {"n": 1}}, "prakerja_id"),
        ({"prakerja_id": OK_CARD, "amount": "1000000"}, "amount"),
        ({"prakerja_id": OK_CARD, "amount": True}, "amount"),
        ({"prakerja_id": OK_CARD, "amount": 10.5}, "amount"),
        ({"prakerja_id": OK_CARD, "amount": -1}, "amount"),
        ({"prakerja_id": OK_CARD, "amount": 10**30}, "amount"),
        ({"prakerja_id": "5" * 500}, "prakerja_id"),
    ],
)
def test_wrong_types_and_missing_fields_are_400_with_the_field_named(market, payload, field):
    assert field in bad_fields(market.tokopedia.call(INQUIRY, payload))


@pytest.mark.parametrize(
    "payload",
    [
        {"prakerja_id": OK_CARD, "amount": "x", "course_code": [], "schedule_code": 7,
         "user_platform_id": {}},
        {"prakerja_id": OK_CARD},
        {"prakerja_id": OK_CARD, "amount": 0, "course_code": "", "schedule_code": None,
         "user_platform_id": ""},
    ],
)  # fmt: skip
def test_send_otp_lists_every_bad_field(market, payload):
    fields = bad_fields(market.tokopedia.call(f"{PAYMENT}/send-otp", payload))
    assert {"amount", "course_code", "schedule_code", "user_platform_id"} <= fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"otp": 123456}, "otp"),
        ({"otp": ""}, "otp"),
        ({"invoice_url": "toko.example/i"}, "invoice_url"),
        ({"invoice_url": "ftp://toko.example/i"}, "invoice_url"),
        ({"invoice_url": None}, "invoice_url"),
        ({"invoice_code": True}, "invoice_code"),
        ({"invoice_code": 1.5}, "invoice_code"),
        ({"invoice_code": ["INV"]}, "invoice_code"),
        ({"invoice_code": "I" * 101}, "invoice_code"),
        ({"invoice_code": ""}, "invoice_code"),
    ],
)
def test_authorize_validates_its_body(market, changes, field):
    persona = market.mint("ok")
    opened = market.send_otp(persona)
    payload = {"otp": "123456", "invoice_url": "https://toko.example/i", "invoice_code": "A-1",
               **changes}  # fmt: skip
    response = market.tokopedia.call(
        AUTHORIZE, payload, authorization=f"Payment {opened.data['payment_token']}"
    )
    assert field in bad_fields(response)
    assert market.authorize(opened, "123456").status == 200  # no attempt was used up


@pytest.mark.parametrize(
    ("path", "payload", "field"),
    [
        ("status", {"invoice_code": 12}, "invoice_code"),
        ("status", {}, "invoice_code"),
        ("void", {"invoice_code": "INV-1"}, "transaction_code"),
        ("void", {"invoice_code": "INV-1", "transaction_code": 12}, "transaction_code"),
        ("void", {"transaction_code": "QHBST9GB5OSS888I"}, "invoice_code"),
        ("quota-schedule", {"course_code": 1, "schedule_code": "x"}, "course_code"),
    ],
)
def test_status_void_and_quota_validate_their_bodies(market, path, payload, field):
    assert field in bad_fields(market.tokopedia.call(f"{PAYMENT}/{path}", payload))


@pytest.mark.parametrize(
    "payload",
    [{}, {"course_code": "DIG-001"}, {"schedule_code": "x"},
     {"course_code": "", "schedule_code": "x"}, {"course_code": "DIG-001", "schedule_code": None}],
)  # fmt: skip
def test_quota_schedule_without_its_codes_is_ERRPLT40036(market, payload):
    response = market.tokopedia.call(QUOTA, payload)
    assert (response.status, response.error_code) == refusal("quota_fields_missing")
    assert response.error_code == "ERRPLT40036" and response.status == 400


# --- outside any endpoint ---------------------------------------------------------------------
def test_unknown_api_path_answers_the_json_envelope_404(market):
    response = market.http.post(f"{PAYMENT}/charge", json={})  # the old invented endpoint
    assert response.status_code == 404
    assert_failure(response.get_json(), "ERRGEN40401")


def test_wrong_method_answers_the_json_envelope_405(market):
    response = market.http.get(QUOTA)
    assert response.status_code == 405
    assert_failure(response.get_json(), "ERRGEN40501")


def test_oversized_body_is_413_json(market, quota_body):
    response = market.http.post(
        QUOTA, data=b"{" + b" " * (2 * 1024 * 1024) + b"}", headers=headers_for(QUOTA, quota_body)
    )
    assert response.status_code == 413
    assert_failure(response.get_json(), "ERRGEN41301")


def test_a_database_held_by_another_writer_answers_503_and_loses_nothing(make_app, tmp_path):
    import sqlite3

    from tests.conftest import ON_POSTGRES

    if ON_POSTGRES:
        pytest.skip("SQLite's write lock")
    market = Marketplace(make_app(SQLITE_BUSY_TIMEOUT_SECONDS=0.2))
    persona = market.mint("ok")
    schedule = market.open_schedule("DIG-001")
    holder = sqlite3.connect(str(tmp_path / "marketplace.sqlite3"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a seeding run writing a wave
    try:
        response = market.send_otp(persona, schedule_code=schedule)
        assert (response.status, response.error_code) == (503, "ERRGEN50301")
        assert response.headers.get("Retry-After") == "1"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert market.sms(persona.phone) == []
    assert market.buy(persona, schedule_code=schedule).status == 200
    market.assert_reconciled()
