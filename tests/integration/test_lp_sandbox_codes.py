"""The sandbox's test codes for the docs' positive cases (TC1-001-200, TC1-999-200,
TC2-001-200, TC2-999-200) and ``redeem-code/reset``."""

from __future__ import annotations

import pytest

from prakerja_gateway.errors import INSTITUTION_ERRORS
from tests.helpers import Marketplace, pass_face_check, sandbox_off_config

LOCAL_CALLBACK = "http://localhost:8000/prakerja/kembali"  # the sandbox needs no registration
CASES = ["TC1-001-200", "TC1-999-200", "TC2-001-200", "TC2-999-200"]


def listed_codes(market: Marketplace, client_code: str = "lpdigi-sandbox") -> dict[str, dict]:
    response = market.http.get("/sandbox/test-codes", query_string={"client_code": client_code})
    assert response.status_code == 200, response.get_json()
    return {code["test_case"]: code for code in response.get_json()["test_codes"]}


def scan(market: Marketplace, lp, code: str, sequence: int) -> None:
    generated = lp.face_check_url(
        code, redirect_uri=LOCAL_CALLBACK, email="uji@lpdigi.example", sequence=sequence
    )
    assert generated.status == 200, generated.body
    pass_face_check(market, generated.data["url"])


def refused(answer, name: str) -> None:
    kind = INSTITUTION_ERRORS[name]
    assert (answer.status, answer.error_code, answer.message) == (400, kind.code, kind.message)


def test_each_institution_gets_one_prat_code_per_documented_case(market):
    listed = market.http.get("/sandbox/test-codes?client_code=lpdigi-sandbox").get_json()
    assert listed["client_code"] == "lpdigi-sandbox" and listed["redirect_uris"] == []
    codes = {code["test_case"]: code for code in listed["test_codes"]}
    assert list(codes) == CASES
    for name, code in codes.items():
        assert code["redeem_code"].startswith("PRAT-") and len(code["redeem_code"]) == 11
        assert code["course_type"] == int(name[2]) and code["sequence"] == int(name[4:7])
    assert listed_codes(market) == codes  # made once
    keu = listed_codes(market, "lpkeu-sandbox")
    assert {code["redeem_code"] for code in keu.values()}.isdisjoint(
        {code["redeem_code"] for code in codes.values()}
    )
    offline_only = listed_codes(market, "lptek-sandbox")
    assert all(code["redeem_code"] is None for code in offline_only.values())


def test_the_listing_refuses_unknown_or_missing_clients(market, make_app):
    assert market.http.get("/sandbox/test-codes").status_code == 400
    unknown = market.http.get("/sandbox/test-codes?client_code=tokopedia-sandbox")
    assert unknown.status_code == 404 and unknown.get_json()["success"] is False
    off = make_app(**sandbox_off_config()).test_client()
    assert off.get("/sandbox/test-codes?client_code=lpdigi-sandbox").status_code == 404


@pytest.mark.parametrize("case", CASES)
def test_each_positive_case_passes_and_resets(market, case):
    lp = market.partner("LPDIGI")
    test_code = listed_codes(market)[case]
    code, sequence = test_code["redeem_code"], test_code["sequence"]
    before = lp.redeem_code_status(code, sequence=sequence)
    assert before.status == 200, before.body
    assert before.data["attendance_status"] == 0 and before.data["status"] == 1
    assert before.data["course_type"] == test_code["course_type"]
    assert before.data["dp_platform"] == "Prakerja Sandbox"
    assert (before.data["redeem_at"] is None) == (sequence == 1)

    scan(market, lp, code, sequence)
    after = lp.redeem_code_status(code, sequence=sequence).data
    assert after["attendance_status"] == 1 and after["redeem_at"] is not None

    reset = lp.redeem_code_reset(code)
    assert reset.status == 200, reset.body
    assert reset.data == {**before.data, "attendance_status": 0}
    assert lp.redeem_code_status(code, sequence=sequence).data == before.data
    scan(market, lp, code, sequence)  # and again, as often as the institution likes
    assert lp.redeem_code_status(code, sequence=sequence).data["attendance_status"] == 1


def test_test_codes_pass_whatever_the_date_and_share_an_email(market):
    lp = market.partner("LPDIGI")
    codes = listed_codes(market)
    market.advance(days=400)  # long after every schedule
    scan(market, lp, codes["TC2-001-200"]["redeem_code"], 1)
    scan(market, lp, codes["TC1-001-200"]["redeem_code"], 1)
    scan(market, lp, codes["TC1-999-200"]["redeem_code"], 999)


def test_reset_takes_only_this_institutions_prat_test_codes_in_the_sandbox(market, make_app):
    lp = market.partner("LPDIGI")
    persona = market.mint("ok")
    paid = market.buy(persona, course_code="DIG-004")
    real = market.redeem_code_of(paid.data["transaction_code"])
    refused(lp.redeem_code_reset(real), "not_a_test_case")
    no_prefix = lp.redeem_code_reset("GHOPNYXUVMT0")
    assert (no_prefix.status, no_prefix.error_code) == (400, "ERRGEN40002")
    assert no_prefix.body["details"]["fields"]["redeem_code"] == [
        "Redeem code harus mempunyai prefix PRAT-"
    ]
    refused(lp.redeem_code_reset("PRAT-ZZZZZZ"), "ERRTRX40020")
    keu_code = listed_codes(market, "lpkeu-sandbox")["TC1-001-200"]["redeem_code"]
    refused(lp.redeem_code_reset(keu_code), "ERRTRX40028")
    tc = listed_codes(market)["TC1-001-200"]["redeem_code"]
    refused(lp.report_completion(tc, "CERT-TC"), "test_code_not_completable")

    off = Marketplace(make_app(**sandbox_off_config()))
    refused(off.partner("LPDIGI").redeem_code_reset(tc), "sandbox_only")


def test_the_legacy_commit_works_on_a_test_code_too(market):
    lp = market.partner("LPDIGI")
    code = listed_codes(market)["TC1-001-200"]["redeem_code"]
    assert lp.redeem_code_commit(code).data == {
        "redeem_code": code,
        "course_code": "DIG-001",
        "status": 1,
    }
    assert lp.redeem_code_reset(code).data["redeem_at"] is None
    assert lp.redeem_code_commit(code).status == 200
