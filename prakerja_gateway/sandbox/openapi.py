"""The sandbox's part of the OpenAPI document."""

from __future__ import annotations

from typing import Any

from marketplace.errors import INVALID_JSON, INVALID_REQUEST, ErrorKind
from prakerja_gateway.sandbox import forms
from prakerja_gateway.sandbox import openapi_examples as examples
from prakerja_gateway.sandbox.lookups import TRANSACTION_NOT_FOUND
from prakerja_gateway.sandbox.test_codes import UNKNOWN_INSTITUTION
from prakerja_gateway.sandbox.views import PAYMENT_NOT_CAPTURED, TOKEN_REQUIRED, UNKNOWN_PERSONA


def failures(*kinds: ErrorKind) -> dict[str, Any]:
    """The 4xx answers of one operation, in the failure envelope, one example per code.

    Every operation may answer 401 ``ERRSBX40101`` when the sandbox is behind a token.
    """
    by_status: dict[int, list[ErrorKind]] = {}
    for kind in (TOKEN_REQUIRED, *kinds):
        by_status.setdefault(kind.status, []).append(kind)
    return {
        str(status): {
            "description": "; ".join(f"`{kind.code}`: {kind.message}" for kind in group),
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Failure"},
                    "examples": {
                        kind.code: {
                            "value": {"code": kind.code, "message": kind.message, "success": False}
                        }
                        for kind in group
                    },
                }
            },
        }
        for status, group in sorted(by_status.items())
    }


