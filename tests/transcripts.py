"""The main journeys, played through the engine as ``moteklar demo`` plays them, written out
as transcripts in ``docs/transcripts/`` so that every change of wording shows up in review.

One journey per role (jobbsøker, jobbspesialist, behandler, Nav-veileder), each in bokmål,
nynorsk and English: ``tools/transcripts`` writes them, and
``tests/integration/test_transcripts.py`` fails when they are not current.

A journey is a list of lines the player types. A line starting with ``@`` presses the first
open button whose data starts with what follows (``@v1:prep:crisis:drop``), so a journey reads
as what the person does and does not break when buttons are numbered differently; every other
line is typed as is, after ``{placeholders}`` are filled with the words of the journey's
language. The clock is fixed and moves on 40 seconds per line, so every date, time and file is
the same on every run.
"""

from __future__ import annotations

import asyncio
import io
import re
import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.bootstrap import open_runtime
from bot.config import Settings
from bot.domain.people import Locale, Role
from bot.storage.crypto import generate_key
from bot.transports.terminal.demo import DemoClock, TerminalDemo
from bot.transports.terminal.scenario import DEMO_CONTROLLER

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "transcripts"
START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday morning in Oslo
STEP = timedelta(seconds=40)  # between two lines: long after any split text's parts
_TOKEN = re.compile(r"start=[A-Za-z0-9_-]{8,}")


class ScriptClock:
    def __init__(self) -> None:
        self.moment = START

    def now(self) -> datetime:
        return self.moment


def _weekday(days: int) -> date:
    day = START.date() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _when(day: date, hour: int, locale: Locale) -> str:
    """A time typed the way a person writing this language would type it."""
    if locale is Locale.EN:
        return f"{day:%d.%m.%Y} {hour:02d}:00"
    return f"{day:%d.%m.%Y} kl. {hour:02d}.00"


# What people type, in their own language.
WORDS: dict[str, dict[Locale, str]] = {
    "what": {
        Locale.NB: "Hva betyr det?",
        Locale.NN: "Kva tyder det?",
        Locale.EN: "What does that mean?",
    },
    "hello": {Locale.NB: "hei", Locale.NN: "hei", Locale.EN: "hi"},
    "thanks": {Locale.NB: "takk", Locale.NN: "takk", Locale.EN: "thanks"},
    "good": {
        Locale.NB: "Jeg har begynt på lageret to dager i uka.",
        Locale.NN: "Eg har byrja på lageret to dagar i veka.",
        Locale.EN: "I have started at the warehouse two days a week.",
    },
    "good_more": {
        Locale.NB: "Og sjefen er grei.",
        Locale.NN: "Og sjefen er grei.",
        Locale.EN: "And my boss is kind.",
    },
    "crisis": {
        Locale.NB: "Det går dårlig, jeg orker ikke mer og vil ikke leve sånn.",
        Locale.NN: "Det går dårleg, eg orkar ikkje meir og vil ikkje leve slik.",
        Locale.EN: "It is going badly, I can't take it any more and I don't want to live like this.",
    },
    "hard": {
        Locale.NB: "Jeg sover dårlig og er redd for å miste pengene fra Nav.",
        Locale.NN: "Eg søv dårleg og er redd for å miste pengane frå Nav.",
        Locale.EN: "I sleep badly and I am afraid of losing my money from Nav.",
    },
    "other": {
        Locale.NB: "Jeg trenger fri til tannlegen.",
        Locale.NN: "Eg treng fri til tannlegen.",
        Locale.EN: "I need time off for the dentist.",
    },
    "question_1": {
        Locale.NB: "Hva skjer om jeg blir syk?",
        Locale.NN: "Kva skjer om eg blir sjuk?",
        Locale.EN: "What happens if I get ill?",
    },
    "question_2": {
        Locale.NB: "Kan jeg jobbe i helgene?",
        Locale.NN: "Kan eg jobbe i helgene?",
        Locale.EN: "Can I work at weekends?",
    },
    "own_phrasing": {
        Locale.NB: "Jeg trenger litt mer tid på nye oppgaver.",
        Locale.NN: "Eg treng litt meir tid på nye oppgåver.",
        Locale.EN: "I need a little more time with new tasks.",
    },
    "purpose": {
        Locale.NB: "Jeg vil vite om jeg kan jobbe mer uten å miste pengene.",
        Locale.NN: "Eg vil vite om eg kan jobbe meir utan å miste pengane.",
        Locale.EN: "I want to know if I can work more without losing my money.",
    },
    "place": {
        Locale.NB: "DPS Solvang, rom 2",
        Locale.NN: "DPS Solvang, rom 2",
        Locale.EN: "DPS Solvang, room 2",
    },
    "jobseeker": {Locale.NB: "Eva Berg", Locale.NN: "Eva Berg", Locale.EN: "Eva Berg"},
    "talk": {
        Locale.NB: "Sjefen vil at jeg skal jobbe fire dager. Kan vi snakke?",
        Locale.NN: "Sjefen vil at eg skal jobbe fire dagar. Kan vi snakke?",
        Locale.EN: "My manager wants me to work four days. Can we talk?",
    },
    "task_ola": {
        Locale.NB: "Spørre sjefen om å prøve tre dager i uka",
        Locale.NN: "Spørje sjefen om å prøve tre dagar i veka",
        Locale.EN: "Ask the manager about trying three days a week",
    },
    "task_per": {
        Locale.NB: "Skrive hva som er lurt om arbeidstiden",
        Locale.NN: "Skrive kva som er lurt om arbeidstida",
        Locale.EN: "Write what is wise about the working hours",
    },
}

