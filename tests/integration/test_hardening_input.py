"""No 500 and no hang for any input (issue 11): odd signed headers, hostile JSON bodies, odd query
parameters, NUL in text, redeem-code collisions and races lost at a unique constraint."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from catalog_seed.demo import demo_credentials, storefront_credentials
from marketplace.errors import AppError
from marketplace.forms import VALID_TEXT, ValidText
from marketplace.jsonforms import MAX_JSON_DEPTH, parse_json_object
from marketplace.params import ParamError, bounded_float, bounded_int
from prakerja_gateway import domain
from prakerja_gateway.client import PAYMENT_PREFIX
from prakerja_gateway.sandbox import views as sandbox_views
from prakerja_gateway.signing import sign
from tests.functional.storefront import Shopper
from tests.helpers import refusal

VOUCHER = "/tokopedia/api/v1/voucher/status"
SEND_OTP = f"{PAYMENT_PREFIX}/send-otp"


def signed_paths(app) -> list[str]:
    """Every signed endpoint: the gateway's partner APIs and each storefront's voucher API."""
    paths = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and not rule.arguments
        and (rule.rule.startswith("/api/v1/integration/") or "/api/v1/voucher/" in rule.rule)
    }
    return sorted(paths)


def credentials(path: str) -> tuple[str, str]:
    if "/api/v1/voucher/" in path:
        return storefront_credentials(path.split("/")[1], "LPDIGI")
    return demo_credentials("tokopedia")


def post_signed(market, path: str, body: bytes = b"{}", **headers: str):
    client_code, sign_key = credentials(path)
    stamp = str(int(time.time()))
    sent = {
        "Content-Type": "application/json",
        "client_code": client_code,
        "timestamp": stamp,
        "signature": sign(sign_key, client_code, stamp, "POST", path, body.decode()),
        **headers,
    }
    return market.http.post(path, data=body, headers=sent)


def code_of(response) -> str:
    return response.get_json()["code"]


# --- 1. signed headers --------------------------------------------------------------------------
@pytest.mark.parametrize("signature", ["é" * 40, "\u0130" * 40, "٠" * 40, "a\x00b", "ß" * 300])
def test_non_ascii_signature_is_the_signature_refusal_on_every_signed_endpoint(market, signature):
    paths = signed_paths(market.app)
    assert SEND_OTP in paths and VOUCHER in paths
    for path in paths:
        response = post_signed(market, path, signature=signature)
        assert response.status_code == 401, (path, response.get_json())
        assert code_of(response) in ("ERRAUTH40103", "invalid_signature"), path


@pytest.mark.parametrize("client_code", ["é" * 10, "a\x00b", "x" * 500, "a b"])
def test_malformed_client_code_is_a_401_on_both_apis(market, client_code):
    for path in (SEND_OTP, VOUCHER):
        response = post_signed(market, path, client_code=client_code)
        assert response.status_code == 401, (path, response.get_json())


def arabic_digits(number: int) -> str:
    return "".join(chr(0x0660 + int(digit)) for digit in str(number))


@pytest.mark.parametrize(
    "timestamp", ["١٦٩٨٢٨٩٢١٦", "²", "NOW_IN_ARABIC", "1e9", " 1", "-1", "9" * 13, "１２"]
)
def test_odd_timestamp_is_the_timestamp_refusal_on_both_apis(market, timestamp):
    if timestamp == "NOW_IN_ARABIC":
        timestamp = arabic_digits(int(time.time()))
    gateway = post_signed(market, SEND_OTP, timestamp=timestamp)
    assert (gateway.status_code, code_of(gateway)) == (401, "ERRAUTH40104")
    voucher = post_signed(market, VOUCHER, timestamp=timestamp)
    assert (voucher.status_code, code_of(voucher)) == (401, "stale_timestamp")


def test_voucher_api_keeps_its_own_refusals(market):
    missing = market.http.post(VOUCHER, json={"voucher_code": "X"})
    assert (missing.status_code, code_of(missing)) == (401, "missing_auth_headers")
    stale = post_signed(market, VOUCHER, timestamp="1")
    assert stale.get_json()["message"].startswith("Timestamp kedaluwarsa")
    assert post_signed(market, VOUCHER, b'{"voucher_code": "TKP-X"}').status_code == 404


# --- 2. JSON bodies -----------------------------------------------------------------------------
def nested(depth: int) -> bytes:
    """An object whose innermost value sits ``depth`` containers deep (the object counts)."""
    return b'{"a":' + b"[" * (depth - 1) + b"]" * (depth - 1) + b"}"


HOSTILE_BODIES = {
    "nul_in_string": b'{"voucher_code": "A\\u0000B"}',
    "nul_in_key": b'{"voucher\\u0000code": "AB"}',
    "raw_nul_in_string": b'{"voucher_code": "A\x00B"}',
    "surrogate_in_string": b'{"voucher_code": "\\ud800"}',
    "surrogate_in_key": b'{"\\udfff": 1}',
    "surrogate_deep": b'{"a": [{"b": ["\\ud83d"]}]}',
    "too_deep": nested(MAX_JSON_DEPTH + 1),
    "recursion": b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "nan": b'{"amount": NaN}',
    "infinity": b'{"amount": -Infinity}',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_hostile_json_body_is_the_invalid_json_refusal(market, name):
    body = HOSTILE_BODIES[name]
    for path in (SEND_OTP, VOUCHER, "/sandbox/clock/advance"):
        response = post_signed(market, path, body)
        assert (response.status_code, code_of(response)) == (400, "ERRGEN40001"), path


def test_nesting_up_to_the_limit_is_still_json(app):
    with app.app_context():
        assert "a" in parse_json_object(nested(MAX_JSON_DEPTH))
        with pytest.raises(AppError) as refused:
            parse_json_object(nested(MAX_JSON_DEPTH + 1))
        assert refused.value.name == "invalid_json"


def test_body_over_the_size_limit_is_the_invalid_json_refusal(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1000)
    with app.app_context():
        with pytest.raises(AppError) as refused:
            parse_json_object(b'{"a": "' + b"x" * 1000 + b'"}')
        assert refused.value.name == "invalid_json"
    response = app.test_client().post(VOUCHER, data=b'{"a": "' + b"x" * 2000 + b'"}')
    assert response.status_code in (400, 413)  # 413 when Content-Length says so up front


# --- 3. query parameters and long-polls ---------------------------------------------------------
def get_in_thread(app, path: str, params: dict, timeout: float = 6.0):
    """The answer, or a failure when the request is still running after ``timeout`` seconds."""
    answers = []
    worker = threading.Thread(
        target=lambda: answers.append(app.test_client().get(path, query_string=params)),
        daemon=True,
    )
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"{path} {params} still waiting after {timeout} s"
    return answers[0]


@pytest.mark.parametrize("path,address", [("/sandbox/sms", "phone"), ("/sandbox/emails", "to")])
@pytest.mark.parametrize(
    "name,value",
    [
        ("after", "2147483648"),
        ("after", "9" * 40),
        ("after", "²"),
        ("after", "١"),
        ("after", "-1"),
        ("after", "1.5"),
        ("wait", "nan"),
        ("wait", "inf"),
        ("wait", "-1"),
        ("wait", "1e309"),
        ("wait", "²"),
        ("wait", "Infinity"),
    ],
)
def test_odd_after_or_wait_is_a_400_and_never_a_hang(market, path, address, name, value):
    response = get_in_thread(market.app, path, {address: "081200000001", name: value})
    assert (response.status_code, code_of(response)) == (400, "ERRGEN40002")
    assert name in response.get_json()["details"]["fields"]


def test_largest_after_and_a_long_wait_are_bounded(market):
    limit = market.app.config["SANDBOX_MAX_WAIT_SECONDS"]
    biggest = get_in_thread(market.app, "/sandbox/sms", {"phone": "0812", "after": "2147483647"})
    assert biggest.status_code == 200 and biggest.get_json()["messages"] == []
    started = time.monotonic()
    clamped = get_in_thread(market.app, "/sandbox/sms", {"phone": "0812", "wait": "100"})
    assert clamped.status_code == 200
    assert limit - 0.2 <= time.monotonic() - started < limit + 2


def test_a_second_long_poll_answers_at_once_while_one_waits(market):
    assert sandbox_views._LONG_POLL.acquire(blocking=False)  # another request is waiting
    try:
        started = time.monotonic()
        response = get_in_thread(market.app, "/sandbox/emails", {"to": "x@contoh.id", "wait": "2"})
        assert response.status_code == 200 and response.get_json()["messages"] == []
        assert time.monotonic() - started < 1.0
    finally:
        sandbox_views._LONG_POLL.release()


def test_a_long_poll_with_nothing_newer_waits_then_answers_empty(market):
    persona = market.mint("sms")
    answers = []
    poll = threading.Thread(
        target=lambda: answers.append(market.sms(persona.phone, wait="2", after="999999"))
    )
    poll.start()
    poll.join(5)
    assert not poll.is_alive()
    assert answers == [[]]  # nothing newer than 999999: waited, then answered empty


def test_strict_parsers():
    assert bounded_int("42", minimum=0, maximum=100) == 42
    assert bounded_float("0.5", minimum=0, maximum=30) == 0.5
    assert bounded_float("31", minimum=0, maximum=30, clamp=True) == 30.0
    for text in ("", "²", "١", "-1", "+1", " 1", "1_000", "101", "0x1"):
        with pytest.raises(ParamError):
            bounded_int(text, minimum=0, maximum=100)
    for text in ("nan", "inf", "1e309", "-0.5", "1e1", ".5", "31"):
        with pytest.raises(ParamError):
            bounded_float(text, minimum=0, maximum=30)


# --- 4. NUL in text -----------------------------------------------------------------------------
@pytest.mark.parametrize("arg", ["q", "kategori", "lembaga", "urut"])
def test_nul_in_a_search_argument_is_dropped(market, arg):
    response = market.http.get("/tokopedia/cari", query_string={arg: "data\x00 \x00"})
    assert response.status_code == 200


def test_nul_in_a_form_field_is_refused_in_indonesian(market):
    dashboard = Shopper(market, "prakerja").get("/masuk").submit(login="budi\x00@contoh.id")
    assert dashboard.status == 422 and dashboard.sees("Karakter tidak valid.")
    store = Shopper(market, "tokopedia").get("/masuk")
    store.submit(login="budi\x00@contoh.id", password="rahasia123")
    assert store.status == 422 and store.sees("Karakter tidak valid.")
    store.get("/daftar").submit(
        name="Bu\x00di", email="budi@contoh.id", phone="081234567890",
        password="rahasia123", confirm="rahasia123",
    )  # fmt: skip
    assert store.status == 422 and store.sees("Karakter tidak valid.")
    login = next(
        rule.rule
        for rule in market.app.url_map.iter_rules()
        if rule.rule.startswith("/lembaga/") and rule.rule.endswith("/masuk")
    )
    site = Shopper(market, login.split("/")[1] + "/" + login.split("/")[2]).get("/masuk")
    site.submit(email="budi\x00@contoh.id", password="rahasia123")
    assert site.status == 422 and site.sees("Karakter tidak valid.")


def test_the_text_validator_refuses_nul_and_lone_surrogates(app):
    from wtforms import Form, StringField

    class NameForm(Form):
        name = StringField("Nama", [VALID_TEXT])

    for bad in ("a\x00", "\ud800", "x\udfffy"):
        form = NameForm(MultiDict({"name": bad}))
        assert not form.validate() and form.errors == {"name": ["Karakter tidak valid."]}
    assert NameForm(MultiDict({"name": "Budi Śantoso 😀"})).validate()
    assert isinstance(VALID_TEXT, ValidText)


# --- 5. redeem codes ----------------------------------------------------------------------------
def test_redeem_code_collisions_cost_retries_not_a_500(market, monkeypatch):
    first = market.buy(market.mint("ok"))
    assert first.status == 200, first.body
    taken = market.redeem_code_of(first.data["transaction_code"])
    codes = iter([taken] * 15)
    monkeypatch.setattr(domain, "new_redeem_code", lambda *_: next(codes, "PRAT-FRESH1"))
    second = market.buy(market.mint("ok"))
    assert second.status == 200, second.body
    assert market.redeem_code_of(second.data["transaction_code"]) == "PRAT-FRESH1"


def test_redeem_codes_exhausted_is_a_processing_error(market, monkeypatch):
    first = market.buy(market.mint("ok"))
    taken = market.redeem_code_of(first.data["transaction_code"])
    monkeypatch.setattr(domain, "new_redeem_code", lambda *_: taken)
    persona = market.mint("ok")
    refused = market.buy(persona)
    assert (refused.status, refused.error_code) == refusal("processing_error"), refused.body
    assert market.card(persona.card_number).balance == persona.balance  # nothing debited
    market.assert_reconciled()


# --- 6. races lost at a unique constraint -------------------------------------------------------
def test_integrity_error_is_a_409_conflict_after_a_rollback(make_app):
    app = make_app()

    def lose_a_race():
        from marketplace.db import db
        from prakerja_gateway.models import Partner

        existing = db.session.execute(db.select(Partner)).scalars().first()
        db.session.add(
            Partner(
                client_code=existing.client_code,
                sign_key="x",
                kind=existing.kind,
                name="duplikat",
                catalog_ref=existing.catalog_ref,
            )
        )
        db.session.flush()
        return "unreachable"

    def raise_directly():
        raise IntegrityError("INSERT ...", {"email": "rahasia@contoh.id"}, Exception("dup"))

    app.add_url_rule("/api/v1/_test/conflict", "test_conflict", lose_a_race, methods=["POST"])
    app.add_url_rule("/_test/conflict", "test_conflict_page", raise_directly)
    http = app.test_client()
    answer = http.post("/api/v1/_test/conflict")
    assert answer.status_code == 409
    assert answer.get_json() == {
        "code": "ERRGEN40901",
        "message": "Permintaan bentrok dengan permintaan lain; silakan coba lagi.",
        "success": False,
    }
    page = http.get("/_test/conflict")
    assert page.status_code == 409 and "text/html" in page.content_type
    assert "Permintaan bentrok dengan permintaan lain" in page.get_data(as_text=True)
    assert http.get("/sandbox/partners").status_code == 200  # the session is usable again


def test_nul_in_a_sandbox_query_is_a_bad_request_not_a_database_error(market):
    """Found by the fuzz on PostgreSQL, which refuses NUL in text: refused before any query."""
    for path in ("/sandbox/test-codes?client_code=lp%00", "/sandbox/sms?phone=0812%00"):
        answer = market.http.get(path)
        assert answer.status_code == 400, path
        assert answer.get_json()["code"] == "ERRGEN40002"
    unknown = market.http.get("/sandbox/transactions/ABC?client_code=x%00")
    assert unknown.status_code == 404
