"""Who is who: roles, employers, languages and the person record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from bot.domain.typed import clean, has_letters


class Role(Enum):
    JOBBSOKER = "jobbsoker"
    JOBBSPESIALIST = "jobbspesialist"
    BEHANDLER = "behandler"
    NAVVEILEDER = "navveileder"


class Employer(Enum):
    """Where a professional is employed; decides what is proposed to them when sharing."""

    NAV = "nav"
    HELSE = "helse"
    KOMMUNE = "kommune"


class Locale(Enum):
    NB = "nb"
    NN = "nn"
    EN = "en"


DEFAULT_LOCALE = Locale.NB
NAME_MAX_LENGTH = 100


@dataclass(frozen=True)
class Person:
    """Someone registered in Møteklar. ``address`` is how a transport reaches them."""

    id: int
    role: Role
    name: str
    locale: Locale
    address: str
    created_at: datetime
    employer: Employer | None = None
    team: str | None = None
    workplace: str | None = None  # "DPS Solvang", shown to the job seeker who approves
    # A job seeker may hide from their jobbspesialist how far the preparation has come.
    shows_prep_status: bool = True


def clean_name(text: str) -> str | None:
    """A name as typed, with whitespace tidied; None when it cannot be a name.

    A name has letters (in any script): "🙂" or "123" would be read back to others as if it
    were someone's name ("🙂 har sagt ja"). Control and invisible formatting characters are
    taken out first: a name of zero-width spaces is no name, and one with a right-to-left
    override would read as someone else's.
    """
    name = " ".join(clean(text).split())
    if not name or len(name) > NAME_MAX_LENGTH or name.startswith("/"):
        return None
    if not has_letters(name):
        return None
    return name
