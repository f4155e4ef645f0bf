"""Scheduling, moving and cancelling the samarbeidsmøte (``/nytt_moete``, and "Flytt"/"Avlys").

```mermaid
stateDiagram-v2
    [*] --> who: /nytt_moete (several job seekers)
    [*] --> day: /nytt_moete (one), "Planlegg neste møte" in /avtalt, or "Flytt"
    who --> day
    day --> time: a day button
    day --> duration: "10.12.2026 10:00" typed
    time --> duration
    duration --> place
    place --> attendees
    attendees --> kind: "Type møte" (a samarbeidsmøte unless changed)
    kind --> attendees: trepartsmøte, fellessamtale or teammøte: who is ticked follows it
    attendees --> confirm
    confirm --> [*]: created, everyone attending told (from /avtalt: it is the next meeting)
    confirm --> day: change the time
    [*] --> cancel: "Avlys"
    cancel --> [*]: cancelled, everyone attending told
```
Dates are never guessed: calendar and time buttons, or the strict ``dd.mm.åååå tt:mm``,
always read back in words before anything is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, grid, in_place
from bot.core.flows.circle import jobseeker_choice
from bot.core.messages import Button, Reply
from bot.core.services import agreements, meetings
from bot.core.state import FlowData
from bot.core.text import N_, NP_, DayLabel, Plain, Text, TimeLabel
from bot.domain.meetings import DURATIONS_MINUTES, Meeting, MeetingKind, clean_place
from bot.domain.people import Person
from bot.domain.when import Rejected, combine, parse_date_time, parse_time

NAME = "sched"
_TIMES = [(hour, minute) for hour in range(8, 16) for minute in (0, 30)]
_WEEKS_SHOWN = 2
_LAST_WEEK = 12
# A typo in the year ("2062") should be caught, not read back as a plan.
_FURTHEST = timedelta(days=366)


@dataclass
class ScheduleData(FlowData):
    jobseeker: int | None = None
    meeting: int | None = None  # moving or cancelling this one
    week: int = 0  # the calendar's page
    day: str | None = None  # ISO date
    starts: str | None = None  # ISO datetime, UTC
    minutes: int | None = None
    place: str | None = None
    attendees: list[int] = field(default_factory=list)
    kind: str = MeetingKind.SAMARBEIDSMOTE.value
    after: int | None = None  # booked from /avtalt: the meeting it is the next one after


KIND_CHANGE: dict[MeetingKind, Text] = {
    MeetingKind.SAMARBEIDSMOTE: N_("Kind: samarbeidsmøte (change)"),
    MeetingKind.TREPARTSMOTE: N_("Kind: trepartsmøte (change)"),
    MeetingKind.FELLESSAMTALE: N_("Kind: fellessamtale (change)"),
    MeetingKind.TEAMMOTE: N_("Kind: team meeting (change)"),
}
KIND_LABELS: dict[MeetingKind, Text] = {
    MeetingKind.SAMARBEIDSMOTE: N_("Samarbeidsmøte (everyone)"),
    MeetingKind.TREPARTSMOTE: N_("Trepartsmøte (with the behandler, without Nav)"),
    MeetingKind.FELLESSAMTALE: N_("Fellessamtale"),
    MeetingKind.TEAMMOTE: N_("Team meeting (without the job seeker)"),
}


def enter(turn: Turn, step: str, *, jobseeker: int | None, meeting: int | None = None) -> None:
    """Start the flow at ``step`` (after /nytt_moete, or "Flytt" / "Avlys" on a meeting)."""
    turn.state.go(NAME, step)
    data = turn.state.view(ScheduleData)
    data.jobseeker, data.meeting, data.week = jobseeker, meeting, 0


class ScheduleFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        jobseekers = await turn.gate.jobseekers_of(turn.me)
        if not jobseekers:
            return [turn.reply("circle/no_jobseekers.html")]
        if len(jobseekers) == 1:
            enter(turn, "day", jobseeker=jobseekers[0].id)
        else:
            enter(turn, "who", jobseeker=None)
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step, data = turn.state.step, turn.state.view(ScheduleData)
        if step == "who":
            return [await jobseeker_choice(turn, self.name, "who")]
        if step == "kind":
            rows = tuple(
                (button(label, self.name, "kind", kind.value),)
                for kind, label in KIND_LABELS.items()
            )
            return [turn.reply("meeting/pick_kind.html", rows)]
        if step == "day":
            return [self._calendar(turn, data.week)]
        if step == "time":
            return [self._clock(turn, _day(data))]
        if step == "duration":
            buttons = [
                button(NP_("%(num)d minute", "%(num)d minutes", m), self.name, "duration", m)
                for m in DURATIONS_MINUTES
            ]
            return [turn.reply("meeting/pick_duration.html", tuple(grid(buttons, 2)))]
        if step == "place":
            return [turn.reply("meeting/ask_place.html")]
        if step == "attendees":
            return [await self._attendee_choice(turn)]
        if step == "cancel":
            meeting = await self._meeting(turn)
            if meeting is None:
                raise StaleButton(step)
            confirm = (
                (button(N_("Yes, cancel the meeting"), self.name, "cancel", "yes"),),
                (button(N_("No, keep it"), self.name, "cancel", "no"),),
            )
            return [turn.reply("meeting/confirm_cancel.html", confirm, starts_at=meeting.starts_at)]
        return [await self._read_back(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step, data = turn.state.step, turn.state.view(ScheduleData)
        if step == "day":
            return await self._set_start(turn, parse_date_time(text, _zone(turn), turn.now))
        if step == "time":
            clock = parse_time(text)
            if isinstance(clock, Rejected):
                return await self._bad_time(turn, clock.problem.value)
            return await self._set_start(turn, combine(_day(data), *clock, _zone(turn), turn.now))
        if step == "place":
            place = clean_place(text)
            if place is None:
                return [turn.reply("meeting/bad_place.html"), *await self.prompt(turn)]
            data.place = place
            kind = _kind(data)
            data.attendees = [p.id for p in await self._members(turn) if kind.proposes(p.role)]
            turn.state.go(self.name, "attendees")
            return await self.prompt(turn)
        return [
            turn.say(N_("Here you answer by tapping one of the buttons.")),
            *await self.prompt(turn),
        ]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(ScheduleData)
        if step == "who":
            jobseeker = await turn.gate.managed_jobseeker(turn.me, button_id(value))
            enter(turn, "day", jobseeker=jobseeker.id)
        elif step == "kind" and value in {k.value for k in MeetingKind}:
            data.kind = value
            kind = _kind(data)
            data.attendees = [p.id for p in await self._members(turn) if kind.proposes(p.role)]
            turn.state.go(self.name, "attendees")
            return in_place(await self.prompt(turn))
        elif step == "attendees" and value == "kind":
            turn.state.go(self.name, "kind")
            return in_place(await self.prompt(turn))
        elif step == "day" and value in {"next", "previous"}:
            data.week = max(0, min(data.week + (1 if value == "next" else -1), _LAST_WEEK))
            return in_place(await self.prompt(turn))
        elif step == "day":
            turn.state.go(self.name, "time")
            data.day = self._offered_day(turn, value).isoformat()
        elif step == "time" and re.fullmatch(r"[0-9]{4}", value):
            hour, minute = int(value[:2]), int(value[2:])
            return await self._set_start(
                turn, combine(_day(data), hour, minute, _zone(turn), turn.now)
            )
        elif step == "duration" and value in {str(m) for m in DURATIONS_MINUTES}:
            data.minutes = int(value)
            turn.state.go(self.name, "place")
        elif step == "attendees" and value == "done":
            turn.state.go(self.name, "confirm")
        elif step == "attendees":
            person_id = button_id(value)
            if person_id not in {p.id for p in await self._members(turn)}:
                raise StaleButton(step)
            data.attendees = sorted(set(data.attendees) ^ {person_id})
            return in_place(await self.prompt(turn))
        elif step == "confirm" and value == "yes":
            return await self._save(turn)
        elif step == "confirm" and value == "time":
            turn.state.go(self.name, "day")
            data.week = 0
        elif step == "cancel" and value == "yes":
            return await self._cancel(turn)
        elif step == "cancel" and value == "no":
            turn.state.clear()
            return [turn.reply("meeting/kept.html")]
        else:
            raise StaleButton(step)
        return await self.prompt(turn)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]

    # -- steps ---------------------------------------------------------------------------

    def _calendar(self, turn: Turn, week: int) -> Reply:
        today = turn.now.astimezone(_zone(turn)).date()
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=week)
        rows: list[tuple[Button, ...]] = []
        for offset in range(_WEEKS_SHOWN):
            days = [monday + timedelta(weeks=offset, days=d) for d in range(5)]
            row = tuple(
                button(DayLabel(d), self.name, "day", d.isoformat()) for d in days if d >= today
            )
            if row:
                rows.append(row)
        navigation = [button(N_("Later ›"), self.name, "day", "next")]
        if week > 0:
            navigation.insert(0, button(N_("‹ Earlier"), self.name, "day", "previous"))
        rows.append(tuple(navigation))
        return turn.reply("meeting/pick_day.html", tuple(rows), first=monday)

    def _clock(self, turn: Turn, day: date) -> Reply:
        now = turn.now.astimezone(_zone(turn))
        # Today, only times still ahead; a typed time is checked the same way.
        times = [t for t in _TIMES if day > now.date() or t > (now.hour, now.minute)]
        buttons = [button(TimeLabel(h, m), self.name, "time", f"{h:02d}{m:02d}") for h, m in times]
        return turn.reply("meeting/pick_time.html", tuple(grid(buttons, 4)), day=day)

    def _offered_day(self, turn: Turn, value: str) -> date:
        """A day the calendar offers; anything else is a forged or stale button."""
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise StaleButton("day") from None
        today = turn.now.astimezone(_zone(turn)).date()
        if not today <= day <= today + _FURTHEST:
            raise StaleButton("day")
        return day

    async def _set_start(self, turn: Turn, starts: datetime | Rejected) -> list[Reply]:
        if isinstance(starts, Rejected):
            return await self._bad_time(turn, starts.problem.value)
        if starts > turn.now + _FURTHEST:
            return await self._bad_time(turn, "far")
        data = turn.state.view(ScheduleData)
        data.starts = starts.isoformat()
        # Moving a meeting keeps its length, place and people: straight to the read-back.
        turn.state.go(self.name, "confirm" if data.meeting or data.place else "duration")
        return await self.prompt(turn)

    async def _bad_time(self, turn: Turn, problem: str) -> list[Reply]:
        return [turn.reply("meeting/bad_time.html", problem=problem), *await self.prompt(turn)]

    async def _jobseeker(self, turn: Turn) -> Person:
        jobseeker_id = turn.state.view(ScheduleData).jobseeker
        if jobseeker_id is None:
            raise StaleButton("jobseeker")
        return await turn.gate.managed_jobseeker(turn.me, jobseeker_id)

    async def _members(self, turn: Turn) -> list[Person]:
        """Who may be asked to attend besides the job seeker: the approved circle (for a
        trepartsmøte, not the Nav-veileder)."""
        jobseeker = await self._jobseeker(turn)
        kind = _kind(turn.state.view(ScheduleData))
        return [
            p
            for p in await turn.gate.approved_members(jobseeker.id)
            if p.id != turn.me.id and kind.offers(p.role)
        ]

    async def _attendee_choice(self, turn: Turn) -> Reply:
        chosen = set(turn.state.view(ScheduleData).attendees)
        rows: list[tuple[Button, ...]] = []
        for person in await self._members(turn):
            label = (
                N_("✓ %(name)s", name=person.name) if person.id in chosen else Plain(person.name)
            )
            rows.append((button(label, self.name, "attendees", person.id),))
        kind = _kind(turn.state.view(ScheduleData))
        rows.append((button(KIND_CHANGE[kind], self.name, "attendees", "kind"),))
        rows.append((button(N_("Done"), self.name, "attendees", "done"),))
        return turn.reply(
            "meeting/pick_attendees.html", tuple(rows), with_jobseeker=kind.with_jobseeker
        )

    async def _chosen(self, turn: Turn) -> list[int]:
        chosen = set(turn.state.view(ScheduleData).attendees)
        return [p.id for p in await self._members(turn) if p.id in chosen]

    async def _read_back(self, turn: Turn) -> Reply:
        data = turn.state.view(ScheduleData)
        jobseeker = await self._jobseeker(turn)
        starts = _starts(data)
        meeting = await self._meeting(turn)
        if meeting is not None:
            ends, place = starts + meeting.duration, meeting.place
            people = await turn.gate.recipients(meeting)
        else:
            ends, place = starts + timedelta(minutes=data.minutes or 0), data.place or ""
            chosen = set(await self._chosen(turn))
            members = [p for p in await self._members(turn) if p.id in chosen]
            people = [jobseeker, turn.me, *members]
            if not _kind(data).with_jobseeker:
                people = people[1:]
        rows = (
            (button(N_("Yes, that is right"), self.name, "confirm", "yes"),),
            (button(N_("Change the time"), self.name, "confirm", "time"),),
        )
        return turn.reply(
            "meeting/read_back.html",
            rows,
            starts_at=starts,
            ends_at=ends,
            place=place,
            people=meetings.people_shown(people),
            moving=meeting is not None,
            kind=meeting.kind.value if meeting is not None else data.kind,
        )

    async def _save(self, turn: Turn) -> list[Reply]:
        data = turn.state.view(ScheduleData)
        jobseeker = await self._jobseeker(turn)
        starts = _starts(data)
        if starts <= turn.now:
            turn.state.go(self.name, "day")
            data.week = 0
            return await self._bad_time(turn, "past")
        previous = await self._meeting(turn)
        if previous is not None:
            meeting, notices = await meetings.move(turn.change, previous, starts)
        else:
            meeting, notices = await meetings.schedule(
                turn.change,
                jobseeker,
                starts,
                data.minutes or 0,
                data.place or "",
                await self._chosen(turn),
                kind=_kind(data),
            )
        after = data.after
        turn.state.clear()
        saved = turn.reply(
            "meeting/saved.html",
            meetings.meeting_buttons(turn.me, meeting),
            **await meetings.meeting_details(turn.gate, turn.me, meeting),
        )
        replies = [saved, *notices]
        if after is not None and previous is None:
            # Booked from /avtalt: it is the next meeting in what was agreed.
            held = await turn.gate.managed_meeting(turn.me, after)
            await agreements.set_next_meeting(turn.change, held, meeting)
            back = ((button(N_("Back to what was agreed"), "fq", "record", held.id),),)
            replies.append(turn.reply("agreed/next_booked.html", back, name=jobseeker.name))
        return replies

    async def _cancel(self, turn: Turn) -> list[Reply]:
        meeting = await self._meeting(turn)
        if meeting is None:
            raise StaleButton("cancel")
        turn.state.clear()
        notices = await meetings.cancel(turn.change, meeting)
        return [turn.reply("meeting/cancelled_by_you.html", starts_at=meeting.starts_at), *notices]

    async def _meeting(self, turn: Turn) -> Meeting | None:
        meeting_id = turn.state.view(ScheduleData).meeting
        if meeting_id is None:
            return None
        return await turn.gate.managed_meeting(turn.me, meeting_id)


def _zone(turn: Turn) -> ZoneInfo:
    return ZoneInfo(turn.installation.timezone)


def _kind(data: ScheduleData) -> MeetingKind:
    try:
        return MeetingKind(data.kind)
    except ValueError:
        raise StaleButton("kind") from None


def _day(data: ScheduleData) -> date:
    if data.day is None:
        raise StaleButton("day")
    return date.fromisoformat(data.day)


def _starts(data: ScheduleData) -> datetime:
    if data.starts is None:
        raise StaleButton("starts")
    return datetime.fromisoformat(data.starts)
