"""What an institution site declares: its catalogue code, address, name and look."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstitutionSpec:
    code: str  # the catalogue institution code (and its Prakerja partner)
    slug: str  # /lembaga/<slug>/
    name: str
    tagline: str
    primary: str
    accent: str

    @property
    def session_key(self) -> str:
        return f"learner:{self.slug}"
