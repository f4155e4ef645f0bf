"""The preparation's buttons that several steps share: the way on and back, tick boxes, and
the labels of the answer buttons.

Buttons are ``v1:prep:<step>:<value>``; a per-topic step's buttons end in ``@<topic position>``,
so a press on an earlier topic's message is recognised as stale.
"""

from __future__ import annotations

from bot.core.buttons import button
from bot.core.flows.base import grid
from bot.core.flows.preparation.state import NAME
from bot.core.messages import Button
from bot.core.text import N_, BankText, Checked, Label, Plain, Text
from bot.domain.prep_steps import EDIT_TARGETS, FIRST
from bot.domain.preparation import EmployerKnows, Raiser

RAISER_LABELS = {
    Raiser.ME: N_("I will"),
    Raiser.JOBBSPESIALIST: N_("My jobbspesialist"),
    Raiser.BEHANDLER: N_("My behandler explains it for me"),
    Raiser.TOGETHER: N_("We do it together"),
}
KNOWS_LABELS = {
    EmployerKnows.YES: N_("Yes, they know something"),
    EmployerKnows.NO: N_("No"),
    EmployerKnows.UNDECIDED: N_("I have not decided"),
}
EDIT_LABELS = {
    "good": N_("Change: how things are going"),
    "topics": N_("Change: topics"),
    "questions": N_("Change: questions"),
    "who": N_("Change: who raises what"),
    "order": N_("Change: what matters most"),
    "not_now": N_("Change: not this time"),
}
assert tuple(EDIT_LABELS) == EDIT_TARGETS


def nav_row(
    step: str, *, done: bool = False, keep: bool = False, at: str = ""
) -> tuple[Button, ...]:
    """‹ Back (not on the first question) and the way on: Done, Keep and go on, or Skip."""
    forward = N_("Done →") if done else (N_("Keep and go on →") if keep else N_("Skip →"))
    value = "done" if done else ("keep" if keep else "skip")
    row = [button(forward, NAME, step, value + at)]
    if step != FIRST.step:
        row.insert(0, button(N_("‹ Back"), NAME, step, "back" + at))
    return tuple(row)


def checklist(
    step: str, offered: tuple[str, ...], ticked: list[str], at: str
) -> list[tuple[Button, ...]]:
    """Numbered tick boxes for a list shown in the message ("☑ 1", "☐ 2" …)."""
    boxes = [
        button(Plain(("☑ " if item in ticked else "☐ ") + str(n)), NAME, step, item + at)
        for n, item in enumerate(offered, 1)
    ]
    return grid(boxes, 3)


def marked(label: Text | BankText, chosen: bool) -> Label:
    """A label, with a tick when it is chosen."""
    return Checked(label) if chosen else label


def topic_label(topic_id: str) -> BankText:
    """A topic's name, from the question bank."""
    return BankText(f"topics.{topic_id}.label")
