"""``/deling``: the job seeker decides, person by person, exactly what each one gets.

```mermaid
stateDiagram-v2
    [*] --> overview: /deling (the next meeting; the agenda as it is now, kept as a version)
    overview --> preview: "Se hva Per får"
    preview --> preview: tick or untick a point, the text for their records
    preview --> overview: "Del med Per" (sent now) or "Tilbake"
    overview --> take: "Trekk tilbake fra Per"
    take --> overview: yes (withdrawn, Per is told) or no
```
Nothing is sent before the yes for that person. The preview is the copy itself, from the same
template and the same items (``bot.core.services.copies``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.core.access import NotAllowed
from bot.core.buttons import button
from bot.core.flows.base import StaleButton, Turn, button_id, in_place
from bot.core.flows.preparation import current_preparation
from bot.core.messages import AgendaFile, Button, Reply
from bot.core.services import preparation as preparations
from bot.core.services import sharing
from bot.core.services.copies import preview_reply, recipient_of
from bot.core.state import FlowData
from bot.core.text import N_, BankText, Boxed, Text
from bot.domain.agenda import AgendaVersion, Item
from bot.domain.consent import Consent, Share, carried_over, proposal
from bot.domain.delivery import DeliveryStatus
from bot.domain.meetings import Meeting
from bot.domain.people import Person, Role

NAME = "share"
_KIND_LABELS: dict[str, Text] = {
    "purpose": N_("What I want from the meeting"),
    "situation": N_("How things are going"),
    "not_this_time": N_("Not this time"),
}
_SHOWN_IN_LOG = 10


@dataclass
class ShareData(FlowData):
    meeting: int | None = None
    version: int | None = None
    recipient: int | None = None
    keys: list[str] = field(default_factory=list)  # ticked in the preview
    journal: bool = False


class SharingFlow:
    name = NAME

    async def begin(self, turn: Turn, command: str, args: str) -> list[Reply]:
        me = turn.me
        meeting = await _next_meeting(turn)
        if meeting is None:
            return [turn.reply("share/no_meeting.html")]
        preparation = await current_preparation(turn, me.id)
        bank = {t.id: t for t in turn.installation.topics}
        version = (
            await preparations.snapshot(turn.change, preparation, bank) if preparation else None
        )
        if version is None:
            return [turn.reply("share/nothing_yet.html")]
        if not await turn.gate.share_recipients(me, meeting):
            return [turn.reply("share/no_one.html")]
        turn.state.go(NAME, "overview")
        data = turn.state.view(ShareData)
        data.meeting, data.version = meeting.id, version.id
        return await self.prompt(turn)

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
            return [turn.reply("share/confirm_withdraw.html", rows, name=recipient.name)]
        return [await self._overview(turn)]

    async def on_text(self, turn: Turn, text: str) -> list[Reply]:
        return [turn.say(N_("Please choose one of the buttons.")), *await self.prompt(turn)]

    async def on_button(self, turn: Turn, step: str, value: str) -> list[Reply]:
        data = turn.state.view(ShareData)
        if step == "overview":
            return await self._on_overview(turn, value)
        if step == "preview" and value == "back":
            turn.state.go(NAME, "overview")
            return await self.prompt(turn)
        if step == "preview" and value == "journal":
            data.journal = not data.journal
            return in_place(await self.prompt(turn))
        if step == "preview" and value == "send":
            return await self._share(turn)
        if step == "preview":
            version = await self._version(turn)
            index = button_id(value)
            if index >= len(version.items):
                raise StaleButton(step)
            data.keys = sorted(set(data.keys) ^ {version.items[index].key})
            return in_place(await self.prompt(turn))
        if step == "take" and value in {"yes", "no"}:
            replies = await self._withdraw(turn) if value == "yes" else []
            turn.state.go(NAME, "overview")
            return [*replies, *await self.prompt(turn)]
        raise StaleButton(step)

    async def on_cancel(self, turn: Turn) -> list[Reply]:
        return [turn.reply("cancelled.html")]

    # -- the overview ----------------------------------------------------------------------------

    async def _on_overview(self, turn: Turn, value: str) -> list[Reply]:
        data = turn.state.view(ShareData)
        verb, _, who = value.partition("-")
        if verb == "pdf":
            return [await self._pdf(turn)]
        if verb in {"hide", "show"}:
            await sharing.show_status(turn.change, verb == "show")
            return in_place(await self.prompt(turn))
        recipient = await self._member(turn, button_id(who))
        data.recipient = recipient.id
        if verb == "take":
            if not await self._active_share(turn, recipient.id):
                raise StaleButton("take")
            turn.state.go(NAME, "take")
            return await self.prompt(turn)
        if verb != "pick":
            raise StaleButton(verb)
        consent = await self._proposal(turn, recipient)
        data.keys, data.journal = sorted(consent.keys), consent.journal
        turn.state.go(NAME, "preview")
        return await self.prompt(turn)

    async def _overview(self, turn: Turn) -> Reply:
        me, meeting, version = turn.me, await self._meeting(turn), await self._version(turn)
        recipients = await turn.gate.share_recipients(me, meeting)
        log = [s for s in await turn.gate.own_shares(me) if s.meeting_id == meeting.id]
        numbers = {v.id: v.number for v in await turn.gate.own_versions(me, version.preparation_id)}
        names = {p.id: p.name for p in recipients}
        people, rows = [], []
        for person in recipients:
            latest = next((s for s in log if s.recipient_id == person.id), None)
            status = "not_shared"
            if latest is not None and latest.active:
                delivery = await sharing.delivery_status(turn.change, latest)
                status = _shown_status(delivery, latest.read_at is not None)
            elif latest is not None:
                status = "withdrawn"
            people.append(
                {
                    "name": person.name,
                    "role": person.role.value,
                    "status": status,
                    "older": latest is not None
                    and latest.active
                    and latest.version_id != version.id,
                }
            )
            rows.append(
                (
                    button(
                        N_("See what %(name)s gets", name=person.name),
                        NAME,
                        "overview",
                        f"pick-{person.id}",
                    ),
                )
            )
            if latest is not None and latest.active:
                rows.append(
                    (
                        button(
                            N_("Withdraw from %(name)s", name=person.name),
                            NAME,
                            "overview",
                            f"take-{person.id}",
                        ),
                    )
                )
        rows.append((button(N_("My agenda as a PDF"), NAME, "overview", "pdf"),))
        specialists = [p for p in recipients if p.role is Role.JOBBSPESIALIST]
        if specialists:
            label = (
                N_("Hide how far I have come from %(name)s", name=specialists[0].name)
                if me.shows_prep_status
                else N_("Let %(name)s see how far I have come", name=specialists[0].name)
            )
            verb = "hide" if me.shows_prep_status else "show"
            rows.append((button(label, NAME, "overview", verb),))
        entries = [
            {
                "name": names.get(s.recipient_id or 0),
                "role": s.recipient_role.value,
                "version": numbers.get(s.version_id, 0),
                "count": len(s.keys),
                "shared_at": s.shared_at,
                "read_at": s.read_at,
                "status": s.status.value,
                "ended_at": s.ended_at,
            }
            for s in log[:_SHOWN_IN_LOG]
        ]
        return turn.reply(
            "share/overview.html",
            tuple(rows),
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
            people=people,
            log=entries,
            version=version.number,
            specialist=specialists[0].name if specialists else None,
            shows_status=me.shows_prep_status,
        )

    # -- the preview, the share, the withdrawal ------------------------------------------------

    async def _preview(self, turn: Turn) -> Reply:
        data = turn.state.view(ShareData)
        me, meeting, version = turn.me, await self._meeting(turn), await self._version(turn)
        recipient = await self._recipient(turn)
        consent = Consent(recipient.id, version.id, frozenset(data.keys), data.journal)
        rows: list[tuple[Button, ...]] = [
            (button(Boxed(_item_label(item), item.key in consent.keys), NAME, "preview", n),)
            for n, item in enumerate(version.items)
        ]
        journal = Boxed(N_("A text for their own records"), data.journal)
        rows.append((button(journal, NAME, "preview", "journal"),))
        rows.append(
            (
                button(N_("‹ Back"), NAME, "preview", "back"),
                button(N_("Share with %(name)s", name=recipient.name), NAME, "preview", "send"),
            )
        )
        attending = [me, *await turn.gate.share_recipients(me, meeting)]
        return preview_reply(me, recipient, version, consent, meeting, attending, tuple(rows))

    async def _share(self, turn: Turn) -> list[Reply]:
        data = turn.state.view(ShareData)
        meeting, version = await self._meeting(turn), await self._version(turn)
        recipient = await self._recipient(turn)
        consent = Consent(recipient.id, version.id, frozenset(data.keys), data.journal)
        _, notices = await sharing.share(turn.change, meeting, version, recipient, consent)
        turn.state.go(NAME, "overview")
        done = turn.reply("share/shared.html", name=recipient.name, count=len(consent.keys))
        return [done, *notices, *await self.prompt(turn)]

    async def _withdraw(self, turn: Turn) -> list[Reply]:
        recipient = await self._recipient(turn)
        active = await self._active_share(turn, recipient.id)
        if active is None:
            raise StaleButton("take")
        notices = await sharing.withdraw(turn.change, active, recipient)
        return [turn.reply("share/withdrawn.html", name=recipient.name), *notices]

    async def _pdf(self, turn: Turn) -> Reply:
        me, meeting, version = turn.me, await self._meeting(turn), await self._version(turn)
        file = AgendaFile(
            me.name,
            version.items,
            meeting.starts_at,
            meeting.ends_at,
            meeting.place,
            me.team or "default",
            meeting.kind.value,
        )
        return Reply(
            "share/pdf.html", turn.locale, {"starts_at": meeting.starts_at}, attachment=file
        )

    # -- what the state names -------------------------------------------------------------------

    async def _proposal(self, turn: Turn, recipient: Person) -> Consent:
        """What is ticked at first: as last shared with this person where the points are the
        same, otherwise as the consent rules propose."""
        version = await self._version(turn)
        earlier = await self._active_share(turn, recipient.id)
        if earlier is None:
            return proposal(version, recipient_of(recipient))
        if earlier.version_id == version.id:
            return Consent(recipient.id, version.id, earlier.keys, earlier.journal)
        before = await turn.gate.own_version(turn.me, earlier.version_id)
        previous = Consent(recipient.id, before.id, earlier.keys, earlier.journal)
        return carried_over(previous, before, version, recipient_of(recipient))

    async def _active_share(self, turn: Turn, recipient_id: int) -> Share | None:
        meeting_id = turn.state.view(ShareData).meeting
        return next(
            (
                s
                for s in await turn.gate.own_shares(turn.me)
                if s.active and s.recipient_id == recipient_id and s.meeting_id == meeting_id
            ),
            None,
        )

    async def _meeting(self, turn: Turn) -> Meeting:
        meeting_id = turn.state.view(ShareData).meeting
        if meeting_id is None:
            raise StaleButton("meeting")
        meeting = await turn.gate.meeting(turn.me, meeting_id)
        if not meeting.upcoming(turn.now):
            raise StaleButton("meeting")
        return meeting

    async def _version(self, turn: Turn) -> AgendaVersion:
        version_id = turn.state.view(ShareData).version
        if version_id is None:
            raise StaleButton("version")
        return await turn.gate.own_version(turn.me, version_id)

    async def _member(self, turn: Turn, person_id: int) -> Person:
        """Someone the job seeker may share with for this meeting; refused otherwise."""
        meeting = await self._meeting(turn)
        for person in await turn.gate.share_recipients(turn.me, meeting):
            if person.id == person_id:
                return person
        raise NotAllowed

    async def _recipient(self, turn: Turn) -> Person:
        recipient_id = turn.state.view(ShareData).recipient
        if recipient_id is None:
            raise StaleButton("recipient")
        return await self._member(turn, recipient_id)


async def _next_meeting(turn: Turn) -> Meeting | None:
    meetings = [m for m in await turn.gate.meetings_of(turn.me) if m.upcoming(turn.now)]
    return next((m for m in meetings if m.jobseeker_id == turn.me.id), None)


def _item_label(item: Item) -> Text | BankText:
    if item.kind == "topic":
        return BankText(f"topics.{item.topic}.label")
    return _KIND_LABELS[item.kind]


def _shown_status(delivery: DeliveryStatus | None, read: bool) -> str:
    if read:
        return "read"
    if delivery in {DeliveryStatus.QUEUED, DeliveryStatus.SENDING, None}:
        return "sending"
    if delivery is DeliveryStatus.SENT:
        return "delivered"
    if delivery is DeliveryStatus.UNREACHABLE:
        return "unreachable"
    return "unknown"
