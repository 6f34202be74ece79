"""``/api/docs``, the API reference for people: in Indonesian like every page of the simulator,
with a request and a response example for every operation and its error codes as a table; and
the OpenAPI examples it shows are real (the gateway accepts them)."""

from __future__ import annotations

import re
from html import unescape

import pytest

PAYMENT = "/api/v1/integration/payment"
EXT = "/api/v1/integration/ext"

# Words that give an English heading or label away (field names and codes are in <code>;
# "platform", "status", "voucher" and "sandbox" are Indonesian too).
ENGLISH = {
    "the", "and", "of", "for", "with", "request", "requests", "response", "responses", "answer",
    "answers", "example", "examples", "error", "errors", "body", "parameters", "required",
    "type", "limits", "name", "description", "message", "code", "codes", "origin", "success",
    "fields", "field", "institution", "extensions", "storefront", "reference", "endpoints",
    "operations", "list", "signed", "how", "call",
}  # fmt: skip


@pytest.fixture
def page(market) -> str:
    answer = market.http.get("/api/docs")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


@pytest.fixture
def spec(market) -> dict:
    return market.http.get("/api/openapi.json").get_json()


def operations(spec: dict):
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def anchor(method: str, path: str) -> str:
    return f"{method}-" + re.sub(r"[{}]", "", path.replace("/", "-"))


def section(page: str, method: str, path: str) -> str:
    start = page.index(f'id="{anchor(method, path)}"')
    return page[start : page.index("</section>", start)]


def text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()


def error_rows(html: str) -> list[list[str]]:
    table = re.search(r'<table class="api-errors">(.*?)</table>', html, re.DOTALL)
    assert table, "no error table"
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.DOTALL)
    return [[text(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row)] for row in rows]


def test_every_operation_shows_a_request_and_a_response_example(page, spec):
    for method, path, _ in operations(spec):
        html = section(page, method, path)
        examples = re.findall(r'<pre class="api-example"><code>(.*?)</code></pre>', html, re.DOTALL)
        assert len(examples) == 2, f"{method} {path}"
        request, response = (unescape(example) for example in examples)
        assert request.startswith(method.upper() + " /"), f"{method} {path}: {request[:40]}"
        assert response.startswith("HTTP 2"), f"{method} {path}"
    send_otp = text(section(page, "post", f"{PAYMENT}/send-otp"))
    assert "Contoh permintaan" in send_otp and "Contoh jawaban berhasil" in send_otp
    assert '"prakerja_id": "5204890000000015"' in send_otp
    assert "client_code: tokopedia-sandbox" in send_otp and "signature: " in send_otp
    assert '"payment_token": ' in send_otp
    authorize = text(section(page, "post", f"{PAYMENT}/authorize"))
    assert "Authorization: Payment " in authorize
    assert '"message": "Pelatihan berhasil dibeli."' in authorize
    sms = text(section(page, "get", "/sandbox/sms"))
    assert "GET /sandbox/sms?phone=081200000002" in sms and '"otp": ' in sms


def test_error_codes_are_a_table_per_operation_with_status_and_message(page, spec):
    authorize = error_rows(section(page, "post", f"{PAYMENT}/authorize"))
    assert authorize[0] == ["Kode", "HTTP", "Pesan", "Asal kode"]
    assert ["ERRPLT40026", "400", "Kode OTP salah.", "simulator"] in authorize
    assert authorize[-1][:2] == ["ERRPLT50301", "503"]
    void = error_rows(section(page, "post", f"{PAYMENT}/void"))
    assert ["ERRVOD40001", "400", "Kode transaksi tidak ditemukan.", "API resmi"] in void
    assert any(row[0] == "ERRVOD40002" and ";" in row[2] for row in void)  # a message with ";"
    voucher = error_rows(section(page, "post", "/tokopedia/api/v1/voucher/redeem"))
    assert ["voucher_used", "409", "Kode voucher sudah pernah ditukarkan.", "simulator"] in voucher
    for method, path, operation in operations(spec):
        failures = [status for status in operation["responses"] if not status.startswith("2")]
        rows = error_rows(section(page, method, path))[1:]
        assert {row[1] for row in rows} == set(failures), f"{method} {path}"


def test_the_page_has_no_english_headings_or_labels(page, spec):
    labels = re.findall(r"<(h[1-6]|th)[^>]*>(.*?)</\1>", page, re.DOTALL)
    assert len(labels) > 100
    for _, html in labels:
        words = re.findall(r"[a-z]+", text(re.sub(r"<code>.*?</code>", "", html)).lower())
        english = ENGLISH.intersection(words)
        assert not english, f"English in a heading or label: {text(html)!r}"
    prose = text(page)
    for method, path, operation in operations(spec):
        summary = operation["summary"]
        assert summary not in prose, f"{method} {path}: untranslated summary {summary!r}"
    for tag in spec["tags"]:
        assert f">{tag['name']}<" not in page, f"untranslated group {tag['name']!r}"


@pytest.mark.parametrize(
    "path", [f"{PAYMENT}/quota-schedule", f"{PAYMENT}/send-otp", f"{EXT}/payment/card-inquiry"]
)
def test_the_request_examples_are_accepted_and_answered_as_shown(market, spec, path):
    operation = spec["paths"][path]["post"]
    example = operation["requestBody"]["content"]["application/json"]["example"]
    shown = operation["responses"]["200"]["content"]["application/json"]["example"]
    answer = market.tokopedia.call(path, example)
    assert answer.status == 200, answer.body
    assert list(answer.body) == list(shown)
    assert list(answer.data) == list(shown["data"])


def test_the_document_carries_its_own_examples_and_they_fit_their_schemas(spec):
    from jsonschema import Draft202012Validator

    def check(pointer: str, instance) -> None:
        root = {"$ref": pointer, "paths": spec["paths"], "components": spec["components"]}
        errors = list(Draft202012Validator(root).iter_errors(instance))
        assert not errors, f"{pointer}: {errors[0].message}"

    checked = 0
    for method, path, operation in operations(spec):
        if "/api/v1/voucher/" in path:
            continue  # the storefronts' contribution: /api/docs builds its examples from schemas
        where = "/paths/" + path.replace("~", "~0").replace("/", "~1") + f"/{method}"
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            assert "example" in body, f"{method} {path}: no request example"
            check(f"#{where}/requestBody/content/application~1json/schema", body["example"])
            checked += 1
        for status, response in operation["responses"].items():
            media = response.get("content", {}).get("application/json")
            if status.startswith("2") and media is not None:
                assert "example" in media, f"{method} {path}: no {status} example"
                if "schema" in media:
                    pointer = f"#{where}/responses/{status}/content/application~1json/schema"
                    check(pointer, media["example"])
                    checked += 1
    assert checked >= 30
