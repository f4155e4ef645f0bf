"""``python -m bench``: Møteklar side by side with a bare PTB echo bot, one run, one machine.

Prints a table and writes the figures as JSON (``bench/results.json``, or the path given). The
bots run as their own processes (``moteklar run``; ``bench/echo_bot.py``) against the project's
fake Bot API server on 127.0.0.1, which runs here with the load; each bot's CPU is read from
its own process accounting, so the fake server's and the load's work is not counted. Compare
the ratios, not the absolute figures: machines are shared and noisy.

Phases: light load (one person at a time, reading each reply for 0.2 s) and saturation (many
at once), with Telegram's 30 messages a second on and off, for both bots; then Møteklar alone:
start-up, reminder jobs rebuilt and peak memory with a large database, and a burst of
reminders due at once.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import load, seed
from bench.procs import Bot
from bot.storage.crypto import generate_key
from tests.e2e.seed import seed as seed_meetings
from tests.e2e.seed import utc_in
from tests.fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parents[1]
LIGHT_PEOPLE = 10  # one after another
# Light load: a person reads each reply before the next step. Without a pause, one person
# alone would send more than 30 messages a second and the limiter, not the bot, would set the
# pace (for the echo bot too). 0.2 s is quicker than anyone reads: still a busy chat.
LIGHT_THINK = 0.2
SATURATION_PEOPLE = 64  # at once
_REBUILT = re.compile(r"reminder jobs rebuilt: (\d+) due within .*, in ([\d.]+) s")


def environment(api: FakeBotApi, workdir: Path, per_second: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTEKLAR_", "TELEGRAM_"))}
    env.update(
        PYTHONPATH=str(ROOT),
        TELEGRAM_BOT_TOKEN=api.token,
        MOTEKLAR_TELEGRAM_API_URL=api.base_url,
        MOTEKLAR_SECRET_KEY=generate_key(),
        MOTEKLAR_CONTROLLER="Benchmark HF",
        MOTEKLAR_DB=str(workdir / "moteklar.db"),
        MOTEKLAR_MESSAGES_PER_SECOND=str(per_second),
        MOTEKLAR_QUIET_HOURS="none",
    )
    return env


def conversations(module: str, per_second: int, scale: float) -> dict[str, Any]:
    """One bot, fresh: light load, then saturation."""
    light, heavy = max(2, round(LIGHT_PEOPLE * scale)), max(4, round(SATURATION_PEOPLE * scale))
    with tempfile.TemporaryDirectory(prefix="moteklar-bench-") as folder, FakeBotApi() as api:
        workdir = Path(folder)
        env = environment(api, workdir, per_second)
        script = load.ECHO if module == "bench.echo_bot" else load.MOTEKLAR
        tokens = (
            seed.invitations(workdir / "moteklar.db", env["MOTEKLAR_SECRET_KEY"], light + heavy)
            if module == "bot"
            else ["-"] * (light + heavy)
        )
        people = [(1_000_000 + n, token) for n, token in enumerate(tokens)]
        api.add_user(seed.SPECIALIST_CHAT)  # Kari, told when each one joins
        bot = Bot(api, workdir, module, env)
        bot.start()
        try:
            quiet = load.run_phase(
                api, bot.cpu, people[:light], script, at_once=1, think=LIGHT_THINK
            )
            busy = load.run_phase(api, bot.cpu, people[light:], script, at_once=heavy)
            rss = bot.peak_rss_mb()
        finally:
            bot.stop()
        return {"light": quiet.figures(), "saturation": busy.figures(), "peak_rss_mb": rss}


def large_database(circles: int) -> dict[str, Any]:
    """Start-up, reminder jobs rebuilt and peak memory with 4 × circles people and meetings."""
    with tempfile.TemporaryDirectory(prefix="moteklar-bench-") as folder, FakeBotApi() as api:
        workdir = Path(folder)
        env = environment(api, workdir, 30)
        seeding = time.monotonic()
        seed.population(
            workdir / "moteklar.db", env["MOTEKLAR_SECRET_KEY"], circles=circles, meetings_each=4
        )
        seeded = time.monotonic() - seeding
        api.add_user(seed.SPECIALIST_CHAT)
        bot = Bot(api, workdir, "bot", env)
        bot.start()
        try:
            tokens = seed.invitations(workdir / "moteklar.db", env["MOTEKLAR_SECRET_KEY"], 3)
            served = load.run_phase(
                api,
                bot.cpu,
                [(2_000_000 + n, t) for n, t in enumerate(tokens)],
                load.MOTEKLAR,
                at_once=3,
            )
            rss = bot.peak_rss_mb()
        finally:
            bot.stop()
        rebuilt = _REBUILT.search(bot.log())
        assert rebuilt, "no 'reminder jobs rebuilt' line in the log"
        return {
            "people": 4 * circles,
            "meetings": 4 * circles,
            "pending_reminders": 4 * circles,
            "seconds_to_seed": seeded,
            "startup_s": bot.startup,
            "reminder_jobs": int(rebuilt.group(1)),
            "reminder_jobs_rebuilt_s": float(rebuilt.group(2)),
            "peak_rss_mb": rss,
            "p50_ms_meanwhile": served.figures()["p50_ms"],
        }


def burst(reminders: int) -> dict[str, Any]:
    """``reminders`` meeting reminders due at the same second, Telegram answering 429 past 30
    messages a second: how long until all have arrived, against the floor of reminders / 30."""
    due_in = 15.0
    with tempfile.TemporaryDirectory(prefix="moteklar-bench-") as folder, FakeBotApi() as api:
        workdir = Path(folder)
        env = environment(api, workdir, 30)
        env.update(MOTEKLAR_PREP_REMINDER="30d", MOTEKLAR_MEETING_REMINDERS="600s")
        seeded = seed_meetings(
            workdir / "moteklar.db",
            env["MOTEKLAR_SECRET_KEY"],
            meetings=reminders // 4,
            first_chat=3_000_000,
            starts_at=utc_in(due_in + 600),
            meeting_reminders="600s",
        )
        for chat in seeded.chats:
            api.add_user(chat)
        api.flood_control(30)
        due_at = seeded.starts_at.timestamp() - 600
        bot = Bot(api, workdir, "bot", env)
        bot.start()
        try:
            cpu_before = bot.cpu()
            last = 0.0
            arrived = 0
            deadline = time.time() + due_in + 10 * reminders / 30
            while arrived < len(seeded.chats):
                assert time.time() < deadline, f"only {arrived} of {len(seeded.chats)} arrived"
                time.sleep(0.25)
                arrived = sum(1 for c in seeded.chats if api.messages_to(c))
            last = time.time()
            cpu = bot.cpu() - cpu_before
        finally:
            bot.stop()
        twice = sum(1 for c in seeded.chats if len(api.messages_to(c)) > 1)
        limited = sum(1 for call in api.calls if call.status == 429)
        return {
            "reminders": len(seeded.chats),
            "seconds": last - due_at,
            "floor_s": len(seeded.chats) / 30,
            "over_floor": (last - due_at) / (len(seeded.chats) / 30) - 1,
            "arrived_twice": twice,
            "answered_429": limited,
            "cpu_s": cpu,
        }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("out", nargs="?", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--quick", action="store_true", help="a small run to try the benchmark (minutes less)"
    )
    parser.add_argument(
        "--only",
        choices=("conversations", "large", "burst"),
        help="run one phase (while working on it); the table needs all three",
    )
    args = parser.parse_args(argv)
    scale = 0.25 if args.quick else 1.0
    started = time.monotonic()
    figures: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
    }
    if args.only in (None, "conversations"):
        for per_second in (30, 0):
            for name, module in (("moteklar", "bot"), ("echo", "bench.echo_bot")):
                key = f"{name}_limiter_{'on' if per_second else 'off'}"
                print(f"… {key}", file=sys.stderr, flush=True)
                figures[key] = conversations(module, per_second, scale)
    if args.only in (None, "large"):
        print("… large database", file=sys.stderr, flush=True)
        figures["large_database"] = large_database(round(25_000 * scale))
    if args.only in (None, "burst"):
        print("… burst", file=sys.stderr, flush=True)
        figures["burst"] = burst(round(3000 * scale / 4) * 4)
    figures["seconds"] = time.monotonic() - started
    Path(args.out).write_text(json.dumps(figures, indent=2) + "\n", "utf-8")
    print(json.dumps(figures, indent=2) if args.only else table(figures))
    print(f"\nFigures written to {args.out} ({figures['seconds']:.0f} s in all).")
    return 0


def table(f: dict[str, Any]) -> str:
    lines = [f"Møteklar against a bare PTB echo bot — {f['machine']}, Python {f['python']}", ""]
    lines.append(f"{'':28} {'Møteklar':>10} {'echo bot':>10} {'ratio':>7}")
    for limiter in ("on", "off"):
        m, e = f[f"moteklar_limiter_{limiter}"], f[f"echo_limiter_{limiter}"]
        lines.append(f"30 messages/s limiter {limiter}")
        for load_kind in ("light", "saturation"):
            for figure, label in (
                ("cpu_ms_per_update", "CPU ms per update"),
                ("updates_per_second", "updates per second"),
                ("p50_ms", "latency p50 ms"),
                ("p95_ms", "latency p95 ms"),
                ("p99_ms", "latency p99 ms"),
                ("calls_per_update", "API calls per update"),
            ):
                if load_kind == "light" and figure == "updates_per_second":
                    continue
                a, b = m[load_kind][figure], e[load_kind][figure]
                ratio = a / b if b else float("nan")
                lines.append(f"  {load_kind:10} {label:18} {a:10.2f} {b:10.2f} {ratio:6.2f}×")
    big = f["large_database"]
    lines += [
        "",
        f"Large database: {big['people']:,} people, {big['meetings']:,} meetings, "
        f"{big['pending_reminders']:,} pending reminders",
        f"  start-up {big['startup_s']:.2f} s; {big['reminder_jobs']} reminder jobs "
        f"(the next 24 hours) rebuilt in {big['reminder_jobs_rebuilt_s']:.3f} s; "
        f"peak RSS {big['peak_rss_mb']:.0f} MB",
    ]
    b = f["burst"]
    lines.append(
        f"Burst: {b['reminders']:,} reminders due at once, all arrived in {b['seconds']:.1f} s "
        f"(floor {b['floor_s']:.1f} s, {100 * b['over_floor']:+.1f} %); "
        f"twice: {b['arrived_twice']}; 429 answers waited out: {b['answered_429']}"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
