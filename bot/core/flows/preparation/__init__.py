"""The job seeker's preparation (``/forbered``, ``/agenda``): see ``flow`` for the steps.

``flow`` dispatches, ``views`` shows each step, ``choices`` applies the answer buttons, and
``state`` is the flow's typed data; the order of the steps is ``bot.domain.prep_steps``.
"""

from bot.core.flows.preparation.actions import AgendaActions
from bot.core.flows.preparation.flow import PreparationFlow, current_preparation
from bot.core.flows.preparation.state import NAME
from bot.core.flows.preparation.views import agenda_replies, resume_question

__all__ = [
    "NAME",
    "AgendaActions",
    "PreparationFlow",
    "agenda_replies",
    "current_preparation",
    "resume_question",
]
