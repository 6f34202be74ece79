"""Property-based fuzzing of the APIs from their own OpenAPI document (schemathesis).

Every operation of ``/api/openapi.json`` (the partner APIs and the sandbox) is called with
generated parameters and bodies, valid-shaped and not, signed as a partner would sign them (and,
for some cases, with the signature broken or the headers odd), on whichever database the suite
runs on. Whatever comes in,
the answer must be documented: never a 5xx, a status code the document lists for that operation,
JSON in the documented schema.
"""

from __future__ import annotations

import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, strategies
from schemathesis.generation import GenerationMode

from catalog_seed.demo import demo_credentials
from marketplace.db import db
from prakerja_gateway.signing import compact_json, sign_bytes

EXAMPLES_PER_OPERATION = 90  # half valid-shaped, half not; 25+ operations: 2,000+ cases
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
# Most cases carry a good signature, so the bodies reach the endpoints; the rest break the
# authentication in the ways clients and attackers do.
ODD_HEADERS = strategies.sampled_from(
    [
        *[{}] * 10,
        {"signature": "ü" * 40},
        {"timestamp": "١٦٩٨٢٨٩٢١٦"},
        {"timestamp": "²"},
        {"timestamp": "-1"},
        {"timestamp": "9" * 40},
        {"client_code": "tidak-dikenal"},
        {"signature": ""},
        {"Authorization": "Payment " + "x" * 500},
        {"Authorization": "Bearer abc"},
    ]
)


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    from marketplace import create_app
    from tests.conftest import DATABASE_URL, ON_POSTGRES, TEST_CONFIG, empty_postgres

    if ON_POSTGRES:
        empty_postgres()
        url = DATABASE_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite3'}"
    # A generated ``wait=`` long-polls an empty outbox for the whole of it: the answer's shape is
    # what is fuzzed here (the waiting has its own tests), so a wait is cut to a blink.
    app = create_app({**TEST_CONFIG, "DATABASE_URL": url, "SANDBOX_MAX_WAIT_SECONDS": 0.01})
    app.config["TESTING"] = True
    yield app
    with app.app_context():
        db.engine.dispose()  # close its connections now, not when garbage collection gets to it


def partner_for(path: str) -> tuple[str, str]:
    """Institution endpoints are signed by an institution, the rest by a platform."""
    platform_paths = ("/api/v1/integration/payment/", "/api/v1/integration/ext/payment/")
    lp_paths = ("redeem-code", "oauth/", "tpm/", "ext/redeem-code", "ext/oauth")
    if path.startswith(platform_paths) and not any(part in path for part in lp_paths):
        return demo_credentials("tokopedia")
    return demo_credentials("LPDIGI")


def body_bytes(body) -> bytes:
    """What the partner signs: raw bytes as they are, JSON values compact (the server accepts
    the compact re-serialisation of what schemathesis sends)."""
    if body is schemathesis.core.NOT_SET:
        return b""
    if isinstance(body, bytes):
        return body
    try:
        return compact_json(body).encode()
    except (TypeError, ValueError):  # not JSON at all: the signature cannot match, fine too
        return b""


def signed_headers(case, odd: dict) -> dict[str, str]:
    client_code, sign_key = partner_for(case.path)
    stamp = str(int(time.time()))
    prefix = f"{client_code}{stamp}POST{case.formatted_path}"
    headers = {
        "client_code": client_code,
        "timestamp": stamp,
        "signature": sign_bytes(sign_key, prefix, body_bytes(case.body)),
    }
    if case.path.endswith("/authorize"):
        headers["Authorization"] = "Payment token-yang-tidak-ada"
    return {**headers, **odd}


@pytest.fixture(scope="module")
def api_operations(fuzzed_app) -> dict[str, object]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", fuzzed_app)
    operations = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        operations[operation.label] = operation
    assert len(operations) >= 25, sorted(operations)
    return operations


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_api_answers_every_generated_request_as_documented(api_operations, mode):
    calls = Counter()

    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION // 2,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(data=strategies.data())
    def fuzz(operation, data):
        case = data.draw(operation.as_strategy(generation_mode=mode))
        odd = data.draw(ODD_HEADERS)
        calls[operation.label] += 1
        case.call_and_validate(headers=signed_headers(case, odd), checks=CHECKS)

    for operation in api_operations.values():
        try:
            fuzz(operation)
        except hypothesis.errors.Unsatisfiable:
            # No parameter or body to make invalid (GET /sandbox/personas): nothing to send.
            assert mode is GenerationMode.NEGATIVE, operation.label
    assert sum(calls.values()) >= 500, calls  # x 2 modes: over 1,000 cases per database
