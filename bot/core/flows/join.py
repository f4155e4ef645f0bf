"""First contact through an invitation: language, name, employer, then registered.

```mermaid
stateDiagram-v2
    [*] --> lang: /start <token>
    lang --> name: language chosen
    name --> employer: "Ja, det er meg"
    name --> name_input: "Nei"
    name_input --> employer: a name typed
    employer --> [*]: registered, welcome
```
Every step is stored, so a restart of the bot continues where the person was.
"""

from __future__ import annotations

from bot.core.buttons import button
from bot.core.commands import commands_for
from bot.core.flows.base import StaleButton, Turn
from bot.core.messages import Reply
from bot.core.text import N_
from bot.domain.invitations import Invitation, InvitationProblem, hash_token, is_payload
from bot.domain.people import Employer, Locale, Role, clean_name

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
# Roles whose employer decides what is proposed to them when a job seeker shares.
_ASKS_EMPLOYER = {Role.JOBBSPESIALIST}


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
        problem = invitation.problem_for(turn.address, turn.now)
        if problem is not None:
            return [turn.reply("invitation_problem.html", problem=problem.value)]
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
        invitation = await self._invitation(turn)
        rows = tuple(
            (button(label, self.name, "employer", employer.value),)
            for employer, label in EMPLOYER_LABELS.items()
        )
        suggested = invitation.employer.value if invitation and invitation.employer else None
        return [turn.reply("join/ask_employer.html", rows, suggested=suggested)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        if turn.state.step != "name_input":
            return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]
        name = clean_name(text)
        if name is None:
            return [turn.reply("join/name_invalid.html"), *await self.prompt(turn)]
        turn.state.data["name"] = name
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
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("join/cancelled.html")]

    async def _after_name(self, turn: Turn) -> list[Reply]:
        invitation = await self._invitation(turn)
        if invitation is None:
            return await self._gone(turn)
        if invitation.role in _ASKS_EMPLOYER:
            turn.state.go(self.name, "employer")
            return await self.prompt(turn)
        return await self._finish(turn)

    async def _finish(self, turn: Turn) -> list[Reply]:
        invitation = await self._invitation(turn)
        if invitation is None:
            return await self._gone(turn)
        problem = invitation.problem_for(turn.address, turn.now)
        if problem is not None:
            turn.state.clear()
            return [turn.reply("invitation_problem.html", problem=problem.value)]
        employer = turn.state.data.get("employer")
        person = await turn.uow.people.add(
            role=invitation.role,
            name=turn.state.data["name"],
            locale=turn.locale,
            address=turn.address,
            created_at=turn.now,
            employer=Employer(employer) if employer else None,
            team=invitation.team,
        )
        await turn.uow.invitations.mark_used(invitation.id, turn.now)
        turn.person = person
        turn.state.clear()
        return [
            turn.reply(
                "join/welcome.html",
                name=person.name,
                role=person.role.value,
                commands=commands_for(person.role),
            )
        ]

    async def _invitation(self, turn: Turn) -> Invitation | None:
        invitation_id = turn.state.data.get("invitation")
        if not isinstance(invitation_id, int):
            return None
        return await turn.uow.invitations.get(invitation_id)

    async def _gone(self, turn: Turn) -> list[Reply]:
        turn.state.clear()
        return [turn.reply("invitation_problem.html", problem=InvitationProblem.UNKNOWN.value)]
