"""The OpenAPI 3.1 document of the platform payment API and the sandbox.

Request schemas are derived from the JSON forms and error codes from the error catalogue, so the
document cannot drift from what the code accepts and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wtforms.validators import Optional

from marketplace.jsonforms import IntegerRange, JsonForm, JsonInteger, MaxLength, Required
from prakerja_gateway import forms
from prakerja_gateway.api import PREFIX
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.sandbox import forms as sandbox_forms

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
    data: dict[str, Any]
    errors: tuple[str, ...]
    idempotent: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


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


PAYMENT = _obj(
    {
        "payment_id": _s("string"),
        "status": _s("string", enum=["otp_sent", "captured", "failed", "expired", "refunded"]),
        "amount": RUPIAH,
        "invoice_code": _s("string"),
        "course_code": _s("string"),
        "account_id": _s("string"),
        "card_number_masked": _s("string"),
        "redeem_code": {"type": ["string", "null"], "description": "Set while captured."},
        "failure_code": {"type": ["string", "null"]},
        "created_at": INSTANT,
        "captured_at": NULLABLE_INSTANT,
        "refunded_at": NULLABLE_INSTANT,
        "completed_at": NULLABLE_INSTANT,
    }
)

ENDPOINTS = (
    Endpoint(
        "card/inquiry",
        "Check a card",
        "Status, saldo and whether the card may buy a training of `amount` now (`reasons` lists "
        "every rule it breaks, as error codes). Answers 200 even when it cannot buy.",
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
            }
        ),
        ("invalid_request", "invalid_card_number", "card_not_found"),
    ),
    Endpoint(
        "otp/request",
        "Open a payment and send the OTP by SMS",
        "Checks every purchase rule, then texts an OTP to the phone registered with Prakerja. "
        "`course_code` must be in the catalogue and listed on the calling platform; `amount` must "
        "equal its price. `invoice_code` is unique per platform.",
        forms.OtpRequestForm,
        _obj(
            {
                "payment_id": _s("string"),
                "status": _s("string", enum=["otp_sent"]),
                "otp_expires_at": INSTANT,
                "expires_at": INSTANT,
                "phone_masked": _s("string"),
                "otp_length": _s("integer"),
            }
        ),
        (
            "invalid_request",
            "invalid_card_number",
            "amount_mismatch",
            "insufficient_saldo",
            "card_revoked",
            "card_inactive",
            "participant_blacklisted",
            "deadline_passed",
            "previous_training_unfinished",
            "payout_account_not_linked",
            "card_bound_to_other_account",
            "account_bound_to_other_card",
            "course_not_listed",
            "card_not_found",
            "course_not_found",
            "invoice_code_used",
        ),
    ),
    Endpoint(
        "otp/resend",
        "Send a new OTP",
        "Replaces the OTP of a pending payment, after a cooldown and within a limit.",
        forms.PaymentRefForm,
        _obj(
            {
                "payment_id": _s("string"),
                "otp_expires_at": INSTANT,
                "resends_left": _s("integer"),
            }
        ),
        (
            "invalid_request",
            "payment_not_found",
            "payment_already_captured",
            "payment_not_pending",
            "payment_expired",
            "resend_too_soon",
            "too_many_resends",
        ),
    ),
    Endpoint(
        "charge",
        "Verify the OTP and debit the saldo",
        "Atomic: the debit, the ledger entry, the payment's state and the redeem code are written "
        "together or not at all. Send an `Idempotency-Key` to retry safely.",
        forms.ChargeForm,
        _obj(
            {
                "payment_id": _s("string"),
                "status": _s("string", enum=["captured"]),
                "amount": RUPIAH,
                "balance_after": RUPIAH,
                "redeem_code": _s("string", "PRA + type letter + '-' + 6 letters."),
            }
        ),
        (
            "invalid_request",
            "insufficient_saldo",
            "card_revoked",
            "card_inactive",
            "participant_blacklisted",
            "deadline_passed",
            "previous_training_unfinished",
            "payout_account_not_linked",
            "card_bound_to_other_account",
            "account_bound_to_other_card",
            "payment_not_found",
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
    ),
    Endpoint(
        "refund",
        "Return a captured payment's saldo",
        "Only while its redeem code has not been used. Send an `Idempotency-Key` to retry safely.",
        forms.RefundForm,
        _obj(
            {
                "payment_id": _s("string"),
                "status": _s("string", enum=["refunded"]),
                "balance_after": RUPIAH,
            }
        ),
        (
            "invalid_request",
            "payment_not_found",
            "payment_not_captured",
            "already_refunded",
            "redeem_code_used",
            "idempotency_key_reused",
        ),
        idempotent=True,
    ),
    Endpoint(
        "status",
        "Read a payment",
        "By `payment_id` or by `invoice_code`; only the calling platform's own payments.",
        forms.StatusForm,
        PAYMENT,
        ("invalid_request", "payment_not_found"),
    ),
)


def form_schema(form_class: type[JsonForm]) -> dict[str, Any]:
    """A JSON schema from a JSON form's fields and validators."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    form = form_class()
    for name, form_field in form._fields.items():
        schema: dict[str, Any] = {
            "type": "integer" if isinstance(form_field, JsonInteger) else "string"
        }
        for validator in form_field.validators:
            if isinstance(validator, MaxLength):
                schema["maxLength"] = validator.maximum
            elif isinstance(validator, IntegerRange):
                schema["minimum"], schema["maximum"] = validator.minimum, validator.maximum
            elif isinstance(validator, Required):
                required.append(name)
            elif isinstance(validator, Optional):
                pass
        properties[name] = schema
    return {"type": "object", "properties": properties, "required": required}


