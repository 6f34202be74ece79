"""Storefront forms: WTForms with CSRF (Flask-WTF), messages in Indonesian."""

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


def phone_field(label: str) -> StringField:
    """An Indonesian mobile number: 08 and 8–11 more digits."""
    return StringField(
        label,
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(r"^08\d{8,11}$", message="Nomor HP diawali 08 dan terdiri dari 10–13 angka."),
        ],
        filters=[_strip],
    )


class RegisterForm(FlaskForm):
    name = StringField(
        "Nama lengkap", [InputRequired(REQUIRED), VALID_TEXT, Length(2, 120)], filters=[_strip]
    )
    email = StringField(
        "Email",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(max=200),
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
        [InputRequired(REQUIRED), VALID_TEXT, Length(max=200)],
        filters=[_strip],
    )
    password = PasswordField("Kata sandi", [InputRequired(REQUIRED), VALID_TEXT, Length(max=128)])


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
        "Kode promo", [Optional(), VALID_TEXT, Length(max=30)], filters=[_strip]
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


class SurveyForm(FlaskForm):
    motivation = RadioField(
        "Apa tujuan Anda mengikuti pelatihan ini?",
        choices=[
            SelectChoice("kerja", "Mendapat pekerjaan"),
            SelectChoice("usaha", "Membuka usaha"),
            SelectChoice("karier", "Naik jabatan"),
            SelectChoice("lain", "Lainnya"),
        ],
        validators=[InputRequired("Pilih salah satu.")],
    )
    expectation = TextAreaField(
        "Apa yang ingin Anda kuasai?",
        [InputRequired(REQUIRED), VALID_TEXT, Length(5, 500, "5–500 karakter.")],
        filters=[_strip],
    )


class EmptyForm(FlaskForm):
    """A button that changes something: CSRF only."""
