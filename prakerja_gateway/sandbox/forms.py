"""Shapes of the sandbox's JSON bodies."""

from __future__ import annotations

from wtforms.validators import Optional

from marketplace.jsonforms import IntegerRange, JsonForm, JsonInteger, JsonString, MaxLength


class ClockAdvanceForm(JsonForm):
    days = JsonInteger(validators=[Optional(), IntegerRange(0, 3650)])
    hours = JsonInteger(validators=[Optional(), IntegerRange(0, 24 * 3650)])
    minutes = JsonInteger(validators=[Optional(), IntegerRange(0, 60 * 24 * 3650)])
    seconds = JsonInteger(validators=[Optional(), IntegerRange(0, 3600 * 24 * 3650)])


class CompleteTrainingForm(JsonForm):
    rating = JsonInteger(validators=[Optional(), IntegerRange(1, 5)])
    review = JsonString(validators=[Optional(), MaxLength(2000)])

    def validate(self, extra_validators=None) -> bool:
        # Not an inline validator: Optional() would stop the chain before it on a missing review.
        valid = super().validate(extra_validators)
        if valid and self.rating.data is not None and not (self.review.data or "").strip():
            self.review.errors.append("Ulasan wajib diisi bersama rating.")
            return False
        return valid
