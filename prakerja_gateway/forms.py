"""Shapes of the platform API's JSON bodies. Business rules are the services' job."""

from __future__ import annotations

from wtforms.validators import Optional

from marketplace.jsonforms import (
    Email,
    IntegerRange,
    JsonCode,
    JsonForm,
    JsonInteger,
    JsonString,
    MaxLength,
    Required,
    WebAddress,
)

MAX_AMOUNT = 100_000_000  # far above any saldo; keeps absurd integers out of the database


class CardInquiryForm(JsonForm):
    """Our extension: what a storefront may show about a card before send-otp."""

    prakerja_id = JsonString(validators=[Required(), MaxLength(32)])
    amount = JsonInteger(validators=[Optional(), IntegerRange(1, MAX_AMOUNT)])


class QuotaScheduleForm(JsonForm):
    """Both fields are required; a missing one answers the real ``ERRPLT40036``."""

    schedule_code = JsonString(validators=[Optional(), MaxLength(60)])
    course_code = JsonString(validators=[Optional(), MaxLength(40)])


class SendOtpForm(JsonForm):
    user_platform_id = JsonString(validators=[Required(), MaxLength(100)])
    prakerja_id = JsonString(validators=[Required(), MaxLength(32)])
    course_code = JsonString(validators=[Required(), MaxLength(40)])
    schedule_code = JsonString(validators=[Required(), MaxLength(60)])
    amount = JsonInteger(validators=[Required(), IntegerRange(1, MAX_AMOUNT)])


class AuthorizeForm(JsonForm):
    otp = JsonString(validators=[Required(), MaxLength(12)])
    invoice_url = JsonString(validators=[Required(), MaxLength(500), WebAddress()])
    # Documented as "integer" in one table but a string in every example: both are taken.
    invoice_code = JsonCode(validators=[Required(), MaxLength(100)])


class StatusForm(JsonForm):
    invoice_code = JsonString(validators=[Required(), MaxLength(100)])


class VoidForm(StatusForm):
    transaction_code = JsonString(validators=[Required(), MaxLength(40)])


# --- the institution (LP) API ---
# Attendance stages: 1 the redeem / first attendance, 2–10 the next ones, 999 the post-test.
ATTENDANCE_SEQUENCES = frozenset((*range(1, 11), 999))
# A practice task (tpm) is sequence 1–998; the skills demonstration (uk) is 999.
TASK_SEQUENCES = {"tpm": range(1, 999), "uk": range(999, 1000)}
TEST_CODE_PREFIX = "PRAT-"  # the docs: reset takes only codes with this prefix


def _refuse(field, message: str) -> bool:
    field.errors.append(message)
    return False


def _attendance_sequence(field) -> bool:
    """Absent means 1 (the docs' default); present, one of the documented stages."""
    if field.errors or field.data is None or field.data in ATTENDANCE_SEQUENCES:
        return True  # (a value of the wrong type has its error already)
    return _refuse(field, "Harus 1–10 (kehadiran) atau 999 (post-test).")


class RedeemCodeForm(JsonForm):
    redeem_code = JsonString(validators=[Required(), MaxLength(40)])


class RedeemStatusForm(RedeemCodeForm):
    sequence = JsonInteger(validators=[Optional(), IntegerRange(1, 999)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _attendance_sequence(self.sequence) and valid


class UrlGenerateForm(RedeemStatusForm):
    redirect_uri = JsonString(validators=[Required(), MaxLength(500), WebAddress()])
    email = JsonString(validators=[Required(), MaxLength(200), Email()])


class ResetForm(RedeemCodeForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.redeem_code.data.startswith(TEST_CODE_PREFIX):
            message = f"Redeem code harus mempunyai prefix {TEST_CODE_PREFIX}"
            return _refuse(self.redeem_code, message)
        return valid


class TaskForm(RedeemCodeForm):
    scope = JsonString(validators=[Required(), MaxLength(20)])
    sequence = JsonInteger(validators=[Required(), IntegerRange(1, 999)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.scope.errors or self.sequence.errors:
            return False
        if self.scope.data not in TASK_SEQUENCES:
            return _refuse(self.scope, "Harus tpm atau uk.")
        if self.sequence.data not in TASK_SEQUENCES[self.scope.data]:
            return _refuse(self.sequence, "Scope tpm memakai sequence 1–998; uk memakai 999.")
        return valid


class TaskSubmissionForm(TaskForm):
    url_file = JsonString(validators=[Required(), MaxLength(500), WebAddress()])


class FeedbackForm(TaskForm):
    notes = JsonString(validators=[Required(), MaxLength(5000)])
    # Optional: public clients send "" when the feedback has no attachment.
    url_file = JsonString(validators=[Optional(), MaxLength(500), WebAddress()])


class RedirectUriForm(JsonForm):
    redirect_uri = JsonString(validators=[Required(), MaxLength(500), WebAddress()])


class CompletionForm(RedeemCodeForm):
    certificate_number = JsonString(validators=[Required(), MaxLength(80)])
