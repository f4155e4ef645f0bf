"""Scheduling, moving and cancelling the samarbeidsmøte, and ``/moeter``.

```mermaid
stateDiagram-v2
    [*] --> who: /nytt_moete (several job seekers)
    [*] --> day: /nytt_moete (one) or "Flytt"
    who --> day
    day --> time: a day button
    day --> duration: "10.12.2026 10:00" typed
    time --> duration
    duration --> place
    place --> attendees
    attendees --> confirm
    confirm --> [*]: created, everyone attending told
    confirm --> day: change the time
    [*] --> cancel: "Avlys"
    cancel --> [*]: cancelled, everyone attending told
```
Dates are never guessed: calendar and time buttons, or the strict ``dd.mm.åååå tt:mm``,
always read back in words before anything is saved.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, grid, in_place
from bot.core.flows.circle import jobseeker_choice
from bot.core.messages import Button, CalendarFile, Reply
from bot.core.text import N_, NP_, DayLabel, Plain, TimeLabel
from bot.domain.meetings import DURATIONS_MINUTES, Meeting, clean_place
from bot.domain.people import Person, Role
from bot.domain.when import Rejected, combine, parse_date_time, parse_time

_TIMES = [(hour, minute) for hour in range(8, 16) for minute in (0, 30)]
_WEEKS_SHOWN = 2
_MAX_LISTED = 10
# A typo in the year ("2062") should be caught, not read back as a plan.
_FURTHEST = timedelta(days=366)


class ScheduleFlow:
    name = "sched"

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        jobseekers = await turn.gate.jobseekers_of(turn.me)
        if not jobseekers:
            return [turn.reply("circle/no_jobseekers.html")]
        if len(jobseekers) == 1:
            turn.state.go(self.name, "day", jobseeker=jobseekers[0].id, week=0)
        else:
            turn.state.go(self.name, "who", week=0)
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step, data = turn.state.step, turn.state.data
        if step == "who":
            return [await jobseeker_choice(turn, self.name, "who")]
        if step == "day":
            return [self._calendar(turn, int(data.get("week", 0)))]
        if step == "time":
            day = date.fromisoformat(data["day"])
            now = turn.now.astimezone(self._zone(turn))
            # Today, only times still ahead; a typed time is checked the same way.
            times = [t for t in _TIMES if day > now.date() or t > (now.hour, now.minute)]
            rows = grid(
                [button(TimeLabel(h, m), self.name, "time", f"{h:02d}{m:02d}") for h, m in times],
                4,
            )
            return [turn.reply("meeting/pick_time.html", tuple(rows), day=day)]
        if step == "duration":
            rows = grid(
                [
                    button(
                        NP_("%(num)d minute", "%(num)d minutes", minutes),
                        self.name,
                        "duration",
                        minutes,
                    )
                    for minutes in DURATIONS_MINUTES
                ],
                2,
            )
            return [turn.reply("meeting/pick_duration.html", tuple(rows))]
        if step == "place":
            return [turn.reply("meeting/ask_place.html")]
        if step == "attendees":
            return [await self._attendee_choice(turn)]
        if step == "cancel":
            meeting = await turn.gate.managed_meeting(turn.me, int(data["meeting"]))
            confirm = (
                (button(N_("Yes, cancel the meeting"), self.name, "cancel", "yes"),),
                (button(N_("No, keep it"), self.name, "cancel", "no"),),
            )
            return [turn.reply("meeting/confirm_cancel.html", confirm, starts_at=meeting.starts_at)]
        return [await self._read_back(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step, data = turn.state.step, turn.state.data
        if step == "day":
            starts = parse_date_time(text, self._zone(turn), turn.now)
            if isinstance(starts, Rejected):
                return [
                    turn.reply("meeting/bad_time.html", problem=starts.problem.value),
                    *await self.prompt(turn),
                ]
            if starts > turn.now + _FURTHEST:
                return [
                    turn.reply("meeting/bad_time.html", problem="far"),
                    *await self.prompt(turn),
                ]
            data["starts"] = starts.isoformat()
            return await self._after_time(turn)
        if step == "time":
            clock = parse_time(text)
            if isinstance(clock, Rejected):
                return [
                    turn.reply("meeting/bad_time.html", problem=clock.problem.value),
                    *await self.prompt(turn),
                ]
            return await self._set_time(turn, *clock)
        if step == "place":
            place = clean_place(text)
            if place is None:
                return [turn.reply("meeting/bad_place.html"), *await self.prompt(turn)]
            data["place"] = place
            turn.state.go(self.name, "attendees", attendees=await self._default_attendees(turn))
            return await self.prompt(turn)
        return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.data
        if step == "who":
            jobseeker = await turn.gate.managed_jobseeker(turn.me, button_id(value))
            turn.state.go(self.name, "day", jobseeker=jobseeker.id)
        elif step == "day" and value in {"next", "previous"}:
            week = int(data.get("week", 0)) + (1 if value == "next" else -1)
            data["week"] = max(0, min(week, 12))
            return in_place(await self.prompt(turn))
        elif step == "day":
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise StaleButton(step) from None
            today = turn.now.astimezone(self._zone(turn)).date()
            if not today <= day <= today + _FURTHEST:
                raise StaleButton(step)  # not a day the calendar offers
            turn.state.go(self.name, "time", day=day.isoformat())
        elif step == "time" and re.fullmatch(r"[0-9]{4}", value):
            return await self._set_time(turn, int(value[:2]), int(value[2:]))
        elif step == "duration" and value in {str(m) for m in DURATIONS_MINUTES}:
            data["minutes"] = int(value)
            turn.state.go(self.name, "place")
        elif step == "attendees" and value == "done":
            turn.state.go(self.name, "confirm")
        elif step == "attendees":
            members = {p.id for p in await self._members(turn)}
            person_id = button_id(value)
            if person_id not in members:
                raise StaleButton(step)
            chosen = set(data.get("attendees", []))
            chosen ^= {person_id}
            data["attendees"] = sorted(chosen)
            return in_place(await self.prompt(turn))
        elif step == "confirm" and value == "yes":
            return await self._save(turn)
        elif step == "confirm" and value == "time":
            turn.state.go(self.name, "day", week=0)
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
        today = turn.now.astimezone(self._zone(turn)).date()
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

    async def _set_time(self, turn: Turn, hour: int, minute: int) -> list[Reply]:
        day = date.fromisoformat(turn.state.data["day"])
        starts = combine(day, hour, minute, self._zone(turn), turn.now)
        if isinstance(starts, Rejected):
            return [
                turn.reply("meeting/bad_time.html", problem=starts.problem.value),
                *await self.prompt(turn),
            ]
        if starts > turn.now + _FURTHEST:
            return [turn.reply("meeting/bad_time.html", problem="far"), *await self.prompt(turn)]
        turn.state.data["starts"] = starts.isoformat()
        return await self._after_time(turn)

    async def _after_time(self, turn: Turn) -> list[Reply]:
        # Moving a meeting keeps its length, place and people: straight to the read-back.
        nxt = (
            "confirm"
            if turn.state.data.get("meeting") or turn.state.data.get("place")
            else "duration"
        )
        turn.state.go(self.name, nxt)
        return await self.prompt(turn)

    async def _members(self, turn: Turn) -> list[Person]:
        jobseeker = await turn.gate.managed_jobseeker(turn.me, int(turn.state.data["jobseeker"]))
        return [p for p in await turn.gate.approved_members(jobseeker.id) if p.id != turn.me.id]

    async def _default_attendees(self, turn: Turn) -> list[int]:
        return [p.id for p in await self._members(turn)]

    async def _attendee_choice(self, turn: Turn) -> Reply:
        chosen = set(turn.state.data.get("attendees", []))
        rows: list[tuple[Button, ...]] = []
        for person in await self._members(turn):
            label = (
                N_("✓ %(name)s", name=person.name) if person.id in chosen else Plain(person.name)
            )
            rows.append((button(label, self.name, "attendees", person.id),))
        rows.append((button(N_("Done"), self.name, "attendees", "done"),))
        return turn.reply("meeting/pick_attendees.html", tuple(rows))

    async def _read_back(self, turn: Turn) -> Reply:
        data = turn.state.data
        jobseeker = await turn.gate.managed_jobseeker(turn.me, int(data["jobseeker"]))
        starts = datetime.fromisoformat(data["starts"])
        meeting = await self._meeting(turn)
        if meeting is not None:
            ends, place = starts + meeting.duration, meeting.place
            people = await turn.gate.recipients(meeting)
        else:
            ends, place = starts + timedelta(minutes=int(data["minutes"])), str(data["place"])
            ids = set(data.get("attendees", []))
            people = [jobseeker, turn.me, *[p for p in await self._members(turn) if p.id in ids]]
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
            people=_people(people),
            moving=meeting is not None,
        )

    async def _save(self, turn: Turn) -> list[Reply]:
        data = turn.state.data
        me = turn.me
        jobseeker = await turn.gate.managed_jobseeker(me, int(data["jobseeker"]))
        starts = datetime.fromisoformat(data["starts"])
        if starts <= turn.now:
            turn.state.go(self.name, "day", week=0)
            return [turn.reply("meeting/bad_time.html", problem="past"), *await self.prompt(turn)]
        previous = await self._meeting(turn)
        if previous is not None:
            await turn.uow.meetings.reschedule(previous.id, starts, starts + previous.duration)
            template = "meeting/moved.html"
            meeting_id = previous.id
        else:
            ids = set(data.get("attendees", []))
            attendees = [
                jobseeker.id,
                me.id,
                *[p.id for p in await self._members(turn) if p.id in ids],
            ]
            created = await turn.uow.meetings.add(
                jobseeker_id=jobseeker.id,
                organiser_id=me.id,
                starts_at=starts,
                ends_at=starts + timedelta(minutes=int(data["minutes"])),
                place=str(data["place"]),
                attendee_ids=attendees,
                at=turn.now,
            )
            template = "meeting/new.html"
            meeting_id = created.id
        turn.state.clear()
        meeting = await turn.gate.meeting(me, meeting_id)
        replies = [
            turn.reply(
                "meeting/saved.html", _meeting_buttons(me, meeting), **await _details(turn, meeting)
            )
        ]
        for person in await turn.gate.recipients(meeting):
            if person.id != me.id:
                replies.append(
                    turn.notify(
                        person,
                        template,
                        _meeting_buttons(person, meeting),
                        **await _details(turn, meeting),
                    )
                )
        return replies

    async def _cancel(self, turn: Turn) -> list[Reply]:
        meeting = await turn.gate.managed_meeting(turn.me, int(turn.state.data["meeting"]))
        turn.state.clear()
        recipients = await turn.gate.recipients(meeting)
        await turn.uow.meetings.cancel(meeting.id)
        replies = [turn.reply("meeting/cancelled_by_you.html", starts_at=meeting.starts_at)]
        for person in recipients:
            if person.id != turn.me.id:
                replies.append(
                    turn.notify(person, "meeting/cancelled.html", starts_at=meeting.starts_at)
                )
        return replies

    async def _meeting(self, turn: Turn) -> Meeting | None:
        meeting_id = turn.state.data.get("meeting")
        if meeting_id is None:
            return None
        return await turn.gate.managed_meeting(turn.me, int(meeting_id))

    @staticmethod
    def _zone(turn: Turn) -> ZoneInfo:
        return ZoneInfo(turn.installation.timezone)


class MeetingsList:
    """``/moeter``: upcoming meetings, one message each, with what this person can do."""

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        meetings = [m for m in await turn.gate.meetings_of(me) if m.upcoming(turn.now)]
        replies = [turn.reply("meeting/list_header.html", count=len(meetings), role=me.role.value)]
        for meeting in meetings[:_MAX_LISTED]:
            replies.append(
                turn.reply(
                    "meeting/item.html",
                    _meeting_buttons(me, meeting),
                    role=me.role.value,
                    **await _details(turn, meeting),
                )
            )
        return replies


class MeetingActions:
    """Buttons on meeting messages: calendar file, "I can't come", move, cancel (prefix ``mt``)."""

    prefix = "mt"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        me = turn.me
        meeting = await turn.gate.meeting(me, button_id(value))
        if verb == "ics":
            return [
                Reply(
                    "meeting/calendar_file.html",
                    turn.locale,
                    {"starts_at": meeting.starts_at},
                    attachment=CalendarFile(
                        meeting.id,
                        meeting.sequence,
                        meeting.starts_at,
                        meeting.ends_at,
                        meeting.place,
                        cancelled=not meeting.upcoming(turn.now)
                        and meeting.status.value == "cancelled",
                    ),
                )
            ]
        if not meeting.upcoming(turn.now):
            raise StaleButton(verb)
        if verb == "cant" and me.id == meeting.jobseeker_id:
            await turn.uow.meetings.set_cannot_come(meeting.id, me.id)
            specialists = [
                p for p in await turn.gate.recipients(meeting) if p.role is Role.JOBBSPESIALIST
            ]
            return [
                turn.reply("meeting/cant_come_sent.html", names=[p.name for p in specialists]),
                *[
                    turn.notify(
                        p, "meeting/cant_come.html", name=me.name, starts_at=meeting.starts_at
                    )
                    for p in specialists
                ],
            ]
        if verb in {"move", "cancel"}:
            await turn.gate.managed_meeting(me, meeting.id)
            turn.state.clear()
            step = "day" if verb == "move" else "cancel"
            turn.state.go(
                ScheduleFlow.name, step, meeting=meeting.id, jobseeker=meeting.jobseeker_id, week=0
            )
            return await ScheduleFlow().prompt(turn)
        raise StaleButton(verb)


async def _details(turn: Turn, meeting: Meeting) -> dict[str, object]:
    """What every message about a meeting shows: when, where, who (only those still allowed)."""
    people = await turn.gate.recipients(meeting)
    cannot = {a.person_id for a in meeting.attendees if a.cannot_come}
    jobseeker = next((p for p in people if p.id == meeting.jobseeker_id), None)
    return {
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "people": _people(people, cannot),
        "jobseeker": jobseeker.name if jobseeker else "",
        "prep": await turn.gate.preparation_status(turn.me, meeting),
    }


def _people(people: list[Person], cannot: set[int] | None = None) -> list[dict[str, object]]:
    return [
        {"name": p.name, "role": p.role.value, "cannot_come": p.id in (cannot or set())}
        for p in people
    ]


def _meeting_buttons(person: Person, meeting: Meeting) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = [
        (button(N_("Calendar file (.ics)"), "mt", "ics", meeting.id),)
    ]
    if person.id == meeting.jobseeker_id:
        rows.append((button(N_("I can't come"), "mt", "cant", meeting.id),))
    if person.role is Role.JOBBSPESIALIST and person.id == meeting.organiser_id:
        rows.append(
            (
                button(N_("Move"), "mt", "move", meeting.id),
                button(N_("Cancel meeting"), "mt", "cancel", meeting.id),
            )
        )
    return tuple(rows)
