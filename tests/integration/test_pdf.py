"""The job seeker's printable agenda: every point in it, Norwegian and Sámi letters intact, as
many pages as a long answer needs, read back from the PDF itself."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from bot.core.messages import AgendaFile, Reply
from bot.domain.agenda import Item
from bot.domain.people import Locale
from bot.rendering.renderer import Renderer

START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
SAMI = "Čáhppes ŋ đ ž ŧ š á"
LONG = (f"Jeg er redd for å miste støtten fra Nav, æøå ÆØÅ, {SAMI}. " * 120).strip()
ITEMS = (
    Item("purpose", own_words="Vite om jeg kan jobbe mer uten å miste pengene"),
    Item("topic", topic="money", questions=("work_more",), own_words=LONG, raiser="behandler"),
    Item("topic", topic="openness", phrasings=("concentration",), employer_knows="no", health=True),
    Item("topic", topic="other", own_words="Tannlegen på tirsdager", raiser="together"),
    Item("situation", going_well="Lageret to dager i uka", hard="Sover dårlig"),
    Item("not_this_time", own_words="Familien min"),
)


def text_of(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages), len(
        reader.pages
    )


@pytest.mark.parametrize("locale", list(Locale), ids=lambda locale: locale.value)
def test_the_pdf_holds_every_point_and_every_letter(locale: Locale) -> None:
    file = AgendaFile(
        "Ola Hansen", ITEMS, START, START + timedelta(hours=1), "DPS Solvang", "default"
    )
    name, data = Renderer("Europe/Oslo").agenda_file(locale, file)

    text, pages = text_of(data)
    assert name == "agenda-2026-12-10.pdf" and data.startswith(b"%PDF")
    assert pages >= 2  # a long answer takes the pages it needs, nothing is cut
    for words in (
        "Vite om jeg kan jobbe mer uten å miste pengene",
        "Tannlegen på tirsdager",
        "Lageret to dager i uka",
        "Sover dårlig",
        "Familien min",
        "DPS Solvang",
        "æøå ÆØÅ",
        SAMI,
    ):
        assert words in text, words
    assert text.count(SAMI) == LONG.count(SAMI)  # the whole long answer
    essentials = text.index("Vite om jeg kan jobbe mer")
    assert essentials < text.index("Familien min")  # the job seeker's points first


def test_the_pdf_comes_as_a_document_with_the_reply() -> None:
    file = AgendaFile("Ola", ITEMS[:1], None, None, "", "default")
    reply = Reply("share/pdf.html", Locale.NB, {"starts_at": START}, attachment=file)
    envelope = Renderer("Europe/Oslo").compose(reply, START)
    assert envelope.document is not None and envelope.document.filename == "agenda.pdf"
    assert "PDF" in (envelope.caption or "")
