"""A few everyday words outside any conversation: a greeting gets a greeting, thanks a kind
word, rather than "I am not sure what you mean". Words people type, in all three languages
(people mix them); what the bot answers is in templates/."""

from __future__ import annotations

import re
from enum import Enum


class SmallTalk(Enum):
    GREETING = "greeting"
    THANKS = "thanks"


_GREETINGS = frozenset(
    {
        "hei",
        "heisann",
        "hallo",
        "halla",
        "hallais",
        "heia",
        "hoi",
        "morn",
        "mornings",
        "hi",
        "hello",
        "hey",
        "hiya",
        "yo",
    }
)
_GREETING_PAIRS = frozenset(
    {
        ("god", "morgen"),
        ("god", "dag"),
        ("god", "kveld"),
        ("god", "ettermiddag"),
        ("good", "morning"),
        ("good", "afternoon"),
        ("good", "evening"),
    }
)
_THANKS = frozenset({"takk", "takker", "thanks", "thank", "thx", "ty", "tack"})
_WORD = re.compile(r"[^\W\d_]+")


def small_talk(text: str) -> SmallTalk | None:
    """What a short everyday message is, if it is one: judged by its first words."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > 8:
        return None
    if words[0] in _GREETINGS or tuple(words[:2]) in _GREETING_PAIRS:
        return SmallTalk.GREETING
    if words[0] in _THANKS or (words[0] in {"mange", "tusen"} and "takk" in words[:2]):
        return SmallTalk.THANKS
    return None


_YES = frozenset({"ja", "jo", "jepp", "yes", "yep", "yeah"})
_NO = frozenset({"nei", "nope", "no", "nah"})


def yes_or_no(text: str) -> bool | None:
    """A typed "ja" or "nei" (in a few everyday forms) to a yes-or-no question; None if neither."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > 3:
        return None
    if words[0] in _YES:
        return True
    if words[0] in _NO:
        return False
    return None
