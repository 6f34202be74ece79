"""The platform (DP) payment API's operations, and our extension for storefronts."""

from __future__ import annotations

from prakerja_gateway import forms
from prakerja_gateway.client import EXTENSION_PREFIX
from prakerja_gateway.openapi.schema import RUPIAH, Endpoint, obj, scalar

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

TRANSACTION = obj(
    {
        "created_at": scalar("string", "RFC 3339, UTC, `Z`.", format="date-time"),
        "invoice_code": scalar("string"),
        "transaction_code": scalar("string", "Prakerja's id of the purchase (16 characters)."),
        "amount": RUPIAH,
        "status": scalar(
            "string",
            "`SUCCESS` (real); `CANCELLED` after void (the simulator's word; the real one is not "
            "public).",
            enum=["SUCCESS", "CANCELLED"],
        ),
        "prakerja_name": scalar("string", "The participant's name."),
    }
)

# Example values, taken from a purchase on the demo data (examples/purchase.py).
COURSE, SCHEDULE, CARD = "DIG-001", "d732915b52084ef1", "5204890000000015"
INVOICE, TRANSACTION_CODE = "INV-B2813AB2C5AE", "HY35N07OY1KIN620"
PAYMENT_TOKEN = "CNMxB3sCiWSksl3nWKCDC1H9C4mqVQJZxiv_EnkyzMI"
TRANSACTION_EXAMPLE = {
    "created_at": "2026-11-27T12:35:33Z",
    "invoice_code": INVOICE,
    "transaction_code": TRANSACTION_CODE,
    "amount": 1000000,
    "status": "SUCCESS",
    "prakerja_name": "Siti Rahayu",
}

ENDPOINTS = (
    Endpoint(
        "quota-schedule",
        "Seats left on a schedule",
        "Real API. May be called before or after a purchase.",
        forms.QuotaScheduleForm,
        obj(
            {
                "schedule_code": scalar("string"),
                "course_code": scalar("string"),
                "quota": scalar("integer", "Seats still available."),
            }
        ),
        (
            "invalid_request",
            "quota_fields_missing",
            "course_not_found",
            "schedule_not_found",
            "schedule_course_mismatch",
        ),
        request_example={"course_code": COURSE, "schedule_code": SCHEDULE},
        data_example={"schedule_code": SCHEDULE, "course_code": COURSE, "quota": 1000000},
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
        obj(
            {
                "payment_token": scalar("string", "For `Authorization: Payment <payment_token>`."),
                "otp_expired_at": scalar("string", "RFC 3339, `Z`.", format="date-time"),
                "expired_at": scalar("string", "The token's end, RFC 3339.", format="date-time"),
                "phone_masked": scalar("string"),
                "otp_length": scalar("integer"),
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
            "too_many_payments",
            "too_many_otp_sms",
        ),
        request_example={
            "user_platform_id": "pembeli-contoh",
            "prakerja_id": CARD,
            "course_code": COURSE,
            "schedule_code": SCHEDULE,
            "amount": 1000000,
        },
        data_example={
            "payment_token": PAYMENT_TOKEN,
            "otp_expired_at": "2026-11-27T12:40:33Z",
            "expired_at": "2026-11-27T13:05:33Z",
            "phone_masked": "0812*****001",
            "otp_length": 6,
        },
    ),
    Endpoint(
        "authorize",
        "Check the OTP and buy",
        "Real API. Header `Authorization: Payment <payment_token>`. Atomic: the debit, the seat, "
        "the ledger entry, the transaction and the redeem code (sent to the participant, not "
        "the platform) are written together or not at all. Optional `Idempotency-Key` "
        "(extension) replays the first answer.",
        forms.AuthorizeForm,
        obj(
            {
                "invoice_code": scalar("string"),
                "transaction_code": scalar("string"),
                "amount": RUPIAH,
                "status": scalar("string", enum=["SUCCESS"]),
                "prakerja_name": scalar("string"),
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
        request_example={
            "otp": "123456",
            "invoice_url": f"https://toko.example/invoice/{INVOICE}",
            "invoice_code": INVOICE,
        },
        data_example={
            key: TRANSACTION_EXAMPLE[key]
            for key in ("invoice_code", "transaction_code", "amount", "status", "prakerja_name")
        },
    ),
    Endpoint(
        "status",
        "Read a purchase",
        "Real API. By the platform's `invoice_code`; only the calling platform's own.",
        forms.StatusForm,
        TRANSACTION,
        ("invalid_request", "transaction_not_found"),
        request_example={"invoice_code": INVOICE},
        data_example=TRANSACTION_EXAMPLE,
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
        request_example={"invoice_code": INVOICE, "transaction_code": TRANSACTION_CODE},
    ),
    Endpoint(
        "payment/card-inquiry",
        "Check a card (simulator extension)",
        "No real counterpart. Status, saldo and whether the card may buy a training of `amount` "
        "now (`reasons` lists every rule it breaks, by error name). Answers 200 even when it "
        "cannot buy.",
        forms.CardInquiryForm,
        obj(
            {
                "card_number_masked": scalar("string"),
                "status": scalar("string", enum=["active", "revoked", "expired"]),
                "balance": RUPIAH,
                "scheme": scalar("string", enum=["semi_bansos", "normal"]),
                "first_purchase_deadline": scalar("string", format="date"),
                "first_purchase_deadline_at": scalar(
                    "string", "Ends 23:59 WIB.", format="date-time"
                ),
                "can_purchase": scalar("boolean"),
                "reasons": {"type": "array", "items": scalar("string")},
                "messages": {
                    "type": "array",
                    "items": scalar("string"),
                    "description": "The reasons in Indonesian, for people.",
                },
            }
        ),
        ("invalid_request", "invalid_card_number", "card_not_found"),
        prefix=EXTENSION_PREFIX,
        tag="Simulator extensions",
        extension=True,
        request_example={"prakerja_id": CARD, "amount": 1000000},
        data_example={
            "card_number_masked": "5204 **** **** 0015",
            "status": "active",
            "balance": 3500000,
            "scheme": "normal",
            "first_purchase_deadline": "2026-12-12",
            "first_purchase_deadline_at": "2026-12-12T17:00:00+00:00",
            "can_purchase": True,
            "reasons": [],
            "messages": [],
        },
    ),
)
