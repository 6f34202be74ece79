"""What a platform package declares: name, look, copy, OTP presentation and checkout flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platforms.core.flow import CheckoutFlow


@dataclass(frozen=True)
class Look:
    """A platform's colours. Each is text somewhere, so each pair must reach WCAG AA (4.5:1):
    ``primary`` (links, logo, badges) on white and on ``background``, ``primary_ink`` on
    ``primary`` (buttons, banner), ``accent`` (prices) on white and on ``background``. A brand
    colour too light for text is used in a darker shade (checked in
    tests/functional/test_newcomer_traps.py)."""

    primary: str
    primary_ink: str = "#ffffff"
    accent: str = "#c43c0c"
    background: str = "#f5f6f8"
    radius: str = "8px"

    def text_pairs(self) -> dict[str, tuple[str, str]]:
        """Every (text colour, background) this look puts on a page, by what it is."""
        return {
            "brand on white": (self.primary, "#ffffff"),
            "brand on page": (self.primary, self.background),
            "button text on brand": (self.primary_ink, self.primary),
            "price on white": (self.accent, "#ffffff"),
            "price on page": (self.accent, self.background),
        }


@dataclass(frozen=True)
class PlatformSpec:
    slug: str
    name: str
    tagline: str
    look: Look
    flow: type[CheckoutFlow]
    otp_length: int = 6
    otp_alphabet: str = "digits"
    voucher_prefix: str = "VCR"
    copy: dict[str, str] = field(default_factory=dict)

    def text(self, key: str, default: str = "") -> str:
        """Platform wording for a shared template, with a default."""
        return self.copy.get(key, default)

    @property
    def otp_hint(self) -> str:
        kind = "angka" if self.otp_alphabet == "digits" else "huruf"
        return f"{self.otp_length} {kind}"
