"""Soak: `moteklar run` killed (SIGKILL) again and again while people talk to it, reminders go out
in bursts and Telegram misbehaves; then every promise is checked and the figures printed.

    .venv/bin/python bench/soak.py [--kills 100] [--seed 13]

Not a timed test: it prints what it did (kills, faults injected by kind, updates, messages) and
what it found (nothing lost, nothing doubled beyond the documented window, nobody stuck). The
test suite runs a short version (tests/e2e/test_soak.py). Everything stays on 127.0.0.1: the
fake Bot API (tests/fakebotapi.py) is the only server.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import BotProcess  # noqa: E402
from tests.e2e.seed import seed, utc_in  # noqa: E402
from tests.e2e.test_circle_and_meetings import Person  # noqa: E402
from tests.e2e.test_delivery import circle  # noqa: E402
from tests.fakebotapi import FakeBotApi  # noqa: E402

STRANGERS = list(range(7000, 7008))
SETTLED = {"sent", "unknown", "unreachable", "failed", "expired", "cancelled"}


@dataclass
class Figures:
    kills: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    updates: int = 0
    reminders: Counter[str] = field(default_factory=Counter)
    deliveries: Counter[str] = field(default_factory=Counter)
    messages: int = 0
    repeated_replies: int = 0  # replies sent again (the window: answer lost, or killed)
    notices_twice: int = 0  # must be 0
    lost: int = 0  # committed messages never settled, updates never handled: must be 0
    stuck: int = 0  # people without an answer at the end: must be 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.lost == 0 and self.stuck == 0 and self.notices_twice == 0

    def report(self) -> str:
        faults = ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items()))
        return "\n".join(
            [
                f"kills (SIGKILL)            {self.kills}",
                f"faults injected            {sum(self.faults.values())} ({faults})",
                f"updates sent               {self.updates}",
                f"reminders                  {dict(self.reminders)}",
                f"deliveries                 {dict(self.deliveries)}",
                f"messages in chats          {self.messages}",
                f"replies sent again         {self.repeated_replies}"
                " (the window: at most kills + lost answers)",
                f"notices twice              {self.notices_twice}",
                f"lost                       {self.lost}",
                f"people stuck               {self.stuck}",
                f"time                       {self.seconds:.0f} s",
                "result                     " + ("OK" if self.ok else "FAILED"),
            ]
        )


def _rows(bot: BotProcess, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(Path(bot.workdir) / "moteklar.db", timeout=30) as db:
        return list(db.execute(sql, params).fetchall())


def _wait_settled(bot: BotProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        open_out = _rows(bot, "SELECT count(*) FROM outbox WHERE status IN ('queued','sending')")
        open_in = _rows(bot, "SELECT count(*) FROM inbox WHERE status = 'received'")
        if open_out[0][0] == 0 and open_in[0][0] == 0 and bot.api.pending_update_count == 0:
            return
        if time.monotonic() > deadline:
            return
        time.sleep(0.2)


def _inject(api: FakeBotApi, rng: random.Random, chats: list[int], figures: Figures) -> None:
    """One fault from the mix, at a random kind of call, for a random person."""
    chat = rng.choice(chats)
    kind = rng.choice(
        ["429", "502", "request lost", "answer lost", "timeout", "403", "press slow", "edit lost"]
    )
    if kind == "429":
        api.rate_limit_chat(chat, rng.uniform(0.5, 2.5))
    elif kind == "502":
        method = rng.choice(["sendMessage", "sendDocument", "pinChatMessage", "deleteMessage"])
        api.inject_error(method, status=502, description="Bad Gateway", chat_id=chat)
    elif kind in {"request lost", "answer lost"}:
        processed = kind == "answer lost"
        api.inject_fault("sendMessage", kind="disconnect", processed=processed, chat_id=chat)
    elif kind == "timeout":
        api.inject_fault("sendMessage", kind="delay", delay=6, processed=True, chat_id=chat)
    elif kind == "403":
        api.block_user(chat, announce=rng.random() < 0.5)
    elif kind == "press slow":
        api.inject_fault("answerCallbackQuery", kind="delay", delay=3, processed=True)
    else:
        api.inject_fault("editMessageText", kind="disconnect", processed=True, chat_id=chat)
    figures.faults[kind] += 1


def _talk(api: FakeBotApi, rng: random.Random, people: list[Person], figures: Figures) -> None:
    """A burst of what people do: texts, commands, presses on what they were shown, stickers,
    strangers' links."""
    for _ in range(rng.randint(3, 8)):
        person = rng.choice(people)
        choice = rng.random()
        if choice < 0.35:
            api.send_text(
                person.id, rng.choice(["/hjelp", "/moeter", "/agenda", "/varsler", "hei"])
            )
        elif choice < 0.6:
            shown = [m for m in api.messages_to(person.id)[-3:] if api.buttons(m) and not m.deleted]
            if not shown:
                continue
            message = rng.choice(shown)
            _, data = rng.choice(api.buttons(message))
            api.press_button(person.id, message.message_id, data, check_button=False)
        elif choice < 0.75:
            api.send_text(
                person.id, rng.choice(["/forbered", "Det går fint 👍", "\u200b", "/avbryt"])
            )
        elif choice < 0.85:
            api.send_sticker(person.id)
        else:
            stranger = rng.choice(STRANGERS)
            api.send_text(stranger, f"/start {rng.randbytes(6).hex()}")
        figures.updates += 1


