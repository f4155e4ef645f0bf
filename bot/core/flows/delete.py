"""``/slett`` (GDPR art. 17): delete everything about oneself, after one clear question.

```mermaid
flowchart LR
    slett["/slett"] --> ask[what goes, what cannot be undone]
    ask -- "Ja, slett alt" --> gone[deleted; the circle told]
    ask -- "Nei, behold det" --> kept[nothing changes]
```
A person may reach this in a bad moment: the question says what cannot be undone, that nothing
changes in their IPS follow-up or treatment, what else they can do (a break from reminders,
taking back what they shared), that nothing needs deciding today, and where to get help now.
Someone not registered has only what their address left behind: it is forgotten at once.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn
from bot.core.messages import Reply
from bot.core.services import privacy
from bot.core.text import N_
from bot.domain.delivery import FORGET


class DeleteFlow:
    name = "del"

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        if turn.person is None:
            await turn.visitor.forget()
            turn.state.forget = True
            return [replace(turn.reply("privacy/visitor_forgotten.html"), ref=FORGET)]
        turn.state.go(self.name, "confirm")
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        me = turn.me
        rows = (
            (button(N_("Yes, delete everything"), self.name, "confirm", "yes"),),
            (button(N_("No, keep it"), self.name, "confirm", "no"),),
        )
        alone = [p.name for p in await turn.gate.sole_specialist_for(me)]
        return [turn.reply("privacy/confirm_delete.html", rows, role=me.role.value, alone=alone)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        return [
            turn.say(N_("Here you answer by tapping one of the buttons.")),
            *await self.prompt(turn),
        ]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        if step == "confirm" and value == "no":
            turn.state.clear()
            return [turn.reply("privacy/kept.html")]
        if step != "confirm" or value != "yes":
            raise StaleButton(step)
        role = turn.me.role.value
        notices = await privacy.erase(turn.change)
        # Nothing about the person is kept: not where they were, not who they were.
        turn.person = None
        turn.state.clear()
        turn.state.forget = True
        withdrawn = any(n.withdraws is not None for n in notices)
        goodbye = turn.reply("privacy/deleted.html", role=role, withdrawn=withdrawn)
        return [replace(goodbye, ref=FORGET), *notices]

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("privacy/kept.html")]
