"""The circle around a job seeker: invitations, the job seeker's yes or no, removal, hand-over.

```mermaid
flowchart LR
    ny["/ny_jobbsoeker (jobbspesialist)"] --> name[first name] --> link1[link for the job seeker]
    inv["/inviter"] --> pick{which job seeker?} --> circle[circle + actions]
    circle --> link2[link for a behandler / Nav-veileder]
    circle --> handover[hand over to a colleague] --> ask[job seeker approves the colleague]
    circle --> end[end the participation]
```
Approve, decline and remove are buttons that work at any time (prefix ``cq``), checked on
arrival: only the job seeker can press them, and only for their own circle.
"""

from __future__ import annotations

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id
from bot.core.invitations import create_invitation, invitation_link_for
from bot.core.messages import Button, Reply
from bot.core.text import N_, Plain
from bot.domain.circle import INVITABLE_ROLES, Status
from bot.domain.people import Person, Role, clean_name

ROLE_LABELS = {
    Role.BEHANDLER: N_("Invite a behandler"),
    Role.NAVVEILEDER: N_("Invite a Nav-veileder"),
}


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
        me = turn.me
        token = await create_invitation(
            turn.uow, turn.now, role=Role.JOBBSOKER, name=name, team=me.team, created_by=me.id
        )
        turn.state.clear()
        link = await invitation_link_for(turn.uow, token)
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
            turn.state.go(self.name, "act", jobseeker=me.id)
            return await self.prompt(turn)
        jobseekers = await turn.gate.jobseekers_of(me)
        if not jobseekers:
            return [turn.reply("circle/no_jobseekers.html")]
        if len(jobseekers) == 1:
            turn.state.go(self.name, "act", jobseeker=jobseekers[0].id)
        else:
            turn.state.go(self.name, "who")
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        me = turn.me
        step = turn.state.step
        if step == "who":
            return [await jobseeker_choice(turn, self.name, "who")]
        if step == "colleague":
            colleagues = [
                p for p in await turn.uow.people.with_role(Role.JOBBSPESIALIST) if p.id != me.id
            ]
            if not colleagues:
                turn.state.go(self.name, "act")
                return [turn.reply("circle/no_colleagues.html"), *await self.prompt(turn)]
            rows = tuple((button(Plain(p.name), self.name, "colleague", p.id),) for p in colleagues)
            return [turn.reply("circle/pick_colleague.html", rows)]
        if step == "end":
            jobseeker = await self._jobseeker(turn)
            rows = (
                (button(N_("Yes, end it"), self.name, "end", "yes"),),
                (button(N_("No, go back"), self.name, "end", "no"),),
            )
            return [turn.reply("circle/confirm_end.html", rows, name=jobseeker.name)]
        jobseeker = await self._jobseeker(turn)
        return [await self._overview(turn, jobseeker)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        me = turn.me
        if step == "who":
            jobseeker = await turn.gate.managed_jobseeker(me, button_id(value))
            turn.state.go(self.name, "act", jobseeker=jobseeker.id)
            return await self.prompt(turn)
        jobseeker = await self._jobseeker(turn)
        if step == "act" and value in {role.value for role in INVITABLE_ROLES}:
            token = await create_invitation(
                turn.uow,
                turn.now,
                role=Role(value),
                name=None,
                team=me.team,
                jobseeker_id=jobseeker.id,
                created_by=me.id,
            )
            turn.state.clear()
            link = await invitation_link_for(turn.uow, token)
            return [turn.reply("circle/member_link.html", role=value, link=link)]
        if step == "act" and value == "handover" and me.role is Role.JOBBSPESIALIST:
            turn.state.go(self.name, "colleague")
            return await self.prompt(turn)
        if step == "act" and value == "end" and me.role is Role.JOBBSPESIALIST:
            turn.state.go(self.name, "end")
            return await self.prompt(turn)
        if step == "colleague":
            colleague = await turn.uow.people.get(button_id(value))
            in_circle = {
                m.member_id
                for m in await turn.uow.memberships.of_jobseeker(jobseeker.id)
                if m.status in {Status.APPROVED, Status.PENDING}
            }
            if (
                colleague is None
                or colleague.role is not Role.JOBBSPESIALIST
                or colleague.id == me.id
                or colleague.id in in_circle
            ):
                raise StaleButton(step)
            turn.state.clear()
            return await hand_over(turn, jobseeker, colleague)
        if step == "end" and value == "yes":
            turn.state.clear()
            return await end_participation(turn, jobseeker)
        if step == "end" and value == "no":
            turn.state.go(self.name, "act")
            return await self.prompt(turn)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]

    async def _jobseeker(self, turn: Turn) -> Person:
        jobseeker_id = turn.state.data.get("jobseeker")
        if not isinstance(jobseeker_id, int):
            raise NotAllowed
        me = turn.me
        if me.id == jobseeker_id:
            return me
        return await turn.gate.managed_jobseeker(me, jobseeker_id)

    async def _overview(self, turn: Turn, jobseeker: Person) -> Reply:
        me = turn.me
        members = await turn.gate.circle(me, jobseeker.id)
        rows: list[tuple[Button, ...]] = []
        if me.role is Role.JOBBSOKER:
            for member in members:
                membership = member.membership
                if membership.status is Status.PENDING:
                    rows.append(
                        (
                            button(
                                N_("Approve %(name)s", name=member.person.name),
                                "cq",
                                "ok",
                                membership.id,
                            ),
                        )
                    )
                rows.append(
                    (
                        button(
                            N_("Remove %(name)s", name=member.person.name),
                            "cq",
                            "rm",
                            membership.id,
                        ),
                    )
                )
        rows += [
            (button(label, self.name, "act", role.value),) for role, label in ROLE_LABELS.items()
        ]
        if me.role is Role.JOBBSPESIALIST:
            rows.append((button(N_("Hand over to a colleague"), self.name, "act", "handover"),))
            rows.append((button(N_("End the participation"), self.name, "act", "end"),))
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


