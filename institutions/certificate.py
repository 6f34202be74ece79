"""The certificate as a PDF (fpdf2, its built-in fonts: no font files needed on the machine)."""

from __future__ import annotations

from fpdf import FPDF

from institutions.models import Enrolment
from institutions.spec import InstitutionSpec
from marketplace.templating import format_wib


def _latin1(text: str) -> str:
    """The built-in PDF fonts cover Latin-1; anything else becomes '?' rather than failing."""
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(spec: InstitutionSpec, enrolment: Enrolment, verify_url: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Sertifikat {enrolment.certificate_number}")
    pdf.set_author(spec.name)
    pdf.add_page()
    pdf.set_draw_color(*_rgb(spec.primary))
    pdf.set_line_width(2)
    pdf.rect(10, 10, 277, 190)
    lines = (
        ("helvetica", "B", 16, spec.name),
        ("helvetica", "B", 34, "SERTIFIKAT"),
        ("helvetica", "", 14, "diberikan kepada"),
        ("helvetica", "B", 26, enrolment.participant_name),
        ("helvetica", "", 14, "yang telah menyelesaikan pelatihan"),
        ("helvetica", "B", 18, enrolment.course_title),
        ("helvetica", "", 12, "Program Kartu Prakerja - " + format_wib(enrolment.completed_at)),
        ("helvetica", "", 12, f"Nomor sertifikat: {enrolment.certificate_number}"),
        ("helvetica", "", 10, f"Verifikasi: {verify_url}"),
    )
    pdf.set_y(28)
    for family, style, size, text in lines:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.6, _latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
    return bytes(pdf.output())


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    value = hex_colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