def sandbox_paths() -> dict[str, Any]:
    """The sandbox's paths for the OpenAPI document."""

    def answer(example: dict | None) -> dict:
        return {"example": example} if example is not None else {}

    def get(
        summary: str,
        description: str = "",
        parameters: list | None = None,
        errors: tuple = (),
        example: dict | None = None,
    ) -> dict:
        return {
            "get": {
                "tags": ["Sandbox"],
                "summary": summary,
                "description": description,
                "parameters": parameters or [],
                "responses": {
                    "200": {
                        "description": "JSON.",
                        "content": {"application/json": answer(example)},
                    },
                    **failures(*errors),
                },
            }
        }

    def post(
        summary: str,
        description: str = "",
        body: dict | None = None,
        status="200",
        errors: tuple = (),
        example: dict | None = None,
        request_example: dict | None = None,
    ) -> dict:
        operation: dict[str, Any] = {
            "tags": ["Sandbox"],
            "summary": summary,
            "description": description,
            "responses": {
                status: {"description": "JSON.", "content": {"application/json": answer(example)}},
                **failures(*errors),
            },
        }
        if body is not None:
            operation["requestBody"] = {
                "required": False,
                "content": {"application/json": {"schema": body, **answer(request_example)}},
            }
        return {"post": operation}

    def query(
        name: str, description: str, required: bool = False, kind: str = "string", example=None
    ) -> dict:
        parameter = {
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": {"type": kind},
        }
        if example is not None:
            parameter["example"] = example
        return parameter

    key = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"},
           "example": "ok"}  # fmt: skip
    code = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
            "example": examples.TRANSACTION_CODE}  # fmt: skip
    wait = query(
        "wait", "Seconds to wait for a first matching message (max 30).", kind="number", example=2
    )
    after = query("after", "Only messages with an id above this one.", kind="integer")
    return {
        "/sandbox/personas": get(
            "The documented test cards",
            '`{"personas": [...]}`: `key`, `card_number` (= `prakerja_id`), `phone`, `email`, '
            "`otp` (the fixed OTP, or null: only by SMS), `description`, `birth_date`, "
            "`education` (what course requirements are checked against), `balance`, ...",
            example={"personas": [examples.PERSONA]},
        ),
        "/sandbox/personas/{key}": {
            "post": {
                **post(
                    "Mint a fresh participant and card in a persona's state",
                    status="201",
                    errors=(UNKNOWN_PERSONA,),
                    example=examples.MINTED_PERSONA,
                )["post"],
                "parameters": [key],
            }
        },
        "/sandbox/courses": get(
            "The catalogue: the course and schedule codes send-otp accepts",
            '`{"courses": [...]}`: `course_code`, `title`, `price`, `institution`, '
            "`lp_client_code`, `platforms`, `type`, the requirements `min_age`, `max_age` "
            "(inclusive, age on the purchase day) and `min_education` (null: none), and "
            '`schedules: [{"schedule_code", "start", "end", "quota", "capacity", "on_sale"}]` '
            "(RFC 3339 UTC; quota = capacity minus seats sold; a webinar or offline run is sold "
            "until it starts, a self-paced batch until it ends).",
            example={"courses": [examples.COURSE]},
        ),
        "/sandbox/transactions/{code}": get(
            "Prakerja's side of a purchase",
            "By transaction code, payment token, redeem code or invoice code (an invoice code "
            "is unique per "
            "platform: `client_code` picks one, else the newest purchase answers). `status`: "
            "`PENDING` (waiting for the OTP), `SUCCESS`, `FAILED`, `EXPIRED`, `CANCELLED` "
            "(voided). 404 `ERRSBX40402` if none.",
            [code, query("client_code", "The platform's client_code, e.g. tokopedia-sandbox.")],
            (TRANSACTION_NOT_FOUND,),
            example=examples.TRANSACTION,
        ),
        "/sandbox/partners": get(
            "Demo partner credentials (client_code, sign_key)",
            "`partners`: the signed integration API's partners (`kind` `dp` or `lp`) and the demo "
            '"Login dengan Prakerja" clients (`kind` `sso`: client_id, client_name, sign_key, '
            "registered redirect_uris and login_uris, a path meaning that path on this host; "
            "consent_url; `party`, whose client it is).",
            example={"partners": examples.PARTNERS + examples.SSO_CLIENTS},
        ),
        "/sandbox/test-codes": get(
            "An institution's sandbox test codes",
            "One `PRAT-` redeem code per documented positive test case (`TC1-001-200`, "
            "`TC1-999-200`, `TC2-001-200`, `TC2-999-200`) on the institution's courses, created "
            "on first request, for `redeem-code/reset`; and the institution's registered "
            "Scan Wajah callbacks.",
            [
                query(
                    "client_code",
                    "The institution's client_code, e.g. lpdigi-sandbox.",
                    True,
                    example="lpdigi-sandbox",
                )
            ],
            (INVALID_REQUEST, UNKNOWN_INSTITUTION),
            example=examples.TEST_CODES,
        ),
        "/sandbox/sms": get(
            "SMS sent to a phone, newest first",
            "`otp` is the code a message carries (null if none).",
            [
                query("phone", "Phone number, e.g. 081200000002.", True, example="081200000002"),
                wait,
                after,
            ],
            (INVALID_REQUEST,),
            example={"messages": [examples.SMS]},
        ),
        "/sandbox/emails": get(
            "Emails sent to an address, newest first",
            parameters=[
                query("to", "Email address.", True, example="sms@peserta.prakerja.test"),
                wait,
                after,
            ],
            errors=(INVALID_REQUEST,),
            example={"messages": [examples.EMAIL]},
        ),
        "/sandbox/clock": get("The simulated clock (UTC and WIB)", example=examples.CLOCK),
        "/sandbox/clock/advance": post(
            "Move the simulated clock forward and run what falls due",
            "Revokes cards past their first-purchase deadline (saldo back through the ledger), "
            "expires idle normal-scheme saldo and stale payments.",
            forms.ClockAdvanceForm.json_schema(),
            errors=(INVALID_JSON, INVALID_REQUEST),
            example=examples.CLOCK_ADVANCED,
            request_example={"days": 1},
        ),
        "/sandbox/reconcile": get(
            "The invariant report", '`{"ok": bool, "checks": [...]}`.', example=examples.RECONCILE
        ),
        "/sandbox/payments/{code}/complete": {
            "post": {
                **post(
                    "Simulate completion of a bought training (and a rating with review)",
                    "`code`: the transaction code or the redeem code. Stands in for the "
                    "institution's report; unlocks the next purchase (normal scheme: once "
                    "reviewed). 409 `ERRSBX40901` unless the purchase succeeded.",
                    forms.CompleteTrainingForm.json_schema(),
                    errors=(
                        INVALID_JSON,
                        INVALID_REQUEST,
                        TRANSACTION_NOT_FOUND,
                        PAYMENT_NOT_CAPTURED,
                    ),
                    example=examples.COMPLETED,
                    request_example={"rating": 5, "review": "Materinya jelas dan praktis."},
                )["post"],
                "parameters": [code],
            }
        },
    }
