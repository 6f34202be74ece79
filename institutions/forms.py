"""Institution site forms: WTForms with CSRF, messages in Indonesian.

WTForms ships no Indonesian translation: every validator carries its own message, and choice
fields check their choices with one (``validate_choice=False``), so no English default shows."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectChoice, SelectField, StringField
from wtforms.validators import URL, AnyOf, EqualTo, InputRequired, Length, Regexp, ValidationError

from institutions.services import QUIZ
from marketplace.forms import VALID_TEXT

REQUIRED = "Wajib diisi."
CHOOSE_LISTED = "Pilih salah satu pilihan yang tersedia."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message="Alamat email tidak valid.")
EMAIL_LENGTH = Length(max=200, message="Email paling banyak 200 karakter.")


class RegisterForm(FlaskForm):
    name = StringField(
        "Nama lengkap",
        [InputRequired(REQUIRED), VALID_TEXT, Length(2, 120, "Nama terdiri dari 2–120 karakter.")],
        filters=[_strip],
    )
    email = StringField(
        "Email", [InputRequired(REQUIRED), VALID_TEXT, EMAIL_LENGTH, EMAIL], filters=[_strip]
    )
    password = PasswordField(
        "Kata sandi", [InputRequired(REQUIRED), VALID_TEXT, Length(8, 128, "Minimal 8 karakter.")]
    )
    confirm = PasswordField(
        "Ulangi kata sandi",
        [InputRequired(REQUIRED), VALID_TEXT, EqualTo("password", "Kata sandi tidak sama.")],
    )


class LoginForm(FlaskForm):
    email = StringField(
        "Email", [InputRequired(REQUIRED), VALID_TEXT, EMAIL_LENGTH], filters=[_strip]
    )
    password = PasswordField("Kata sandi", [InputRequired(REQUIRED), VALID_TEXT])


class VoucherForm(FlaskForm):
    platform = SelectField(
        "Dibeli di",
        validate_choice=False,  # checked below, with a message in Indonesian
        validators=[InputRequired("Pilih platform tempat membeli.")],
    )
    voucher_code = StringField(
        "Kode voucher",
        [InputRequired(REQUIRED), VALID_TEXT, Length(4, 40, "Kode voucher 4–40 karakter.")],
        filters=[_upper],
    )

    def validate_platform(self, field) -> None:
        if field.data not in {choice.value for choice in field.choices or ()}:
            raise ValidationError("Pilih platform dari daftar.")


class RedeemForm(FlaskForm):
    redeem_code = StringField(
        "Kode redeem Prakerja",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Regexp(
                r"^PRA[A-Z]-[A-Z0-9]{6}$",
                message="Format kode redeem: PRAT- lalu 6 huruf atau angka, misalnya PRAT-HEGQQO.",
            ),
        ],
        filters=[_upper],
    )


class QuizForm(FlaskForm):
    """The pre-test and the post-test: the same three questions."""


for _number, _question in enumerate(QUIZ, start=1):
    setattr(
        QuizForm,
        f"q{_number}",
        RadioField(
            _question.text,
            choices=[SelectChoice(str(i), text) for i, text in enumerate(_question.options)],
            validate_choice=False,  # AnyOf below says it in Indonesian
            validators=[
                InputRequired("Pilih satu jawaban."),
                AnyOf([str(i) for i in range(len(_question.options))], message=CHOOSE_LISTED),
            ],
        ),
    )


def quiz_answers(form: QuizForm) -> list[int | None]:
    return [int(getattr(form, f"q{n}").data) for n in range(1, len(QUIZ) + 1)]


class TaskForm(FlaskForm):
    url_file = StringField(
        "Tautan berkas tugas (Google Drive, Dropbox, dsb.)",
        [
            InputRequired(REQUIRED),
            VALID_TEXT,
            Length(max=500, message="Tautan paling banyak 500 karakter."),
            URL(message="Isi tautan lengkap (https://…)."),
        ],
        filters=[_strip],
    )


class EmptyForm(FlaskForm):
    """Just the CSRF token: a button that posts."""
