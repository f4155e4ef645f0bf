"""Replies → message text (Telegram's HTML subset) and plain-text button labels.

One Jinja2 environment per language, autoescaped: whatever a person typed is shown exactly as
typed and can never become markup. Button labels are plain text and are not escaped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bot.core.messages import AgendaFile, CalendarFile, DataFile, Document, Envelope, Menu, Reply
from bot.core.text import N_, BankText, Boxed, Checked, DayLabel, Label, Plain, Text
from bot.domain.people import Locale
from bot.domain.typed import grapheme_safe, utf16_len
from bot.rendering.content import bank_words
from bot.rendering.dates import DateFormatter
from bot.rendering.i18n import translate, translations
from bot.rendering.ics import CalendarEvent, event_ics
from bot.rendering.pdf import agenda_pdf
from bot.rendering.resources import templates_dir

# Telegram refuses longer messages; a longer text is split, never cut.
MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024  # Telegram's limit for a document's caption
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    """A message ready for a transport: HTML text and rows of (label, data) buttons."""

    html: str
    buttons: tuple[tuple[tuple[str, str], ...], ...] = ()


class Renderer:
    def __init__(self, timezone: str) -> None:
        self.dates = DateFormatter(timezone)
        self._timezone = timezone
        self._environments = {locale: self._environment(locale) for locale in Locale}

    def render(self, reply: Reply) -> Rendered:
        template = self._environments[reply.locale].get_template(reply.template)
        html = _tidy(template.render(**reply.context))
        buttons = tuple(
            tuple((self.label(reply.locale, b.label), b.data) for b in row) for row in reply.buttons
        )
        return Rendered(html, buttons)

    def compose(self, reply: Reply, now: datetime) -> Envelope:
        """The message as it will be sent: split when long, a calendar file made now."""
        rendered = self.render(reply)
        if reply.attachment is None:
            parts = tuple(split_message(rendered.html))
            return Envelope(parts, rendered.buttons, protect=reply.protect, silent=reply.silent)
        if isinstance(reply.attachment, AgendaFile):
            name, data = self.agenda_file(reply.locale, reply.attachment)
        elif isinstance(reply.attachment, DataFile):
            name, data = self.data_file(reply.attachment)
        else:
            name, data = self.calendar_file(reply.locale, reply.attachment, now)
        if utf16_len(rendered.html) <= CAPTION_LIMIT:
            return Envelope((), rendered.buttons, Document(name, data), caption=rendered.html)
        return Envelope(tuple(split_message(rendered.html)), rendered.buttons, Document(name, data))

    def menu(self, menu: Menu) -> Envelope:
        """A person's command menu in their language."""
        return Envelope(
            commands=tuple((c.name, self.text(menu.locale, c.description)) for c in menu.commands)
        )

    def agenda_file(self, locale: Locale, file: AgendaFile) -> tuple[str, bytes]:
        """The job seeker's agenda as a PDF: a file name and its bytes, in their language."""
        context = {
            "items": file.items,
            "team": file.team,
            "name": file.name,
            "starts_at": file.starts_at,
            "ends_at": file.ends_at,
            "place": file.place,
            "kind": file.kind,
        }
        markup = self.render(Reply("pdf/agenda.html", locale, context)).html
        title = translate(locale, N_("Agenda for the samarbeidsmøte"))
        if file.starts_at is None:
            return "agenda.pdf", agenda_pdf(markup, title)
        day = self.dates.local(file.starts_at).date().isoformat()
        return f"agenda-{day}.pdf", agenda_pdf(markup, title)

    def data_file(self, file: DataFile) -> tuple[str, bytes]:
        """Everything stored about a person as JSON (UTF-8, readable with any text editor)."""
        day = self.dates.local(file.exported_at).date().isoformat()
        data = json.dumps(file.data, ensure_ascii=False, indent=2, sort_keys=False)
        return f"moteklar-mine-data-{day}.json", data.encode("utf-8")

    def calendar_file(self, locale: Locale, file: CalendarFile, now: datetime) -> tuple[str, bytes]:
        """The .ics for a meeting: a file name and its bytes, in the recipient's language."""
        event = CalendarEvent(
            uid=f"meeting-{file.meeting_id}@moteklar",
            sequence=file.sequence,
            start=file.starts_at,
            end=file.ends_at,
            summary=translate(locale, N_("Collaboration meeting (samarbeidsmøte)")),
            location=file.place,
            cancelled=file.cancelled,
        )
        day = self.dates.local(file.starts_at).date().isoformat()
        return f"samarbeidsmote-{day}.ics", event_ics(event, self._timezone, now)

    def text(self, locale: Locale, text: Text) -> str:
        """A translated text, plain (for notices and menus)."""
        return translate(locale, text)

    def label(self, locale: Locale, label: Label) -> str:
        """A button label: plain text, never markup."""
        if isinstance(label, Text):
            return translate(locale, label)
        if isinstance(label, Plain):
            return label.text
        if isinstance(label, DayLabel):
            return self.dates.short_day(label.day, locale)
        if isinstance(label, BankText):
            return bank_words(locale)[label.key]
        if isinstance(label, Checked):
            return "✓ " + self.label(locale, label.inner)
        if isinstance(label, Boxed):
            return ("☑ " if label.ticked else "☐ ") + self.label(locale, label.inner)
        return self.dates.clock_of(label.hour, label.minute, locale)

    def _environment(self, locale: Locale) -> Environment:
        environment = Environment(
            loader=FileSystemLoader(templates_dir()),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            extensions=["jinja2.ext.i18n"],
        )
        environment.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
        dates = self.dates
        environment.filters.update(
            t=partial(translate, locale),
            date=lambda moment: dates.day(moment, locale),
            datetime=lambda moment: dates.when(moment, locale),
            span=lambda start, end: dates.span(start, end, locale),
            longday=lambda day: dates.long_day(day, locale),
            bank=lambda key: bank_words(locale)[key],
        )
        environment.globals["locale"] = locale.value
        return environment


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines))


