"""What people type, made safe to keep and show: control characters out, blanks recognised,
lengths counted the way Telegram counts them.

Telegram limits texts in UTF-16 code units (an emoji outside the Basic Multilingual Plane counts
two), so every limit and every split uses :func:`utf16_len`, never ``len``.
"""

from __future__ import annotations

import unicodedata

# Invisible characters that change how text around them is shown (bidirectional overrides and
# isolates can make "Per" read as something else) or hide nothing at all (zero-width space,
# word joiner, byte order mark). The zero-width joiner and non-joiner stay: emoji sequences and
# several scripts need them.
_STRIPPED = frozenset(
    "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u206a\u206b\u206c\u206d\u206e\u206f\ufeff\ufff9\ufffa\ufffb"
)
# "Letters" that show as nothing: Hangul fillers, the blank Braille pattern, Mongolian vowel
# separator. str.isalpha() accepts some of them, so a name made of them would pass as letters.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u17b4\u17b5")
_KEPT_CONTROLS = frozenset("\n\t")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of Telegram's limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def clean(text: str) -> str:
    """Text as typed, minus what must never be stored or shown: control characters (except new
    lines and tabs) and invisible formatting characters. Composed (NFC) so that "é" typed two
    ways is one text."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(
        character
        for character in text
        if character not in _STRIPPED
        and (character in _KEPT_CONTROLS or unicodedata.category(character) != "Cc")
    )


def visible(text: str) -> bool:
    """Whether a text shows anything at all: not only spaces, joiners, lone combining marks or
    blank "letters"."""
    return any(_shows(character) for character in text)


def _shows(character: str) -> bool:
    if character.isspace() or character in _BLANK_LETTERS:
        return False
    return unicodedata.category(character) not in {"Cc", "Cf", "Mn", "Me", "Zs", "Co", "Cn"}


def has_letters(text: str) -> bool:
    """Whether a text has a letter one can see (in any script)."""
    return any(c.isalpha() and c not in _BLANK_LETTERS for c in text)


def grapheme_safe(text: str, cut: int) -> int:
    """Move a cut back so it does not fall inside a character sequence that shows as one (a
    letter and its combining accents, an emoji with modifiers or joiners)."""
    while 0 < cut < len(text) and _continues(text[cut - 1], text[cut]):
        cut -= 1
    return cut if cut > 0 else len(text[:1])


def _continues(before: str, after: str) -> bool:
    if before == "\u200d" or after == "\u200d":
        return True
    if 0x1F3FB <= ord(after) <= 0x1F3FF or 0xFE00 <= ord(after) <= 0xFE0F:
        return True  # skin tone modifiers, variation selectors
    if 0xE0020 <= ord(after) <= 0xE007F:
        return True  # tag characters (flags of regions)
    return unicodedata.category(after) in {"Mn", "Me", "Mc"}
