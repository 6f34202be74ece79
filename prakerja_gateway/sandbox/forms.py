"""Shapes of the sandbox's JSON bodies, and its HTML forms for people (CSRF, Indonesian)."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional, Regexp

from marketplace.forms import VALID_TEXT
from marketplace.jsonforms import IntegerRange, JsonForm, JsonInteger, JsonString, MaxLength
from prakerja_gateway.sandbox.personas import BY_KEY


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


# --- HTML forms -----------------------------------------------------------------------------
_DIGITS = re.compile(r"[0-9]{1,9}")
FORM_EXPIRED = "Formulir kedaluwarsa atau tidak lengkap. Muat ulang halaman lalu coba lagi."


class WholeNumberField(IntegerField):
    """A count in ASCII digits (``int()`` would take "١٢" and "1_0"), refused in Indonesian."""

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0]).strip()
        if not _DIGITS.fullmatch(text):
            self.data = None
            raise ValueError("Isi dengan angka bulat (0–9), tanpa titik atau huruf.")
        self.data = int(text)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class MintCardForm(FlaskForm):
    """The "Buat kartu baru" button: which persona to mint."""

    persona = StringField(
        "Persona",
        [InputRequired("Pilih persona."), AnyOf(sorted(BY_KEY), "Persona tidak dikenal.")],
    )


class ClockPageForm(FlaskForm):
    """Advance the simulated clock by hand: at most a year at a time, never backwards."""

    days = WholeNumberField("Hari", [Optional(), NumberRange(0, 365, "Isi 0 sampai 365 hari.")])
    hours = WholeNumberField("Jam", [Optional(), NumberRange(0, 23, "Isi 0 sampai 23 jam.")])
    minutes = WholeNumberField("Menit", [Optional(), NumberRange(0, 59, "Isi 0 sampai 59 menit.")])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not (self.days.data or self.hours.data or self.minutes.data):
            self.days.errors.append("Isi paling sedikit satu: hari, jam, atau menit.")
            return False
        return valid


class _SearchForm(FlaskForm):
    """A GET form that only reads: no CSRF token needed."""

    class Meta:
        csrf = False


class InboxFilterForm(_SearchForm):
    to = StringField(
        "Penerima",
        [Optional(), VALID_TEXT, Length(max=200, message="Paling banyak 200 karakter.")],
        filters=[_strip],
    )


class PhoneLookupForm(_SearchForm):
    nomor = StringField(
        "Nomor HP",
        [
            InputRequired("Isi nomor HP."),
            VALID_TEXT,
            Regexp(r"^\+?\d{6,19}$", message="Isi 6–19 angka, boleh diawali +, tanpa spasi."),
        ],
        filters=[_strip],
    )
