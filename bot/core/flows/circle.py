"""The circle around a job seeker, seen and changed in chat: invitations, hand-over, the end.

```mermaid
flowchart LR
    ny["/ny_jobbsoeker (jobbspesialist)"] --> name[first name] --> link1[link for the job seeker]
    inv["/inviter"] --> pick{which job seeker?} --> circle[circle + actions]
    circle --> link2[link for a behandler / Nav-veileder]
    circle --> handover[hand over to a colleague on the team] --> ask[job seeker approves]
    circle --> end[end the participation]
```
The job seeker's yes, no and removal are buttons that work at any time (``circle_actions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.invitations import invite
from bot.core.messages import Button, Reply
from bot.core.services import circle as circles
from bot.core.state import FlowData
from bot.core.text import N_, Plain
from bot.domain.circle import INVITABLE_ROLES, Status
from bot.domain.people import Person, Role, clean_name

ROLE_LABELS = {
    Role.BEHANDLER: N_("Invite a behandler"),
    Role.NAVVEILEDER: N_("Invite a Nav-veileder"),
}
# Colleagues per page: a phone shows this many buttons without scrolling far, and Telegram
# caps a keyboard at 100 buttons (a large installation has thousands of jobbspesialister).
COLLEAGUES_PER_PAGE = 8


@dataclass
class CircleData(FlowData):
    jobseeker: int | None = None
    page: int = 0  # of the colleague list


class NewJobseekerFlow:
    """``/ny_jobbsoeker``: a single-use link for one job seeker."""

    name = "newjs"

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        turn.state.go(self.name, "name")
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        return [turn.reply("circle/ask_jobseeker_name.html")]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        name = clean_name(text)
        if name is None:
            return [turn.reply("join/name_invalid.html"), *await self.prompt(turn)]
        link = await invite(turn.change, role=Role.JOBBSOKER, name=name)
        turn.state.clear()
        return [turn.reply("circle/jobseeker_link.html", name=name, link=link)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]


class CircleFlow:
    """``/inviter``: see a circle and act on it (invite, hand over, end)."""

    name = "inv"

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        if me.role is Role.JOBBSOKER:
            self._enter(turn, "act", me.id)
            return await self.prompt(turn)
        jobseekers = await turn.gate.jobseekers_of(me)
        if not jobseekers:
            return [turn.reply("circle/no_jobseekers.html")]
        if len(jobseekers) == 1:
            self._enter(turn, "act", jobseekers[0].id)
        else:
            self._enter(turn, "who", None)
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step = turn.state.step
        if step == "who":
            return [await jobseeker_choice(turn, self.name, "who")]
        jobseeker = await self._jobseeker(turn)
        if step == "colleague":
            return await self._colleagues(turn, jobseeker)
        if step == "end":
            rows = (
                (button(N_("Yes, end it"), self.name, "end", "yes"),),
                (button(N_("No, go back"), self.name, "end", "no"),),
            )
            return [turn.reply("circle/confirm_end.html", rows, name=jobseeker.name)]
        return [await self._overview(turn, jobseeker)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        return [
            turn.say(N_("Here you answer by tapping one of the buttons.")),
            *await self.prompt(turn),
        ]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        me = turn.me
        data = turn.state.view(CircleData)
        if step == "who":
            jobseeker = await turn.gate.managed_jobseeker(me, button_id(value))
            self._enter(turn, "act", jobseeker.id)
            return await self.prompt(turn)
        jobseeker = await self._jobseeker(turn)
        if step == "act" and value in {role.value for role in INVITABLE_ROLES}:
            return await self._invite(turn, jobseeker, Role(value))
        if step == "act" and value in {"handover", "end"} and me.role is Role.JOBBSPESIALIST:
            turn.state.go(self.name, "colleague" if value == "handover" else "end")
            data.page = 0
            return await self.prompt(turn)
        if step == "colleague" and value in {"next", "previous"}:
            data.page = max(0, data.page + (1 if value == "next" else -1))
            return await self.prompt(turn)
        if step == "colleague":
            colleague = await turn.gate.colleague(me, jobseeker.id, button_id(value))
            turn.state.clear()
            notices = await circles.hand_over(turn.change, jobseeker, colleague)
            asked = turn.reply(
                "circle/handover_asked.html", name=jobseeker.name, colleague=colleague.name
            )
            return [asked, *notices]
        if step == "end" and value == "yes":
            turn.state.clear()
            notices = await circles.end_participation(turn.change, jobseeker)
            return [turn.reply("circle/ended.html", name=jobseeker.name), *notices]
        if step == "end" and value == "no":
            turn.state.go(self.name, "act")
            return await self.prompt(turn)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]

    def _enter(self, turn: Turn, step: str, jobseeker: int | None) -> None:
        turn.state.go(self.name, step)
        turn.state.view(CircleData).jobseeker = jobseeker

    async def _jobseeker(self, turn: Turn) -> Person:
        jobseeker_id = turn.state.view(CircleData).jobseeker
        me = turn.me
        if jobseeker_id is None:
            raise NotAllowed
        if me.id == jobseeker_id:
            return me
        return await turn.gate.managed_jobseeker(me, jobseeker_id)

    async def _invite(self, turn: Turn, jobseeker: Person, role: Role) -> list[Reply]:
        link = await invite(turn.change, role=role, name=None, jobseeker_id=jobseeker.id)
        turn.state.clear()
        own = turn.me.id == jobseeker.id  # the job seeker's own link: "you are asked"
        reply = turn.reply(
            "circle/member_link.html", role=role.value, link=link, own=own, name=jobseeker.name
        )
        return [reply]

    async def _colleagues(self, turn: Turn, jobseeker: Person) -> list[Reply]:
        data = turn.state.view(CircleData)
        colleagues, more = await turn.gate.colleagues(
            turn.me, jobseeker.id, data.page, COLLEAGUES_PER_PAGE
        )
        if not colleagues and data.page == 0:
            turn.state.go(self.name, "act")
            return [turn.reply("circle/no_colleagues.html"), *await self.prompt(turn)]
        rows: list[tuple[Button, ...]] = [
            (button(Plain(p.name), self.name, "colleague", p.id),) for p in colleagues
        ]
        paging = []
        if data.page > 0:
            paging.append(button(N_("‹ Previous"), self.name, "colleague", "previous"))
        if more:
            paging.append(button(N_("More ›"), self.name, "colleague", "next"))
        if paging:
            rows.append(tuple(paging))
        return [turn.reply("circle/pick_colleague.html", tuple(rows))]

    async def _overview(self, turn: Turn, jobseeker: Person) -> Reply:
        me = turn.me
        members = await turn.gate.circle(me, jobseeker.id)
        rows: list[tuple[Button, ...]] = []
        if me.role is Role.JOBBSOKER:
            for member in members:
                name, membership = member.person.name, member.membership
                if membership.status is Status.PENDING:
                    label = N_("Approve %(name)s", name=name)
                    rows.append((button(label, "cq", "ok", membership.id),))
                rows.append((button(N_("Remove %(name)s", name=name), "cq", "rm", membership.id),))
        rows += [
            (button(label, self.name, "act", role.value),) for role, label in ROLE_LABELS.items()
        ]
        if me.role is Role.JOBBSPESIALIST:
            rows.append((button(N_("Hand over to a colleague"), self.name, "act", "handover"),))
            end = N_("End Møteklar for %(name)s", name=jobseeker.name)
            rows.append((button(end, self.name, "act", "end"),))
        people = [
            {
                "name": m.person.name,
                "role": m.membership.role.value,
                "workplace": m.person.workplace or "",
                "pending": m.membership.status is Status.PENDING,
            }
            for m in members
        ]
        return turn.reply(
            "circle/overview.html",
            tuple(rows),
            name=jobseeker.name,
            own=me.id == jobseeker.id,
            people=people,
        )


async def jobseeker_choice(turn: Turn, flow: str, step: str) -> Reply:
    """ "Which job seeker?" with one button each: the ones the person may manage."""
    jobseekers = await turn.gate.jobseekers_of(turn.me)
    rows = tuple((button(Plain(p.name), flow, step, p.id),) for p in jobseekers)
    return turn.reply("circle/pick_jobseeker.html", rows)
