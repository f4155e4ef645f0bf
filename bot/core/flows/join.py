"""First contact through an invitation, for every role.

```mermaid
stateDiagram-v2
    [*] --> lang: /start <token>
    lang --> name: language chosen
    name --> name_input: "Nei"
    name --> role_step: "Ja"
    name_input --> role_step: a name typed
    state role_step <<choice>>
    role_step --> employer: jobbspesialist
    role_step --> workplace: behandler, Nav-veileder
    role_step --> privacy: jobbsøker
    employer --> [*]: registered
    workplace --> [*]: registered, waits for the job seeker's yes
    privacy --> [*]: agreed: registered / declined: nothing kept but "link used"
```
Every step is stored, so a restart of the bot continues where the person was.
A professional who is already registered and opens a circle invitation skips all of this.
"""

from __future__ import annotations

from bot.core.buttons import button
from bot.core.commands import commands_for
from bot.core.flows.base import StaleButton, Turn
from bot.core.flows.circle import ask_to_join
from bot.core.messages import Reply
from bot.core.text import N_
from bot.domain.circle import Status
from bot.domain.invitations import Invitation, InvitationProblem, hash_token, is_payload
from bot.domain.people import Employer, Locale, Person, Role, clean_name

LANGUAGE_LABELS = {
    Locale.NB: N_("Norwegian Bokmål"),
    Locale.NN: N_("Norwegian Nynorsk"),
    Locale.EN: N_("English"),
}
EMPLOYER_LABELS = {
    Employer.NAV: N_("Nav"),
    Employer.HELSE: N_("The health service"),
    Employer.KOMMUNE: N_("The municipality"),
}
# Where a behandler or Nav-veileder works is shown to the job seeker who approves them.
_ASKS_WORKPLACE = {Role.BEHANDLER, Role.NAVVEILEDER}


