"""Signed calls: every auth failure is a 401, every malformed body a 400, never a 500."""

from __future__ import annotations

import json
import time

import pytest

from prakerja_gateway.client import GatewayClient, WsgiTransport
from prakerja_gateway.signing import sign

INQUIRY = "/api/v1/integration/payment/card/inquiry"
OTP_REQUEST = "/api/v1/integration/payment/otp/request"
OK_CARD = "5204890000000015"


def _headers(
    client_code="tokopedia-sandbox",
    key="sk_sandbox_tokopedia_demo",
    path=INQUIRY,
    body='{"card_number":"5204890000000015"}',
    timestamp=None,
):
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    return {
        "Content-Type": "application/json",
        "client_code": client_code,
        "timestamp": stamp,
        "signature": sign(key, client_code, stamp, "POST", path, body),
    }


def _post(market, path, raw_body, headers):
    response = market.http.post(path, data=raw_body, headers=headers)
    assert response.content_type == "application/json"
    return response.status_code, response.get_json()


def test_a_correctly_signed_call_succeeds(market):
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', _headers())
    assert status == 200 and body["success"] is True
    assert body["data"]["balance"] == 3_500_000


def test_spaced_json_is_verified_against_its_compact_form(market):
    """Public clients sign the compact body but send json.dumps output (with spaces)."""
    spaced = json.dumps({"card_number": OK_CARD, "amount": 1_000_000})
    compact = '{"card_number":"5204890000000015","amount":1000000}'
    status, body = _post(market, INQUIRY, spaced, _headers(body=compact))
    assert status == 200, body


def test_non_ascii_body_signed_without_ascii_escapes_is_accepted(market):
    raw = '{"card_number":"5204890000000015","catatan":"pelatihan—baru"}'
    status, _ = _post(market, INQUIRY, raw.encode(), _headers(body=raw))
    assert status == 200


@pytest.mark.parametrize("missing", ["client_code", "signature", "timestamp"])
def test_missing_auth_header_is_401(market, missing):
    headers = _headers()
    del headers[missing]
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert (status, body["error"]["code"]) == (401, "missing_auth_headers")
    assert body["success"] is False and body["message"]


def test_unknown_client_is_401(market):
    headers = _headers(client_code="nobody", key="x")
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert (status, body["error"]["code"]) == (401, "unknown_client")


def test_wrong_key_is_401_invalid_signature(market):
    headers = _headers(key="not-the-key")
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert (status, body["error"]["code"]) == (401, "invalid_signature")


def test_tampered_body_is_401_invalid_signature(market):
    headers = _headers(body='{"card_number":"5204890000000015"}')
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000023"}', headers)
    assert (status, body["error"]["code"]) == (401, "invalid_signature")


def test_signature_is_bound_to_the_path(market):
    headers = _headers(path=OTP_REQUEST)
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert (status, body["error"]["code"]) == (401, "invalid_signature")


@pytest.mark.parametrize("skew", [-301, 301, -100_000])
def test_stale_or_future_timestamp_is_401(market, skew):
    headers = _headers(timestamp=int(time.time()) + skew)
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert (status, body["error"]["code"]) == (401, "stale_timestamp")


def test_timestamp_within_tolerance_is_accepted(market):
    headers = _headers(timestamp=int(time.time()) - 250)
    status, _ = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert status == 200


@pytest.mark.parametrize("stamp", ["abc", "1.5", "-5", "", "9" * 40])
def test_non_numeric_timestamp_is_401(market, stamp):
    headers = _headers()
    headers["timestamp"] = stamp
    status, body = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', headers)
    assert status == 401
    assert body["error"]["code"] in ("stale_timestamp", "missing_auth_headers")


def test_signature_ignores_the_simulated_clock(market):
    """Timestamps are wall-clock time, even when the simulated clock runs days ahead."""
    market.advance(days=3)
    status, _ = _post(market, INQUIRY, '{"card_number":"5204890000000015"}', _headers())
    assert status == 200


