"""WTForms for JSON bodies: the same validation habit as HTML forms, with JSON's types kept.

A JSON body goes in through a ``MultiDict`` of its raw values, so validators see exactly what the
client sent: ``"1000"`` is not an integer, ``true`` is not a number, ``null`` is missing.
Forms check shape; services check business rules.
"""

from __future__ import annotations

import json
from typing import Any, Self
from urllib.parse import urlsplit

from flask import current_app, has_app_context
from werkzeug.datastructures import MultiDict
from wtforms import Field, Form
from wtforms.validators import StopValidation, ValidationError

from marketplace.errors import INVALID_JSON, INVALID_REQUEST, AppError
from marketplace.forms import is_storable_text
from marketplace.money import is_rupiah

MAX_JSON_DEPTH = 32


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The body as a JSON object, or a 400 ``invalid_json``: also for a body over the size limit,
    NaN or Infinity, nesting deeper than ``MAX_JSON_DEPTH``, and NUL or a lone surrogate in any
    string or key (text no database stores). Runs before authentication, so it must not fail."""
    raw = raw or b""
    limit = current_app.config.get("MAX_CONTENT_LENGTH") if has_app_context() else None
    if limit is not None and len(raw) > limit:
        raise AppError(INVALID_JSON, reason=f"the body is over {limit} bytes")
    try:
        payload = json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError:
        raise AppError(INVALID_JSON, reason=f"nested deeper than {MAX_JSON_DEPTH}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise AppError(INVALID_JSON, reason=str(exc)[:200]) from None
    if not isinstance(payload, dict):
        raise AppError(INVALID_JSON, reason="the body must be a JSON object")
    problem = _unstorable(payload)
    if problem:
        raise AppError(INVALID_JSON, reason=problem)
    return payload


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _unstorable(payload: Any) -> str | None:
    """What makes a parsed body unfit, walking it without recursion; None when it is fine."""
    pending: list[tuple[Any, int]] = [(payload, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            return f"nested deeper than {MAX_JSON_DEPTH}"
        if isinstance(value, dict):
            if not all(is_storable_text(key) for key in value):
                return "a key holds NUL or a lone surrogate"
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not is_storable_text(value):
            return "a string holds NUL or a lone surrogate"
    return None


class Required:
    """The key is present and neither null nor an empty string (0 and false count as given)."""

    def __init__(self, message: str = "Wajib diisi."):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form: Form, field: Field) -> None:
        if not field.raw_data or field.raw_data[0] is None or field.raw_data[0] == "":
            field.errors[:] = []
            raise StopValidation(self.message)


class _JsonField(Field):
    """A field holding one raw JSON value of a given Python type."""

    json_types: tuple[type, ...] = ()
    type_message = "Tipe data tidak sesuai."

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = valuelist[0] if valuelist else None

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not self._has_json_type(self.data):
            raise StopValidation(self.type_message)

    def _has_json_type(self, value: Any) -> bool:
        return isinstance(value, self.json_types)


class JsonString(_JsonField):
    json_types = (str,)
    type_message = "Harus berupa teks (string JSON)."


class JsonCode(JsonString):
    """A code sent as a string, or as a JSON integer where a document types it so (the integer
    is taken as its decimal text)."""

    type_message = "Harus berupa teks atau bilangan bulat."

    def process_formdata(self, valuelist: list[Any]) -> None:
        super().process_formdata(valuelist)
        if isinstance(self.data, int) and not isinstance(self.data, bool):
            self.data = str(self.data)


class JsonInteger(_JsonField):
    type_message = "Harus berupa bilangan bulat (integer JSON)."

    def _has_json_type(self, value: Any) -> bool:
        return is_rupiah(value)


class MaxLength:
    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str) and len(field.data) > self.maximum:
            raise ValidationError(f"Paling banyak {self.maximum} karakter.")


class WebAddress:
    """An absolute http(s) address (where a participant is sent back, where a file lies)."""

    schema_format = "uri"

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str):
            try:
                parts = urlsplit(field.data)
            except ValueError:  # e.g. an unclosed IPv6 bracket: not an address at all
                raise ValidationError("Harus alamat web lengkap (http:// atau https://).") from None
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValidationError("Harus alamat web lengkap (http:// atau https://).")


class Email:
    """Loosely an email address: one @ with something on both sides, no spaces."""

    schema_format = "email"

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, str):
            local, at, domain = field.data.partition("@")
            if not (local and at and "." in domain) or any(c.isspace() for c in field.data):
                raise ValidationError("Alamat email tidak valid.")


class IntegerRange:
    def __init__(self, minimum: int, maximum: int):
        self.minimum, self.maximum = minimum, maximum

    def __call__(self, form: Form, field: Field) -> None:
        if field.data is not None and not self.minimum <= field.data <= self.maximum:
            raise ValidationError(f"Harus antara {self.minimum} dan {self.maximum}.")


class JsonForm(Form):
    """A form fed from a JSON object; ``load`` answers a 400 listing every field's problem."""

    @classmethod
    def load(cls, payload: dict[str, Any]) -> Self:
        form = cls(formdata=MultiDict(list(payload.items())))
        if not form.validate():
            raise AppError(INVALID_REQUEST, fields=form.errors)
        return form

    @classmethod
    def json_schema(cls) -> dict[str, Any]:
        """The JSON schema of the bodies this form accepts (for the OpenAPI document)."""
        properties: dict[str, Any] = {}
        required: list[str] = []
        for name, field in cls()._fields.items():
            schema: dict[str, Any] = {
                "type": "integer" if isinstance(field, JsonInteger) else "string"
            }
            for validator in field.validators:
                if isinstance(validator, MaxLength):
                    schema["maxLength"] = validator.maximum
                elif isinstance(validator, IntegerRange):
                    schema["minimum"], schema["maximum"] = validator.minimum, validator.maximum
                elif isinstance(validator, WebAddress | Email):
                    schema["format"] = validator.schema_format
                elif isinstance(validator, Required):
                    required.append(name)
            properties[name] = schema
        return {"type": "object", "properties": properties, "required": required}
