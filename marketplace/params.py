"""Strict parsing of query parameters: plain ASCII numbers within bounds, never NaN or infinity.

``int("²")`` and ``int("١٦")`` succeed in Python and ``float("nan")`` is a float; a parameter
that reaches SQL or ``time.sleep`` must be none of those.
"""

from __future__ import annotations

import re

_INTEGER = re.compile(r"[0-9]{1,19}")
_DECIMAL = re.compile(r"[0-9]{1,9}(\.[0-9]{1,9})?")


class ParamError(ValueError):
    """The parameter is not a plain number within its bounds (the message is for people)."""


def bounded_int(text: str, *, minimum: int, maximum: int) -> int:
    """An integer written in ASCII digits, ``minimum <= value <= maximum``."""
    if not _INTEGER.fullmatch(text):
        raise ParamError("Harus bilangan bulat (angka 0–9).")
    value = int(text)
    if not minimum <= value <= maximum:
        raise ParamError(f"Harus antara {minimum} dan {maximum}.")
    return value


def bounded_float(text: str, *, minimum: float, maximum: float, clamp: bool = False) -> float:
    """A decimal like ``2`` or ``0.5`` (ASCII, no sign, no exponent), within the bounds; above
    ``maximum`` it is refused, or lowered to ``maximum`` with ``clamp``."""
    if not _DECIMAL.fullmatch(text):
        raise ParamError("Harus angka desimal, misalnya 2 atau 0.5.")
    value = float(text)
    if clamp and value > maximum:
        return float(maximum)
    if not minimum <= value <= maximum:
        raise ParamError(f"Harus antara {minimum:g} dan {maximum:g}.")
    return value
