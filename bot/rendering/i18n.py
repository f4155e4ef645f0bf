"""Babel catalogs, compiled in memory from ``locales/<lang>/LC_MESSAGES/messages.po``.

Compiling at start-up (a few milliseconds) means no build step and no stale ``.mo`` files:
the ``.po`` files in the repository are exactly what runs. Fuzzy entries are never used.
"""

from __future__ import annotations

import io
from functools import cache

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from bot.core.text import Text
from bot.domain.people import Locale
from bot.rendering.resources import locales_dir

DOMAIN = "messages"


def po_path(locale: Locale) -> str:
    return str(locales_dir() / locale.value / "LC_MESSAGES" / f"{DOMAIN}.po")


@cache
def translations(locale: Locale) -> Translations:
    with open(po_path(locale), "rb") as po:
        catalog = read_po(po, locale=locale.value)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(fp=compiled, domain=DOMAIN)


def translate(locale: Locale, text: Text) -> str:
    """The text in ``locale`` with its placeholders filled in."""
    catalog = translations(locale)
    if text.plural is not None and text.count is not None:
        pattern = catalog.ngettext(text.msgid, text.plural, text.count)
    else:
        pattern = catalog.gettext(text.msgid)
    return pattern % text.mapping if text.params else pattern
