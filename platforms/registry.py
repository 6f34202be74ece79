"""The storefronts the marketplace serves: one line per platform."""

from __future__ import annotations

from platforms import bukalapak, pintaria, tokopedia
from platforms.core.spec import PlatformSpec

PLATFORMS: tuple[PlatformSpec, ...] = (
    tokopedia.SPEC,
    bukalapak.SPEC,
    pintaria.SPEC,
)
