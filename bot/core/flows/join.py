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

from dataclasses import dataclass

from bot.core.buttons import button
from bot.core.commands import commands_for
from bot.core.flows.base import StaleButton, Turn
from bot.core.messages import Button, Reply
from bot.core.services import circle as circles
from bot.core.state import FlowData
from bot.core.text import N_
from bot.domain.invitations import Invitation, InvitationProblem
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


@dataclass
class JoinData(FlowData):
    invitation: int | None = None
    name: str = ""
    employer: str | None = None
    workplace: str | None = None


class JoinFlow:
    name = "join"

    async def begin(self, turn: Turn, token: str) -> list[Reply]:
        """``/start <token>``: check the invitation, bind it to this account, ask the language."""
        invitation = await turn.entry.find(token)
        if invitation is None:
            return [turn.reply("invitation_problem.html", problem=InvitationProblem.UNKNOWN.value)]
        if turn.person is not None and invitation.claimed_by == turn.address:
            # Their own link, opened again: nothing is wrong, they are in.
            return [_already_registered(turn, turn.person)]
        problem = invitation.problem_for(turn.address, turn.now)
        if problem is not None:
            return [turn.reply("invitation_problem.html", problem=problem.value)]
        if turn.person is not None:
            return await self._registered(turn, turn.person, invitation)
        await turn.entry.claim(invitation)
        turn.state.clear()
        turn.state.go(self.name, "lang")
        turn.state.view(JoinData).invitation = invitation.id
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
            name = turn.state.view(JoinData).name
            return [turn.reply("join/confirm_name.html", rows, name=name)]
        if step == "name_input":
            return [turn.reply("join/ask_name.html")]
        if step == "workplace":
            return [turn.reply("join/ask_workplace.html")]
        if step == "privacy":
            controller = turn.installation.controller
            buttons = self._privacy_buttons()
            return [
                turn.reply(
                    "join/privacy.html",
                    buttons,
                    controller=controller,
                    retention_days=turn.installation.retention_days,
                )
            ]
        invitation = await self._invitation(turn)
        rows = tuple(
            (button(label, self.name, "employer", employer.value),)
            for employer, label in EMPLOYER_LABELS.items()
        )
        suggested = invitation.employer.value if invitation and invitation.employer else None
        return [turn.reply("join/ask_employer.html", rows, suggested=suggested)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        step = turn.state.step
        if step == "privacy":
            # Not the whole notice again: only the question, under it.
            return [turn.reply("join/privacy_again.html", self._privacy_buttons())]
        if step not in {"name_input", "workplace"}:
            return [
                turn.say(N_("Here you answer by tapping one of the buttons.")),
                *await self.prompt(turn),
            ]
        cleaned = clean_name(text)
        if cleaned is None:
            invalid = (
                "join/workplace_invalid.html" if step == "workplace" else "join/name_invalid.html"
            )
            return [turn.reply(invalid), *await self.prompt(turn)]
        data = turn.state.view(JoinData)
        if step == "workplace":
            data.workplace = cleaned
            return await self._finish(turn)
        # A typed name is read back before anyone sees it.
        data.name = cleaned
        turn.state.go(self.name, "name")
        return await self.prompt(turn)

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        if step == "lang" and value in {locale.value for locale in Locale}:
            turn.locale = turn.state.locale = Locale(value)
            invitation = await self._invitation(turn)
            if invitation is None:
                return await self._gone(turn)
            if invitation.name:
                turn.state.go(self.name, "name")
                turn.state.view(JoinData).name = invitation.name
            else:
                turn.state.go(self.name, "name_input")
            return await self.prompt(turn)
        if step == "name" and value == "yes":
            return await self._after_name(turn)
        if step == "name" and value == "no":
            turn.state.go(self.name, "name_input")
            return await self.prompt(turn)
        if step == "employer" and value in {employer.value for employer in Employer}:
            turn.state.view(JoinData).employer = value
            return await self._finish(turn)
        if step == "privacy" and value == "yes":
            return await self._finish(turn)
        if step == "privacy" and value == "no":
            return await self._decline(turn)
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("join/cancelled.html")]

    def _privacy_buttons(self) -> tuple[tuple[Button, ...], ...]:
        return (
            (button(N_("Yes, I want to use Møteklar"), self.name, "privacy", "yes"),),
            (button(N_("No, thank you"), self.name, "privacy", "no"),),
        )

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
        data = turn.state.view(JoinData)
        person = await turn.entry.register(
            invitation,
            name=data.name,
            locale=turn.locale,
            employer=Employer(data.employer) if data.employer else None,
            workplace=data.workplace,
        )
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
            return [_already_registered(turn, person)]
        await turn.entry.use(invitation)
        return await self._ask_jobseeker(turn, person, invitation)

    async def _jobseeker_joined(
        self, turn: Turn, jobseeker: Person, invitation: Invitation
    ) -> list[Reply]:
        """The jobbspesialist who invited the job seeker is in the circle from the start."""
        specialist = await turn.gate.inviter(invitation)
        if specialist is None or specialist.role is not Role.JOBBSPESIALIST:
            return []
        return await circles.add_inviting_specialist(turn.change, specialist)

    async def _ask_jobseeker(
        self, turn: Turn, member: Person, invitation: Invitation
    ) -> list[Reply]:
        """Put the professional in the circle as waiting, and ask the job seeker for a yes."""
        jobseeker = await turn.gate.circle_owner(invitation)
        if jobseeker is None:
            return [turn.reply("invitation_problem.html", problem=InvitationProblem.REVOKED.value)]
        request = await circles.request_approval(turn.change, jobseeker)
        return [turn.reply("circle/waiting.html", name=jobseeker.name), request]

    async def _decline(self, turn: Turn) -> list[Reply]:
        """No: keep only that the invitation was used, nothing about the person."""
        invitation = await self._invitation(turn)
        if invitation is not None:
            await turn.entry.decline(invitation)
        turn.state.clear()
        turn.state.forget = True
        return [turn.reply("join/declined.html")]

    async def _invitation(self, turn: Turn) -> Invitation | None:
        invitation_id = turn.state.view(JoinData).invitation
        return await turn.entry.get(invitation_id) if invitation_id is not None else None

    async def _gone(self, turn: Turn) -> list[Reply]:
        turn.state.clear()
        return [turn.reply("invitation_problem.html", problem=InvitationProblem.UNKNOWN.value)]


def _already_registered(turn: Turn, person: Person) -> Reply:
    """A link opened by someone already in: what they can do, not a loop back to /start."""
    return turn.reply(
        "join/already_registered.html",
        role=person.role.value,
        commands=commands_for(person.role),
    )
