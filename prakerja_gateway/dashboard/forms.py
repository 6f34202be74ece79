"""Dashboard forms: WTForms with CSRF, messages in Indonesian.

WTForms ships no Indonesian translation: every validator carries its own message, choice fields
check their choices with one (``validate_choice=False`` + ``AnyOf``), and the number field says
in Indonesian that it wants a number, so no English default reaches a page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Regexp

from marketplace.forms import VALID_TEXT
from prakerja_gateway.services.accounts import PROVIDER_NAMES

REQUIRED = "Wajib diisi."
CHOOSE_LISTED = "Pilih salah satu pilihan yang tersedia."
EMPLOYMENT = ("bekerja", "wirausaha", "belum_bekerja")


class WholeNumberField(IntegerField):
    """An ``IntegerField`` whose "not a number" error is in Indonesian."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Isi dengan angka.") from exc


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    login = StringField(
        "Email atau nomor HP",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(max=200, message="Email atau nomor HP paling banyak 200 karakter."),
        ],
        filters=[_strip],
    )


class CodeForm(FlaskForm):
    code = StringField(
        "Kode verifikasi",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(r"^\d{6}$", message="Kode terdiri dari 6 angka."),
        ],
        filters=[_strip],
    )


class EmptyForm(FlaskForm):
    """Just the CSRF token: a button that posts (a video watched, signing out)."""


class PayoutForm(FlaskForm):
    provider = SelectField(
        "Bank atau e-wallet",
        choices=[
            SelectChoice("", "Pilih…"),
            *(SelectChoice(key, name) for key, name in PROVIDER_NAMES.items()),
        ],
        validate_choice=False,  # AnyOf says it in Indonesian
        validators=[InputRequired(REQUIRED), AnyOf(list(PROVIDER_NAMES), message=CHOOSE_LISTED)],
    )
    account_number = StringField(
        "Nomor rekening atau nomor HP e-wallet",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(r"^\d{8,20}$", message="Isi 8–20 angka, tanpa spasi atau tanda baca."),
        ],
        filters=[_strip],
    )


class ReviewForm(FlaskForm):
    rating = RadioField(
        "Rating",
        choices=[SelectChoice(str(n), f"{n} bintang") for n in range(1, 6)],
        validate_choice=False,  # AnyOf says it in Indonesian
        validators=[
            InputRequired("Pilih rating 1–5 bintang."),
            AnyOf([str(n) for n in range(1, 6)], message="Pilih rating 1–5 bintang."),
        ],
    )
    review = TextAreaField(
        "Ulasan",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(20, 2000, "Tulis ulasan 20–2.000 karakter tentang pelatihan ini."),
        ],
        filters=[_strip],
    )


class SurveyForm(FlaskForm):
    employed = SelectField(
        "Status pekerjaan Anda saat ini",
        choices=[
            SelectChoice("", "Pilih…"),
            SelectChoice("bekerja", "Bekerja"),
            SelectChoice("wirausaha", "Berwirausaha"),
            SelectChoice("belum_bekerja", "Belum bekerja"),
        ],
        validate_choice=False,  # AnyOf says it in Indonesian
        validators=[InputRequired(REQUIRED), AnyOf(EMPLOYMENT, message=CHOOSE_LISTED)],
    )
    usefulness = WholeNumberField(
        "Seberapa bermanfaat pelatihan bagi Anda (1–5)",
        [InputRequired(REQUIRED), NumberRange(1, 5, "Isi angka 1 sampai 5.")],
    )
