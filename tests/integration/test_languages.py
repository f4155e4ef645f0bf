"""Every word a person reads: complete catalogs in nb, nn and en, and every template renders."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from bot.core.messages import Reply
from bot.domain.people import Locale
from bot.rendering.renderer import Renderer
from tests.template_samples import SAMPLES

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TEMPLATES = ROOT / "templates"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "NP_": (1, 2)}
# Telegram's HTML subset: what templates may use.
ALLOWED_TAGS = {"b", "i", "u", "s", "code", "pre", "a", "blockquote", "tg-spoiler"}


def catalog(locale: Locale) -> Catalog:
    with open(LOCALES / locale.value / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=locale.value)


def extracted_ids() -> set[str]:
    method_map = [("bot/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    found = extract_from_dir(
        str(ROOT), method_map, options, keywords=KEYWORDS, comment_tags=(), strip_comment_tags=True
    )
    ids = set()
    for _filename, _lineno, message, _comments, _context in found:
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_the_template_catalog_is_up_to_date() -> None:
    with open(LOCALES / "messages.pot", "rb") as pot:
        in_pot = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    assert extracted_ids() == in_pot, "run tools/i18n and translate what it adds"


@pytest.mark.parametrize("locale", list(Locale), ids=lambda locale: locale.value)
def test_every_message_is_translated_and_none_is_fuzzy(locale: Locale) -> None:
    translated = catalog(locale)
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in translated if m.id}
    missing = sorted(extracted_ids() - ids.keys())
    assert missing == [], f"{locale.value}: missing {missing}"
    empty = [
        key
        for key, m in ids.items()
        if not (all(m.string) if isinstance(m.string, tuple | list) else m.string)
    ]
    fuzzy = [key for key, m in ids.items() if m.fuzzy]
    assert empty == [] and fuzzy == [], f"{locale.value}: empty {empty}, fuzzy {fuzzy}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in translated.check()]
    assert problems == [], f"{locale.value}: placeholders differ: {problems}"


def test_we_write_nav_not_NAV() -> None:
    texts = [p.read_text("utf-8") for p in (*LOCALES.rglob("*.po"), *TEMPLATES.rglob("*.html"))]
    assert not any(re.search(r"\bNAV\b", text) for text in texts)


def test_norwegian_catalogs_differ_from_english() -> None:
    # A catalog that just copies the English would pass "complete" and still be wrong.
    for locale in (Locale.NB, Locale.NN):
        same = [m.id for m in catalog(locale) if m.id and m.string == m.id and len(str(m.id)) > 20]
        assert same == [], f"{locale.value} still has English: {same}"


def all_templates() -> list[str]:
    return sorted(
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if not p.name.startswith("_")  # partials are rendered through the templates using them
    )


def test_every_template_has_samples() -> None:
    assert sorted(SAMPLES) == all_templates()


@pytest.mark.parametrize("locale", list(Locale), ids=lambda locale: locale.value)
@pytest.mark.parametrize("template", all_templates())
def test_every_template_renders_in_every_language(template: str, locale: Locale) -> None:
    renderer = Renderer("Europe/Oslo")
    for context in SAMPLES[template]:
        text = renderer.render(Reply(template, locale, context)).html
        assert text.strip(), template
        assert "\n\n\n" not in text
        tags = {t.lower() for t in re.findall(r"</?([a-zA-Z-]+)", text)}
        assert tags <= ALLOWED_TAGS, f"{template}: {tags - ALLOWED_TAGS}"
        unescaped = re.sub(r"</?(b|i|u|s|code|pre|a|blockquote|tg-spoiler)( [^>]*)?>", "", text)
        assert "<" not in unescaped and ">" not in unescaped, f"{template} leaks markup"
        shows_name = template not in {
            "help.html",
            "not_understood.html",
            "not_for_you.html",
            "state_gone.html",
            "something_wrong.html",
            "circle/overview.html",
        }
        if "name" in context and shows_name:
            assert html.escape(str(context["name"]), quote=False) in text, template
