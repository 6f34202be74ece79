"""What a platform package declares: name, look, copy, OTP presentation and checkout flow."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from platforms.core.flow import CheckoutFlow


@dataclass(frozen=True)
class Look:
    primary: str
    primary_ink: str = "#ffffff"
    accent: str = "#ff5722"
    background: str = "#f5f6f8"
    radius: str = "8px"


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
