"""The buttons under the agenda (``/agenda``): change it, or go on where one stopped. They work
at any time (prefix ``pa``), checked on arrival: only the job seeker's own preparation."""

from __future__ import annotations

from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.flows.preparation.flow import PreparationFlow
from bot.core.flows.preparation.state import AGENDA
from bot.core.messages import Reply


class AgendaActions:
    prefix = AGENDA

    def __init__(self, flow: PreparationFlow) -> None:
        self._flow = flow

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        preparation = await turn.gate.own_preparation(turn.me, button_id(value))
        if preparation is None or verb not in {"edit", "go"}:
            raise StaleButton(verb)
        return await self._flow.resume(turn, preparation, review=verb == "edit")
