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
    ),
)