class JoinFlow:
    name = "join"

    async def begin(self, turn: Turn, token: str) -> list[Reply]:
        """``/start <token>``: check the invitation, bind it to this account, ask the language."""
        invitation = (
            await turn.uow.invitations.by_token_hash(hash_token(token))
            if is_payload(token)
            else None
        )
        if invitation is None:
            return [turn.reply("invitation_problem.html", problem=InvitationProblem.UNKNOWN.value)]
        if turn.person is not None and invitation.claimed_by == turn.address:
            # Their own link, opened again: nothing is wrong, they are in.
            return [turn.reply("join/already_registered.html", role=turn.person.role.value)]
        problem = invitation.problem_for(turn.address, turn.now)
        if problem is not None:
            return [turn.reply("invitation_problem.html", problem=problem.value)]
        if turn.person is not None:
            return await self._registered(turn, turn.person, invitation)
        if invitation.claimed_by is None:
            await turn.uow.invitations.claim(invitation.id, turn.address)
        turn.state.clear()
        turn.state.go(self.name, "lang", invitation=invitation.id)
        return await self.prompt(turn)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step = turn.state.step
        if step == "lang":
            rows = tuple(
                (button(label, self.name, "lang", locale.value),)
                for locale, label in LANGUAGE_LABELS.items()
            )
            return [turn.reply("join/choose_language.html", rows)]
        if step == "name":
            rows = (
                (button(N_("Yes, that is me"), self.name, "name", "yes"),),
                (button(N_("No, I will write my name"), self.name, "name", "no"),),
            )
            return [turn.reply("join/confirm_name.html", rows, name=turn.state.data["name"])]
        if step == "name_input":
            return [turn.reply("join/ask_name.html")]
        if step == "workplace":
            return [turn.reply("join/ask_workplace.html")]
        if step == "privacy":
            rows = (
                (button(N_("Yes, I want to use Møteklar"), self.name, "privacy", "yes"),),
                (button(N_("No, thank you"), self.name, "privacy", "no"),),
            )
            controller = turn.installation.controller
            return [turn.reply("join/privacy.html", rows, controller=controller)]
        invitation = await self._invitation(turn)
        rows = tuple(
            (button(label, self.name, "employer", employer.value),)
            for employer, label in EMPLOYER_LABELS.items()
        )
        suggested = invitation.employer.value if invitation and invitation.employer else None
        return [turn.reply("join/ask_employer.html", rows, suggested=suggested)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step = turn.state.step
        if step not in {"name_input", "workplace"}:
            return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]
        cleaned = clean_name(text)
        if cleaned is None:
            return [turn.reply("join/name_invalid.html"), *await self.prompt(turn)]
        if step == "workplace":
            turn.state.data["workplace"] = cleaned
            return await self._finish(turn)
        turn.state.data["name"] = cleaned
        return await self._after_name(turn)

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        if step == "lang" and value in {locale.value for locale in Locale}:
            turn.locale = turn.state.locale = Locale(value)
            invitation = await self._invitation(turn)
            if invitation is None:
                return await self._gone(turn)
            if invitation.name:
                turn.state.go(self.name, "name", name=invitation.name)
            else:
                turn.state.go(self.name, "name_input")
            return await self.prompt(turn)
        if step == "name" and value == "yes":
            return await self._after_name(turn)
        if step == "name" and value == "no":
            turn.state.go(self.name, "name_input")
            return await self.prompt(turn)
        if step == "employer" and value in {employer.value for employer in Employer}:
            turn.state.data["employer"] = value
            return await self._finish(turn)
        if step == "privacy" and value == "yes":
            return await self._finish(turn)
        if step == "privacy" and value == "no":
            return await self._decline(turn)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("join/cancelled.html")]

    async def _after_name(self, turn: Turn) -> list[Reply]:
        invitation = await self._invitation(turn)
        if invitation is None:
            return await self._gone(turn)
        if invitation.role is Role.JOBBSPESIALIST:
            turn.state.go(self.name, "employer")
        elif invitation.role in _ASKS_WORKPLACE:
            turn.state.go(self.name, "workplace")
        else:
            turn.state.go(self.name, "privacy")
        return await self.prompt(turn)

    async def _finish(self, turn: Turn) -> list[Reply]:
        invitation = await self._invitation(turn)
        problem = (
            invitation.problem_for(turn.address, turn.now)
            if invitation is not None
            else InvitationProblem.UNKNOWN
        )
        if invitation is None or problem is not None:
            turn.state.clear()
            return [turn.reply("invitation_problem.html", problem=problem and problem.value)]
        employer = turn.state.data.get("employer")
        person = await turn.uow.people.add(
            role=invitation.role,
            name=turn.state.data["name"],
            locale=turn.locale,
            address=turn.address,
            created_at=turn.now,
            employer=Employer(employer) if employer else None,
            team=invitation.team,
            workplace=turn.state.data.get("workplace"),
        )
        await turn.uow.invitations.mark_used(invitation.id, turn.now)
        turn.person = person
        turn.state.clear()
        replies = [
            turn.reply(
                "join/welcome.html",
                name=person.name,
                role=person.role.value,
                commands=commands_for(person.role),
            )
        ]
        if person.role is Role.JOBBSOKER:
            replies += await self._jobseeker_joined(turn, person, invitation)
        elif invitation.jobseeker_id is not None:
            replies += await self._ask_jobseeker(turn, person, invitation)
        return replies

    async def _registered(self, turn: Turn, person: Person, invitation: Invitation) -> list[Reply]:
        """An invitation opened by someone already registered: only a circle invitation fits."""
        if invitation.jobseeker_id is None or invitation.role is not person.role:
            return [turn.reply("join/already_registered.html", role=person.role.value)]
        await turn.uow.invitations.claim(invitation.id, turn.address)
        await turn.uow.invitations.mark_used(invitation.id, turn.now)
        return await self._ask_jobseeker(turn, person, invitation)

    async def _jobseeker_joined(
        self, turn: Turn, jobseeker: Person, invitation: Invitation
    ) -> list[Reply]:
        """The jobbspesialist who invited the job seeker is in the circle from the start."""
        if invitation.created_by is None:
            return []
        specialist = await turn.uow.people.get(invitation.created_by)
        if specialist is None:
            return []
        await turn.uow.memberships.add(
            jobseeker_id=jobseeker.id,
            member_id=specialist.id,
            role=specialist.role,
            status=Status.APPROVED,
            at=turn.now,
        )
        return [turn.notify(specialist, "circle/jobseeker_joined.html", name=jobseeker.name)]

    async def _ask_jobseeker(
        self, turn: Turn, member: Person, invitation: Invitation
    ) -> list[Reply]:
        """Put the professional in the circle as pending and ask the job seeker for a yes."""
        assert invitation.jobseeker_id is not None
        jobseeker = await turn.uow.people.get(invitation.jobseeker_id)
        if jobseeker is None:
            return [turn.reply("invitation_problem.html", problem=InvitationProblem.REVOKED.value)]
        rows = await ask_to_join(turn, jobseeker, member)
        return [
            turn.reply("circle/waiting.html"),
            turn.notify(
                jobseeker,
                "circle/approve.html",
                rows,
                name=member.name,
                role=member.role.value,
                workplace=member.workplace or "",
            ),
        ]

    async def _decline(self, turn: Turn) -> list[Reply]:
        """No: keep only that the invitation was used, nothing about the person."""
        invitation = await self._invitation(turn)
        if invitation is not None:
            await turn.uow.invitations.mark_used(invitation.id, turn.now)
            await turn.uow.invitations.release(invitation.id)
        turn.state.clear()
        turn.state.forget = True
        return [turn.reply("join/declined.html")]

    async def _invitation(self, turn: Turn) -> Invitation | None:
        invitation_id = turn.state.data.get("invitation")
        if not isinstance(invitation_id, int):
            return None
        return await turn.uow.invitations.get(invitation_id)

    async def _gone(self, turn: Turn) -> list[Reply]:
        turn.state.clear()
        return [turn.reply("invitation_problem.html", problem=InvitationProblem.UNKNOWN.value)]
