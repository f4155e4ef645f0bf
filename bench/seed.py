"""What the benchmark writes before a bot starts, through the project's own storage."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.invitations import create_invitation
from bot.domain.circle import Status
from bot.domain.people import Employer, Locale, Role
from bot.domain.reminders import Kind
from bot.storage.crypto import Cipher
from bot.storage.database import open_database
from bot.storage.repositories.base import ts
from bot.storage.unit_of_work import SqliteUnitOfWork

SPECIALIST_CHAT = 5_000_000


def invitations(db_path: Path, key: str, count: int) -> list[str]:
    """A jobbspesialist and ``count`` invitations for job seekers; their tokens."""
    return asyncio.run(_invitations(db_path, key, count))


async def _invitations(db_path: Path, key: str, count: int) -> list[str]:
    now = datetime.now(UTC)
    database = await open_database(db_path, Cipher([key]))
    try:
        async with SqliteUnitOfWork(database) as uow:
            kari = await uow.people.add(
                role=Role.JOBBSPESIALIST,
                name="Kari Nordmann",
                locale=Locale.NB,
                address=f"telegram:{SPECIALIST_CHAT}",
                created_at=now,
                employer=Employer.NAV,
                workplace="Nav Kristiansand",
            )
            tokens = [
                await create_invitation(
                    uow, now, role=Role.JOBBSOKER, name=f"Person {n}", created_by=kari.id
                )
                for n in range(count)
            ]
            await uow.commit()
    finally:
        await database.close()
    return tokens


def population(db_path: Path, key: str, *, circles: int, meetings_each: int) -> None:
    """``circles`` circles of four (4 × circles people), ``meetings_each`` meetings per circle
    spread over the coming year, and one pending reminder per meeting (the job seeker's
    invitation to prepare, three days before): a large installation's database.

    The schema comes from the project's migrations and every encrypted value from its cipher;
    the rows are written in bulk (through the repositories one at a time, 100,000 meetings
    take minutes — longer than the rest of the benchmark)."""
    asyncio.run(_migrated(db_path, key))
    cipher = Cipher([key])
    now = datetime.now(UTC).replace(microsecond=0)
    roles = (Role.JOBBSOKER, Role.JOBBSPESIALIST, Role.BEHANDLER, Role.NAVVEILEDER)
    workplace, place = cipher.encrypt("Et sted"), cipher.encrypt("DPS Solvang, rom 2")
    people, memberships, meetings, attendees, reminders = [], [], [], [], []
    for n in range(circles):
        ids = [4 * n + offset + 1 for offset in range(4)]
        for person_id, role in zip(ids, roles, strict=True):
            name = cipher.encrypt(f"{role.value.capitalize()} {n}")
            people.append(
                (
                    person_id,
                    role.value,
                    name,
                    Locale.NB.value,
                    f"telegram:{10_000_000 + person_id}",
                    None if role is Role.JOBBSOKER else Employer.NAV.value,
                    ts(now),
                    None if role is Role.JOBBSOKER else workplace,
                )
            )
        for member_id, role in zip(ids[1:], roles[1:], strict=True):
            memberships.append((ids[0], member_id, role.value, Status.APPROVED.value, ts(now)))
        for m in range(meetings_each):
            meeting_id = n * meetings_each + m + 1
            # Spread over the year: every circle's meetings on different days; some soon.
            starts = now + timedelta(days=2 + (n * 7 + m * 91) % 365, hours=1)
            meetings.append(
                (
                    meeting_id,
                    ids[0],
                    ids[1],
                    ts(starts),
                    ts(starts + timedelta(hours=1)),
                    place,
                    ts(now),
                )
            )
            attendees += [(meeting_id, person_id) for person_id in ids]
            due = starts - timedelta(days=3)
            reminders.append(
                (meeting_id, ids[0], Kind.PREP.value, "3d", ts(due), ts(starts), ts(now))
            )
    with sqlite3.connect(db_path) as db:
        db.executemany(
            "INSERT INTO people (id, role, name_enc, locale, address, employer, created_at,"
            " workplace_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            people,
        )
        db.executemany(
            "INSERT INTO memberships (jobseeker_id, member_id, role, status, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            memberships,
        )
        db.executemany(
            "INSERT INTO meetings (id, jobseeker_id, organiser_id, starts_at, ends_at, place_enc,"
            " status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'planned', ?)",
            meetings,
        )
        db.executemany("INSERT INTO attendees (meeting_id, person_id) VALUES (?, ?)", attendees)
        db.executemany(
            "INSERT INTO reminders (meeting_id, person_id, kind, label, due_at, for_start,"
            " status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?)",
            reminders,
        )


async def _migrated(db_path: Path, key: str) -> None:
    database = await open_database(db_path, Cipher([key]))
    await database.close()
