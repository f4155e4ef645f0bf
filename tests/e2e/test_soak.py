"""The soak's short version (bench/soak.py runs it with 100 kills and more): SIGKILLs while
people talk, reminders go out in bursts and Telegram misbehaves; nothing lost, no notice twice,
replies again only within the documented window, nobody stuck."""

from __future__ import annotations

from pathlib import Path

from bench.soak import soak


def test_a_short_soak_loses_nothing(tmp_path: Path) -> None:
    figures = soak(kills=5, seed_value=20261130, workdir=tmp_path, meetings=5)
    print("\n" + figures.report())
    assert figures.kills == 5 and sum(figures.faults.values()) >= 1
    assert figures.lost == 0 and figures.stuck == 0 and figures.notices_twice == 0
    assert figures.reminders.get("sent", 0) >= 1
    lost_answers = figures.faults["answer lost"] + figures.faults["timeout"]
    assert figures.repeated_replies <= figures.kills + lost_answers + figures.faults["edit lost"]
