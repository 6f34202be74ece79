"""The OpenAPI document is valid and covers every route of every API: the platform payment API
(as the real one), the simulator's extensions (marked), the institution API, the sandbox, and
the storefronts' voucher API; its failure examples are the real envelope."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

PAYMENT = "/api/v1/integration/payment"
REAL_PATHS = [f"{PAYMENT}/{name}" for name in ("quota-schedule", "send-otp", "authorize",
                                                "status", "void")]  # fmt: skip
CARD_INQUIRY = "/api/v1/integration/ext/payment/card-inquiry"


@pytest.fixture
def spec(market) -> dict:
    return market.http.get("/api/openapi.json").get_json()


def examples(operation: dict, status: str) -> dict:
    return operation["responses"][status]["content"]["application/json"]["examples"]


def test_openapi_document_is_valid(spec):
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_the_platform_api_is_the_real_one_and_the_invented_one_is_gone(spec):
    for path in REAL_PATHS:
        operation = spec["paths"][path]["post"]
        assert operation["x-simulator-extension"] is False, path
    assert spec["paths"][CARD_INQUIRY]["post"]["x-simulator-extension"] is True
    for old in ("card/inquiry", "otp/request", "otp/resend", "charge", "refund"):
        assert f"{PAYMENT}/{old}" not in spec["paths"]


def test_every_api_and_sandbox_route_is_documented(market, spec):
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    for rule in market.app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        is_api = path.startswith(("/api/v1/", "/sandbox/")) or "/api/v1/" in path
        if not is_api or path.startswith("/sandbox/phone"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, f"{method} {path} missing from the OpenAPI doc"


def test_failure_examples_are_the_real_envelope(spec):
    for path in [*REAL_PATHS, CARD_INQUIRY]:
        for status, response in spec["paths"][path]["post"]["responses"].items():
            if status == "200":
                continue
            for name, example in examples({"responses": {status: response}}, status).items():
                value = example["value"]
                assert list(value) == ["code", "message", "success"], (path, name)
                assert value["code"] == name and value["success"] is False
                assert re.fullmatch(r"ERR[A-Z]+\d{5}", value["code"]), (path, name)
                assert value["message"], (path, name)
                assert str(status) == value["code"][-5:-2], (path, name)  # ERR…400nn is a 400


def test_every_refusal_of_an_endpoint_is_documented_with_its_status(spec):
    authorize = spec["paths"][f"{PAYMENT}/authorize"]["post"]
    assert {"ERRPLT40026", "ERRPLT40027", "ERRPLT40012", "ERRPLT40021", "ERRPLT40009"} <= set(
        examples(authorize, "400")
    )
    assert "ERRAUTH40106" in examples(authorize, "401")
    assert "ERRPLT50301" in examples(authorize, "503")
    send_otp = examples(spec["paths"][f"{PAYMENT}/send-otp"]["post"], "400")
    assert {"ERRPLT40006", "ERRPLT40007", "ERRPLT40008", "ERRPLT40009", "ERRPLT40010",
            "ERRPLT40011", "ERRPLT40029", "ERRPLT40030"} <= set(send_otp)  # fmt: skip
    void = examples(spec["paths"][f"{PAYMENT}/void"]["post"], "400")
    assert void["ERRVOD40001"]["value"]["message"] == "Kode transaksi tidak ditemukan."
    assert {"ERRPLT40028", "ERRVOD40002"} <= set(void)
    quota = examples(spec["paths"][f"{PAYMENT}/quota-schedule"]["post"], "400")
    assert "ERRPLT40036" in quota
    for path in REAL_PATHS:
        unauthorised = examples(spec["paths"][path]["post"], "401")
        assert {"ERRAUTH40101", "ERRAUTH40102", "ERRAUTH40103", "ERRAUTH40104"} <= set(
            unauthorised
        ), path


def test_request_schemas_follow_the_real_bodies(spec):
    def schema(path):
        body = spec["paths"][path]["post"]["requestBody"]
        return body["content"]["application/json"]["schema"]

    send_otp = schema(f"{PAYMENT}/send-otp")
    assert set(send_otp["required"]) == {
        "prakerja_id", "user_platform_id", "course_code", "schedule_code", "amount",
    }  # fmt: skip
    assert send_otp["properties"]["amount"]["type"] == "integer"
    assert set(schema(f"{PAYMENT}/authorize")["required"]) == {
        "otp", "invoice_url", "invoice_code",
    }  # fmt: skip
    assert schema(f"{PAYMENT}/status")["required"] == ["invoice_code"]
    assert set(schema(f"{PAYMENT}/void")["required"]) == {"invoice_code", "transaction_code"}
    assert set(schema(f"{PAYMENT}/quota-schedule")["properties"]) == {
        "course_code", "schedule_code",
    }  # fmt: skip


def test_authorize_documents_its_payment_header_and_idempotency_key(spec):
    parameters = {p["name"]: p for p in spec["paths"][f"{PAYMENT}/authorize"]["post"]["parameters"]}
    assert parameters["Authorization"]["required"] is True
    assert "Payment <payment_token>" in parameters["Authorization"]["description"]
    assert parameters["Idempotency-Key"]["required"] is False
    void = {p["name"] for p in spec["paths"][f"{PAYMENT}/void"]["post"]["parameters"]}
    assert "Idempotency-Key" in void


def test_success_answers_follow_the_public_examples(spec):
    def success(path):
        return spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"][
            "schema"
        ]

    authorize = success(f"{PAYMENT}/authorize")
    assert list(authorize["properties"]["data"]["properties"]) == [
        "invoice_code", "transaction_code", "amount", "status", "prakerja_name",
    ]  # fmt: skip
    assert authorize["properties"]["message"]["examples"] == ["Pelatihan berhasil dibeli."]
    status = success(f"{PAYMENT}/status")["properties"]["data"]["properties"]
    assert list(status) == [
        "created_at", "invoice_code", "transaction_code", "amount", "status", "prakerja_name",
    ]  # fmt: skip
    void = success(f"{PAYMENT}/void")
    assert "data" not in void["properties"]
    assert void["properties"]["message"]["examples"] == ["Transaksi berhasil dibatalkan."]
    assert list(success(f"{PAYMENT}/quota-schedule")["properties"]["data"]["properties"]) == [
        "schedule_code", "course_code", "quota",
    ]  # fmt: skip


def test_the_failure_schema_is_the_real_envelope(spec):
    failure = spec["components"]["schemas"]["Failure"]
    assert failure["required"] == ["code", "message", "success"]
    assert "error" not in failure["properties"]


def test_docs_page_is_readable_html(market):
    page = market.http.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"{PAYMENT}/send-otp" in html and f"{PAYMENT}/authorize" in html
    assert "ERRPLT40026" in html and "ERRVOD40001" in html
    assert f"{PAYMENT}/charge" not in html


SANDBOX_REFUSALS = {
    ("get", "/sandbox/transactions/{code}"): {"404": {"ERRSBX40402"}},
    ("post", "/sandbox/personas/{key}"): {"404": {"ERRSBX40401"}},
    ("get", "/sandbox/test-codes"): {"400": {"ERRGEN40002"}, "404": {"ERRSBX40403"}},
    ("get", "/sandbox/sms"): {"400": {"ERRGEN40002"}},
    ("get", "/sandbox/emails"): {"400": {"ERRGEN40002"}},
    ("post", "/sandbox/clock/advance"): {"400": {"ERRGEN40001", "ERRGEN40002"}},
    ("post", "/sandbox/payments/{code}/complete"): {
        "400": {"ERRGEN40001", "ERRGEN40002"},
        "404": {"ERRSBX40402"},
        "409": {"ERRSBX40901"},
    },
}


def test_every_sandbox_operation_documents_its_refusals(spec):
    sandbox = {
        (method, path): operation
        for path, item in spec["paths"].items()
        if path.startswith("/sandbox/")
        for method, operation in item.items()
    }
    assert set(SANDBOX_REFUSALS) <= set(sandbox)
    for (method, path), operation in sandbox.items():
        refusals = {status: set(examples(operation, status)) for status in operation["responses"]
                    if status.startswith("4")}  # fmt: skip
        expected = {"401": {"ERRSBX40101"}, **SANDBOX_REFUSALS.get((method, path), {})}
        assert refusals == expected, (method, path)
        for status in refusals:
            content = operation["responses"][status]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Failure"}, (path, status)
            for code, example in content["examples"].items():
                assert example["value"]["code"] == code and code[-5:-2] == status, (path, code)


def test_the_sandbox_answers_the_refusals_it_documents(market):
    http = market.http
    assert http.get("/sandbox/transactions/TIDAK-ADA").get_json()["code"] == "ERRSBX40402"
    assert http.post("/sandbox/personas/tidak-ada").get_json()["code"] == "ERRSBX40401"
    assert http.get("/sandbox/sms").get_json()["code"] == "ERRGEN40002"
    assert http.get("/sandbox/test-codes?client_code=x").get_json()["code"] == "ERRSBX40403"
    bad_json = http.post("/sandbox/clock/advance", data=b"{", content_type="application/json")
    assert (bad_json.status_code, bad_json.get_json()["code"]) == (400, "ERRGEN40001")
    with_token = market.app.test_client()
    market.app.config["SANDBOX_TOKEN"] = "rahasia"
    answer = with_token.get("/sandbox/clock")
    assert (answer.status_code, answer.get_json()["code"]) == (401, "ERRSBX40101")
