"""``moteklar demo``: the same engine in a terminal, buttons as numbered choices.

You play one person; the others (Kari, Ola, Per, Nina) are played by a small script that
sends their Inbounds through the same engine. What the others receive is shown, marked with
their name, so a newcomer sees the whole circle at work. EOF/Ctrl-D or Ctrl-C ends it cleanly.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core.messages import Inbound, Kind, Outcome, Reply
from bot.domain.people import DEFAULT_LOCALE, Role
from bot.transports import Runtime
from bot.transports.terminal.scenario import PEOPLE, Scenario

_TAG = re.compile(r"<[^>]+>")


def plain(markup: str) -> str:
    """Telegram HTML → terminal text."""
    return html.unescape(_TAG.sub("", markup))


def demo_roles() -> list[str]:
    return [Role.JOBBSOKER.value, Role.JOBBSPESIALIST.value]


class TerminalDemo:
    def __init__(
        self,
        runtime: Runtime,
        *,
        read_line: Callable[[str], str] = input,
        out: TextIO = sys.stdout,
        role: Role = Role.JOBBSOKER,
    ) -> None:
        self._runtime = runtime
        self._read_line = read_line
        self._out = out
        self._role = role
        self._player = PEOPLE[role].address
        # Open keyboards, as in Telegram: number -> (message, label, data). A keyboard closes
        # when one of its buttons is pressed; the player's own prompts also close on the next
        # input, while messages from the others (a request to join) stay open until answered.
        self._buttons: dict[int, tuple[int, str, str]] = {}
        self._lasting: set[int] = set()
        self._messages = 0
        self._locale = DEFAULT_LOCALE
        self._scenario = Scenario(runtime, self._player, self._show_lasting)

    async def run(self) -> None:
        self._show_template("demo/intro.html", name=PEOPLE[self._role].name, role=self._role.value)
        token = await self._scenario.prepare(self._role)
        self._scenario.token = token
        await self._send(Inbound(self._player, Kind.START, text=token))
        await self._scenario.react()
        while True:
            try:
                line = await asyncio.to_thread(self._read_line, "> ")
            except (EOFError, KeyboardInterrupt):
                break
            inbound = self._parse(line.strip())
            if inbound is not None:
                # Typing moves the conversation on: old keyboards close. A button press keeps
                # open the messages from the others (a request to join) until they are answered.
                if inbound.kind is Kind.BUTTON:
                    self._close(lambda message: message not in self._lasting)
                else:
                    self._close(lambda message: True)
                await self._send(inbound)
                await self._scenario.react()
        self._print("")
        self._show_template("demo/bye.html")

    def _parse(self, line: str) -> Inbound | None:
        if not line:
            return None
        if line.isdigit():
            chosen = self._buttons.get(int(line))
            if chosen is not None:
                message, label, data = chosen
                self._close(lambda other: other == message)
                self._print(f"  → {label}")
                return Inbound(self._player, Kind.BUTTON, data=data)
            self._show_template("demo/no_such_button.html", count=len(self._buttons))
            return None
        if line.startswith("/"):
            head, _, rest = line[1:].partition(" ")
            if head.lower() == "start":
                # In the demo, /start alone opens the demo invitation again, like its link would.
                return Inbound(self._player, Kind.START, text=rest.strip() or self._scenario.token)
            return Inbound(self._player, Kind.COMMAND, text=rest.strip(), command=head.lower())
        return Inbound(self._player, Kind.TEXT, text=line)

    async def _send(self, inbound: Inbound) -> None:
        self._show_outcome(await self._runtime.engine.handle(inbound), inbound.address)

    def _close(self, which: Callable[[int], bool]) -> None:
        self._buttons = {n: b for n, b in self._buttons.items() if not which(b[0])}
        self._lasting &= {b[0] for b in self._buttons.values()}

    def _show_lasting(self, outcome: Outcome, sender: str) -> None:
        before = self._messages
        self._show_outcome(outcome, sender)
        self._lasting |= set(range(before + 1, self._messages + 1))

    def _show_outcome(self, outcome: Outcome, sender: str) -> None:
        """Show what the player gets in full, and what others get under their name."""
        if sender == self._player:
            self._locale = outcome.locale
            if outcome.notice is not None:
                self._print(f"  ({self._runtime.renderer.text(outcome.locale, outcome.notice)})")
        for reply in outcome.replies:
            to = reply.address or sender
            if to == self._player:
                self._show(reply, interactive=True)
            elif reply.address is not None:
                header = Reply("demo/to_someone.html", self._locale, {"name": _name_of(to)})
                self._print("")
                self._print("  " + plain(self._runtime.renderer.render(header).html))
                self._show(reply, interactive=False)

    def _show(self, reply: Reply, *, interactive: bool) -> None:
        rendered = self._runtime.renderer.render(reply)
        indent = "  " if interactive else "  │ "
        self._print("")
        for line in plain(rendered.html).splitlines():
            self._print(f"{indent}{line}" if line else indent.rstrip())
        if reply.attachment is not None:
            name, content = self._runtime.renderer.calendar_file(
                reply.locale, reply.attachment, self._runtime.clock.now()
            )
            self._print(f"{indent}📎 {name} ({len(content)} bytes)")
        if rendered.buttons:
            buttons = [button for row in rendered.buttons for button in row]
            self._messages += 1
            first = max(self._buttons, default=0) + 1
            for number, (label, data) in enumerate(buttons, start=first):
                if interactive:
                    self._buttons[number] = (self._messages, label, data)
                marker = f"[{number}]" if interactive else "[ ]"
                self._print(f"{indent} {marker} {label}")
        if interactive:
            self._print("")

    def _show_template(self, template: str, **context: object) -> None:
        self._show(Reply(template, self._locale, context), interactive=True)

    def _print(self, text: str) -> None:
        print(text, file=self._out, flush=True)


def _name_of(address: str) -> str:
    return next((p.name for p in PEOPLE.values() if p.address == address), address)
