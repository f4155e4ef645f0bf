"""The whole preparation in the terminal, as a newcomer runs `moteklar demo`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KEYS = [
    "1",
    "1",
    "1",  # bokmål, that is my name, yes to Møteklar
    "1",
    "3",  # let Per and Nina in
    "/forbered",
    "Det går bra <b>&</b> 🙂 Čáhppes ŋ",
    "Sliten",
    "3",
    "6",
    "11",  # money, treatment, done
    "1",
    "8",  # money: first question, done
    "8",  # treatment: done
    "3",  # money: the behandler explains it for me
    "1",  # treatment: I will
    "2",  # treatment matters most
    "Vite at det er greit om det ikke går",
    "Ikke familien",
    "7",  # done, the agenda is ready
]


def test_demo_walks_ola_through_the_whole_preparation(tmp_path: Path) -> None:
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
    for number in range(1, 8):
        assert f"Steg {number} av 7" in out
    agenda = out[out.rindex("Agenda for samarbeidsmøtet") :]
    expected_in_order = [
        "Dette vil jeg få ut av møtet",
        "Vite at det er greit om det ikke går",
        "1. Videre behandling og oppfølging",
        "Jeg tar det opp selv",
        "2. Penger og støtte fra Nav",
        "Behandleren min forklarer dette for meg",
        "• Hva skjer med pengene mine hvis jeg jobber mer?",
        "Går bra: Det går bra <b>&</b> 🙂 Čáhppes ŋ",
        "Ikke denne gangen",
        "Ikke familien",
        "Den faste delen av møtet",
        "4. Når og hvor vi møtes neste gang",
    ]
    positions = [agenda.index(text) for text in expected_in_order]
    assert positions == sorted(positions)
    assert "Agendaen din er klar." in out
    assert result.stderr == ""
