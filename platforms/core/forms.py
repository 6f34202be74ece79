"""Storefront forms: WTForms with CSRF (Flask-WTF), messages in Indonesian.

WTForms ships no Indonesian translation, so every validator carries its own message and choice
fields check their choices with one (``validate_choice=False`` + ``AnyOf``): no English default
can reach a page (tests/functional/test_newcomer_traps.py walks every form)."""

from __future__ import annotations

from collections.abc import Sequence

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from marketplace.forms import VALID_TEXT

REQUIRED = "Wajib diisi."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _digits_only(value):
    return "".join(ch for ch in value if ch.isdigit()) if isinstance(value, str) else value


def _phone_number(value):
    """``+62 812-3456-7890`` and ``0812 3456 7890`` as ``081234567890`` (spaces, dashes, dots
    and the country code as people type them)."""
    if not isinstance(value, str):
        return value
    number = "".join(ch for ch in value.strip() if ch not in " -.()")
    if number.startswith("+62"):
        number = "0" + number[3:]
    elif number.startswith("62") and len(number) >= 11:
        number = "0" + number[2:]
    return number


def phone_field(label: str) -> StringField:
    """An Indonesian mobile number: 08 and 8–11 more digits."""
    return StringField(
        label,
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(r"^08\d{8,11}$", message="Nomor HP diawali 08 dan terdiri dari 10–13 angka."),
        ],
        filters=[_phone_number],
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Nama lengkap",
        [InputRequired(REQUIRED), VALID_TEXT, Length(2, 120, "Nama terdiri dari 2–120 karakter.")],
        filters=[_strip],
    )
    email = StringField(
        "Email",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(max=200, message="Email paling banyak 200 karakter."),
            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Alamat email tidak valid."),
        ],
        filters=[_strip],
    )
    phone = phone_field("Nomor HP")
    password = PasswordField(
        "Kata sandi", [InputRequired(REQUIRED), VALID_TEXT, Length(8, 128, "Minimal 8 karakter.")]
    )
    confirm = PasswordField(
        "Ulangi kata sandi",
        [InputRequired(REQUIRED), VALID_TEXT, EqualTo("password", "Kata sandi tidak sama.")],
    )


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
    password = PasswordField(
        "Kata sandi",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(max=128, message="Kata sandi paling banyak 128 karakter."),
        ],
    )


class PhoneCodeForm(FlaskForm):
    code = StringField(
        "Kode verifikasi",
        [InputRequired(REQUIRED), VALID_TEXT, Regexp(r"^\d{6}$", message="Kode 6 angka.")],
        filters=[_strip],
    )


class BuyForm(FlaskForm):
    """Buying a training: its schedule (from the open ones), and what a platform adds."""

    schedule_code = RadioField(
        "Pilih jadwal",
        choices=[],
        validate_choice=False,  # checked below, with a message in Indonesian
        validators=[InputRequired("Pilih jadwal pelatihan.")],
    )
    promo_code = StringField(
        "Kode promo",
        [Optional(), VALID_TEXT, Length(max=30, message="Kode promo paling banyak 30 karakter.")],
        filters=[_strip],
    )
    accept_terms = BooleanField("Saya setuju dengan syarat dan ketentuan")

    def __init__(self, *args, open_codes: Sequence[str] = (), preselect: str | None = None,
                 **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.open_codes = tuple(open_codes)
        self.schedule_code.choices = [SelectChoice(code, code) for code in self.open_codes]
        if self.schedule_code.data is None and preselect in self.open_codes:
            self.schedule_code.data = preselect  # shown checked; a POST must still send it

    def validate_schedule_code(self, field) -> None:
        if field.data not in self.open_codes:
            raise ValidationError("Jadwal ini tidak dapat dibeli lagi. Pilih jadwal lain.")


class CardForm(FlaskForm):
    card_number = StringField(
        "Nomor Kartu Prakerja",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(r"^\d{16}$", message="Pastikan sesuai dengan nomor Prakerja Anda (16 digit)."),
        ],
        filters=[_digits_only],
    )


class OtpForm(FlaskForm):
    otp = StringField(
        "Kode OTP",
        [InputRequired(REQUIRED), VALID_TEXT, Length(4, 10, "Kode OTP tidak lengkap.")],
        filters=[_strip],
    )


class PhoneConfirmForm(FlaskForm):
    phone = phone_field("Nomor HP terdaftar di Prakerja")


MOTIVATIONS = (
    SelectChoice("kerja", "Mendapat pekerjaan"),
    SelectChoice("usaha", "Membuka usaha"),
    SelectChoice("karier", "Naik jabatan"),
    SelectChoice("lain", "Lainnya"),
)
CHOOSE_LISTED = "Pilih salah satu pilihan yang tersedia."


class SurveyForm(FlaskForm):
    motivation = RadioField(
        "Apa tujuan Anda mengikuti pelatihan ini?",
        choices=list(MOTIVATIONS),
        validate_choice=False,  # checked by AnyOf, with a message in Indonesian
        validators=[
            InputRequired("Pilih salah satu."),
            AnyOf([choice.value for choice in MOTIVATIONS], message=CHOOSE_LISTED),
        ],
    )
    expectation = TextAreaField(
        "Apa yang ingin Anda kuasai?",
        [InputRequired(REQUIRED), VALID_TEXT, Length(5, 500, "5–500 karakter.")],
        filters=[_strip],
    )


class EmptyForm(FlaskForm):
    """A button that changes something: CSRF only."""
