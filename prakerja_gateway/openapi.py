"""The OpenAPI 3.1 document of the platform payment API and the sandbox.

Request schemas are derived from the JSON forms and error codes from the error catalogue, so the
document cannot drift from what the code accepts and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marketplace.errors import ErrorCatalogue
from marketplace.jsonforms import JsonForm
from prakerja_gateway import forms, institution_api
from prakerja_gateway.api import PREFIX
from prakerja_gateway.client import EXTENSION_PREFIX
from prakerja_gateway.errors import GATEWAY_ERRORS, INSTITUTION_ERRORS
from prakerja_gateway.sandbox.openapi import sandbox_paths

# The card rules checked both at send-otp and again at authorize.
PURCHASE_RULE_ERRORS = (
    "insufficient_saldo",
    "card_revoked",
    "card_inactive",
    "participant_blacklisted",
    "deadline_passed",
    "previous_training_unfinished",
    "payout_account_not_linked",
    "card_bound_to_other_account",
    "account_bound_to_other_card",
)
AUTH_ERRORS = (
    "invalid_json",
    "missing_auth_headers",
    "stale_timestamp",
    "unknown_client",
    "invalid_signature",
    "wrong_partner_kind",
)


@dataclass(frozen=True)
class Endpoint:
    path: str
    summary: str
    description: str
    form: type[JsonForm]
    data: dict[str, Any] | None
    errors: tuple[str, ...]
    idempotent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)
    prefix: str = PREFIX
    tag: str = "Platform payment API"
    catalogue: ErrorCatalogue = GATEWAY_ERRORS
    operation_prefix: str = ""  # keeps operation ids unique across the two partner APIs
    message: str = "OK"  # the success message
    extension: bool = False  # the simulator's own: no real counterpart

    @property
    def operation_id(self) -> str:
        return self.operation_prefix + self.path.replace("/", "_").replace("-", "_")


def _s(kind: str, description: str = "", **more: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": kind, **more}
    if description:
        schema["description"] = description
    return schema


RUPIAH = _s("integer", "Integer rupiah.")
INSTANT = _s("string", "UTC instant, ISO 8601.", format="date-time")
NULLABLE_INSTANT = {"type": ["string", "null"], "format": "date-time"}


def _obj(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": required or list(properties)}


TRANSACTION = _obj(
    {
        "created_at": _s("string", "RFC 3339, UTC, `Z`.", format="date-time"),
        "invoice_code": _s("string"),
        "transaction_code": _s("string", "Prakerja's id of the purchase (16 characters)."),
        "amount": RUPIAH,
        "status": _s(
            "string",
            "`SUCCESS` (real); `CANCELLED` after void (the simulator's word; the real one is not "
            "public).",
            enum=["SUCCESS", "CANCELLED"],
        ),
        "prakerja_name": _s("string", "The participant's name."),
    }
)

ENDPOINTS = (
    Endpoint(
        "quota-schedule",
        "Seats left on a schedule",
        "Real API. May be called before or after a purchase.",
        forms.QuotaScheduleForm,
        _obj(
            {
                "schedule_code": _s("string"),
                "course_code": _s("string"),
                "quota": _s("integer", "Seats still available."),
            }
        ),
        (
            "invalid_request",
            "quota_fields_missing",
            "course_not_found",
            "schedule_not_found",
            "schedule_course_mismatch",
        ),
    ),
    Endpoint(
        "send-otp",
        "Validate the purchase and text the OTP",
        "Real API. Checks the card, the course (in the catalogue, sold by the calling platform, "
        "`amount` equal to its price), the schedule (exists, belongs to the course, not started "
        "unless self-paced, quota left), the participant's age and education against the "
        "course's requirements, and the programme rules; then texts an OTP to the phone "
        "registered with Prakerja. Calling it again for the same purchase while it waits sends "
        "a new OTP on the same `payment_token` (after a cooldown, within a limit). The response "
        "fields besides `payment_token` are the simulator's (the real response is not public).",
        forms.SendOtpForm,
        _obj(
            {
                "payment_token": _s("string", "For `Authorization: Payment <payment_token>`."),
                "otp_expired_at": _s("string", "RFC 3339, `Z`.", format="date-time"),
                "expired_at": _s("string", "The token's end, RFC 3339.", format="date-time"),
                "phone_masked": _s("string"),
                "otp_length": _s("integer"),
            }
        ),
        (
            "invalid_request",
            "invalid_card_number",
            "card_not_found",
            "course_not_found",
            "course_not_listed",
            "schedule_not_found",
            "schedule_course_mismatch",
            "schedule_started",
            "quota_full",
            "amount_mismatch",
            "age_not_eligible",
            "education_not_eligible",
            *PURCHASE_RULE_ERRORS,
            "resend_too_soon",
            "too_many_resends",
        ),
    ),
    Endpoint(
        "authorize",
        "Check the OTP and buy",
        "Real API. Header `Authorization: Payment <payment_token>`. Atomic: the debit, the seat, "
        "the ledger entry, the transaction and the redeem code (sent to the participant, not "
        "the platform) are written together or not at all. Optional `Idempotency-Key` "
        "(extension) replays the first answer.",
        forms.AuthorizeForm,
        _obj(
            {
                "invoice_code": _s("string"),
                "transaction_code": _s("string"),
                "amount": RUPIAH,
                "status": _s("string", enum=["SUCCESS"]),
                "prakerja_name": _s("string"),
            }
        ),
        (
            "invalid_request",
            "invalid_payment_token",
            *PURCHASE_RULE_ERRORS,
            "quota_full",
            "invoice_code_used",
            "payment_already_captured",
            "payment_not_pending",
            "idempotency_key_reused",
            "otp_expired",
            "payment_expired",
            "otp_invalid",
            "too_many_attempts",
            "processing_error",
        ),
        idempotent=True,
        message="Pelatihan berhasil dibeli.",
    ),
    Endpoint(
        "status",
        "Read a purchase",
        "Real API. By the platform's `invoice_code`; only the calling platform's own.",
        forms.StatusForm,
        TRANSACTION,
        ("invalid_request", "transaction_not_found"),
    ),
    Endpoint(
        "void",
        "Cancel a purchase",
        "Real API. The saldo and the seat go back and the redeem code is cancelled; refused "
        "once an institution has used the redeem code (the simulator's rule). Answers without "
        "`data`.",
        forms.VoidForm,
        None,
        (
            "invalid_request",
            "void_unknown_transaction",
            "already_voided",
            "redeem_code_used",
            "idempotency_key_reused",
        ),
        idempotent=True,
        message="Transaksi berhasil dibatalkan.",
    ),
    Endpoint(
        "payment/card-inquiry",
        "Check a card (simulator extension)",
        "No real counterpart. Status, saldo and whether the card may buy a training of `amount` "
        "now (`reasons` lists every rule it breaks, by error name). Answers 200 even when it "
        "cannot buy.",
        forms.CardInquiryForm,
        _obj(
            {
                "card_number_masked": _s("string"),
                "status": _s("string", enum=["active", "revoked", "expired"]),
                "balance": RUPIAH,
                "scheme": _s("string", enum=["semi_bansos", "normal"]),
                "first_purchase_deadline": _s("string", format="date"),
                "first_purchase_deadline_at": _s("string", "Ends 23:59 WIB.", format="date-time"),
                "can_purchase": _s("boolean"),
                "reasons": {"type": "array", "items": _s("string")},
                "messages": {
                    "type": "array",
                    "items": _s("string"),
                    "description": "The reasons in Indonesian, for people.",
                },
            }
        ),
        ("invalid_request", "invalid_card_number", "card_not_found"),
        prefix=EXTENSION_PREFIX,
        tag="Simulator extensions",
        extension=True,
    ),
)


def _lp(path: str, summary: str, description: str, form, data, errors, **more) -> Endpoint:
    return Endpoint(
        path,
        summary,
        description,
        form,
        data,
        ("invalid_request", *REDEEM_CODE_ERRORS, *errors),
        prefix=institution_api.PREFIX,
        catalogue=INSTITUTION_ERRORS,
        operation_prefix="institution_",
        **{"tag": "Institution API", **more},
    )


# Every institution call that names a redeem code may answer these.
REDEEM_CODE_ERRORS = ("ERRTRX40020", "ERRTRX40028", "ERRTRX40022", "ERRTRX40101")
TASK_STATUS = _s("integer", "0 none, 1 pending, 2 success, 3 failed.", enum=[0, 1, 2, 3])
NULLABLE_RFC3339 = {"type": ["string", "null"], "format": "date-time",
                    "description": "RFC 3339, UTC, `Z`."}  # fmt: skip
CODE_STATUS = _obj(
    {
        "redeem_code": _s("string"),
        "course_code": _s("string"),
        "invoice_code": _s("string"),
        "schedule_code": {"type": ["string", "null"]},
        "status": _s("integer", "1 valid (real); 2 training completed (ours).", enum=[1, 2]),
        "attendance_status": _s(
            "integer", "1 once this sequence's attendance is verified.", enum=[0, 1]
        ),  # fmt: skip
        "redeem_at": NULLABLE_RFC3339,
        "dp_platform": _s("string", "The selling platform's name, e.g. Tokopedia."),
        "schedule_start_end": _s("string", "Ours: `YYYY-MM-DD HH:MM - YYYY-MM-DD HH:MM` WIB."),
        "course_type": _s(
            "integer", "1 self-paced, 2 webinar, 3 offline (3 is ours).", enum=[1, 2, 3]
        ),  # fmt: skip
        "course_type_label": _s("string"),
        "course_learning_method": _s("string"),
        "is_online_attendance": _s("boolean"),
        "sequence": _s("integer"),
    }
)
TASK_ECHO = {"redeem_code": _s("string"), "scope": _s("string", enum=["tpm", "uk"]),
             "sequence": _s("integer")}  # fmt: skip
INSTITUTION_ENDPOINTS = (
    _lp(
        "oauth/url-generate",
        "Get the Scan Wajah address for a session",
        "Real API. Send the participant to `url`; Prakerja sends them back to `redirect_uri` "
        "(which must be registered for the institution) with `state`. `sequence` is optional "
        "(default 1; 1–10 attendance, 999 post-test); the sequence-1 verification is the redeem. "
        "An `email` serves one redeem code per training.",
        forms.UrlGenerateForm,
        _obj(
            {
                "url": _s("string", format="uri"),
                "state": _s("string"),
                "course": _obj({"type": _s("integer"), "learning_method": _s("string")}),
            }
        ),
        (
            "ERRTRX40001",
            "ERRTRX40027",
            "redeem_code_not_committed",
            "email_already_used",
            "redirect_uri_not_registered",
        ),  # fmt: skip
    ),
    _lp(
        "payment/redeem-code/status",
        "Read a redeem code and a session's attendance",
        "Real API. `attendance_status` is 1 once the participant passed Scan Wajah for "
        "`sequence` (optional, default 1).",
        forms.RedeemStatusForm,
        CODE_STATUS,
        (),
    ),
    _lp(
        "payment/redeem-code/commit",
        "Use a redeem code (the 2022 flow)",
        "Real API (older flow: status, then commit, without a face check). Once, while the "
        "schedule fixed at purchase runs (from 30 minutes before its start).",
        forms.RedeemCodeForm,
        _obj(
            {
                "redeem_code": _s("string"),
                "course_code": _s("string"),
                "status": _s("integer", enum=[1]),
            }
        ),  # fmt: skip
        ("redeem_code_used", "ERRTRX40027"),
    ),
    _lp(
        "payment/redeem-code/reset",
        "Reset a sandbox test code (sandbox only)",
        "Real API. Only `PRAT-` test codes of the positive test cases (TC1-001-200, "
        "TC1-999-200, TC2-001-200, TC2-999-200; `GET /sandbox/test-codes`). Answers the status "
        "data.",
        forms.ResetForm,
        CODE_STATUS,
        ("not_a_test_case", "sandbox_only"),
    ),
    _lp(
        "tpm/submission",
        "Hand in a participant's task",
        "Real API (shape from public client code). `scope` `tpm` with sequence 1–998, `uk` "
        "with 999; may be handed in again, one `url_file` each time. Self-paced courses, after "
        "the redeem. Sandbox only: a `url_file` containing `gagal` fails, `tertunda` stays "
        "pending for 24 simulated hours.",
        forms.TaskSubmissionForm,
        _obj(
            {"id": _s("integer"), **TASK_ECHO, "status": TASK_STATUS, "url_file": _s("string")}
        ),  # fmt: skip
        ("ERRTRX40001", "redeem_code_not_committed"),
    ),
    _lp(
        "tpm/submission/status",
        "Read a task's assignment and the institution's feedback",
        "Real API.",
        forms.TaskForm,
        _obj(
            {
                "assignment": _obj({**TASK_ECHO, "status": TASK_STATUS}),
                "feedback": _obj({**TASK_ECHO, "status": TASK_STATUS}),
            }
        ),
        ("ERRTRX40001",),
    ),
    _lp(
        "tpm/feedback/submission",
        "Grade a handed-in task",
        'Real API. The institution\'s assessment: `notes`, optional `url_file` ("" allowed). The '
        "feedback status becomes 2 (success); the simulator's choice, the real rule is unknown.",
        forms.FeedbackForm,
        _obj(
            {
                "id": _s("integer"),
                **TASK_ECHO,
                "status": TASK_STATUS,
                "url_file": _s("string"),
                "notes": _s("string"),
            }
        ),  # fmt: skip
        ("ERRTRX40001", "task_not_submitted"),
    ),
    _lp(
        "ext/redeem-code/complete",
        "Report completion with the certificate number (simulator extension)",
        "No real counterpart: in reality completion reaches Prakerja through the platform. "
        "Self-paced courses need their skills task (uk, 999) successful. Unlocks the next "
        "purchase (normal scheme: after the participant's rating and review).",
        forms.CompletionForm,
        _obj(
            {
                "redeem_code": _s("string"),
                "status": _s("string", enum=["completed"]),
                "completed_at": _s("string", format="date-time"),
                "certificate_number": _s("string"),
                "next_purchase_unlocked": _s("boolean"),
            }
        ),
        (
            "redeem_code_not_committed",
            "training_already_completed",
            "training_not_finished",
            "test_code_not_completable",
        ),  # fmt: skip
        tag="Simulator extensions",
        extension=True,
    ),
    _lp(
        "ext/oauth/redirect-uri",
        "Register a Scan Wajah callback (simulator extension)",
        "Stands in for Prakerja's registration form: `url-generate` accepts only registered "
        "callbacks (in the sandbox, loopback addresses need none).",
        forms.RedirectUriForm,
        _obj({"redirect_uris": {"type": "array", "items": _s("string")}}),
        (),
        tag="Simulator extensions",
        extension=True,
    ),
)


def _failure_responses(codes: tuple[str, ...], catalogue: ErrorCatalogue) -> dict[str, Any]:
    by_status: dict[int, list] = {}
    for code in codes:
        kind = catalogue[code]
        by_status.setdefault(kind.status, []).append(kind)
    return {
        str(status): {
            "description": "; ".join(
                f"`{kind.code}` ({'real' if kind.real else 'ours'}): {kind.message}"
                for kind in kinds
            ),
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Failure"},
                    "examples": {
                        kind.code: {
                            "value": {
                                "code": kind.code,
                                "message": kind.message,
                                "success": False,
                            }
                        }
                        for kind in kinds
                    },
                }
            },
        }
        for status, kinds in sorted(by_status.items())
    }


def _payment_operation(endpoint: Endpoint) -> dict[str, Any]:
    parameters = []
    if endpoint.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Same key and body: the first answer again. Another body: 409.",
                "schema": {"type": "string", "maxLength": 255},
            }
        )
    if endpoint.path == "authorize":
        parameters.append(
            {
                "name": "Authorization",
                "in": "header",
                "required": True,
                "description": "`Payment <payment_token>`, the token from send-otp.",
                "schema": {"type": "string"},
            }
        )
    properties: dict[str, Any] = {
        "success": {"const": True},
        "message": _s("string", examples=[endpoint.message]),
    }
    if endpoint.data is not None:
        properties["data"] = endpoint.data
    success = {
        "description": "Success envelope.",
        "content": {
            "application/json": {
                "schema": {"type": "object", "properties": properties, "required": list(properties)}
            }
        },
    }
    return {
        "post": {
            "x-simulator-extension": endpoint.extension,
            "tags": [endpoint.tag],
            "summary": endpoint.summary,
            "description": endpoint.description,
            "operationId": endpoint.operation_id,
            "security": [{"client_code": [], "signature": [], "timestamp": []}],
            "parameters": parameters,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": endpoint.form.json_schema()}},
            },
            "responses": {
                "200": success,
                **_failure_responses(AUTH_ERRORS + endpoint.errors, endpoint.catalogue),
            },
        }
    }


def _header_scheme(name: str, description: str) -> dict[str, str]:
    return {"type": "apiKey", "in": "header", "name": name, "description": description}


def build_spec() -> dict[str, Any]:
    """The whole document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Prakerja gateway (simulator)",
            "version": "1.0.0",
            "description": (
                "The programme office's platform payment API and the sandbox for testers. "
                "Every partner call is a signed POST: `signature = lowercase hex "
                'HMAC-SHA1(sign_key, client_code + timestamp + "POST" + path + body)` where '
                "`body` is the exact bytes sent or the compact re-serialisation of the JSON (keys "
                "in the order sent). `timestamp` is unix seconds of wall-clock time, within "
                '±300 s (the window is ours). Answers: `{"success": true, "message", "data"}` or '
                '`{"code": "ERR…", "message" (Indonesian), "success": false}`, HTTP 400 for '
                "every business refusal. Operations with `x-simulator-extension: true` are the "
                "simulator's own. Amounts are integer rupiah."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "Platform payment API", "description": "For digital platforms (DP)."},
            {
                "name": "Simulator extensions",
                "description": "Signed like the real API, but the simulator's own.",
            },
            {
                "name": "Institution API",
                "description": "For training institutions (LP), as the public Prakerja API. "
                "Sandbox: `redeem_code` ERRTRX40020, ERRTRX40001, ERRTRX40027, ERRTRX40028, "
                "ERRTRX40022, ERRTRX40101 or USED forces that failure.",
            },
            {"name": "Sandbox", "description": "For testers; no signature."},
        ],
        "paths": {
            **{
                f"{endpoint.prefix}/{endpoint.path}": _payment_operation(endpoint)
                for endpoint in ENDPOINTS + INSTITUTION_ENDPOINTS
            },
            **sandbox_paths(),
        },
        "components": {
            "securitySchemes": {
                "client_code": _header_scheme("client_code", "The partner's client code."),
                "signature": _header_scheme("signature", "HMAC-SHA1 hex, see above."),
                "timestamp": _header_scheme("timestamp", "Unix seconds (wall clock)."),
            },
            "schemas": {
                "Failure": {
                    "type": "object",
                    "properties": {
                        "code": _s("string", "Stable, for programs (ERR…)."),
                        "message": _s("string", "Indonesian, for people."),
                        "success": {"const": False},
                        "details": _s("object", "Simulator extra: which field, tries left, …"),
                    },
                    "required": ["code", "message", "success"],
                },
                "Transaction": TRANSACTION,
            },
        },
    }
