"""Small, reproducible PDFs (fpdf2, core fonts) stored base64 in the drive seed."""

from __future__ import annotations

import base64
import unicodedata
from datetime import UTC, datetime

from fpdf import FPDF

# A fixed creation date keeps the bytes identical from one run to the next.
_CREATED = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def _latin1(text: str) -> str:
    """Core PDF fonts are Latin-1: fold anything else (Ł, ø...) to its closest letter."""
    return "".join(
        ch
        if ch.encode("latin-1", "ignore")
        else unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        for ch in text
    )


def pdf_base64(title: str, body: str, *, author: str = "Chainge Partners") -> str:
    """A one- or two-page PDF with a bold title and the body's paragraphs."""
    pdf = FPDF()
    pdf.set_creation_date(_CREATED)
    pdf.set_title(_latin1(title))
    pdf.set_author(author)
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=15)
    pdf.multi_cell(0, 8, _latin1(title))
    pdf.ln(3)
    pdf.set_font("Helvetica", size=10)
    for paragraph in body.split("\n\n"):
        pdf.multi_cell(0, 5, _latin1(paragraph))
        pdf.ln(2)
    return base64.b64encode(bytes(pdf.output())).decode("ascii")