JOBSEEKER = [
    "@v1:join:lang:{lang}",
    "@v1:join:name:yes",
    "{what}",  # at the privacy notice: only the question again
    "@v1:join:privacy:yes",
    "@v1:cq:ok:",  # Per asks to join
    "@v1:cq:ok:",  # Nina asks to join; then Kari books the meeting
    "@v1:mt:ics:",  # the calendar file: "I can't come" stays
    "/start",  # in the demo: the link again, which says what one can do (no loop)
    "{hello}",
    "/forbered",
    "{good}",
    "{crisis}",  # the safety note, and one quiet question
    "@v1:prep:crisis:drop",
    "@v1:prep:hard:show",
    "{hard}",
    "@v1:prep:topics:money",
    "@v1:prep:topics:openness",
    "@v1:prep:topics:other",
    "@v1:prep:topics:done",
    "{other}",
    "@v1:prep:questions:work_more",
    "{question_1}",
    "{question_2}",  # added, not replacing the first
    "@v1:prep:questions:done",
    "@v1:prep:questions:done",
    "@v1:prep:knows:undecided",
    "@v1:prep:phrasing:calm",
    "{own_phrasing}",
    "@v1:prep:phrasing:done",
    "@v1:prep:who:me",
    "/avbryt",
    "/forbered",
    "@v1:prep:resume:review",  # a look at what there is so far …
    "@v1:prep:review:continue",  # … and back to where Ola stopped
    "@v1:prep:who:behandler",
    "@v1:prep:who:together",
    "@v1:prep:order:money",
    "@v1:prep:order:openness",
    "{purpose}",
    "@v1:prep:not_now:skip",
    "@v1:prep:review:done",
    "/agenda",
    "/hjelp",  # help, not the agenda once more
    "/agenda",
    "@v1:pa:edit:",
    "@v1:prep:review:edit-good",
    "{good_more}",  # something was written here: add or replace?
    "@v1:prep:words:add",
    "@v1:prep:hard:keep",
    "@v1:prep:review:done",
    "{thanks}",
    "/deling",  # Per, Nina and Kari: exactly what each gets, then yes for each
    "@v1:share:overview:pick-3",  # Per Berg (the demo's people: Kari 1, Ola 2, Per 3, Nina 4)
    "@v1:share:preview:send",  # with a text for his own records; Per presses "Read"
    "@v1:share:overview:pick-4",  # Nina Lie: the free text is not ticked for Nav
    "@v1:share:preview:send",
    "@v1:share:overview:pick-1",  # Kari Nordmann
    "@v1:share:preview:send",
    "@v1:share:overview:take-4",  # Ola changes his mind about Nina
    "@v1:share:take:yes",
    "@v1:share:overview:pdf",  # his own copy, to print
    "/inviter",
    "@v1:inv:act:behandler",
    # After the meeting: /spol jumps from reminder to reminder.
    "/spol",  # the invitation to prepare: he is ready, so it is not sent
    "/spol",  # the day before
    "/spol",  # the meeting day: the agenda pinned, and a reminder
    "/spol",  # the meeting is over: the agenda comes down
    "/spol",  # two hours on: was he heard? (and Kari writes down what was agreed)
    "@v1:fq:heard:1-partly",
    "@v1:fu:items:yes@",  # what he wanted from the meeting
    "@v1:fu:items:no@",  # money: not talked about
    "@v1:fu:items:yes@",  # åpenhet
    "@v1:fu:items:skip@",  # his own point
    "@v1:fu:items:yes@",  # how things are going
    "@v1:fu:words:skip",
    "@v1:fu:after:tell",  # tell Kari now: exactly what she gets, then send
    "@v1:talk:preview:send",
    "@v1:ao:pick:",  # what was agreed: see what Per gets, and share it with him
    "@v1:agreed:preview:send",
    "/avtalt",
    "/forbered",  # last time first, and the point not talked about offered first
    "@v1:prep:carry:yes",
    "/avbryt",
    "/snakke",
    "{talk}",
    "@v1:talk:preview:send",
    "/moeter",  # the next meeting, booked by Kari from /avtalt
    "@v1:mt:cant:",
    "/mine_data",  # everything stored about him, in words and as a file
    "/slett",
    "@v1:del:confirm:yes",  # his copies are taken back and the group is told
]

