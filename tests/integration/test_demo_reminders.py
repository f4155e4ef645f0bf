"""The reminders in the terminal demo: /spol jumps to the next ones instead of waiting days, and
shows what each person got."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEYS = ["1", "1", "1", "1", "3", "/spol", "/spol", "/spol", "/spol", "/spol", "/spol"]


def test_spol_shows_the_reminders_everyone_gets(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="\n".join(KEYS) + "\n",
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")},
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "skriv /spol" in out  # told once a meeting is booked
    _, *jumps = out.split("⏩ Demoen hopper fram i tid")
    # prep, 1d, the meeting day at 08.00, the end, two hours after it, a task's date
    assert len(jumps) == 6, out
    expected = [
        ["Hei, Ola! Samarbeidsmøtet ditt er om 3 dager.", "] Minn meg på det i morgen"],
        [
            "Samarbeidsmøtet ditt er i morgen",
            "── Dette fikk Per Berg ──\n\n  │ Påminnelse: samarbeidsmøte med Ola Hansen i morgen",
            "── Dette fikk Kari Nordmann ──\n\n  │ Påminnelse: samarbeidsmøte med Ola Hansen i morgen",
        ],
        [
            "kl. 08.00",
            "📌 Samarbeidsmøtet ditt i dag",
            "📌 (Møteklar festet denne meldingen øverst i chatten din.)",
            "Samarbeidsmøtet ditt er i dag",
            "── Dette fikk Per Berg ──\n\n  │ Påminnelse: samarbeidsmøte med Ola Hansen i dag",
        ],
        ["kl. 11.00", "(Møteklar har tatt agendaen ned fra toppen av chatten din.)"],
        [
            "kl. 13.00",
            "Hei, Ola! Takk for møtet i dag.",
            "Fikk du tatt opp det som var viktigst for deg?",
            "] Delvis",
            "── Dette fikk Kari Nordmann ──\n\n  │ Møtet med Ola Hansen er over",
            # Kari (the demo) writes down what was agreed, and Ola sees it first.
            "Dette ble dere enige om i møtet",
            "] Se hva Per Berg får",
        ],
        ["kl. 08.00", "En liten påminnelse fra møtet deres", "(i dag)"],
    ]
    for jump, texts in zip(jumps, expected, strict=True):
        for text in texts:
            assert text in jump, (text, jump)
    assert result.stderr == ""
