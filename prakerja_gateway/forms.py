"""Shapes of the platform API's JSON bodies. Business rules are the services' job."""

from __future__ import annotations

from wtforms.validators import Optional

from marketplace.jsonforms import (
    Email,
    IntegerRange,
    JsonForm,
    JsonInteger,
    JsonString,
    MaxLength,
    Required,
    WebAddress,
)

MAX_AMOUNT = 100_000_000  # far above any saldo; keeps absurd integers out of the database


class CardInquiryForm(JsonForm):
    card_number = JsonString(validators=[Required(), MaxLength(32)])
    amount = JsonInteger(validators=[Optional(), IntegerRange(1, MAX_AMOUNT)])


class OtpRequestForm(JsonForm):
    card_number = JsonString(validators=[Required(), MaxLength(32)])
    amount = JsonInteger(validators=[Required(), IntegerRange(1, MAX_AMOUNT)])
    invoice_code = JsonString(validators=[Required(), MaxLength(100)])
    course_code = JsonString(validators=[Required(), MaxLength(40)])
    account_id = JsonString(validators=[Required(), MaxLength(100)])


class PaymentRefForm(JsonForm):
    payment_id = JsonString(validators=[Required(), MaxLength(40)])


class ChargeForm(PaymentRefForm):
    otp = JsonString(validators=[Required(), MaxLength(12)])


class RefundForm(PaymentRefForm):
    reason = JsonString(validators=[Required(), MaxLength(200)])


class StatusForm(JsonForm):
    payment_id = JsonString(validators=[Optional(), MaxLength(40)])
    invoice_code = JsonString(validators=[Optional(), MaxLength(100)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.payment_id.data and not self.invoice_code.data:
            self.payment_id.errors.append("Isi payment_id atau invoice_code.")
            return False
        return valid


# --- the institution (LP) API ---
class RedeemCodeForm(JsonForm):
    redeem_code = JsonString(validators=[Required(), MaxLength(40)])


class RedeemStatusForm(RedeemCodeForm):
    sequence = JsonInteger(validators=[Optional(), IntegerRange(1, 999)])


class UrlGenerateForm(RedeemCodeForm):
    sequence = JsonInteger(validators=[Required(), IntegerRange(1, 999)])
    redirect_uri = JsonString(validators=[Required(), MaxLength(500), WebAddress()])
    email = JsonString(validators=[Required(), MaxLength(200), Email()])


class TaskForm(RedeemCodeForm):
    scope = JsonString(validators=[Required(), MaxLength(20)])
    sequence = JsonInteger(validators=[Required(), IntegerRange(1, 999)])


class TaskSubmissionForm(TaskForm):
    url_file = JsonString(validators=[Required(), MaxLength(500), WebAddress()])


class CompletionForm(RedeemCodeForm):
    certificate_number = JsonString(validators=[Required(), MaxLength(80)])
