"""The OpenAPI document is valid and covers every route of every API: the platform and
institution APIs, the sandbox, and the storefronts' voucher API."""

from __future__ import annotations

import re

from openapi_spec_validator import validate


def test_openapi_document_is_valid(market):
    spec = market.http.get("/api/openapi.json").get_json()
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_api_and_sandbox_route_is_documented(market):
    spec = market.http.get("/api/openapi.json").get_json()
    documented = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    for rule in market.app.url_map.iter_rules():
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        is_api = path.startswith(("/api/v1/", "/sandbox/")) or "/api/v1/" in path
        if not is_api or path.startswith("/sandbox/phone"):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (method, path) in documented, f"{method} {path} missing from the OpenAPI doc"


def test_every_error_code_of_an_endpoint_is_documented_with_its_status(market):
    spec = market.http.get("/api/openapi.json").get_json()
    charge = spec["paths"]["/api/v1/integration/payment/charge"]["post"]["responses"]
    assert "otp_invalid" in charge["422"]["content"]["application/json"]["examples"]
    assert "insufficient_saldo" in charge["402"]["content"]["application/json"]["examples"]
    assert "processing_error" in charge["503"]["content"]["application/json"]["examples"]


def test_request_schemas_follow_the_forms(market):
    spec = market.http.get("/api/openapi.json").get_json()
    body = spec["paths"]["/api/v1/integration/payment/otp/request"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert set(schema["required"]) == {
        "card_number",
        "amount",
        "invoice_code",
        "course_code",
        "account_id",
    }
    assert schema["properties"]["amount"]["type"] == "integer"


def test_docs_page_is_readable_html(market):
    page = market.http.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/v1/integration/payment/charge" in html and "otp_invalid" in html
