"""``/avtalt`` for the jobbspesialist: write down what was agreed — who does what by when, and
the next meeting — during or after the meeting, then send it to the job seeker, who sees it
first and decides who else gets it.

```mermaid
stateDiagram-v2
    [*] --> who: /avtalt (several job seekers)
    [*] --> draft: /avtalt (one), or the button after the meeting
    who --> draft: the job seeker's latest meeting that has begun
    draft --> text: "Oppgave for Ola" (or for me, Per, Nina)
    text --> due: what they do
    due --> draft: a day, a typed date, or no date
    draft --> remove: "Fjern en oppgave"
    remove --> draft
    draft --> schedule: "Planlegg neste møte" (straight into /nytt_moete)
    draft --> [*]: "Send til Ola"
```
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows import schedule
from bot.core.flows.base import StaleButton, Turn, button_id, grid, in_place
from bot.core.flows.circle import jobseeker_choice
from bot.core.messages import Button, Reply
from bot.core.services import agreements
from bot.core.state import FlowData
from bot.core.text import N_, DayLabel, Plain, short
from bot.domain.agreements import clean_task
from bot.domain.meetings import Meeting
from bot.domain.people import Person
from bot.domain.when import Rejected, parse_date

NAME = "rec"
_DAYS_SHOWN = 10  # weekdays on the date buttons
_LAST_PAGE = 12


@dataclass
class RecordData(FlowData):
    meeting: int | None = None
    owner: int | None = None  # the person the task being written is for
    text: str = ""
    page: int = 0  # the date buttons' page


class RecordFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        jobseekers = await turn.gate.jobseekers_of(turn.me)
        if not jobseekers:
            return [turn.reply("circle/no_jobseekers.html")]
        if len(jobseekers) > 1:
            turn.state.go(NAME, "who")
            return [await jobseeker_choice(turn, NAME, "who")]
        return await self._for_jobseeker(turn, jobseekers[0])

    async def open(self, turn: Turn, meeting_id: int) -> list[Reply]:
        """From the button after the meeting: straight to what was agreed at that meeting."""
        meeting = await turn.gate.managed_meeting(turn.me, meeting_id)
        if not meeting.held(turn.now):
            raise StaleButton("meeting")
        self._enter(turn, meeting)
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step = turn.state.step
        if step == "who":
            return [await jobseeker_choice(turn, NAME, "who")]
        meeting = await self._meeting(turn)
        if step == "text":
            owner = await self._owner(turn, meeting)
            return [turn.reply("agreed/ask_task.html", name=owner.name, me=owner.id == turn.me.id)]
        if step == "due":
            return [self._dates(turn)]
        if step == "remove":
            return [await self._removal(turn, meeting)]
        return [await self._draft(turn, meeting)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step, data = turn.state.step, turn.state.view(RecordData)
        if step == "text":
            task = clean_task(text)
            if task is None:
                return [turn.reply("agreed/bad_task.html"), *await self.prompt(turn)]
            data.text, data.page = task, 0
            turn.state.go(NAME, "due")
            return await self.prompt(turn)
        if step == "due":
            today = turn.now.astimezone(_zone(turn)).date()
            day = parse_date(text, today)
            if isinstance(day, Rejected):
                problem = day.problem.value
                return [
                    turn.reply("agreed/bad_date.html", problem=problem),
                    *await self.prompt(turn),
                ]
            return await self._add(turn, day)
        return [
            turn.say(N_("Here you answer by tapping one of the buttons.")),
            *await self.prompt(turn),
        ]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(RecordData)
        if step == "who":
            jobseeker = await turn.gate.managed_jobseeker(turn.me, button_id(value))
            return await self._for_jobseeker(turn, jobseeker)
        meeting = await self._meeting(turn)
        if step == "draft":
            return await self._on_draft(turn, meeting, value)
        if step == "due" and value in {"next", "previous"}:
            data.page = max(0, min(data.page + (1 if value == "next" else -1), _LAST_PAGE))
            return in_place(await self.prompt(turn))
        if step == "due" and value == "none":
            return await self._add(turn, None)
        if step == "due":
            return await self._add(turn, self._offered_day(turn, value))
        if step == "remove" and value == "back":
            turn.state.go(NAME, "draft")
            return in_place(await self.prompt(turn))
        if step == "remove":
            await agreements.remove_task(turn.change, meeting, button_id(value))
            turn.state.go(NAME, "draft")
            return [turn.reply("agreed/removed.html"), *await self.prompt(turn)]
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("agreed/paused.html")]

    # -- the draft ---------------------------------------------------------------------------

    async def _on_draft(self, turn: Turn, meeting: Meeting, value: str) -> list[Reply]:
        data = turn.state.view(RecordData)
        verb, _, who = value.partition("-")
        if verb == "add":
            owner_id = button_id(who)
            if owner_id not in {p.id for p in await agreements.owners(turn.change, meeting)}:
                raise StaleButton(value)
            data.owner, data.text = owner_id, ""
            turn.state.go(NAME, "text")
            return await self.prompt(turn)
        if verb == "remove":
            turn.state.go(NAME, "remove")
            return in_place(await self.prompt(turn))
        if verb == "next":
            turn.state.clear()
            schedule.enter(turn, "day", jobseeker=meeting.jobseeker_id)
            data_next = turn.state.view(schedule.ScheduleData)
            data_next.after, data_next.kind = meeting.id, meeting.kind.value
            return await schedule.ScheduleFlow().prompt(turn)
        if verb == "journal":
            return [await self._journal(turn, meeting)]
        if verb == "send":
            jobseeker, notices = await agreements.send(turn.change, meeting)
            turn.state.clear()
            return [turn.reply("agreed/sent.html", name=jobseeker.name), *notices]
        if verb == "done":
            turn.state.clear()
            return [turn.reply("agreed/paused.html")]
        raise StaleButton(value)

    async def _draft(self, turn: Turn, meeting: Meeting) -> Reply:
        me = turn.me
        jobseeker = await turn.gate.managed_jobseeker(me, meeting.jobseeker_id)
        newest = await agreements.latest(turn.change, meeting)
        context: dict[str, object] = {
            "name": jobseeker.name,
            "starts_at": meeting.starts_at,
            "ends_at": meeting.ends_at,
            "kind": meeting.kind.value,
            "tasks": [],
            "next_meeting": None,
            "viewer_role": me.role.value,
        }
        if newest is not None:
            context = await agreements.view_context(
                turn.change, jobseeker, newest, meeting, viewer=me
            )
        rows: list[tuple[Button, ...]] = []
        adds = []
        for person in await agreements.owners(turn.change, meeting):
            label = (
                N_("+ Task for me")
                if person.id == me.id
                else N_("+ Task for %(name)s", name=person.name)
            )
            adds.append(button(label, NAME, "draft", f"add-{person.id}"))
        rows += grid(adds, 2)
        tasks = bool(newest and newest.tasks)
        if tasks:
            rows.append((button(N_("Remove a task"), NAME, "draft", "remove"),))
        if newest is None or newest.next_meeting_id is None:
            rows.append((button(N_("Book the next meeting"), NAME, "draft", "next"),))
        if newest is not None and not newest.sent and not newest.empty:
            rows.append(
                (button(N_("Send to %(name)s", name=jobseeker.name), NAME, "draft", "send"),)
            )
        if tasks:
            rows.append((button(N_("Text for my records"), NAME, "draft", "journal"),))
        rows.append((button(N_("Done for now"), NAME, "draft", "done"),))
        return turn.reply(
            "agreed/draft.html",
            tuple(rows),
            **context,
            status=("sent" if newest.sent else "draft") if newest else "empty",
        )

    async def _journal(self, turn: Turn, meeting: Meeting) -> Reply:
        """A plain text of all of it, to paste into her own record system (she wrote it)."""
        jobseeker = await turn.gate.managed_jobseeker(turn.me, meeting.jobseeker_id)
        newest = await agreements.latest(turn.change, meeting)
        if newest is None:
            raise StaleButton("journal")
        context = await agreements.view_context(
            turn.change, jobseeker, newest, meeting, viewer=jobseeker
        )
        turn.keeps_buttons = True  # a text to copy; the draft's buttons stay
        values = {**context, "own": True, "role": turn.me.role.value, "journal": True}
        return Reply("agreed/journal.html", turn.locale, values)

    async def _removal(self, turn: Turn, meeting: Meeting) -> Reply:
        newest = await agreements.latest(turn.change, meeting)
        tasks = newest.tasks if newest else ()
        rows: list[tuple[Button, ...]] = [
            (button(Plain(f"{n}. {short(task.text)}"), NAME, "remove", task.number),)
            for n, task in enumerate(tasks, 1)
        ]
        rows.append((button(N_("‹ Back"), NAME, "remove", "back"),))
        return turn.reply("agreed/pick_removal.html", tuple(rows))

    def _dates(self, turn: Turn) -> Reply:
        data = turn.state.view(RecordData)
        today = turn.now.astimezone(_zone(turn)).date()
        days = _weekdays(today, data.page * _DAYS_SHOWN, _DAYS_SHOWN)
        rows: list[tuple[Button, ...]] = list(
            grid([button(DayLabel(d), NAME, "due", d.isoformat()) for d in days], 5)
        )
        navigation = [button(N_("Later ›"), NAME, "due", "next")]
        if data.page > 0:
            navigation.insert(0, button(N_("‹ Earlier"), NAME, "due", "previous"))
        rows.append(tuple(navigation))
        rows.append((button(N_("No date"), NAME, "due", "none"),))
        return turn.reply("agreed/ask_date.html", tuple(rows), text=data.text)

    def _offered_day(self, turn: Turn, value: str) -> date:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise StaleButton("due") from None
        today = turn.now.astimezone(_zone(turn)).date()
        if not today <= day <= today + timedelta(days=400):
            raise StaleButton("due")
        return day

    async def _add(self, turn: Turn, day: date | None) -> list[Reply]:
        data = turn.state.view(RecordData)
        meeting = await self._meeting(turn)
        if data.owner is None or not data.text:
            raise StaleButton("due")
        await agreements.add_task(turn.change, meeting, data.owner, data.text, day)
        data.owner, data.text = None, ""
        turn.state.go(NAME, "draft")
        return [turn.reply("agreed/added.html"), *await self.prompt(turn)]

    # -- what the state names -------------------------------------------------------------

    async def _for_jobseeker(self, turn: Turn, jobseeker: Person) -> list[Reply]:
        meetings = [
            m for m in await turn.gate.meetings_about(turn.me, jobseeker.id) if m.held(turn.now)
        ]
        if not meetings:
            turn.state.clear()
            return [turn.reply("agreed/no_meeting.html", name=jobseeker.name)]
        latest = max(meetings, key=lambda m: m.starts_at)
        self._enter(turn, latest)
        return await self.prompt(turn)

    def _enter(self, turn: Turn, meeting: Meeting) -> None:
        turn.state.go(NAME, "draft")
        data = turn.state.view(RecordData)
        data.meeting, data.owner, data.text, data.page = meeting.id, None, "", 0

    async def _meeting(self, turn: Turn) -> Meeting:
        meeting_id = turn.state.view(RecordData).meeting
        if meeting_id is None:
            raise StaleButton("meeting")
        return await turn.gate.managed_meeting(turn.me, meeting_id)

    async def _owner(self, turn: Turn, meeting: Meeting) -> Person:
        owner_id = turn.state.view(RecordData).owner
        for person in await agreements.owners(turn.change, meeting):
            if person.id == owner_id:
                return person
        raise NotAllowed


def _zone(turn: Turn) -> ZoneInfo:
    return ZoneInfo(turn.installation.timezone)


def _weekdays(start: date, skip: int, count: int) -> list[date]:
    """``count`` days to offer from ``start`` on: today, then weekdays; after skipping
    ``skip`` of them."""
    found: list[date] = []
    day = start
    while len(found) < skip + count:
        if day.weekday() < 5 or day == start:
            found.append(day)
        day += timedelta(days=1)
    return found[skip:]