def _failure_responses(codes: tuple[str, ...]) -> dict[str, Any]:
    by_status: dict[int, list] = {}
    for code in codes:
        kind = GATEWAY_ERRORS[code]
        by_status.setdefault(kind.status, []).append(kind)
    return {
        str(status): {
            "description": "; ".join(f"`{kind.code}`: {kind.message}" for kind in kinds),
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/Failure"},
                    "examples": {
                        kind.code: {
                            "value": {
                                "success": False,
                                "message": kind.message,
                                "error": {"code": kind.code, "details": {}},
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
    success = {
        "description": "Success envelope.",
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "success": {"const": True},
                        "message": _s("string"),
                        "data": endpoint.data,
                    },
                    "required": ["success", "message", "data"],
                }
            }
        },
    }
    return {
        "post": {
            "tags": ["Platform payment API"],
            "summary": endpoint.summary,
            "description": endpoint.description,
            "operationId": endpoint.path.replace("/", "_").replace("-", "_"),
            "security": [{"client_code": [], "signature": [], "timestamp": []}],
            "parameters": parameters,
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": form_schema(endpoint.form)}},
            },
            "responses": {"200": success, **_failure_responses(AUTH_ERRORS + endpoint.errors)},
        }
    }


def _sandbox_paths() -> dict[str, Any]:
    def get(summary: str, description: str = "", parameters: list | None = None) -> dict:
        return {
            "get": {
                "tags": ["Sandbox"],
                "summary": summary,
                "description": description,
                "parameters": parameters or [],
                "responses": {"200": {"description": "JSON.", "content": {"application/json": {}}}},
            }
        }

    def post(summary: str, description: str = "", body: dict | None = None, status="200") -> dict:
        operation: dict[str, Any] = {
            "tags": ["Sandbox"],
            "summary": summary,
            "description": description,
            "responses": {status: {"description": "JSON.", "content": {"application/json": {}}}},
        }
        if body is not None:
            operation["requestBody"] = {
                "required": False,
                "content": {"application/json": {"schema": body}},
            }
        return {"post": operation}

    def query(name: str, description: str, required: bool = False, kind: str = "string") -> dict:
        return {
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": {"type": kind},
        }

    key = {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}
    payment = {"name": "payment_id", "in": "path", "required": True, "schema": {"type": "string"}}
    wait = query("wait", "Seconds to wait for a first matching message (max 30).", kind="number")
    after = query("after", "Only messages with an id above this one.", kind="integer")
    return {
        "/sandbox/personas": get("The documented test cards", '`{"personas": [...]}`.'),
        "/sandbox/personas/{key}": {
            "post": {
                **post("Mint a fresh participant and card in a persona's state", status="201")[
                    "post"
                ],
                "parameters": [key],
            }
        },
        "/sandbox/courses": get("The catalogue (the only course codes otp/request accepts)"),
        "/sandbox/partners": get("Demo partner credentials (client_code, sign_key)"),
        "/sandbox/sms": get(
            "SMS sent to a phone, newest first",
            "`otp` is the code a message carries (null if none).",
            [query("phone", "Phone number, e.g. 081200000002.", True), wait, after],
        ),
        "/sandbox/emails": get(
            "Emails sent to an address, newest first",
            parameters=[query("to", "Email address.", True), wait, after],
        ),
        "/sandbox/clock": get("The simulated clock (UTC and WIB)"),
        "/sandbox/clock/advance": post(
            "Move the simulated clock forward and run what falls due",
            "Revokes cards past their first-purchase deadline (saldo back through the ledger), "
            "expires idle normal-scheme saldo and stale payments.",
            form_schema(sandbox_forms.ClockAdvanceForm),
        ),
        "/sandbox/reconcile": get("The invariant report", '`{"ok": bool, "checks": [...]}`.'),
        "/sandbox/payments/{payment_id}/complete": {
            "post": {
                **post(
                    "Simulate completion of a bought training (and a rating with review)",
                    "Stands in for the institution's report until institutions are built; "
                    "unlocks the next purchase (normal scheme: once reviewed).",
                    form_schema(sandbox_forms.CompleteTrainingForm),
                )["post"],
                "parameters": [payment],
            }
        },
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
                'HMAC-SHA1(sign_key, client_code + timestamp + "POST" + path + compact_body)` '
                "where `compact_body` is the JSON body re-serialised without spaces, keys in the "
                "order sent. `timestamp` is unix seconds of wall-clock time, within ±300 s. "
                'Answers: `{"success": true, "message", "data"}` or `{"success": false, '
                '"message" (Indonesian), "error": {"code", "details"}}`. Amounts are '
                "integer rupiah."
            ),
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "Platform payment API", "description": "For digital platforms (DP)."},
            {"name": "Sandbox", "description": "For testers; no signature."},
        ],
        "paths": {
            **{f"{PREFIX}/{endpoint.path}": _payment_operation(endpoint) for endpoint in ENDPOINTS},
            **_sandbox_paths(),
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
                        "success": {"const": False},
                        "message": _s("string", "Indonesian, for people."),
                        "error": _obj(
                            {"code": _s("string", "Stable, for programs."), "details": _s("object")}
                        ),
                    },
                    "required": ["success", "message", "error"],
                },
                "Payment": PAYMENT,
            },
        },
    }
