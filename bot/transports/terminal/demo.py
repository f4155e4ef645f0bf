"""``moteklar demo``: the same engine in a terminal, buttons as numbered choices.

You play one person; the others (Kari, Ola, Per, Nina) are played by a small script that
sends their Inbounds through the same engine. Messages go through the same outbox as in
Telegram: the terminal is the transport that delivers them. What the others receive because of
what you did is shown, marked with their name, so a newcomer sees the whole circle at work.
Reminders due now are sent after each thing you do; ``/spol`` (demo only) jumps ahead to the
next reminder instead of waiting days for it, and shows what everyone got: the demo's clock
(``DemoClock``) moves there, so after the meeting it is after the meeting for everyone.
EOF/Ctrl-D or Ctrl-C ends it cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import re
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot.core.messages import Delivery, Document, Envelope, Inbound, Kind, Outcome, Reply
from bot.core.ports import Clock
from bot.domain.delivery import Attempt, Op
from bot.domain.people import DEFAULT_LOCALE, Role
from bot.transports import Runtime
from bot.transports.terminal.scenario import PEOPLE, Scenario

_TAG = re.compile(r"<[^>]+>")
FAST_FORWARD = "spol"  # "/spol": the demo's own command, jump to the next reminder
_AHEAD = timedelta(days=400)  # how far /spol looks for a reminder


class DemoClock:
    """Another clock, moved ahead by ``/spol``: the demo jumps in time instead of waiting."""

    def __init__(self, base: Clock) -> None:
        self._base = base
        self._ahead = timedelta(0)

    def now(self) -> datetime:
        return self._base.now() + self._ahead

    def move_to(self, moment: datetime) -> None:
        now = self.now()
        if moment > now:
            self._ahead += moment - now


def plain(markup: str) -> str:
    """Telegram HTML → terminal text."""
    return html.unescape(_TAG.sub("", markup))


def demo_roles() -> list[str]:
    """Who one can play; the job seeker first (the default)."""
    return [role.value for role in Role]


def enable_line_editing() -> None:
    """Arrow keys, backspace and history when typing (not "^[[D"), where Python has readline."""
    with contextlib.suppress(ImportError):  # Windows has none
        import readline  # noqa: F401 - importing it is what turns line editing on for input()


def files_folder() -> Path:
    """Where the demo saves the files it receives (a calendar file): kept after the demo."""
    return Path(tempfile.gettempdir()) / "moteklar-demo"


class TerminalDemo:
    def __init__(
        self,
        runtime: Runtime,
        *,
        read_line: Callable[[str], str] = input,
        out: TextIO = sys.stdout,
        role: Role = Role.JOBBSOKER,
        files: Path | None = None,
    ) -> None:
        self._runtime = runtime
        self._read_line = read_line
        self._out = out
        self._role = role
        self._files = files or files_folder()
        self._saved = False
        self._joined = False
        self._player = PEOPLE[role].address
        # Open keyboards, as in Telegram: number -> (message, label, data). A keyboard closes
        # when one of its buttons is pressed; the player's own prompts also close on the next
        # input, while messages from the others (a request to join) stay open until answered.
        self._buttons: dict[int, tuple[int, str, str]] = {}
        self._lasting: set[int] = set()
        self._messages = 0
        self._locale = DEFAULT_LOCALE
        self._scenario = Scenario(runtime, self._deliver, self._narrate)
        self._hinted = False  # told about /spol

    async def run(self) -> None:
        self._show_template("demo/intro.html", name=PEOPLE[self._role].name, role=self._role.value)
        token = await self._scenario.prepare(self._role)
        self._scenario.token = token
        await self._send(Inbound(self._player, Kind.START, text=token))
        await self._scenario.react(self._locale)
        while True:
            try:
                line = await asyncio.to_thread(self._read_line, "> ")
            except (EOFError, KeyboardInterrupt):
                break
            if line.strip().lower() == "/" + FAST_FORWARD:
                await self._fast_forward()
                continue
            inbound, pressed = self._parse(line.strip())
            if inbound is not None:
                outcome = await self._handle(inbound)
                # Typing moves the conversation on: old keyboards close. A button press keeps
                # open the messages from the others (a request to join) until they are
                # answered, and its own message when the press does not end a choice.
                self._close_after(inbound, pressed, outcome)
                await self._deliver()
                await self._scenario.react(self._locale)
                self._joined = await self._scenario.joined()
                await self._remind()
        self._print("")
        self._show_template("demo/bye.html", saved=str(self._files) if self._saved else "")

    def button_number(self, data: str) -> int | None:
        """The number to type for the open button whose data starts with ``data``."""
        return next((n for n, (_, _, d) in self._buttons.items() if d.startswith(data)), None)

    def _parse(self, line: str) -> tuple[Inbound | None, int | None]:
        """What the player did, and for a button press the message it was on."""
        if not line:
            return None, None
        if line.isdigit():
            chosen = self._buttons.get(int(line))
            if chosen is not None:
                message, label, data = chosen
                self._print(f"  → {label}")
                return Inbound(self._player, Kind.BUTTON, data=data), message
            self._show_template("demo/no_such_button.html", count=len(self._buttons))
            return None, None
        if line.startswith("/"):
            head, _, rest = line[1:].partition(" ")
            if head.lower() == "start":
                # In the demo, /start alone opens the demo invitation until the player has
                # joined (as its link would); after that it is Telegram's plain /start.
                start = rest.strip() or ("" if self._joined else self._scenario.token)
                return Inbound(self._player, Kind.START, text=start), None
            command = Inbound(self._player, Kind.COMMAND, text=rest.strip(), command=head.lower())
            return command, None
        return Inbound(self._player, Kind.TEXT, text=line), None

    async def _send(self, inbound: Inbound) -> None:
        await self._handle(inbound)
        await self._deliver()

    async def _handle(self, inbound: Inbound) -> Outcome:
        outcome = await self._runtime.engine.handle(inbound)
        self._locale = outcome.locale
        if outcome.notice is not None:
            self._print(f"  ({self._runtime.renderer.text(outcome.locale, outcome.notice)})")
        return outcome

    async def _deliver(self) -> None:
        """Deliver the outbox, in order: the player's messages in full, and what the others get
        because of something the player did, under their name."""
        deliveries = self._runtime.deliveries
        for address in await deliveries.pending():
            while (delivery := await deliveries.next(address)) is not None:
                self._messages += 1
                self._show_delivery(delivery)
                await deliveries.finish(delivery, Attempt.DELIVERED, [self._messages])

    def _close_after(self, inbound: Inbound, pressed: int | None, outcome: Outcome) -> None:
        kept = pressed if outcome.accepted and not outcome.ends_choice else None
        if inbound.kind is Kind.BUTTON:
            self._close(lambda m: m != kept and (m == pressed or m not in self._lasting))
        else:
            self._close(lambda message: True)

    async def _remind(self) -> None:
        """Send the reminders due by now (a meeting planned today pins its agenda at once);
        the first time some are planned, say how to see them without waiting."""
        reminders = self._runtime.reminders
        for reminder_id, _ in await reminders.due(self._runtime.clock.now()):
            await reminders.fire(reminder_id)
        await self._deliver()
        if not self._hinted and await reminders.due(self._runtime.clock.now() + _AHEAD):
            self._hinted = True
            self._narrate("demo/reminders_hint.html")

    async def _fast_forward(self) -> None:
        """``/spol``: the next reminders, sent as if it were their time now."""
        reminders = self._runtime.reminders
        due = await reminders.due(self._runtime.clock.now() + _AHEAD)
        if not due:
            self._narrate("demo/no_reminders.html")
            return
        moment = due[0][1]
        self._show_template("demo/fast_forward.html", moment=moment)
        clock = self._runtime.clock
        if isinstance(clock, DemoClock):
            clock.move_to(moment)  # it is that time now, for everyone
        for reminder_id, when in due:
            if when == moment:
                await reminders.fire(reminder_id, at=moment)
        await self._deliver()
        await self._scenario.react(self._locale)  # the others do their part, if it is time

    def _close(self, which: Callable[[int], bool]) -> None:
        self._buttons = {n: b for n, b in self._buttons.items() if not which(b[0])}
        self._lasting &= {b[0] for b in self._buttons.values()}

    def _show_delivery(self, delivery: Delivery) -> None:
        if delivery.op in {Op.MENU, Op.LEAVE}:
            # A command menu: Telegram shows it by the text field, the terminal has none.
            # Leaving a group: the terminal has no groups.
            return
        if delivery.op in {Op.PIN, Op.UNPIN}:
            if delivery.address == self._player:
                template = "demo/pinned.html" if delivery.op is Op.PIN else "demo/unpinned.html"
                self._show_template(template)
            return
        if delivery.op is Op.WITHDRAW:
            # In Telegram the copy is deleted (or overwritten when it is old): say so, rather
            # than show the text that would replace it.
            if delivery.address == self._player or delivery.origin == self._player:
                self._show_template("demo/taken_back.html", name=self._name(delivery.address))
            return
        reminder = (delivery.ref or "").startswith("reminder:")
        if delivery.address == self._player:
            lasting = delivery.origin is not None and delivery.origin != self._player
            self._show(delivery.envelope, interactive=True, lasting=lasting)
        elif delivery.origin == self._player or reminder:
            header = Reply(
                "demo/to_someone.html", self._locale, {"name": self._name(delivery.address)}
            )
            self._print("")
            self._print("  " + plain(self._runtime.renderer.render(header).html))
            self._show(delivery.envelope, interactive=False)

    def _show(self, envelope: Envelope, *, interactive: bool, lasting: bool = False) -> None:
        indent = "  " if interactive else "  │ "
        self._print("")
        text = "\n".join((*envelope.parts, envelope.caption or ""))
        for line in plain(text).strip().splitlines():
            self._print(f"{indent}{line}" if line else indent.rstrip())
        if envelope.document is not None and interactive:
            self._print(f"{indent}📎 {self._save(envelope.document)}")
        elif envelope.document is not None:
            self._print(f"{indent}📎 {envelope.document.filename}")
        if envelope.buttons:
            buttons = [button for row in envelope.buttons for button in row]
            first = max(self._buttons, default=0) + 1
            for number, (label, data) in enumerate(buttons, start=first):
                if interactive:
                    self._buttons[number] = (self._messages, label, data)
                marker = f"[{number}]" if interactive else "[ ]"
                self._print(f"{indent} {marker} {label}")
            if lasting:
                self._lasting.add(self._messages)
        if interactive:
            self._print("")

    def _save(self, document: Document) -> str:
        """A file the player received, saved where they can open it; its path, said in words."""
        self._files.mkdir(parents=True, exist_ok=True)
        path = self._files / Path(document.filename).name
        path.write_bytes(document.data)
        self._saved = True
        saved = Reply("demo/file_saved.html", self._locale, {"path": str(path)})
        return plain(self._runtime.renderer.render(saved).html)

    def _narrate(self, template: str) -> None:
        """A word from the demo itself (not a message from Møteklar)."""
        self._show_template(template)

    def _show_template(self, template: str, **context: object) -> None:
        rendered = self._runtime.renderer.render(Reply(template, self._locale, context))
        self._show(Envelope((rendered.html,), rendered.buttons), interactive=True)

    def _print(self, text: str) -> None:
        print(text, file=self._out, flush=True)

    def _name(self, address: str) -> str:
        """Whose address it is; empty for the player."""
        if address == self._player:
            return ""
        return next((p.name for p in PEOPLE.values() if p.address == address), address)
