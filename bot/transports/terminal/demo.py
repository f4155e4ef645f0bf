"""``moteklar demo``: the same engine in a terminal, buttons as numbered choices.

It plays a scripted start (an operator invites Kari), then hands the keyboard to the newcomer.
EOF/Ctrl-D or Ctrl-C ends it cleanly.
"""

from __future__ import annotations

import asyncio
import html
import re
import sys
from collections.abc import Callable
from typing import TextIO

from bot.core.invitations import create_invitation
from bot.core.messages import Inbound, Kind, Outcome, Reply
from bot.domain.people import DEFAULT_LOCALE, Employer, Role
from bot.transports import Runtime

ADDRESS_PREFIX = "terminal:"
_TAG = re.compile(r"<[^>]+>")

DEMO_PEOPLE = {Role.JOBBSPESIALIST: ("kari", "Kari Nordmann")}


def plain(markup: str) -> str:
    """Telegram HTML → terminal text."""
    return html.unescape(_TAG.sub("", markup))


class TerminalDemo:
    def __init__(
        self,
        runtime: Runtime,
        *,
        read_line: Callable[[str], str] = input,
        out: TextIO = sys.stdout,
        role: Role = Role.JOBBSPESIALIST,
    ) -> None:
        self._runtime = runtime
        self._read_line = read_line
        self._out = out
        self._role = role
        slug, self._name = DEMO_PEOPLE[role]
        self._address = ADDRESS_PREFIX + slug
        self._buttons: list[tuple[str, str]] = []
        self._locale = DEFAULT_LOCALE
        self._token = ""

    async def run(self) -> None:
        self._show_template("demo/intro.html", name=self._name)
        self._token = await self._invite()
        await self._send(Inbound(self._address, Kind.START, text=self._token))
        while True:
            try:
                line = await asyncio.to_thread(self._read_line, "> ")
            except (EOFError, KeyboardInterrupt):
                break
            inbound = self._parse(line.strip())
            if inbound is not None:
                await self._send(inbound)
        self._print("")
        self._show_template("demo/bye.html")

    async def _invite(self) -> str:
        async with self._runtime.uow_factory() as uow:
            token = await create_invitation(
                uow, self._runtime.clock, role=self._role, name=self._name, employer=Employer.NAV
            )
            await uow.commit()
        return token

    def _parse(self, line: str) -> Inbound | None:
        if not line:
            return None
        if line.isdigit():
            index = int(line) - 1
            if 0 <= index < len(self._buttons):
                label, data = self._buttons[index]
                self._buttons = []  # like Telegram, a pressed keyboard closes
                self._print(f"  → {label}")
                return Inbound(self._address, Kind.BUTTON, data=data)
            self._show_template("demo/no_such_button.html", count=len(self._buttons))
            return None
        if line.startswith("/"):
            head, _, rest = line[1:].partition(" ")
            if head.lower() == "start":
                # In the demo, /start alone opens the demo invitation again, like its link would.
                return Inbound(self._address, Kind.START, text=rest.strip() or self._token)
            return Inbound(self._address, Kind.COMMAND, text=rest.strip(), command=head.lower())
        return Inbound(self._address, Kind.TEXT, text=line)

    async def _send(self, inbound: Inbound) -> None:
        outcome: Outcome = await self._runtime.engine.handle(inbound)
        self._locale = outcome.locale
        if outcome.notice is not None:
            self._print(f"  ({self._runtime.renderer.text(outcome.locale, outcome.notice)})")
        for reply in outcome.replies:
            self._show(reply)

    def _show(self, reply: Reply) -> None:
        rendered = self._runtime.renderer.render(reply)
        self._print("")
        for line in plain(rendered.html).splitlines():
            self._print(f"  {line}" if line else "")
        if rendered.buttons:
            self._buttons = [button for row in rendered.buttons for button in row]
            for number, (label, _) in enumerate(self._buttons, start=1):
                self._print(f"   [{number}] {label}")
        self._print("")

    def _show_template(self, template: str, **context: object) -> None:
        self._show(Reply(template, self._locale, context))

    def _print(self, text: str) -> None:
        print(text, file=self._out, flush=True)


def demo_roles() -> list[str]:
    """The roles a newcomer can play today; grows as flows are added."""
    return [role.value for role in DEMO_PEOPLE]
