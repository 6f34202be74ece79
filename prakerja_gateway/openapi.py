"""The OpenAPI 3.1 document of the platform payment API and the sandbox.

Request schemas are derived from the JSON forms and error codes from the error catalogue, so the
document cannot drift from what the code accepts and answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marketplace.jsonforms import JsonForm
from prakerja_gateway import forms
from prakerja_gateway.api import PREFIX
from prakerja_gateway.errors import GATEWAY_ERRORS
from prakerja_gateway.sandbox.openapi import sandbox_paths

# The card rules checked both when the OTP is requested and again at the charge.
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
                "messages": {
                    "type": "array",
                    "items": _s("string"),
                    "description": "The reasons in Indonesian, for people.",
                },
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
            *PURCHASE_RULE_ERRORS,
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
            *PURCHASE_RULE_ERRORS,
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
                "content": {"application/json": {"schema": endpoint.form.json_schema()}},
            },
            "responses": {"200": success, **_failure_responses(AUTH_ERRORS + endpoint.errors)},
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
