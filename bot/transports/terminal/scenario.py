"""The demo's other people: Kari, Ola, Per and Nina, played by a script through the same engine.

Each does exactly what a real person would (open a link, press buttons, type); nothing is
written to the database behind the engine's back, except the invitations an operator or a
jobbspesialist would make with a command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.core.invitations import create_invitation
from bot.core.messages import Inbound, Kind, Outcome
from bot.core.text import N_, Text
from bot.domain.circle import Status
from bot.domain.people import DEFAULT_LOCALE, Employer, Locale, Person, Role
from bot.domain.reminders import Kind as ReminderKind
from bot.domain.reminders import ReminderStatus
from bot.transports import Runtime


@dataclass(frozen=True)
class DemoPerson:
    name: str
    address: str
    workplace: str | None = None


PEOPLE = {
    Role.JOBBSPESIALIST: DemoPerson("Kari Nordmann", "terminal:kari"),
    Role.JOBBSOKER: DemoPerson("Ola Hansen", "terminal:ola"),
    Role.BEHANDLER: DemoPerson("Per Berg", "terminal:per", "DPS Solvang"),
    Role.NAVVEILEDER: DemoPerson("Nina Lie", "terminal:nina", "Nav Kristiansand"),
}
KARI, OLA = PEOPLE[Role.JOBBSPESIALIST], PEOPLE[Role.JOBBSOKER]
PER, NINA = PEOPLE[Role.BEHANDLER], PEOPLE[Role.NAVVEILEDER]
MEETING_PLACE = "DPS Solvang, rom 2"
DEMO_CONTROLLER = "Helse Eksempel HF"  # a made-up data controller for the privacy notice

# What Ola writes when the demo prepares for him (the player is a behandler or Nav-veileder),
# in the player's language so that they can read it: the preparation's seven steps, in order.
# "@" presses the button whose data starts with what follows, as he sees it; a Text is typed.
OLA_PREPARES: tuple[str | Text, ...] = (
    N_("I have started at the warehouse two days a week, and I like it."),
    N_("I sleep badly, and I am afraid of losing my money from Nav if I work more."),
    "@v1:prep:topics:money",
    "@v1:prep:topics:health",
    "@v1:prep:topics:done",
    "@v1:prep:questions:work_more",
    "@v1:prep:questions:done",
    "@v1:prep:questions:done",
    "@v1:prep:who:me",
    "@v1:prep:who:behandler",
    "@v1:prep:order:money",
    N_("I want to know whether I can work more without losing my money."),
    "@v1:prep:not_now:skip",
    "@v1:prep:review:done",
)


# What Kari writes down after the meeting when the demo plays her (the player is someone else),
# in the player's language: a task for Ola (a date two weeks on) and one for Per (no date).
KARI_AGREES: tuple[Text, Text] = (
    N_("Talk to the manager about working more hours"),
    N_("Write a short statement about how many hours Ola can work"),
)


class Scenario:
    def __init__(
        self,
        runtime: Runtime,
        deliver: Callable[[], Awaitable[None]],
        narrate: Callable[[str], None],
    ) -> None:
        self._runtime = runtime
        self._deliver = deliver  # what the others' actions caused reaches the player at once
        self._narrate = narrate
        self.token = ""
        self.locale: Locale = DEFAULT_LOCALE  # the player's language, for what Ola writes
        self._done: set[str] = set()

    async def prepare(self, role: Role) -> str:
        """Set the stage and return the invitation token the player opens first."""
        self._role = role
        if role is Role.JOBBSPESIALIST:
            return await self._invite(Role.JOBBSPESIALIST, KARI.name, employer=Employer.NAV)
        await self._join(
            KARI, await self._invite(Role.JOBBSPESIALIST, KARI.name, employer=Employer.NAV)
        )
        kari = await self._person(KARI)
        assert kari is not None
        if role is Role.JOBBSOKER:
            return await self._invite(Role.JOBBSOKER, OLA.name, created_by=kari.id)
        # A behandler or Nav-veileder: Ola is in already, and Kari has sent the player a link.
        await self._join(OLA, await self._invite(Role.JOBBSOKER, OLA.name, created_by=kari.id))
        ola = await self._person(OLA)
        assert ola is not None
        return await self._invite(role, None, jobseeker_id=ola.id, created_by=kari.id)

    async def react(self, locale: Locale = DEFAULT_LOCALE) -> None:
        """After each thing the player does: the others do their part when it is their turn.
        ``locale`` is the player's language, in which the demo writes what Ola types."""
        self.locale = locale
        kari, ola = await self._person(KARI), await self._person(OLA)
        if kari is None or ola is None:
            if self._role is Role.JOBBSPESIALIST and kari is not None and "ola" not in self._done:
                self._done.add("ola")
                await self._join(
                    OLA, await self._invite(Role.JOBBSOKER, OLA.name, created_by=kari.id)
                )
                await self.react(locale)
            return
        if "circle" not in self._done:
            self._done.add("circle")
            for person, role in ((PER, Role.BEHANDLER), (NINA, Role.NAVVEILEDER)):
                if role is self._role:
                    continue  # the player joins through their own link
                token = await self._invite(role, None, jobseeker_id=ola.id, created_by=kari.id)
                outcome = await self._join(person, token)
                if self._role is not Role.JOBBSOKER:
                    await self._approve(outcome)
            if self._role is Role.JOBBSPESIALIST:
                self._narrate("demo/circle_ready.html")
        if self._role is Role.JOBBSPESIALIST:
            await self._after_meeting(ola, kari)
            return  # the player is Kari: she books the meeting herself
        if self._role is not Role.JOBBSOKER and "approved" not in self._done:
            if not await self._player_asks_to_join(ola):
                return
            self._done.add("approved")
            await self._let_in_player()
        if "meeting" not in self._done and await self._approved(ola) >= 3:
            self._done.add("meeting")
            await self._book_meeting()
            if self._role is Role.JOBBSOKER:
                self._narrate("demo/try_prepare.html")
            else:
                await self._ola_prepares_and_shares()
                self._narrate("demo/try_meetings.html")
        if self._role is Role.JOBBSOKER:
            await self._per_reads(ola)
        await self._after_meeting(ola, kari)

    async def _after_meeting(self, ola: Person, kari: Person) -> None:
        """Kari writes down what was agreed (unless the player is Kari), and Ola shares it with
        Per, as proposed (unless the player is Ola)."""
        if self._role is not Role.JOBBSPESIALIST and "agreed" not in self._done:
            meeting = await self._meeting_over(ola, kari)
            if meeting is not None:
                self._done.add("agreed")
                await self._kari_writes_down(meeting, ola)
        if self._role is not Role.JOBBSOKER and "agreed_shared" not in self._done:
            sent = await self._agreement_sent(ola)
            if sent is not None:
                self._done.add("agreed_shared")
                await self._ola_shares_agreement(sent)

    async def _join(self, person: DemoPerson, token: str) -> Outcome:
        steps: list[Inbound] = [
            Inbound(person.address, Kind.START, text=token),
            Inbound(person.address, Kind.BUTTON, data="v1:join:lang:nb"),
        ]
        if person is KARI:
            steps += [
                self._press(person, "v1:join:name:yes"),
                self._press(person, "v1:join:employer:nav"),
            ]
        elif person is OLA:
            steps += [
                self._press(person, "v1:join:name:yes"),
                self._press(person, "v1:join:privacy:yes"),
            ]
        else:
            steps += [
                self._type(person, person.name),
                self._press(person, "v1:join:name:yes"),  # the name, read back
                self._type(person, person.workplace or ""),
            ]
        outcome = Outcome()
        for inbound in steps:
            outcome = await self._act(inbound)
        return outcome

    async def _approve(self, outcome: Outcome) -> None:
        """Ola (played by the script) says yes to whoever asked to join."""
        for reply in outcome.replies:
            if reply.address in (OLA.address, None):
                for row in reply.buttons:
                    for button in row:
                        if button.data.startswith("v1:cq:ok:"):
                            await self._act(Inbound(OLA.address, Kind.BUTTON, data=button.data))

    async def joined(self) -> bool:
        """The player has registered."""
        return await self._person(PEOPLE[self._role]) is not None

    async def _player_asks_to_join(self, ola: Person) -> bool:
        """The player (a behandler or Nav-veileder) has registered and waits for Ola's yes."""
        player = await self._person(PEOPLE[self._role])
        if player is None:
            return False
        async with self._runtime.uow_factory() as uow:
            memberships = await uow.memberships.of_jobseeker(ola.id)
        return any(m.member_id == player.id and m.status is Status.PENDING for m in memberships)

    async def _let_in_player(self) -> None:
        """Ola opens his group (/inviter) and says yes to the player, as he would in chat."""
        outcome = await self._act(Inbound(OLA.address, Kind.COMMAND, command="inviter"))
        await self._approve(outcome)

    async def _book_meeting(self) -> None:
        """Kari schedules the samarbeidsmøte in ten days (a weekday) at 10.00."""
        local = self._runtime.renderer.dates.local(self._runtime.clock.now())
        day = local.date() + timedelta(days=10)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for inbound in (
            Inbound(KARI.address, Kind.COMMAND, command="nytt_moete"),
            self._type(KARI, f"{day:%d.%m.%Y} 10:00"),
            self._press(KARI, "v1:sched:duration:60"),
            self._type(KARI, MEETING_PLACE),
            self._press(KARI, "v1:sched:attendees:done"),
            self._press(KARI, "v1:sched:confirm:yes"),
        ):
            await self._act(inbound)

    async def _ola_prepares_and_shares(self) -> None:
        """Ola prepares (as the player would, through the engine) and shares his agenda with
        everyone, each copy exactly as /deling proposes it."""
        outcome = await self._act(Inbound(OLA.address, Kind.COMMAND, command="forbered"))
        for step in OLA_PREPARES:
            if isinstance(step, str):
                offered = self._buttons(outcome, step[1:])
                assert offered, step  # the script keeps up with the preparation's steps
                inbound = self._press(OLA, offered[0])
            else:
                inbound = self._type(OLA, self._runtime.renderer.text(self.locale, step))
            outcome = await self._act(inbound)
        outcome = await self._act(Inbound(OLA.address, Kind.COMMAND, command="deling"))
        for pick in self._buttons(outcome, "v1:share:overview:pick-"):
            await self._act(self._press(OLA, pick))
            await self._act(self._press(OLA, "v1:share:preview:send"))

    async def _per_reads(self, ola: Person) -> None:
        """Per (played by the script) presses "Lest" under the first copy Ola shares with him."""
        if "read" in self._done:
            return
        async with self._runtime.uow_factory() as uow:
            shares = await uow.shares.of_jobseeker(ola.id)
            per = await uow.people.by_address(PER.address)
        copy = next((s for s in shares if per and s.recipient_id == per.id and s.active), None)
        if copy is not None:
            self._done.add("read")
            await self._act(self._press(PER, f"v1:sr:read:{copy.id}"))

    async def _meeting_over(self, ola: Person, kari: Person) -> int | None:
        """Ola's meeting whose follow-up has come (Kari was offered to write it down)."""
        async with self._runtime.uow_factory() as uow:
            for meeting in await uow.meetings.of_jobseeker(ola.id):
                for reminder in await uow.reminders.of_meeting(meeting.id):
                    if (
                        reminder.kind is ReminderKind.FOLLOWUP
                        and reminder.person_id == kari.id
                        and reminder.status is ReminderStatus.SENT
                    ):
                        return meeting.id
        return None

    async def _kari_writes_down(self, meeting_id: int, ola: Person) -> None:
        """Kari (played by the script) writes down two tasks and the next meeting, and sends it
        to Ola, as she would in chat after the meeting."""
        per = await self._person(PER)
        start = self._runtime.renderer.dates.local(self._runtime.clock.now()).date()
        for who, words, due in (
            (ola.id, KARI_AGREES[0], f"{start + timedelta(days=14):%d.%m.%Y}"),
            (per.id if per else None, KARI_AGREES[1], None),
        ):
            if who is None:
                continue
            await self._act(self._press(KARI, f"v1:fq:record:{meeting_id}"))
            await self._act(self._press(KARI, f"v1:rec:draft:add-{who}"))
            await self._act(self._type(KARI, self._runtime.renderer.text(self.locale, words)))
            step = self._type(KARI, due) if due else self._press(KARI, "v1:rec:due:none")
            await self._act(step)
        day = start + timedelta(days=90)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        for inbound in (
            self._press(KARI, f"v1:fq:record:{meeting_id}"),
            self._press(KARI, "v1:rec:draft:next"),
            self._type(KARI, f"{day:%d.%m.%Y} 10:00"),
            self._press(KARI, "v1:sched:duration:60"),
            self._type(KARI, MEETING_PLACE),
            self._press(KARI, "v1:sched:attendees:done"),
            self._press(KARI, "v1:sched:confirm:yes"),
            self._press(KARI, f"v1:fq:record:{meeting_id}"),
            self._press(KARI, "v1:rec:draft:send"),
        ):
            await self._act(inbound)

    async def _agreement_sent(self, ola: Person) -> int | None:
        async with self._runtime.uow_factory() as uow:
            sent = [a for a in await uow.agreements.of_jobseeker(ola.id) if a.sent]
        return sent[0].id if sent else None

    async def _ola_shares_agreement(self, agreement_id: int) -> None:
        """Ola shares what was agreed with Per, as proposed (his own task, the next meeting);
        Nina gets nothing of it."""
        per = await self._person(PER)
        if per is None:
            return
        await self._act(self._press(OLA, f"v1:ao:pick:{agreement_id}-{per.id}"))
        await self._act(self._press(OLA, "v1:agreed:preview:send"))

    @staticmethod
    def _buttons(outcome: Outcome, prefix: str) -> list[str]:
        return [
            button.data
            for reply in outcome.replies
            for row in reply.buttons
            for button in row
            if button.data.startswith(prefix)
        ]

    async def _act(self, inbound: Inbound) -> Outcome:
        outcome = await self._runtime.engine.handle(inbound)
        await self._deliver()  # only what reaches the player is shown
        return outcome

    async def _invite(
        self,
        role: Role,
        name: str | None,
        *,
        employer: Employer | None = None,
        jobseeker_id: int | None = None,
        created_by: int | None = None,
    ) -> str:
        async with self._runtime.uow_factory() as uow:
            token = await create_invitation(
                uow,
                self._runtime.clock.now(),
                role=role,
                name=name,
                employer=employer,
                jobseeker_id=jobseeker_id,
                created_by=created_by,
            )
            await uow.commit()
        return token

    async def _person(self, who: DemoPerson) -> Person | None:
        async with self._runtime.uow_factory() as uow:
            return await uow.people.by_address(who.address)

    async def _approved(self, jobseeker: Person) -> int:
        async with self._runtime.uow_factory() as uow:
            memberships = await uow.memberships.of_jobseeker(jobseeker.id)
        return sum(1 for m in memberships if m.status is Status.APPROVED)

    @staticmethod
    def _press(person: DemoPerson, data: str) -> Inbound:
        return Inbound(person.address, Kind.BUTTON, data=data)

    @staticmethod
    def _type(person: DemoPerson, text: str) -> Inbound:
        return Inbound(person.address, Kind.TEXT, text=text)
