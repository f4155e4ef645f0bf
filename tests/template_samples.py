"""Sample values for every template, so each can be rendered in every language by the tests.

A template without samples here fails the test: add them when you add a template.
"""

from __future__ import annotations

from bot.core.commands import commands_for
from bot.core.text import N_
from bot.domain.people import Role

COMMANDS = commands_for(Role.JOBBSPESIALIST)
NAME = "Kari <Nordmann> & co"  # markup characters must come out escaped

SAMPLES: dict[str, list[dict[str, object]]] = {
    "notice.html": [{"message": N_("Please choose one of the buttons.")}],
    "only_text.html": [{}],
    "too_long.html": [{"limit": 4000, "length": 4321}],
    "by_invitation.html": [{}],
    "invitation_problem.html": [
        {"problem": p} for p in ("unknown", "expired", "used", "taken", "revoked")
    ],
    "home.html": [{"name": NAME, "role": r.value, "commands": commands_for(r)} for r in Role],
    "help.html": [
        {"name": None, "role": None, "commands": commands_for(None)},
        {"name": NAME, "role": "jobbspesialist", "commands": COMMANDS},
    ],
    "not_understood.html": [{"name": NAME, "role": "jobbspesialist", "commands": COMMANDS}],
    "unknown_command.html": [{"command": "nytt_moete"}],
    "nothing_to_cancel.html": [{}],
    "choose_language.html": [{}],
    "language_changed.html": [{}],
    "join/choose_language.html": [{}],
    "join/confirm_name.html": [{"name": NAME}],
    "join/ask_name.html": [{}],
    "join/name_invalid.html": [{}],
    "join/ask_employer.html": [{"suggested": s} for s in (None, "nav", "helse", "kommune")],
    "join/cancelled.html": [{}],
    "join/welcome.html": [
        {"name": NAME, "role": r.value, "commands": commands_for(r)} for r in Role
    ],
    "demo/intro.html": [{"name": NAME}],
    "demo/bye.html": [{}],
    "demo/no_such_button.html": [{"count": n} for n in (0, 1, 3)],
}