class CircleActions:
    """The job seeker's yes, no and removal: any time, only for their own circle."""

    prefix = "cq"

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        me = turn.me
        membership = await turn.uow.memberships.get(button_id(value))
        if membership is None or membership.jobseeker_id != me.id:
            raise NotAllowed
        member = await turn.uow.people.get(membership.member_id)
        if member is None:
            raise StaleButton(verb)
        if verb == "ok" and membership.status is Status.PENDING:
            await turn.uow.memberships.set_status(membership.id, Status.APPROVED, turn.now)
            replies = [
                turn.reply("circle/approved.html", name=member.name),
                turn.notify(member, "circle/you_were_approved.html", name=me.name),
            ]
            if member.role is Role.JOBBSPESIALIST:
                replies += await self._previous_specialists_leave(turn, me, member)
            return replies
        if verb == "no" and membership.status is Status.PENDING:
            await turn.uow.memberships.set_status(membership.id, Status.DECLINED, turn.now)
            return [
                turn.reply("circle/declined.html", name=member.name),
                turn.notify(member, "circle/you_were_declined.html"),
            ]
        if verb == "rm" and membership.status in {Status.APPROVED, Status.PENDING}:
            # One tap on a bus should not remove someone: ask once more.
            rows = (
                (
                    button(
                        N_("Yes, remove %(name)s", name=member.name), "cq", "rmyes", membership.id
                    ),
                ),
                (button(N_("No, keep %(name)s", name=member.name), "cq", "keep", membership.id),),
            )
            return [turn.reply("circle/confirm_remove.html", rows, name=member.name)]
        if verb == "keep":
            return [turn.reply("circle/kept.html", name=member.name)]
        if verb == "rmyes" and membership.status in {Status.APPROVED, Status.PENDING}:
            await turn.uow.memberships.set_status(membership.id, Status.REMOVED, turn.now)
            return [
                turn.reply("circle/removed.html", name=member.name),
                turn.notify(member, "circle/you_were_removed.html", name=me.name),
            ]
        raise StaleButton(verb)

    async def _previous_specialists_leave(
        self, turn: Turn, jobseeker: Person, newcomer: Person
    ) -> list[Reply]:
        """A hand-over is complete when the job seeker says yes to the colleague."""
        replies = []
        for membership in await turn.uow.memberships.of_jobseeker(jobseeker.id):
            if (
                membership.role is Role.JOBBSPESIALIST
                and membership.approved
                and membership.member_id != newcomer.id
            ):
                await turn.uow.memberships.set_status(membership.id, Status.ENDED, turn.now)
                for meeting in await turn.uow.meetings.of_jobseeker(jobseeker.id):
                    if meeting.upcoming(turn.now):
                        await turn.uow.meetings.hand_over(
                            meeting.id, membership.member_id, newcomer.id
                        )
                previous = await turn.uow.people.get(membership.member_id)
                if previous is not None:
                    replies.append(
                        turn.notify(
                            previous,
                            "circle/handover_done.html",
                            name=jobseeker.name,
                            colleague=newcomer.name,
                        )
                    )
        return replies


async def ask_to_join(
    turn: Turn, jobseeker: Person, member: Person
) -> tuple[tuple[Button, ...], ...]:
    """Put ``member`` in the circle as pending; the job seeker's yes and no buttons for it."""
    membership = await turn.uow.memberships.add(
        jobseeker_id=jobseeker.id,
        member_id=member.id,
        role=member.role,
        status=Status.PENDING,
        at=turn.now,
    )
    return (
        (button(N_("Yes, let them in"), "cq", "ok", membership.id),),
        (button(N_("No"), "cq", "no", membership.id),),
    )


async def hand_over(turn: Turn, jobseeker: Person, colleague: Person) -> list[Reply]:
    """The colleague joins as pending; the job seeker decides, as for anyone new."""
    rows = await ask_to_join(turn, jobseeker, colleague)
    return [
        turn.reply("circle/handover_asked.html", name=jobseeker.name, colleague=colleague.name),
        turn.notify(
            jobseeker,
            "circle/handover_request.html",
            rows,
            name=colleague.name,
            previous=turn.me.name,
        ),
    ]


async def end_participation(turn: Turn, jobseeker: Person) -> list[Reply]:
    """Everyone leaves the circle and upcoming meetings are cancelled; the job seeker is told."""
    replies = [
        turn.reply("circle/ended.html", name=jobseeker.name),
        turn.notify(jobseeker, "circle/participation_ended.html", name=turn.me.name),
    ]
    for meeting in await turn.uow.meetings.of_jobseeker(jobseeker.id):
        if meeting.upcoming(turn.now):
            for person in await turn.gate.recipients(meeting):
                if person.id not in {turn.me.id, jobseeker.id}:
                    replies.append(
                        turn.notify(person, "meeting/cancelled.html", starts_at=meeting.starts_at)
                    )
            await turn.uow.meetings.cancel(meeting.id)
    for membership in await turn.uow.memberships.of_jobseeker(jobseeker.id):
        if membership.status in {Status.APPROVED, Status.PENDING}:
            await turn.uow.memberships.set_status(membership.id, Status.ENDED, turn.now)
    return replies


async def jobseeker_choice(turn: Turn, flow: str, step: str) -> Reply:
    """ "Which job seeker?" with one button each: the ones the person may manage."""
    jobseekers = await turn.gate.jobseekers_of(turn.me)
    rows = tuple((button(Plain(p.name), flow, step, p.id),) for p in jobseekers)
    return turn.reply("circle/pick_jobseeker.html", rows)
