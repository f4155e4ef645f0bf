"""Sample values for every template, so each can be rendered in every language by the tests.

A template without samples here fails the test: add them when you add a template.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.core.commands import commands_for
from bot.core.text import N_
from bot.domain.agenda import Item
from bot.domain.people import Role

COMMANDS = commands_for(Role.JOBBSPESIALIST)
NAME = "Kari <Nordmann> & co"  # markup characters must come out escaped
LINK = "https://t.me/moteklar_bot?start=abc_DEF-123"
DAY = date(2026, 12, 10)
START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
DETAILS: dict[str, object] = {
    "starts_at": START,
    "ends_at": START + timedelta(hours=1),
    "place": "DPS Solvang, rom 2 <b>",
    "people": [
        {"name": NAME, "role": "jobbsoker", "cannot_come": True},
        {"name": "Per", "role": "behandler", "cannot_come": False},
    ],
    "jobseeker": NAME,
    "prep": "not_started",
}

STEP: dict[str, object] = {"step": 3, "steps": 7}
LONG = ("Jeg er redd for å miste AAP-en <b> & 🙂 Čáhppes " * 90)[:4000]
ITEMS = [
    Item("purpose", own_words="Vite om jeg <mister> støtten & annet"),
    Item(
        "topic",
        topic="money",
        questions=("reapply",),
        own_words=LONG,
        raiser="behandler",
    ),
    Item(
        "topic",
        topic="openness",
        raiser="me",
        employer_knows="undecided",
        phrasings=("concentration",),
        health=True,
    ),
    Item(
        "topic",
        topic="openness",
        phrasing_words="Jeg trenger <pauser> & ro",
        health=True,
    ),
    Item("topic", topic="other", own_words="Egne ord", raiser="together"),
    Item("topic", topic="housing", raiser="jobbspesialist"),
    Item("topic", topic="job"),
    Item("situation", going_well="Bra <ting>", hard="Vanskelig & tungt"),
    Item("not_this_time", own_words="Ikke snakk om <familien>"),
]
PREP_SAMPLES: dict[str, list[dict[str, object]]] = {
    "safety_note.html": [{"held": h} for h in (True, False)],
    "agenda.html": [
        {"items": ITEMS, "team": "default", "name": NAME},
        {"items": [], "team": "no-such-team", "name": NAME},
    ],
    "teams/default/agenda.html": [
        {"name": NAME},
        *(
            {"name": NAME, "kind": kind, "roles": ["jobbsoker", "behandler"]}
            for kind in ("samarbeidsmote", "trepartsmote", "fellessamtale", "teammote")
        ),
    ],
    **{
        f"prep/{name}.html": [{**STEP, "current": c, "ticks": False} for c in ("", LONG)]
        for name in ("good", "hard", "other", "purpose", "not_now")
    },
    "prep/topics.html": [STEP],
    "prep/questions.html": [
        {
            **STEP,
            "topic": "money",
            "questions": [(1, "topics.money.questions.reapply")],
            "current": "Mitt <eget> spørsmål",
            "ticks": True,
        }
    ],
    "prep/knows.html": [{**STEP, "current": None}],
    "prep/phrasing.html": [
        {
            **STEP,
            "phrasings": [(1, "topics.openness.phrasings.concentration")],
            "current": c,
            "ticks": True,
        }
        for c in ("", "Jeg <trenger> ro")
    ],
    "prep/who.html": [
        {**STEP, "topic": "money", "own": ""},
        {**STEP, "topic": "other", "own": NAME},
    ],
    "prep/order.html": [{**STEP, "placed": ["topics.money.label"]}],
    "prep/review.html": [
        {**STEP, "ready": ready, "again": again, "peek": peek}
        for ready in (True, False)
        for again in (True, False)
        for peek in (True, False)
    ],
    "prep/intro.html": [{}],
    "prep/ready.html": [{"again": a, "shared": n} for a in (True, False) for n in (0, 1, 2)],
    "prep/paused.html": [{"dropped": d} for d in (True, False)],
    "prep/resume.html": [STEP],
    "prep/crisis_question.html": [{}],
    "prep/crisis_choice.html": [{"kept": k} for k in (True, False)],
    "prep/add_or_replace.html": [{"before": LONG, "new": "Nye <ord> & mer"}],
    "prep/agenda_actions.html": [{"ready": r} for r in (True, False)],
    "prep/no_agenda.html": [{}],
    "prep/joined.html": [{}],
    "prep/saved_words.html": [{}],
}

SAMPLES: dict[str, list[dict[str, object]]] = {
    "notice.html": [{"message": N_("Here you answer by tapping one of the buttons.")}],
    "only_text.html": [{}],
    "blank.html": [{}],
    "edited.html": [{"preparing": True}, {"preparing": False}],
    "group_only.html": [{}],
    "join/wait.html": [{"minutes": 1}, {"minutes": 14}],
    "too_long.html": [{"limit": 4000, "length": 4321}],
    "by_invitation.html": [{}],
    "invitation_problem.html": [
        {"problem": p} for p in ("unknown", "expired", "used", "taken", "revoked")
    ],
    "home.html": [{"name": NAME, "role": r.value, "commands": commands_for(r)} for r in Role],
    "help.html": [
        {"name": None, "role": None, "commands": commands_for(None)},
        {"name": NAME, "role": "jobbspesialist", "commands": COMMANDS},
    ],
    "not_understood.html": [
        {"name": NAME, "role": "jobbspesialist", "commands": COMMANDS},
        *({"name": NAME, "role": "jobbsoker", "commands": COMMANDS, "talk": t} for t in (1, 0)),
    ],
    "something_wrong.html": [
        {"name": NAME, "role": "jobbsoker", "commands": COMMANDS},
        {"name": None, "role": None, "commands": ()},
    ],
    "delivery/unreachable.html": [{"name": NAME}],
    "state_gone.html": [
        {"name": NAME, "role": "jobbsoker", "commands": COMMANDS},
        {"name": None, "role": None, "commands": ()},
        {"name": NAME, "role": "jobbsoker", "commands": COMMANDS, "idle": True},
    ],
    "unknown_command.html": [{"command": "nytt_moete"}],
    "after_joining.html": [{"command": "agenda"}],
    "you_are_welcome.html": [{}],
    "nothing_to_cancel.html": [{}],
    "choose_language.html": [{}],
    "language_changed.html": [{}],
    "join/choose_language.html": [{}],
    "join/confirm_name.html": [{"name": NAME}],
    "join/ask_name.html": [{}],
    "join/name_invalid.html": [{}],
    "join/workplace_invalid.html": [{}],
    "join/privacy_again.html": [{}],
    "join/ask_employer.html": [{"suggested": s} for s in (None, "nav", "helse", "kommune")],
    "join/cancelled.html": [{}],
    "join/welcome.html": [
        {"name": NAME, "role": r.value, "commands": commands_for(r)} for r in Role
    ],
    "demo/intro.html": [{"name": NAME, "role": r.value} for r in Role],
    "demo/try_meetings.html": [{}],
    "demo/file_saved.html": [{"path": "/tmp/moteklar-demo/samarbeidsmote-2026-12-10.ics"}],
    "demo/bye.html": [{"saved": s} for s in ("", "/tmp/moteklar-demo")],
    "demo/no_such_button.html": [{"count": n} for n in (0, 1, 3)],
    "demo/circle_ready.html": [{}],
    "demo/try_prepare.html": [{}],
    **PREP_SAMPLES,
    "demo/to_someone.html": [{"name": NAME}],
    "cancelled.html": [{}],
    "not_for_you.html": [
        {"command": "nytt_moete", "name": NAME, "role": "behandler", "commands": COMMANDS}
    ],
    "not_allowed.html": [{}],
    "join/ask_workplace.html": [{}],
    "join/privacy.html": [
        {"controller": "Helse <Sør-Øst> & IPS", "retention_days": days} for days in (1, 30)
    ],
    "join/declined.html": [{}],
    "join/already_registered.html": [{"role": r.value, "commands": commands_for(r)} for r in Role],
    "circle/jobseeker_joined.html": [{"name": NAME}],
    "circle/waiting.html": [{"name": NAME}],
    "circle/member_ended.html": [
        {"name": NAME, "meetings": m, "withdrawn": w} for m in ([], [START]) for w in (0, 1)
    ],
    "circle/approve.html": [
        {"name": NAME, "role": "behandler", "workplace": "DPS <Solvang>"},
        {"name": NAME, "role": "navveileder", "workplace": ""},
    ],
    "circle/ask_jobseeker_name.html": [{}],
    "circle/jobseeker_link.html": [{"name": NAME, "link": LINK}],
    "circle/member_link.html": [
        {"role": r, "link": LINK, "own": True} for r in ("behandler", "navveileder")
    ]
    + [{"role": "behandler", "link": LINK, "own": False, "name": NAME}],
    "circle/no_jobseekers.html": [{}],
    "circle/no_colleagues.html": [{}],
    "circle/pick_colleague.html": [{}],
    "circle/pick_jobseeker.html": [{}],
    "circle/confirm_end.html": [{"name": NAME}],
    "circle/overview.html": [
        {"name": NAME, "own": own, "people": people}
        for own in (True, False)
        for people in (
            [],
            [
                {"name": NAME, "role": "behandler", "workplace": "DPS", "pending": True},
                {"name": "Nina", "role": "navveileder", "workplace": "", "pending": False},
            ],
        )
    ],
    "circle/approved.html": [{"name": NAME}],
    "circle/confirm_remove.html": [{"name": NAME}],
    "circle/kept.html": [{"name": NAME}],
    "circle/you_were_approved.html": [{"name": NAME}],
    "circle/declined.html": [{"name": NAME}],
    "circle/you_were_declined.html": [{}],
    "circle/removed.html": [{"name": NAME}],
    "circle/you_were_removed.html": [{"name": NAME}],
    "circle/handover_asked.html": [{"name": NAME, "colleague": "Kim"}],
    "circle/handover_request.html": [{"name": NAME, "previous": "Kari"}],
    "circle/handover_done.html": [
        {"name": NAME, "colleague": "Kim", "withdrawn": w} for w in (False, True)
    ],
    "circle/ended.html": [{"name": NAME}],
    "circle/participation_ended.html": [{"name": NAME}],
    "meeting/pick_day.html": [{"first": DAY}],
    "meeting/pick_time.html": [{"day": DAY}],
    "meeting/pick_duration.html": [{}],
    "meeting/ask_place.html": [{}],
    "meeting/bad_place.html": [{}],
    "meeting/pick_attendees.html": [{}],
    "meeting/bad_time.html": [
        {"problem": p}
        for p in (
            "past",
            "impossible_date",
            "impossible_time",
            "no_such_time",
            "ambiguous_time",
            "far",
            "format",
        )
    ],
    "meeting/read_back.html": [{**DETAILS, "moving": m} for m in (True, False)],
    "meeting/saved.html": [DETAILS],
    "meeting/new.html": [{**DETAILS, "role": r} for r in ("jobbsoker", "navveileder")],
    "meeting/moved.html": [
        {**DETAILS, "role": r, "was": START - timedelta(days=1)} for r in ("jobbsoker", "behandler")
    ],
    "meeting/confirm_cancel.html": [{"starts_at": START}],
    "meeting/kept.html": [{}],
    "meeting/cancelled_by_you.html": [{"starts_at": START}],
    "meeting/cancelled.html": [
        {"starts_at": START, "role": r, "jobseeker": NAME} for r in ("jobbsoker", "behandler")
    ],
    "meeting/list_header.html": [{"count": n, "role": "jobbsoker"} for n in (0, 1, 2)],
    "meeting/item.html": [
        {**DETAILS, "role": r, "prep": p, "shared": shared}
        for r in ("jobbspesialist", "jobbsoker", "behandler")
        for p in ("not_started", "in_progress", "ready", "hidden")
        for shared in (True, False, None)
    ],
    "meeting/calendar_file.html": [{"starts_at": START}],
    "meeting/cant_come_sent.html": [{"names": ["Kari", NAME]}, {"names": []}],
    "meeting/cant_come.html": [
        {"name": NAME, "starts_at": START},
        {"name": NAME, "role": "behandler", "starts_at": START},
    ],
    "demo/reminders_hint.html": [{}],
    "demo/no_reminders.html": [{}],
    "demo/fast_forward.html": [{"moment": START}],
    "demo/pinned.html": [{}],
    "demo/unpinned.html": [{}],
    "demo/taken_back.html": [{"name": "Nina Lie"}, {"name": ""}],
    "reminders/prep.html": [
        {**DETAILS, "name": NAME, "days": days, "started": started}
        for days, started in ((3, False), (1, True), (0, False))
    ],
    "reminders/meeting.html": [
        {**DETAILS, "days": days, "role": role, "prep": prep}
        for days, role, prep in (
            (1, "jobbsoker", "not_started"),
            (0, "jobbsoker", "ready"),
            (1, "jobbspesialist", "in_progress"),
            (2, "jobbspesialist", "ready"),
            (0, "behandler", None),
        )
    ],
    "reminders/agenda.html": [
        {**DETAILS, "days": 0, "items": ITEMS, "team": "default", "name": NAME},
        {**DETAILS, "days": 1, "items": [], "team": "default", "name": NAME},
    ],
    "reminders/settings.html": [
        {"jobseeker": True, "all_off": False},
        {"jobseeker": False, "all_off": True},
    ],
    "reminders/snoozed.html": [{"due": START}, {"due": None}],
}


def _copy_samples() -> list[dict[str, object]]:
    """A copy for each kind of recipient, with every section, and one with nothing in it."""
    from bot.core.services.copies import sections
    from bot.domain.consent import Recipient
    from bot.domain.people import Employer

    items = tuple(ITEMS)
    people = [
        ("behandler", Recipient(2, Role.BEHANDLER)),
        ("jobbspesialist", Recipient(3, Role.JOBBSPESIALIST, Employer.HELSE)),
        ("navveileder", Recipient(4, Role.NAVVEILEDER)),
    ]
    base = {
        "name": NAME,
        "starts_at": START,
        "ends_at": START + timedelta(hours=1),
        "place": "DPS Solvang <rom 2>",
        "team": "default",
        "items": items,
    }
    found: list[dict[str, object]] = [
        {
            **base,
            "role": role,
            "sections": sections(items, recipient),
            "roles": ["behandler", "jobbsoker", "jobbspesialist", "navveileder"],
            "journal": True,
        }
        for role, recipient in people
    ]
    found.append(
        {**base, "items": (), "role": "navveileder", "sections": [], "roles": [], "journal": False}
    )
    return found


COPIES = _copy_samples()
SAMPLES.update(
    {
        "share/copy.html": COPIES,
        "share/journal.html": COPIES[:3],
        "share/preview.html": [
            {**c, "recipient": NAME, "recipient_role": c["role"], "other_language": lang}
            for c in COPIES
            for lang in (None, "nb", "nn", "en")
        ],
        "share/overwritten.html": [
            *({"name": NAME, "replaced": r, "left": False} for r in (True, False)),
            {"replaced": False, "left": True},  # what replaces it says so, without a name
            {"name": NAME, "replaced": False, "left": False, "retained": True},
            {"name": NAME, "replaced": False, "outside": True},
        ],
        "share/withdrawn_notice.html": [{"name": NAME}],
        "share/removed_notice.html": [{"name": NAME}],
        "share/read_notice.html": [{"name": NAME}],
        "share/marked_read.html": [{"name": NAME}],
        "share/overview.html": [
            {
                "starts_at": START,
                "ends_at": START + timedelta(hours=1),
                "people": [
                    {"name": NAME, "role": role, "status": status, "older": older}
                    for role, status, older in (
                        ("jobbspesialist", "not_shared", False),
                        ("behandler", "sending", False),
                        ("behandler", "delivered", True),
                        ("navveileder", "read", False),
                        ("navveileder", "withdrawn", False),
                        ("behandler", "unreachable", False),
                        ("behandler", "unknown", False),
                    )
                ],
                "log": [
                    {
                        "name": name,
                        "role": "behandler",
                        "version": 2,
                        "count": count,
                        "shared_at": START,
                        "read_at": read,
                        "status": status,
                        "ended_at": START,
                    }
                    for name, count, read, status in (
                        (NAME, 1, START, "shared"),
                        (None, 3, None, "withdrawn"),
                        (NAME, 0, None, "replaced"),
                    )
                ],
                "version": 2,
                "specialist": specialist,
                "shows_status": shows,
            }
            for specialist, shows in ((NAME, True), (NAME, False), (None, True))
        ],
        "share/shared.html": [{"name": NAME, "count": n} for n in (1, 4)],
        "share/confirm_withdraw.html": [{"name": NAME}],
        "share/withdrawn.html": [{"name": NAME}],
        "share/no_meeting.html": [{}],
        "share/nothing_yet.html": [{}],
        "share/no_one.html": [{}],
        "share/pdf.html": [{"starts_at": START}],
        "share/kept.html": [{}],
        "share/withdrawn_all.html": [{}],
        "share/cancelled.html": [{}],
        "share/undeliverable.html": [{"name": NAME}],
        "share/undeliverable_specialist.html": [{"name": NAME, "recipient": "Per"}],
        "pdf/agenda.html": [
            {
                "items": ITEMS,
                "team": "default",
                "name": NAME,
                "starts_at": start,
                "ends_at": START + timedelta(hours=1),
                "place": "DPS <Solvang>",
            }
            for start in (START, None)
        ],
    }
)

# /mine_data and /slett
_STORED = {"conversation": True, "invitations": 2, "outbox": 1, "inbox": 3}
_PERSON = {
    "name": NAME,
    "role": "jobbsoker",
    "locale": "nn",
    "created_at": START,
    "workplace": None,
    "employer": None,
    "shows_prep_status": True,
}
_MEETING = {
    "starts_at": START,
    "ends_at": START + timedelta(hours=1),
    "place": "DPS <Solvang>",
    "cancelled": False,
    "cannot_come": True,
    "people": [NAME, "Per"],
    "jobseeker": None,
}
_KINDS = ("prep", "meeting", "pin", "unpin", "followup", "task")
_REMINDERS: dict[str, object] = {
    "reminders": [{"due_at": START, "kind": k} for k in _KINDS],
    "settled": 3,
    "off": ["prep", "meeting", "pin", "followup", "task"],
}
_NOTHING_AFTER: dict[str, object] = {"followups": [], "agreed": [], "carryover": None}
SAMPLES.update(
    {
        "privacy/my_data.html": [
            {"person": None, "stored": {**_STORED, "outbox": 0, "conversation": False}},
            {
                "person": _PERSON,
                "stored": _STORED,
                **_REMINDERS,
                "members": [
                    {"name": NAME, "role": "jobbspesialist", "status": "approved"},
                    {"name": "Per", "role": "behandler", "status": "pending"},
                ],
                "meetings": [_MEETING, {**_MEETING, "cancelled": True, "people": []}],
                "preparations": [
                    {
                        "status": status,
                        "updated_at": START,
                        "meeting_at": meeting_at,
                        "versions": [{"number": 1, "created_at": START, "points": ITEMS}],
                        "draft": draft,
                    }
                    for status, meeting_at, draft in (
                        ("ready", START, None),
                        ("in_progress", None, ITEMS[:2]),
                    )
                ],
                **_NOTHING_AFTER,
                "shares": [
                    {
                        "agreed": False,
                        "meeting_at": None,
                        "shared_at": START,
                        "name": name,
                        "role": "behandler",
                        "count": count,
                        "version": version,
                        "status": status,
                        "read_at": START if count else None,
                        "ended_at": START,
                    }
                    for name, count, version, status in (
                        (NAME, 1, 1, "shared"),
                        (None, 3, None, "withdrawn"),
                        ("Per", 0, 2, "replaced"),
                    )
                ],
            },
            {
                "person": {**_PERSON, "shows_prep_status": False, "locale": "en"},
                "stored": _STORED,
                "reminders": [],
                "settled": 0,
                "off": [],
                "members": [],
                "meetings": [],
                "preparations": [],
                **_NOTHING_AFTER,
                "shares": [],
            },
            *(
                {
                    "person": {
                        **_PERSON,
                        "role": role,
                        "locale": "nb",
                        "workplace": "DPS <Solvang>",
                        "employer": employer,
                    },
                    "stored": _STORED,
                    **_REMINDERS,
                    "groups": [
                        {"name": name, "status": status}
                        for name, status in (
                            (NAME, "approved"),
                            (NAME, "pending"),
                            (None, "declined"),
                            (None, "removed"),
                            (None, "ended"),
                        )
                    ],
                    "meetings": [{**_MEETING, "jobseeker": NAME, "people": []}],
                    "received": [
                        {
                            "agreed": agreed,
                            "shared_at": START,
                            "name": name,
                            "status": status,
                            "read_at": read,
                            "ended_at": START,
                        }
                        for name, status, read, agreed in (
                            (NAME, "shared", START, False),
                            (None, "withdrawn", None, False),
                            (NAME, "replaced", None, False),
                            (NAME, "shared", START, True),
                            (None, "withdrawn", START, True),
                        )
                    ],
                    "tasks": [],
                    "written": [],
                }
                for role, employer in (
                    ("jobbspesialist", "helse"),
                    ("behandler", "kommune"),
                    ("navveileder", "nav"),
                )
            ),
            {
                "person": {**_PERSON, "role": "behandler", "employer": None},
                "stored": _STORED,
                "reminders": [],
                "settled": 0,
                "off": [],
                "groups": [],
                "meetings": [],
                "received": [],
                "tasks": [],
                "written": [],
            },
        ],
        "privacy/confirm_delete.html": [
            {"role": role, "alone": alone}
            for role, alone in (
                ("jobbsoker", []),
                ("jobbspesialist", [NAME, "Ola"]),
                ("behandler", []),
            )
        ],
        "privacy/deleted.html": [
            {"role": role, "withdrawn": withdrawn}
            for role in ("jobbsoker", "navveileder")
            for withdrawn in (True, False)
        ],
        "privacy/kept.html": [{}],
        "privacy/visitor_forgotten.html": [{}],
        "privacy/jobseeker_left.html": [
            {"name": NAME, "role": role, "meetings": meetings}
            for role in ("jobbspesialist", "behandler")
            for meetings in ([], [START, START + timedelta(days=7)])
        ],
        "privacy/member_left.html": [
            {"name": NAME, "role": role, "alone": alone}
            for role, alone in (("jobbspesialist", True), ("behandler", False))
        ],
        "privacy/member_left_specialist.html": [
            {"name": NAME, "role": "navveileder", "jobseeker": "Ola"}
        ],
    }
)

# -- after the meeting: the follow-up, what was agreed, /snakke, meeting kinds ------------------

TASKS: list[dict[str, object]] = [
    {
        "number": 1,
        "text": "Snakke med <sjefen> om arbeidstid & pauser",
        "due_on": DAY,
        "owner": NAME,
        "owner_role": "jobbsoker",
        "mine": True,
        "jobseeker": True,
    },
    {
        "number": 2,
        "text": "Skrive en uttalelse",
        "due_on": None,
        "owner": "Per",
        "owner_role": "behandler",
        "mine": False,
        "jobseeker": False,
    },
    {
        "number": 3,
        "text": "Sjekke vedtaket",
        "due_on": DAY,
        "owner": None,
        "owner_role": "navveileder",
        "mine": False,
        "jobseeker": False,
    },
]
NEXT = {
    "starts_at": START,
    "ends_at": START + timedelta(hours=1),
    "place": "Nav <3>",
    "kind": "samarbeidsmote",
}
AGREED: dict[str, object] = {
    "name": NAME,
    "starts_at": START,
    "ends_at": START + timedelta(hours=1),
    "kind": "trepartsmote",
    "tasks": TASKS,
    "next_meeting": NEXT,
    "viewer_role": "jobbsoker",
}
EMPTY_AGREED = {**AGREED, "tasks": [], "next_meeting": None, "kind": "samarbeidsmote"}
MISSED = [ITEMS[1], ITEMS[0], ITEMS[7]]

SAMPLES.update(
    {
        "reminders/followup.html": [
            {"name": NAME, "days": d, "starts_at": START, "kind": "samarbeidsmote"} for d in (0, -1)
        ],
        "reminders/record.html": [
            {
                "name": NAME,
                "days": 0,
                "starts_at": START,
                "kind": "fellessamtale",
                "jobseeker": NAME,
            }
        ],
        "reminders/task.html": [
            {
                "name": NAME,
                "text": "Ringe <sjefen> & avtale",
                "due_on": DAY,
                "days": days,
                "role": role,
                "jobseeker": NAME,
                "starts_at": START,
                "kind": "samarbeidsmote",
            }
            for role in ("jobbsoker", "behandler")
            for days in (0, 1)
        ],
        "followup/item.html": [{"item": item, "number": 2, "count": 8} for item in ITEMS],
        "followup/words.html": [{}],
        "followup/words_saved.html": [{}],
        "followup/not_now.html": [{}],
        "followup/done.html": [
            {"heard": heard, "missed": missed, "specialist": specialist}
            for heard in ("yes", "partly", "no")
            for missed in (MISSED, [])
            for specialist in (NAME, None)
        ],
        "talk/start.html": [{"specialist": NAME}],
        "talk/request.html": [
            {
                "name": NAME,
                "words": words,
                "missed": missed,
                "meeting_start": START if missed else None,
                "kind": "samarbeidsmote",
                "asked_at": START,
            }
            for words in ("Noe har <skjedd> & jeg vil snakke", "")
            for missed in (MISSED, [])
        ],
        "talk/preview.html": [
            {
                "specialist": "Kari",
                "name": NAME,
                "words": "Jeg <trenger> å snakke",
                "missed": MISSED,
                "meeting_start": START,
                "kind": None,
                "asked_at": START,
            }
        ],
        "talk/sent.html": [{"specialist": NAME}],
        "talk/not_sent.html": [{}],
        "talk/no_one.html": [{}],
        "agreed/draft.html": [
            {**context, "status": status}
            for context in (AGREED, EMPTY_AGREED)
            for status in ("empty", "draft", "sent")
        ],
        "agreed/ask_task.html": [{"name": NAME, "me": me} for me in (True, False)],
        "agreed/bad_task.html": [{}],
        "agreed/ask_date.html": [{"text": "Ringe <sjefen>"}],
        "agreed/bad_date.html": [{"problem": p} for p in ("past", "impossible_date", "format")],
        "agreed/added.html": [{}],
        "agreed/removed.html": [{}],
        "agreed/pick_removal.html": [{}],
        "agreed/paused.html": [{}],
        "agreed/no_meeting.html": [{"name": NAME}],
        "agreed/sent.html": [{"name": NAME}],
        "agreed/next_booked.html": [{"name": NAME}],
        "agreed/journal.html": [
            {**AGREED, "own": True, "role": "jobbspesialist", "journal": True},
            {**AGREED, "role": "behandler", "journal": True},
            {**EMPTY_AGREED, "role": "behandler", "journal": True},
        ],
        "agreed/for_jobseeker.html": [
            {**{k: v for k, v in context.items() if k != "name"}, "author": NAME, "again": again}
            for context in (AGREED, EMPTY_AGREED)
            for again in (True, False)
        ],
        "agreed/overview.html": [
            {
                **{k: v for k, v in AGREED.items() if k != "name"},
                "author": author,
                "people": [
                    {"name": NAME, "role": "behandler", "status": status, "older": older}
                    for status in ("not_shared", "shared", "read", "withdrawn")
                    for older in (True, False)
                ],
            }
            for author in ("Kari", "")
        ],
        "agreed/copy.html": [
            {**context, "role": "behandler", "journal": False} for context in (AGREED, EMPTY_AGREED)
        ],
        "agreed/preview.html": [
            {
                **context,
                "role": "navveileder",
                "journal": journal,
                "recipient": "Nina",
                "recipient_role": "navveileder",
            }
            for context in (AGREED, EMPTY_AGREED)
            for journal in (True, False)
        ],
        "agreed/confirm_withdraw.html": [{"name": NAME}],
        "agreed/shared.html": [{"name": NAME, "count": n} for n in (1, 3)],
        "agreed/withdrawn_notice.html": [{"name": NAME}],
        "agreed/nothing.html": [{}],
        "agreed/nothing_for_you.html": [{}],
        "agreed/received_header.html": [{"count": n} for n in (1, 2)],
        "agreed/carried.html": [{"meeting_start": START, "tasks": TASKS, "not_discussed": []}],
        "prep/last_time.html": [
            {"meeting_start": START, "tasks": tasks, "not_discussed": missed, "offer": offer}
            for tasks, missed, offer in (
                (TASKS, MISSED, True),
                ([], MISSED, True),
                (TASKS, [], False),
            )
        ],
        "prep/carried.html": [{"taken": t} for t in (True, False)],
        "meeting/pick_kind.html": [{}],
    }
)
for _kind in ("trepartsmote", "fellessamtale", "teammote"):
    for _name in ("new", "item", "moved", "saved", "read_back"):
        SAMPLES[f"meeting/{_name}.html"] = [
            *SAMPLES[f"meeting/{_name}.html"],
            *(
                {
                    **DETAILS,
                    "kind": _kind,
                    "role": role,
                    "was": START,
                    "moving": False,
                    "shared": None,
                }
                for role in ("jobbsoker", "jobbspesialist")
            ),
        ]
    SAMPLES["meeting/cancelled.html"] = [
        *SAMPLES["meeting/cancelled.html"],
        *(
            {"starts_at": START, "jobseeker": NAME, "role": role, "kind": _kind}
            for role in ("jobbsoker", "behandler")
        ),
    ]
SAMPLES["meeting/pick_attendees.html"] = [{}, {"with_jobseeker": False}]

# /mine_data after meetings: follow-ups, what was agreed, the carry-over, and shares of it.
_AFTER_MEETINGS: dict[str, object] = {
    "followups": [
        {"meeting_at": START, "heard": heard, "not_discussed": missed, "words": words}
        for heard, missed, words in (
            ("yes", 0, ""),
            ("partly", 1, "Det var <travelt> & kort"),
            ("no", 2, ""),
            (None, 0, "Bare ord"),
        )
    ],
    "agreed": [
        {"meeting_at": START, "number": 2, "sent_at": START, "tasks": TASKS, "next_meeting": True},
        {"meeting_at": START, "number": 1, "sent_at": START, "tasks": [], "next_meeting": False},
    ],
    "carryover": {"meeting_at": START, "until": START, "tasks": TASKS, "points": MISSED},
}
SAMPLES["privacy/my_data.html"] += [
    {
        **SAMPLES["privacy/my_data.html"][1],
        **after,
        "shares": [
            {
                "agreed": True,
                "meeting_at": meeting_at,
                "shared_at": START,
                "name": NAME,
                "role": "behandler",
                "count": 2,
                "version": None,
                "status": status,
                "read_at": START,
                "ended_at": START,
            }
            for meeting_at, status in ((START, "shared"), (None, "withdrawn"))
        ],
    }
    for after in (
        _AFTER_MEETINGS,
        {**_AFTER_MEETINGS, "followups": [], "agreed": []},
        {**_AFTER_MEETINGS, "carryover": {**_AFTER_MEETINGS["carryover"], "points": []}},  # type: ignore[dict-item]
    )
]

# /mine_data for a professional: their own tasks, and (a jobbspesialist) what they wrote down.
_PROFESSIONALS = [
    s
    for s in SAMPLES["privacy/my_data.html"]
    if s["person"] and s["person"]["role"] != "jobbsoker"  # type: ignore[index]
]
SAMPLES["privacy/my_data.html"] += [
    {
        **sample,
        "tasks": [
            {
                "text": "Skrive <uttalelse> & sende",
                "due_on": START.date(),
                "jobseeker": NAME,
                "meeting_at": START,
            },
            {"text": "Ringe", "due_on": None, "jobseeker": None, "meeting_at": START},
        ],
        "written": [
            {
                "jobseeker": jobseeker,
                "meeting_at": meeting_at,
                "number": number,
                "sent_at": sent_at,
                "tasks": tasks,
                "mine": mine,
                "next_meeting": nxt,
            }
            for jobseeker, meeting_at, number, sent_at, tasks, mine, nxt in (
                (NAME, START, 2, START, 3, 1, True),
                (NAME, START, 1, None, 1, 1, False),
                (None, START, 1, START, 2, 2, False),
                (None, None, 3, START, 0, 0, True),
                (None, None, 1, None, 1, 0, False),
            )
        ],
    }
    for sample in _PROFESSIONALS
]
