"""The institution sites the marketplace serves: one line per institution of the catalogue."""

from __future__ import annotations

from institutions.spec import InstitutionSpec

SITES: tuple[InstitutionSpec, ...] = (
    InstitutionSpec(
        "LPDIGI",
        "digital-nusantara",
        "Lembaga Kursus Digital Nusantara",
        "Belajar keterampilan digital, kapan saja.",
        "#5b2a86",
        "#f2b134",
    ),
    InstitutionSpec(
        "LPKEU",
        "akademi-keuangan",
        "Akademi Keuangan Merdeka",
        "Kelola uang dan usaha dengan percaya diri.",
        "#0f6b4f",
        "#e96d4a",  # light enough for the dark button text (WCAG AA)
    ),
    InstitutionSpec(
        "LPTEK",
        "bina-karya",
        "Pusat Pelatihan Teknik Bina Karya",
        "Terampil dengan tangan sendiri.",
        "#1f3a5f",
        "#f28f3b",
    ),
    InstitutionSpec(
        "LPBHS",
        "rumah-bahasa",
        "Rumah Bahasa Cendekia",
        "Bahasa asing untuk kerja dan usaha.",
        "#8c1c13",
        "#2a9d8f",
    ),
)
