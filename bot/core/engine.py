"""The conversation engine: one Inbound in, one Outcome out, one unit of work per Inbound.

State lives in the database, so the engine itself holds nothing between turns but a lock per
person: one person's updates are handled strictly in order, different people's side by side.
Everything a turn changes, the messages it causes (the outbox) and the mark that its update was
handled (the inbox) are committed together: nothing is sent that was not committed, and a
redelivered update is recognised by its id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import replace

from bot.core.access import Gate, NotAllowed
from bot.core.buttons import ButtonData, button
from bot.core.commands import allowed, commands_for, is_known
from bot.core.delivery import enqueue
from bot.core.flows.agreed import (
    AgreedActions,
    AgreedFlow,
    AgreedReadActions,
    AvtaltCommand,
)
from bot.core.flows.base import Actions, Flow, Installation, Pausing, StaleButton, Starter, Turn
from bot.core.flows.circle import CircleFlow, NewJobseekerFlow
from bot.core.flows.circle_actions import CircleActions
from bot.core.flows.delete import DeleteFlow
from bot.core.flows.followup import FollowupActions, FollowupFlow
from bot.core.flows.join import LANGUAGE_LABELS, JoinFlow
from bot.core.flows.meetings import MeetingActions, MeetingsList
from bot.core.flows.my_data import MyData
from bot.core.flows.preparation import AgendaActions, PreparationFlow
from bot.core.flows.record import RecordFlow
from bot.core.flows.reminders import ReminderActions, ReminderSettings
from bot.core.flows.schedule import ScheduleFlow
from bot.core.flows.sharing import SharingFlow
from bot.core.flows.sharing_actions import ReadActions, WithdrawActions
from bot.core.flows.talk import TalkFlow
from bot.core.messages import TEXT_LIMIT, Inbound, Kind, Menu, Outcome, Reply
from bot.core.ports import Clock, Composer, UnitOfWorkFactory
from bot.core.smalltalk import SmallTalk, small_talk
from bot.core.state import LET_GO
from bot.core.text import N_
from bot.domain.delivery import FORGET
from bot.domain.people import DEFAULT_LOCALE, Locale, Person, Role
from bot.domain.typed import clean, utf16_len, visible

logger = logging.getLogger(__name__)

# Buttons of this pseudo-flow work at any time, whatever flow the person is in.
LANGUAGE = "lang"
# The engine's marks in a person's conversation state (see ConversationState.marks).
PRESSED = "pressed"
EDITED = "edited"


class Engine:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        installation: Installation,
        composer: Composer,
    ) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._installation = installation
        self._composer = composer
        self._join = JoinFlow()
        new_jobseeker, circle, schedule = NewJobseekerFlow(), CircleFlow(), ScheduleFlow()
        preparation, sharing, delete = PreparationFlow(), SharingFlow(), DeleteFlow()
        after = (FollowupFlow(), RecordFlow(), AgreedFlow(), TalkFlow())
        self._flows: dict[str, Flow] = {
            f.name: f
            for f in (
                self._join,
                new_jobseeker,
                circle,
                schedule,
                preparation,
                sharing,
                delete,
                *after,
            )
        }
        self._starters: dict[str, Starter] = {
            "ny_jobbsoeker": new_jobseeker,
            "inviter": circle,
            "nytt_moete": schedule,
            "moeter": MeetingsList(),
            "forbered": preparation,
            "agenda": preparation,
            "deling": sharing,
            "varsler": ReminderSettings(),
            "slett": delete,
            "avtalt": AvtaltCommand(),
            "snakke": TalkFlow(),
        }
        self._actions: dict[str, Actions] = {
            a.prefix: a
            for a in (
                CircleActions(),
                MeetingActions(),
                AgendaActions(preparation),
                ReadActions(),
                WithdrawActions(),
                ReminderSettings(),
                ReminderActions(),
                FollowupActions(),
                AgreedActions(),
                AgreedReadActions(),
            )
        }
        self._my_data = MyData()
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    async def handle(self, inbound: Inbound) -> Outcome:
        async with self._person_lock(inbound.address), self._uow_factory() as uow:
            now = self._clock.now()
            if inbound.update_id is not None and not await uow.inbox.claim(inbound.update_id, now):
                logger.info("ignored a redelivered update (%s)", inbound.update_id)
                return Outcome(accepted=False, redelivered=True)
            if inbound.kind is Kind.BLOCKED:
                await uow.outbox.mark_unreachable(inbound.address, now)
            else:
                await uow.outbox.reachable(inbound.address)  # they wrote: they can be reached
            if inbound.kind in {Kind.TEXT, Kind.COMMAND, Kind.START}:
                # Control and invisible formatting characters are never stored or shown.
                inbound = replace(inbound, text=clean(inbound.text))
            state = await uow.conversations.get(inbound.address)
            if state.active and state.flow not in self._flows:
                # A flow that no longer exists (after an upgrade): start over rather than crash.
                logger.warning("conversation state named an unknown flow; cleared")
                state.clear()
            person = await Gate(uow).person_at(inbound.address)
            locale = person.locale if person else (state.locale or _locale_of(inbound.language))
            turn = Turn(uow, inbound.address, person, state, now, locale, self._installation)
            outcome = await self._dispatch(turn, inbound)
            if outcome.accepted and inbound.kind is Kind.BUTTON and inbound.message_id:
                state.marks[PRESSED] = inbound.message_id  # a second tap on it is a double tap
            menu = _menu_change(person, turn)
            queued = await enqueue(
                uow,
                self._composer,
                now,
                outcome.replies,
                actor=inbound.address,
                pressed=inbound.message_id,
                menus=(menu,) if menu else (),
            )
            await self._keep(turn)
            await uow.commit()
            return replace(
                outcome,
                menus=(menu,) if menu else (),
                addresses=queued.addresses,
                edited=queued.edited,
                ends_choice=not turn.keeps_buttons,
            )

    async def recover(self, address: str, update_id: int | None) -> Outcome:
        """After an unexpected failure in handling an update: a kind word and a fresh start.

        The failed turn was rolled back; its state may be what failed, so it is cleared, and the
        update is settled as failed so it is never retried in a loop.
        """
        async with self._person_lock(address), self._uow_factory() as uow:
            now = self._clock.now()
            if update_id is not None and not await uow.inbox.claim(update_id, now, "failed"):
                return Outcome(accepted=False, redelivered=True)  # it was handled after all
            state = await uow.conversations.get(address)
            state.clear()
            person = await Gate(uow).person_at(address)
            locale = person.locale if person else (state.locale or DEFAULT_LOCALE)
            turn = Turn(uow, address, person, state, now, locale, self._installation)
            replies = [self._home(turn, "something_wrong.html")]
            queued = await enqueue(uow, self._composer, now, replies, actor=address)
            await self._keep(turn)
            await uow.commit()
            return Outcome(
                tuple(replies),
                accepted=False,
                notice=N_("Sorry, something went wrong."),
                locale=locale,
                addresses=queued.addresses,
            )

    async def _keep(self, turn: Turn) -> None:
        """Store where the person is, or nothing at all about someone not registered."""
        state = turn.state
        state.marks.pop(LET_GO, None)  # said (or not needed) on the first turn after it
        if state.forget or (turn.person is None and not state.active):
            await turn.uow.conversations.forget(turn.address)
        else:
            state.flush()
            await turn.uow.conversations.save(turn.address, state, turn.now)

    async def _dispatch(self, turn: Turn, inbound: Inbound) -> Outcome:
        if inbound.kind is Kind.TEXT and self._installation.crisis.suggest_crisis(inbound.text):
            return Outcome(tuple(await self._crisis(turn, inbound.text)), locale=turn.locale)
        return await self._route(turn, inbound)

    async def _crisis(self, turn: Turn, text: str) -> list[Reply]:
        """Words that suggest a crisis: the help note at once, and then no machine going on.

        The words are never used as an answer. Nothing follows the note, except where a flow
        pauses to ask one quiet question (the preparation: keep these words, only for me, or
        not); the flow then holds them until the person chooses.
        """
        paused: list[Reply] = []
        flow = self._flows.get(turn.state.flow) if turn.state.active else None
        if isinstance(flow, Pausing):
            paused = await self._guarded(turn, flow.on_crisis(turn, text))
        held = bool(paused) and turn.state.active
        return [turn.reply("safety_note.html", held=held), *paused]

    async def _route(self, turn: Turn, inbound: Inbound) -> Outcome:
        if inbound.kind is Kind.BUTTON:
            return await self._on_button(turn, inbound)
        if inbound.kind is Kind.GROUP:
            return self._group(turn, inbound)
        if inbound.kind in {Kind.BLOCKED, Kind.UNBLOCKED}:
            return Outcome(locale=turn.locale)  # nothing to say: reachable or not, noted
        if inbound.kind is Kind.EDITED:
            return self._edited(turn, inbound)
        replies: list[Reply]
        if inbound.kind is Kind.START:
            replies = await self._on_start(turn, inbound.text.strip())
        elif inbound.kind is Kind.COMMAND:
            replies = await self._on_command(turn, inbound.command, inbound.text)
        elif inbound.kind is Kind.UNSUPPORTED:
            replies = [turn.reply("only_text.html"), *await self._reprompt(turn)]
        elif utf16_len(inbound.text) > TEXT_LIMIT:
            replies = [
                turn.reply("too_long.html", limit=TEXT_LIMIT, length=utf16_len(inbound.text)),
                *await self._reprompt(turn),
            ]
        elif not visible(inbound.text):
            # Only spaces, zero-width or blank characters: never an (empty) answer.
            replies = [turn.reply("blank.html"), *await self._reprompt(turn)]
        elif turn.state.active:
            replies = await self._guarded(turn, self._flow(turn).on_text(turn, inbound.text))
        else:
            replies = [await self._not_understood(turn, inbound.text)]
        return Outcome(tuple(replies), locale=turn.locale)

    async def _on_start(self, turn: Turn, payload: str) -> list[Reply]:
        if payload:
            return await self._guarded(turn, self._join.begin(turn, payload))
        if turn.person is not None:
            return [self._home(turn, "home.html")]
        if turn.state.active:
            return await self._reprompt(turn)
        return [turn.reply("by_invitation.html")]

    async def _on_command(self, turn: Turn, command: str, args: str) -> list[Reply]:
        if command == "hjelp":
            return [self._home(turn, "help.html"), *await self._reprompt(turn)]
        if command == "mine_data":
            # Looking at one's data interrupts nothing: the question one was at comes again.
            shown = await self._guarded(turn, self._my_data.begin(turn, command, args))
            return [*shown, *await self._reprompt(turn)]
        if command == "spraak":
            rows = tuple(
                (button(label, LANGUAGE, "set", locale.value),)
                for locale, label in LANGUAGE_LABELS.items()
            )
            return [turn.reply("choose_language.html", rows)]
        if command == "avbryt":
            if not turn.state.active:
                return [turn.reply("nothing_to_cancel.html")]
            replies = await self._guarded(turn, self._flow(turn).on_cancel(turn))
            turn.state.clear()
            return replies
        role = turn.person.role if turn.person else None
        starter = self._starters.get(command)
        if starter is not None and allowed(command, role):
            turn.state.clear()  # a new command leaves whatever was going on
            return await self._guarded(turn, starter.begin(turn, command, args))
        if is_known(command) and turn.person is not None:
            return [self._home(turn, "not_for_you.html", command=command)]
        if is_known(command):
            # A real command, for people who have joined: not "unknown".
            return [turn.reply("after_joining.html", command=command), *await self._reprompt(turn)]
        return [turn.reply("unknown_command.html", command=command), *await self._reprompt(turn)]

    def _group(self, turn: Turn, inbound: Inbound) -> Outcome:
        """A group or a channel: Møteklar is for one person at a time. It says so in a group
        (never in a channel, where it would go to every reader) and leaves."""
        leave = Reply("", turn.locale, leave=True)
        if inbound.channel:
            return Outcome((leave,), locale=turn.locale)
        return Outcome((turn.reply("group_only.html"), leave), locale=turn.locale)

    def _edited(self, turn: Turn, inbound: Inbound) -> Outcome:
        """A message changed after it was sent: the change is not read (the answer was taken
        as it came). Said once per message, with how to change an answer."""
        marks = turn.state.marks
        if inbound.message_id is not None:
            if marks.get(EDITED) == inbound.message_id:
                return Outcome(locale=turn.locale)
            marks[EDITED] = inbound.message_id
        preparing = turn.state.flow == PreparationFlow.name
        return Outcome((turn.reply("edited.html", preparing=preparing),), locale=turn.locale)

    async def _on_button(self, turn: Turn, inbound: Inbound) -> Outcome:
        outcome = await self._pressed(turn, inbound.data)
        pressed = inbound.message_id
        if not outcome.accepted and pressed and turn.state.marks.get(PRESSED) == pressed:
            # A double tap (or a second button on the same message): the first tap on this
            # message was taken and its answer is on the way. A notice, not the question again.
            logger.info("a second tap on a message was answered quietly")
            notice = N_("I already have your answer to this one.")
            return Outcome(accepted=False, notice=notice, repeated=True, locale=turn.locale)
        return outcome

    async def _pressed(self, turn: Turn, data: str) -> Outcome:
        parsed = ButtonData.decode(data)
        if parsed is not None and parsed.flow == LANGUAGE and parsed.step == "set":
            return await self._set_language(turn, parsed.value)
        if parsed is not None and parsed.flow in self._actions:
            try:
                action = self._actions[parsed.flow].on_action(turn, parsed.step, parsed.value)
                return Outcome(tuple(await action), locale=turn.locale)
            except (StaleButton, NotAllowed):
                return await self._stale(turn)
        state = turn.state
        current = (state.flow, state.step)
        if parsed is None or not state.active or (parsed.flow, parsed.step) != current:
            return await self._stale(turn)
        try:
            replies = await self._flow(turn).on_button(turn, parsed.step, parsed.value)
        except (StaleButton, NotAllowed):
            return await self._stale(turn)
        return Outcome(tuple(replies), locale=turn.locale)

    async def _guarded(self, turn: Turn, step: Awaitable[list[Reply]]) -> list[Reply]:
        """Run a flow step; whatever it finds gone or forbidden, the person is never stuck."""
        try:
            return await step
        except NotAllowed:
            turn.state.clear()
            return [turn.reply("not_allowed.html")]
        except StaleButton:
            # The state points at something that is gone (a deleted preparation, a meeting no
            # longer there): begin afresh from the person's home rather than fail every time.
            logger.info("cleared a conversation state that no longer fits")
            turn.state.clear()
            return [self._home(turn, "state_gone.html")]

    async def _stale(self, turn: Turn) -> Outcome:
        logger.info("refused a stale or unknown button")
        replies = [self._let_go(turn)] if self._was_let_go(turn) else await self._reprompt(turn)
        return Outcome(
            tuple(replies),
            accepted=False,
            notice=N_("That button is no longer in use."),
            locale=turn.locale,
        )

    async def _set_language(self, turn: Turn, value: str) -> Outcome:
        if value not in {locale.value for locale in Locale}:
            return await self._stale(turn)
        turn.locale = turn.state.locale = Locale(value)
        if turn.person is not None:
            await turn.uow.people.set_locale(turn.person.id, turn.locale)
        replies = [turn.reply("language_changed.html"), *await self._reprompt(turn)]
        return Outcome(tuple(replies), locale=turn.locale)

    async def _reprompt(self, turn: Turn) -> list[Reply]:
        if not turn.state.active:
            return []
        return await self._guarded(turn, self._flow(turn).prompt(turn))

    def _flow(self, turn: Turn) -> Flow:
        return self._flows[turn.state.flow]

    def _home(self, turn: Turn, template: str, **context: object) -> Reply:
        role = turn.person.role if turn.person else None
        values: dict[str, object] = {
            "name": turn.person.name if turn.person else None,
            "role": role.value if role else None,
            "commands": commands_for(role),
            **context,
        }
        return Reply(template, turn.locale, values)

    @staticmethod
    def _was_let_go(turn: Turn) -> bool:
        """Whether retention let go of what the person was in the middle of, since their last
        turn (it had been idle longer than the retention period)."""
        return bool(turn.state.marks.get(LET_GO)) and not turn.state.active

    def _let_go(self, turn: Turn) -> Reply:
        """Told once, in place of "not understood" or a dead button: it has been a while, what
        was typed is deleted, and here is what they can do now."""
        return self._home(turn, "state_gone.html", idle=True)

    async def _not_understood(self, turn: Turn, text: str) -> Reply:
        if turn.person is None:
            return turn.reply("by_invitation.html")
        if self._was_let_go(turn):
            return self._let_go(turn)
        said = small_talk(text)
        if said is SmallTalk.GREETING:
            return self._home(turn, "home.html")
        if said is SmallTalk.THANKS:
            return turn.reply("you_are_welcome.html")
        if turn.person.role is Role.JOBBSOKER:
            # Words outside any conversation may be someone not doing well: say kindly that
            # nobody reads them, offer /snakke where someone can be told, and where help is.
            if await turn.gate.specialists_of(turn.person):
                return self._home(turn, "not_understood.html", talk=True)
            # Nobody for /snakke to tell (talk/no_one.html): it is not offered, nor listed.
            commands = [c for c in commands_for(Role.JOBBSOKER) if c.name != "snakke"]
            return self._home(turn, "not_understood.html", talk=False, commands=commands)
        return self._home(turn, "not_understood.html")

    @asynccontextmanager
    async def _person_lock(self, address: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(address, asyncio.Lock())
        self._waiting[address] = self._waiting.get(address, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[address] -= 1
            if self._waiting[address] == 0:
                # Nobody else waits for this person: forget the lock, so memory stays flat.
                del self._waiting[address], self._locks[address]


def _locale_of(language: str) -> Locale:
    """The language a person's app is set to, where Møteklar knows nothing else of them."""
    code = language.lower()[:2]
    return next((locale for locale in Locale if locale.value == code), DEFAULT_LOCALE)


def _menu_change(before: Person | None, turn: Turn) -> Menu | None:
    """A new menu when someone registers or changes language: commands follow role and locale.
    Someone who deleted their data gets the menu for everyone, and nothing of it is kept."""
    after = turn.person
    if before is not None and after is None:
        return Menu(before.address, turn.locale, commands_for(None), ref=FORGET)
    if after is None or (before is not None and before.locale is turn.locale):
        return None
    return Menu(after.address, turn.locale, commands_for(after.role))
