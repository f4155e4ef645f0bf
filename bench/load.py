"""The load: people registering, preparing and tapping, each waiting for the bot's answer
before the next step, as a person on a phone does. The same shape for both bots: Møteklar
gets the real conversation, the echo bot the same sequence of texts and button presses.

A step's latency runs from the moment its update is queued at the fake server to the moment
the server answered the call that brought the awaited reply (the next question, or for the
echo bot its answer) — the person's wait, measured on one clock.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakebotapi import Call, FakeBotApi

# (kind, value, awaited): kind "text" types value; "press" presses the newest button whose
# data starts with value. awaited: the reply's button data starts with it ("" = any reply).
Step = tuple[str, str, str]

TOKEN = "{token}"  # replaced by each person's invitation
MOTEKLAR: list[Step] = [
    ("text", f"/start {TOKEN}", "v1:join:lang:"),
    ("press", "v1:join:lang:nb", "v1:join:name:"),
    ("press", "v1:join:name:yes", "v1:join:privacy:"),
    ("press", "v1:join:privacy:yes", ""),
    ("text", "/forbered", "v1:prep:good"),
    ("text", "Jeg har begynt på lageret to dager i uka, og jeg liker det.", "v1:prep:hard"),
    ("text", "Jeg sover dårlig og er redd for å miste pengene fra Nav.", "v1:prep:topics"),
    ("press", "v1:prep:topics:money", "v1:prep:topics"),
    ("press", "v1:prep:topics:health", "v1:prep:topics"),
    ("press", "v1:prep:topics:done", "v1:prep:questions"),
    ("press", "v1:prep:questions:work_more", "v1:prep:questions"),
    ("press", "v1:prep:questions:done", "v1:prep:questions"),
    ("press", "v1:prep:questions:done", "v1:prep:who"),
    ("press", "v1:prep:who:me", "v1:prep:who"),
    ("press", "v1:prep:who:jobbspesialist", "v1:prep:order"),
    ("press", "v1:prep:order:money", "v1:prep:purpose"),
    ("text", "Jeg vil vite om jeg kan jobbe mer uten å miste pengene.", "v1:prep:not_now"),
    ("press", "v1:prep:not_now:skip", "v1:prep:review"),
    ("press", "v1:prep:review:done", ""),
    ("text", "/agenda", ""),
    ("text", "/hjelp", ""),
]
# The echo bot: the same kinds in the same order, texts of the same length.
ECHO: list[Step] = [
    (kind, "echo:ok" if kind == "press" else value.replace(TOKEN, "x" * 32), "")
    for kind, value, _ in MOTEKLAR
]


@dataclass
class Result:
    updates: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds
    seconds: float = 0.0  # wall time of the phase
    cpu: float = 0.0  # the bot's CPU seconds during the phase
    calls: int = 0  # API calls the bot made during the phase (getUpdates not counted)

    def figures(self) -> dict[str, float]:
        ms = sorted(1000 * x for x in self.latencies)
        return {
            "updates": self.updates,
            "updates_per_second": self.updates / self.seconds,
            "cpu_ms_per_update": 1000 * self.cpu / self.updates,
            "p50_ms": _quantile(ms, 0.50),
            "p95_ms": _quantile(ms, 0.95),
            "p99_ms": _quantile(ms, 0.99),
            "calls_per_update": self.calls / self.updates,
        }


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _buttons(call: Call) -> list[str]:
    markup: Any = call.params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def awaiting(prefix: str) -> Callable[[Call], bool] | None:
    if not prefix:
        return None
    return lambda call: any(data.startswith(prefix) for data in _buttons(call))


def play(
    api: FakeBotApi, chat: int, script: list[Step], token: str, out: Result, think: float = 0.0
) -> None:
    """One person's conversation, step by step; latencies appended to ``out``. ``think``
    seconds pass between a reply and the next step (reading it); they are not counted."""
    for kind, value, awaited in script:
        time.sleep(think)
        after = api.call_count
        started = time.monotonic()
        if kind == "text":
            api.send_text(chat, value.replace(TOKEN, token))
        else:
            message = next(
                m
                for m in reversed(api.messages_to(chat))
                if not m.deleted and any(d.startswith(value) for _, d in api.buttons(m))
            )
            data = next(d for _, d in api.buttons(message) if d.startswith(value))
            api.press_button(chat, message.message_id, data)
        reply = api.wait_for_content(chat, awaiting(awaited), after=after, timeout=60)
        out.latencies.append(reply.at - started)
        out.updates += 1


def run_phase(
    api: FakeBotApi,
    cpu: Callable[[], float],
    people: list[tuple[int, str]],
    script: list[Step],
    *,
    at_once: int,
    think: float = 0.0,
) -> Result:
    """``people`` (chat, token) play ``script``, ``at_once`` of them at a time, each pausing
    ``think`` seconds before each step."""
    result = Result()
    lock = threading.Lock()
    queue = list(people)

    def worker() -> None:
        while True:
            with lock:
                if not queue:
                    return
                chat, token = queue.pop(0)
            mine = Result()
            play(api, chat, script, token, mine, think)
            with lock:
                result.updates += mine.updates
                result.latencies += mine.latencies

    time.sleep(0.5)  # the start-up's own calls settle
    calls_before, cpu_before = _calls(api), cpu()
    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(at_once)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - started
    time.sleep(0.3)  # what the last steps caused after their reply (a menu) is counted
    result.cpu = cpu() - cpu_before
    result.calls = _calls(api) - calls_before
    return result


def _calls(api: FakeBotApi) -> int:
    return sum(1 for call in api.calls if call.method != "getUpdates")