def soak(kills: int, seed_value: int, workdir: Path, *, meetings: int = 20) -> Figures:
    rng = random.Random(seed_value)
    figures = Figures()
    started = time.monotonic()
    with FakeBotApi() as api:
        bot = BotProcess(api, workdir)
        bot.env.update(MOTEKLAR_QUIET_HOURS="none", MOTEKLAR_PREP_REMINDER="30d")
        # Reminder bursts: meetings whose reminders fall due while the soak runs.
        # Three bursts (meetings x 4 people each), spread over the time the kills take.
        span = max(15, int(kills * 2.2))
        start = span + 60
        due = sorted({5, span // 2, span})
        reminders = ",".join(f"{start - t}s" for t in due)
        bot.env["MOTEKLAR_MEETING_REMINDERS"] = reminders
        seeded = seed(
            workdir / "moteklar.db",
            bot.env["MOTEKLAR_SECRET_KEY"],
            meetings=meetings,
            first_chat=910_000,
            starts_at=utc_in(start),
            meeting_reminders=reminders,
        )
        for chat in seeded.chats:
            api.add_user(chat)
        bot.start()
        kari, ola, per = circle(api, bot)
        people = [kari, ola, per, *(Person(api, s) for s in STRANGERS[:3])]
        faulty = [kari.id, ola.id, per.id, *seeded.chats[:8]]
        for _ in range(kills):
            _talk(api, rng, people, figures)
            if rng.random() < 0.6:
                _inject(api, rng, faulty, figures)
            time.sleep(rng.uniform(0.0, 0.4))
            bot.kill()
            figures.kills += 1
            if rng.random() < 0.3:
                time.sleep(rng.uniform(0.1, 1.0))  # down for a while: updates pile up
                _talk(api, rng, people, figures)
            bot.start()
        # The weather clears: every fault is lifted, everyone unblocks, and we wait.
        api.clear_faults()
        for chat in [*faulty, *STRANGERS]:
            api.rate_limit_chat(chat, 0)
        for chat in faulty:
            api.unblock_user(chat)
        while time.monotonic() - started < span + 5:  # every reminder has fallen due
            time.sleep(1)
        _wait_settled(bot, 120)
        # Nobody stuck: each person stops what they were doing and asks for help.
        for person in people:
            before = len(api.messages_to(person.id))
            api.send_text(person.id, "/avbryt")
            api.send_text(person.id, "/hjelp")
            try:  # the help, with where to get help now, reaches everyone
                api.wait_for_message(person.id, lambda m: "116 123" in m.text, after=before)
            except AssertionError:
                figures.stuck += 1
        _wait_settled(bot, 60)
        assert bot.stop() == 0
        _check(bot, api, figures, seeded.chats)
    figures.seconds = time.monotonic() - started
    return figures


def _check(bot: BotProcess, api: FakeBotApi, figures: Figures, reminded: list[int]) -> None:
    rows = _rows(bot, "SELECT address, guarantee, status, message_ids, ref FROM outbox")
    figures.deliveries = Counter(str(status) for _, _, status, _, _ in rows)
    figures.lost += sum(status not in SETTLED for _, _, status, _, _ in rows)
    figures.lost += _rows(bot, "SELECT count(*) FROM inbox WHERE status = 'received'")[0][0]
    figures.lost += api.pending_update_count
    figures.reminders = Counter(str(s) for (s,) in _rows(bot, "SELECT status FROM reminders"))
    # A reminder still pending must not be due yet (the follow-up after each meeting is not).
    now = datetime.now(UTC).isoformat()
    overdue = "SELECT count(*) FROM reminders WHERE status = 'pending' AND due_at <= ?"
    figures.lost += int(str(_rows(bot, overdue, (now,))[0][0]))
    recorded: dict[int, set[int]] = {}
    for address, _, _, ids, _ in rows:
        if str(address).startswith("telegram:"):
            chat = int(str(address).removeprefix("telegram:"))
            recorded.setdefault(chat, set()).update(json.loads(str(ids)))
    for chat, ids in recorded.items():
        real = {m.message_id for m in api.messages_to(chat)}
        figures.lost += len(ids - real)  # a stored id that Telegram never had
        figures.messages += len(real)
        figures.repeated_replies += len(real - ids)
    # These people only ever get notices (reminders), each at most once: never more messages
    # in their chat than deliveries stored for them.
    for chat in reminded:
        owed = sum(1 for address, *_ in rows if address == f"telegram:{chat}")
        figures.notices_twice += max(0, len(api.messages_to(chat)) - owed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--meetings", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="moteklar-soak-") as folder:
        figures = soak(args.kills, args.seed, Path(folder), meetings=args.meetings)
    print(figures.report())
    return 0 if figures.ok else 1


if __name__ == "__main__":
    sys.exit(main())
