"""What every HTML form shares: text a database can store (no NUL, no lone surrogate)."""

from __future__ import annotations

from typing import Any

from wtforms.validators import ValidationError

INVALID_TEXT = "Karakter tidak valid."


def is_storable_text(value: str) -> bool:
    """False for NUL (PostgreSQL refuses it) and lone surrogates (no encoding can store them)."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def storable(value: str) -> str:
    """``value`` without what ``is_storable_text`` refuses (for lenient inputs: search)."""
    if is_storable_text(value):
        return value
    return "".join(ch for ch in value if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)


class ValidText:
    """A WTForms validator: the field's text holds no NUL and no lone surrogate."""

    def __init__(self, message: str = INVALID_TEXT):
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str) and not is_storable_text(field.data):
            raise ValidationError(self.message)


VALID_TEXT = ValidText()
