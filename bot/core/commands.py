"""The commands that exist, for whom: the single source for help texts and command menus."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.text import N_, Text
from bot.domain.people import Role


@dataclass(frozen=True)
class Command:
    name: str  # Telegram allows a-z, 0-9 and _: æ→ae, ø→oe, å→aa
    description: Text
    roles: frozenset[Role] | None = None  # None: everyone, registered or not


_JOBSEEKER = frozenset({Role.JOBBSOKER})
_SPECIALIST = frozenset({Role.JOBBSPESIALIST})
_EVERY_ROLE = frozenset(Role)
_HELPERS = frozenset({Role.BEHANDLER, Role.NAVVEILEDER})

COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Start, or show what you can do here")),
    Command("forbered", N_("Prepare for your meeting"), _JOBSEEKER),
    Command("agenda", N_("See and change your agenda"), _JOBSEEKER),
    Command("deling", N_("Share your agenda, or take it back"), _JOBSEEKER),
    Command("avtalt", N_("What was agreed, and your tasks"), _JOBSEEKER),
    Command("snakke", N_("Something has happened: ask your jobbspesialist for a talk"), _JOBSEEKER),
    Command("moeter", N_("Your meetings"), _EVERY_ROLE),
    Command("nytt_moete", N_("Schedule a meeting"), _SPECIALIST),
    Command("ny_jobbsoeker", N_("Invite a job seeker"), _SPECIALIST),
    Command("avtalt", N_("Write down what was agreed at a meeting"), _SPECIALIST),
    Command("inviter", N_("Your circle: invite, approve or remove people"), _JOBSEEKER),
    Command("inviter", N_("A job seeker's circle: invite or hand over"), _SPECIALIST),
    Command("avtalt", N_("What was agreed, and your tasks"), _HELPERS),
    Command("varsler", N_("Reminders: turn them on or off"), _EVERY_ROLE),
    Command("hjelp", N_("Help, and where to get support right now")),
    Command("spraak", N_("Choose language")),
    Command("avbryt", N_("Stop what we are doing now")),
    Command("mine_data", N_("See everything Møteklar stores about you")),
    Command("slett", N_("Delete everything Møteklar stores about you")),
)


def commands_for(role: Role | None) -> tuple[Command, ...]:
    """The commands a person with ``role`` (None: not registered) can use, in menu order."""
    return tuple(c for c in COMMANDS if c.roles is None or (role is not None and role in c.roles))


def is_known(name: str) -> bool:
    return any(c.name == name for c in COMMANDS)


def allowed(name: str, role: Role | None) -> bool:
    return any(c.name == name for c in commands_for(role))
