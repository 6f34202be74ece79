"""Money is integer rupiah everywhere; formatting happens only at the edges (pages, messages)."""

from __future__ import annotations


def format_rupiah(amount: int) -> str:
    """Rp1.500.000, the way Indonesian sites write it (dot as thousands separator, no decimals)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah amounts are integers, got {amount!r}")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def is_rupiah(value: object) -> bool:
    """True for a JSON integer (not a bool, not a float)."""
    return isinstance(value, int) and not isinstance(value, bool)
