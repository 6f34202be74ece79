"""Jinja helpers shared by every party's pages: Rupiah and WIB, in Indonesian."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from marketplace.clock import to_wib
from marketplace.money import format_rupiah

MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_wib(instant: datetime | None) -> str:
    """21 November 2026 20.15 WIB"""
    if instant is None:
        return "-"
    local = to_wib(instant)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year} {local:%H.%M} WIB"


def register_template_helpers(app: Flask) -> None:
    app.add_template_filter(format_rupiah, "rupiah")
    app.add_template_filter(format_wib, "wib")