_TAG_TOKEN = re.compile(r"<(/?)([a-z-]+)[^>]*>")
# Room kept in each part for closing and reopening tags that span a cut.
_TAG_ROOM = 64


def split_message(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split a long message at paragraph, then line, then word boundaries, never mid-tag,
    mid-entity or inside a letter with its accents or an emoji sequence; a tag open at a cut (a
    long quoted answer in <i>) is closed and reopened.

    Lengths are counted as Telegram counts them, in UTF-16 code units (2,048 emoji are 4,096),
    and over the markup itself, which is never shorter than the text Telegram makes of it.
    """
    parts: list[str] = []
    rest = html
    while utf16_len(rest) > limit:
        window = rest[: _within(rest, limit - _TAG_ROOM)]
        cut = max(window.rfind("\n\n"), 0) or max(window.rfind("\n"), 0) or window.rfind(" ")
        if cut <= 0:
            cut = grapheme_safe(rest, len(window))
        cut = _outside_markup(rest, cut)
        head, tail = rest[:cut].rstrip(), rest[cut:].lstrip("\n ")
        opened = _open_tags(head)
        parts.append(head + "".join(f"</{name}>" for name, _ in reversed(opened)))
        rest = "".join(tag for _, tag in opened) + tail
    if rest:
        parts.append(rest)
    return parts


def _within(text: str, units: int) -> int:
    """The longest prefix of ``text`` (in characters) that is at most ``units`` UTF-16 units."""
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > units:
            return index
    return len(text)


def _open_tags(html: str) -> list[tuple[str, str]]:
    """The tags still open at the end of ``html``, outermost first: (name, opening tag)."""
    stack: list[tuple[str, str]] = []
    for match in _TAG_TOKEN.finditer(html):
        closing, name = match.group(1), match.group(2)
        if not closing:
            stack.append((name, match.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack


def _outside_markup(text: str, cut: int) -> int:
    """Move ``cut`` back so it does not fall inside a tag or an entity."""
    opening = max(text.rfind("<", 0, cut), text.rfind("&", 0, cut))
    closing = max(text.rfind(">", 0, cut), text.rfind(";", 0, cut))
    return opening if opening > closing and opening > 0 else cut