JOBBSPESIALIST = [
    "@v1:join:lang:{lang}",
    "@v1:join:name:yes",
    "@v1:join:employer:nav",
    "/ny_jobbsoeker",
    "🙂",  # not a name
    "{jobseeker}",
    "/nytt_moete",
    "{meeting}",
    "@v1:sched:duration:60",
    "{place}",
    "@v1:sched:attendees:done",
    "@v1:sched:confirm:yes",
    "@v1:mt:ics:",  # "Move" and "Cancel meeting" stay
    "@v1:mt:move:",
    "{moved}",
    "@v1:sched:confirm:yes",
    "/moeter",
    # After the meeting: /spol jumps from reminder to reminder, to the offer to write it down.
    "/spol",
    "/spol",
    "/spol",
    "/spol",
    "/spol",
    "/spol",
    "@v1:fq:record:",
    "@v1:rec:draft:add-2",  # a task for Ola (the demo's people: Kari 1, Ola 2, Per 3, Nina 4)
    "{task_ola}",
    "@v1:rec:due:",  # the first day offered
    "@v1:rec:draft:add-3",  # a task for Per
    "{task_per}",
    "@v1:rec:due:none",
    "@v1:rec:draft:next",  # the next meeting, straight into scheduling
    "{next_meeting}",
    "@v1:sched:duration:60",
    "{place}",
    "@v1:sched:attendees:done",
    "@v1:sched:confirm:yes",
    "@v1:fq:record:",
    "@v1:rec:draft:journal",  # a text for her own records
    "@v1:rec:draft:send",  # Ola sees it first; he shares it with Per
    "/avtalt",
    "@v1:rec:draft:done",
    "/inviter",
    "@v1:inv:act:end",
    "@v1:inv:end:yes",
    "/slett",
    "@v1:del:confirm:no",
]

PROFESSIONAL = [
    "@v1:join:lang:{lang}",
    "🙂",  # not a name
    "{name}",
    "@v1:join:name:yes",  # the name, read back
    "{workplace}",  # then Ola says yes, Kari books the meeting, and Ola shares his points
    "@v1:sr:read:",
    "@v1:mt:ics:",
    "{hello}",
    "/moeter",
    "/agenda",
    "/hjelp",
]

# After the meeting: /spol to the follow-up, when Kari writes down what was agreed and Ola
# shares it with Per (not with Nina).
AFTER = ["/spol", "/spol", "/spol", "/spol", "/spol"]

JOURNEYS: dict[Role, list[str]] = {
    Role.JOBBSOKER: JOBSEEKER,
    Role.JOBBSPESIALIST: JOBBSPESIALIST,
    Role.BEHANDLER: [*PROFESSIONAL, *AFTER, "@v1:ar:read:", "/avtalt"],
    Role.NAVVEILEDER: [*PROFESSIONAL, *AFTER, "/avtalt"],
}
_PROFESSIONALS = {
    Role.BEHANDLER: ("Per Berg", "DPS Solvang"),
    Role.NAVVEILEDER: ("Nina Lie", "Nav Kristiansand"),
}


def _filled(line: str, role: Role, locale: Locale) -> str:
    values = {key: words[locale] for key, words in WORDS.items()}
    values["lang"] = locale.value
    values["meeting"] = _when(_weekday(10), 10, locale)
    values["moved"] = _when(_weekday(11), 13, locale)
    values["next_meeting"] = _when(_weekday(95), 10, locale)
    if role in _PROFESSIONALS:
        values["name"], values["workplace"] = _PROFESSIONALS[role]
    return line.format(**values)


def file_name(role: Role, locale: Locale) -> str:
    return f"{role.value}.{locale.value}.txt"


async def play(role: Role, locale: Locale) -> str:
    """One journey, as the terminal shows it."""
    out = io.StringIO()
    clock = ScriptClock()
    lines = [_filled(line, role, locale) for line in JOURNEYS[role]]
    with tempfile.TemporaryDirectory(prefix="moteklar-transcript-") as folder:
        runtime = await open_runtime(
            Settings.from_env({}, dotenv=None),
            db_path=Path(folder) / "demo.db",
            secret_key=generate_key(),
            controller=DEMO_CONTROLLER,
            clock=DemoClock(clock),
        )
        files = Path(folder) / "files"
        demo: TerminalDemo

        def read_line(prompt: str) -> str:
            if not lines:
                raise EOFError
            clock.moment += STEP
            line = lines.pop(0)
            if line.startswith("@"):
                number = demo.button_number(line[1:])
                if number is None:
                    raise AssertionError(f"{role.value}/{locale.value}: no open button {line}")
                line = str(number)
            out.write(f"{prompt}{line}\n")
            return line

        demo = TerminalDemo(runtime, read_line=read_line, out=out, role=role, files=files)
        try:
            await demo.run()
        finally:
            await runtime.close()
        text = out.getvalue().replace(str(files), "…/moteklar-demo")
    return _TOKEN.sub("start=…", text)


async def play_all() -> dict[str, str]:
    return {file_name(role, locale): await play(role, locale) for role in Role for locale in Locale}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    transcripts = asyncio.run(play_all())
    for name, text in transcripts.items():
        (folder / name).write_text(text, "utf-8")
    for stale in set(p.name for p in folder.glob("*.txt")) - set(transcripts):
        (folder / stale).unlink()
    print(f"{len(transcripts)} transcripts written to {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
