"""The job seeker's printable agenda: the same agenda as in chat, as a PDF of as many pages as
it needs, the job seeker's own points first.

fpdf2 lays it out; the DejaVu fonts shipped in ``templates/fonts`` carry Norwegian and Sámi
letters (æ ø å, č š ŋ đ ž ŧ á), which PDF's built-in fonts do not.
"""

from __future__ import annotations

import html
import re

from bot.rendering.resources import templates_dir

_BOLD_LINE = re.compile(r"^<b>(.*)</b>$")
_TAG = re.compile(r"<[^>]+>")
# Pictographs (🗓, 🎯) have no glyph in a text font: left out of the PDF.
_PICTOGRAPHS = re.compile(r"[\U00010000-\U0010FFFF\u2600-\u27BF\uFE0F]\s?")
_FONT = "DejaVu"


def agenda_pdf(markup: str, title: str) -> bytes:
    """A PDF of a message written in Telegram's HTML: a line in <b> is a heading, the rest text."""
    # Imported when a PDF is made, not at start: fpdf2 brings Pillow, ~0.4 s of every start-up.
    from fpdf import FPDF

    fonts = templates_dir() / "fonts"
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_font(_FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(_FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font(_FONT, "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.add_page()
    for line in markup.splitlines():
        heading = _BOLD_LINE.match(line.strip())
        text = _PICTOGRAPHS.sub("", html.unescape(_TAG.sub("", line))).strip()
        if not text:
            pdf.ln(3)
            continue
        italic = line.strip().startswith("<i>") and line.strip().endswith("</i>")
        pdf.set_font(_FONT, "B" if heading else ("I" if italic else ""), 13 if heading else 11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
