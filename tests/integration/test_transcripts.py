"""The transcripts in docs/transcripts/ are what the journeys show now: a change of wording
that is not in them fails here (run ``tools/transcripts`` and review the difference)."""

from __future__ import annotations

import difflib

from tests.transcripts import FOLDER, play_all


async def test_the_transcripts_are_current() -> None:
    played = await play_all()
    stored = {path.name: path.read_text("utf-8") for path in FOLDER.glob("*.txt")}
    assert sorted(stored) == sorted(played), "run tools/transcripts"
    for name, text in played.items():
        if stored[name] != text:
            diff = "".join(
                difflib.unified_diff(
                    stored[name].splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"stored/{name}",
                    f"played/{name}",
                    n=1,
                )
            )
            raise AssertionError(f"{name} is not current; run tools/transcripts\n{diff[:3000]}")


def test_every_role_is_played_in_every_language() -> None:
    names = {path.name for path in FOLDER.glob("*.txt")}
    for role in ("jobbsoker", "jobbspesialist", "behandler", "navveileder"):
        for locale in ("nb", "nn", "en"):
            assert f"{role}.{locale}.txt" in names