def test_institution_credentials_cannot_call_the_platform_api(market):
    client = GatewayClient("lpdigi-sandbox", "sk_sandbox_lpdigi_demo", WsgiTransport(market.app))
    response = client.card_inquiry(OK_CARD)
    assert (response.status, response.error_code) == (401, "wrong_partner_kind")


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]", b'"text"', b"\xff\xfe", b"null"])
def test_malformed_json_is_400(market, raw):
    text = raw.decode("utf-8", "replace")
    status, body = _post(market, INQUIRY, raw, _headers(body=text))
    assert (status, body["error"]["code"]) == (400, "invalid_json")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"card_number": 5204890000000015}, "card_number"),
        ({"card_number": None}, "card_number"),
        ({}, "card_number"),
        ({"card_number": ["5204890000000015"]}, "card_number"),
        ({"card_number": {"n": 1}}, "card_number"),
        ({"card_number": OK_CARD, "amount": "1000000"}, "amount"),
        ({"card_number": OK_CARD, "amount": True}, "amount"),
        ({"card_number": OK_CARD, "amount": 10.5}, "amount"),
        ({"card_number": OK_CARD, "amount": -1}, "amount"),
        ({"card_number": OK_CARD, "amount": 10**30}, "amount"),
        ({"card_number": "5" * 500}, "card_number"),
    ],
)
def test_wrong_types_and_missing_fields_are_400_with_the_field_named(market, payload, field):
    response = market.tokopedia.call(INQUIRY, payload)
    assert (response.status, response.error_code) == (400, "invalid_request"), response.body
    assert field in response.body["error"]["details"]["fields"]


@pytest.mark.parametrize(
    "payload",
    [
        {
            "card_number": OK_CARD,
            "amount": "x",
            "invoice_code": 1,
            "course_code": [],
            "account_id": {},
        },
        {"card_number": OK_CARD},
        {
            "card_number": OK_CARD,
            "amount": 0,
            "invoice_code": "",
            "course_code": "",
            "account_id": "",
        },
    ],
)
def test_otp_request_lists_every_bad_field(market, payload):
    response = market.tokopedia.call(OTP_REQUEST, payload)
    assert (response.status, response.error_code) == (400, "invalid_request")
    fields = response.body["error"]["details"]["fields"]
    assert {"amount", "invoice_code", "course_code", "account_id"} <= set(fields)


@pytest.mark.parametrize(
    "path",
    ["charge", "refund", "status", "otp/resend"],
)
def test_every_endpoint_validates_its_body(market, path):
    response = market.tokopedia.call(f"/api/v1/integration/payment/{path}", {"payment_id": 12})
    assert (response.status, response.error_code) == (400, "invalid_request")


def test_unknown_api_path_answers_json_404(market):
    response = market.http.post("/api/v1/integration/payment/nope", json={})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_wrong_method_answers_json_405(market):
    response = market.http.get(INQUIRY)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_oversized_body_is_413_json(market):
    response = market.http.post(
        INQUIRY, data=b"{" + b" " * (2 * 1024 * 1024) + b"}", headers=_headers()
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


def test_a_database_held_by_another_writer_answers_503_and_loses_nothing(make_app, tmp_path):
    import sqlite3

    from tests.conftest import ON_POSTGRES

    if ON_POSTGRES:
        pytest.skip("SQLite's write lock")
    app = make_app(SQLITE_BUSY_TIMEOUT_SECONDS=0.2)
    from tests.helpers import Marketplace

    market = Marketplace(app)
    persona = market.mint("ok")
    holder = sqlite3.connect(str(tmp_path / "marketplace.sqlite3"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a seeding run writing a wave
    try:
        response = market.request_otp(persona)
        assert (response.status, response.error_code) == (503, "database_busy")
        assert response.headers.get("Retry-After") == "1"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert market.request_otp(persona).status == 200
    market.assert_reconciled()
