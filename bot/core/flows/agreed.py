"""``/avtalt`` for everyone but the jobbspesialist who writes it down (``record``): what was
agreed, and one's own tasks. For the job seeker it is theirs to share: person by person they
see exactly what each would get and say yes, as with the agenda (``/deling``).

```mermaid
stateDiagram-v2
    [*] --> overview: /avtalt, or "Se hva Per får" on what Kari sent
    overview --> preview: "Se hva Per får"
    preview --> preview: tick or untick a task, the next meeting, the text for their records
    preview --> overview: "Del med Per" (sent now) or "Tilbake"
    overview --> take: "Trekk tilbake fra Per"
    take --> overview: yes (withdrawn, Per is told) or no
```
A behandler or Nav-veileder sees what job seekers shared with them, their own tasks first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, in_place
from bot.core.flows.preparation.views import bank_of
from bot.core.flows.record import RecordFlow
from bot.core.messages import Button, Reply
from bot.core.services import aftercare, agreements
from bot.core.services.copies import recipient_of
from bot.core.state import FlowData
from bot.core.text import N_, Boxed, Plain, Text, short
from bot.domain.agreements import Agreement, Task
from bot.domain.consent import Consent, Share, agreed_carried_over, agreed_proposal
from bot.domain.meetings import Meeting
from bot.domain.people import Person, Role

NAME = "agreed"
_SHOWN_RECEIVED = 3


@dataclass
class AgreedData(FlowData):
    agreement: int | None = None
    recipient: int | None = None
    keys: list[str] = field(default_factory=list)  # ticked in the preview
    journal: bool = False


class AvtaltCommand:
    """``/avtalt``: the jobbspesialist writes down what was agreed; everyone else sees it."""

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        if turn.me.role is Role.JOBBSPESIALIST:
            return await RecordFlow().begin(turn, command, args)
        return await AgreedFlow().begin(turn, command, args)


class AgreedFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        if me.role is not Role.JOBBSOKER:
            return await self._received(turn)
        newest = await self._newest_sent(turn)
        if newest is None:
            last = await aftercare.last_time(turn.change, bank_of(turn.installation))
            if last is not None and last.tasks:
                people = await turn.gate.names(me, me.id)
                shown = aftercare.shown(last, people, me)
                return [Reply("agreed/carried.html", turn.locale, shown)]
            return [turn.reply("agreed/nothing.html")]
        turn.state.go(NAME, "overview")
        turn.state.view(AgreedData).agreement = newest.id
        return await self.prompt(turn)

    async def pick(self, turn: Turn, agreement_id: int, person_id: int) -> list[Reply]:
        """ "Se hva Per får" on the message with what was agreed."""
        agreement = await turn.gate.agreement(turn.me, agreement_id)
        if agreement.jobseeker_id != turn.me.id:
            raise NotAllowed
        turn.state.clear()
        turn.state.go(NAME, "overview")
        turn.state.view(AgreedData).agreement = agreement.id
        return await self._pick(turn, person_id)

    async def prompt(self, turn: Turn) -> list[Reply]:
        step = turn.state.step
        if step == "preview":
            return [await self._preview(turn)]
        if step == "take":
            recipient = await self._recipient(turn)
            rows = (
                (button(N_("Yes, withdraw it"), NAME, "take", "yes"),),
                (button(N_("No, leave it"), NAME, "take", "no"),),
            )
            return [turn.reply("agreed/confirm_withdraw.html", rows, name=recipient.name)]
        return [await self._overview(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(AgreedData)
        if step == "overview":
            verb, _, who = value.partition("-")
            if verb == "pick":
                return await self._pick(turn, button_id(who))
            if verb == "take":
                recipient = await self._member(turn, button_id(who))
                if await self._active(turn, recipient.id) is None:
                    raise StaleButton(value)
                data.recipient = recipient.id
                turn.state.go(NAME, "take")
                return await self.prompt(turn)
            raise StaleButton(value)
        if step == "preview" and value == "back":
            turn.state.go(NAME, "overview")
            return await self.prompt(turn)
        if step == "preview" and value == "journal":
            data.journal = not data.journal
            return in_place(await self.prompt(turn))
        if step == "preview" and value == "send":
            return await self._share(turn)
        if step == "preview":
            agreement = await self._agreement(turn)
            index = button_id(value)
            if index >= len(agreement.items):
                raise StaleButton(step)
            data.keys = sorted(set(data.keys) ^ {agreement.items[index].key})
            return in_place(await self.prompt(turn))
        if step == "take" and value in {"yes", "no"}:
            replies: list[Reply] = []
            if value == "yes":
                recipient = await self._recipient(turn)
                active = await self._active(turn, recipient.id)
                if active is None:
                    raise StaleButton(step)
                notices = await agreements.withdraw(turn.change, active, recipient)
                replies = [turn.reply("share/withdrawn.html", name=recipient.name), *notices]
            turn.state.go(NAME, "overview")
            return [*replies, *await self.prompt(turn)]
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]

    # -- the job seeker's overview, preview and share ------------------------------------------

    async def _overview(self, turn: Turn) -> Reply:
        me = turn.me
        agreement = await self._agreement(turn)
        meeting = await turn.gate.meeting(me, agreement.meeting_id)
        context = await agreements.view_context(turn.change, me, agreement, meeting, viewer=me)
        del context["name"]  # it is theirs: "you"
        log = [s for s in await turn.gate.own_agreement_shares(me) if s.meeting_id == meeting.id]
        people, rows = [], []
        for person in await agreements.recipients(turn.change, meeting, agreement):
            latest = next((s for s in log if s.recipient_id == person.id), None)
            status = "not_shared"
            if latest is not None and latest.active:
                status = "read" if latest.read_at else "shared"
            elif latest is not None:
                status = "withdrawn"
            people.append(
                {
                    "name": person.name,
                    "role": person.role.value,
                    "status": status,
                    "older": latest is not None
                    and latest.active
                    and latest.version_id != agreement.id,
                }
            )
            label = N_("See what %(name)s gets", name=person.name)
            rows.append((button(label, NAME, "overview", f"pick-{person.id}"),))
            if latest is not None and latest.active:
                label = N_("Withdraw from %(name)s", name=person.name)
                rows.append((button(label, NAME, "overview", f"take-{person.id}"),))
        author = await self._author(turn, agreement)
        return turn.reply(
            "agreed/overview.html", tuple(rows), **context, people=people, author=author
        )

    async def _pick(self, turn: Turn, person_id: int) -> list[Reply]:
        data = turn.state.view(AgreedData)
        recipient = await self._member(turn, person_id)
        data.recipient = recipient.id
        consent = await self._proposal(turn, recipient)
        data.keys, data.journal = sorted(consent.keys), consent.journal
        turn.state.go(NAME, "preview")
        return await self.prompt(turn)

    async def _preview(self, turn: Turn) -> Reply:
        data = turn.state.view(AgreedData)
        me, agreement = turn.me, await self._agreement(turn)
        recipient = await self._recipient(turn)
        consent = Consent(recipient.id, agreement.id, frozenset(data.keys), data.journal)
        rows: list[tuple[Button, ...]] = [
            (button(Boxed(_label(item), item.key in consent.keys), NAME, "preview", n),)
            for n, item in enumerate(agreement.items)
        ]
        journal = Boxed(N_("A text for their own records"), data.journal)
        rows.append((button(journal, NAME, "preview", "journal"),))
        rows.append(
            (
                button(N_("‹ Back"), NAME, "preview", "back"),
                button(N_("Share with %(name)s", name=recipient.name), NAME, "preview", "send"),
            )
        )
        context = await agreements.copy_context(turn.change, me, recipient, agreement, consent)
        return turn.reply(
            "agreed/preview.html",
            tuple(rows),
            **context,
            recipient=recipient.name,
            recipient_role=recipient.role.value,
        )

    async def _share(self, turn: Turn) -> list[Reply]:
        data = turn.state.view(AgreedData)
        agreement, recipient = await self._agreement(turn), await self._recipient(turn)
        consent = Consent(recipient.id, agreement.id, frozenset(data.keys), data.journal)
        _, notices = await agreements.share(turn.change, agreement, recipient, consent)
        turn.state.go(NAME, "overview")
        done = turn.reply("agreed/shared.html", name=recipient.name, count=len(consent.keys))
        return [done, *notices, *await self.prompt(turn)]

    async def _proposal(self, turn: Turn, recipient: Person) -> Consent:
        """As last shared with this person where the parts are the same; else as proposed."""
        agreement = await self._agreement(turn)
        earlier = await self._active(turn, recipient.id)
        if earlier is None:
            return agreed_proposal(agreement, recipient_of(recipient))
        if earlier.version_id == agreement.id:
            return Consent(recipient.id, agreement.id, earlier.keys, earlier.journal)
        before = await turn.gate.agreement(turn.me, earlier.version_id)
        previous = Consent(recipient.id, before.id, earlier.keys, earlier.journal)
        return agreed_carried_over(previous, before, agreement, recipient_of(recipient))

    # -- a behandler's or Nav-veileder's /avtalt --------------------------------------------

    async def _received(self, turn: Turn) -> list[Reply]:
        me = turn.me
        received = await turn.gate.received_agreements(me)
        if not received:
            return [turn.reply("agreed/nothing_for_you.html")]
        replies = [turn.reply("agreed/received_header.html", count=len(received))]
        for share, agreement in received[:_SHOWN_RECEIVED]:
            jobseeker = await turn.gate.jobseeker(me, share.jobseeker_id)
            consent = Consent(me.id, agreement.id, share.keys, share.journal)
            context = await agreements.copy_context(turn.change, jobseeker, me, agreement, consent)
            replies.append(Reply("agreed/copy.html", turn.locale, context, protect=True))
        return replies

    # -- what the state names ---------------------------------------------------------------

    async def _newest_sent(self, turn: Turn) -> Agreement | None:
        me = turn.me
        held = sorted(
            (m for m in await turn.gate.meetings_of(me) if m.held(turn.now)),
            key=lambda m: m.starts_at,
            reverse=True,
        )
        for meeting in held:
            sent = await turn.gate.agreements(me, meeting)
            if sent:
                return sent[-1]
        return None

    async def _agreement(self, turn: Turn) -> Agreement:
        agreement_id = turn.state.view(AgreedData).agreement
        if agreement_id is None:
            raise StaleButton("agreement")
        agreement = await turn.gate.agreement(turn.me, agreement_id)
        if agreement.jobseeker_id != turn.me.id:
            raise NotAllowed
        return agreement

    async def _meeting(self, turn: Turn) -> Meeting:
        agreement = await self._agreement(turn)
        return await turn.gate.meeting(turn.me, agreement.meeting_id)

    async def _member(self, turn: Turn, person_id: int) -> Person:
        agreement = await self._agreement(turn)
        meeting = await turn.gate.meeting(turn.me, agreement.meeting_id)
        for person in await agreements.recipients(turn.change, meeting, agreement):
            if person.id == person_id:
                return person
        raise NotAllowed

    async def _recipient(self, turn: Turn) -> Person:
        recipient_id = turn.state.view(AgreedData).recipient
        if recipient_id is None:
            raise StaleButton("recipient")
        return await self._member(turn, recipient_id)

    async def _active(self, turn: Turn, recipient_id: int) -> Share | None:
        meeting = await self._meeting(turn)
        return next(
            (
                s
                for s in await turn.gate.own_agreement_shares(turn.me)
                if s.active and s.recipient_id == recipient_id and s.meeting_id == meeting.id
            ),
            None,
        )

    async def _author(self, turn: Turn, agreement: Agreement) -> str:
        people = await turn.gate.names(turn.me, turn.me.id)
        author = people.get(agreement.author_id or 0)
        return author.name if author else ""


class AgreedActions:
    """The job seeker's buttons on what the jobbspesialist sent (prefix ``ao``)."""

    prefix = agreements.OPEN

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        if verb != "pick":
            raise StaleButton(verb)
        agreement_id, _, person_id = value.partition("-")
        return await AgreedFlow().pick(turn, button_id(agreement_id), button_id(person_id))


class AgreedReadActions:
    """ "Lest" under a copy of what was agreed (prefix ``ar``)."""

    prefix = agreements.READ

    async def on_action(self, turn: Turn, verb: str, value: str) -> list[Reply]:
        if verb != "read":
            raise StaleButton(verb)
        share = await turn.gate.received_agreement_share(turn.me, button_id(value))
        jobseeker = await turn.gate.jobseeker(turn.me, share.jobseeker_id)
        notices = await agreements.mark_read(turn.change, share, jobseeker)
        return [turn.reply("share/marked_read.html", name=jobseeker.name), *notices]


def _label(item: object) -> Text | Plain:
    if isinstance(item, Task):
        return Plain(f"{item.number}. {short(item.text)}")
    return N_("The next meeting")
