"""Many circles and meetings at once, written to the bot's database before it starts, through the
same services a jobbspesialist's /nytt_moete uses (so their reminders are planned the same way).

Building 125 circles in chat would take minutes; the burst tests need them in seconds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.core.services import Change
from bot.core.services.meetings import schedule
from bot.domain.circle import Status
from bot.domain.durations import Duration, parse_durations
from bot.domain.people import Employer, Locale, Role
from bot.domain.reminders import Kind, Policy
from bot.storage.crypto import Cipher
from bot.storage.database import open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

ROLES = (Role.JOBBSOKER, Role.JOBBSPESIALIST, Role.BEHANDLER, Role.NAVVEILEDER)


@dataclass(frozen=True)
class Seeded:
    chats: list[int]  # every person's Telegram id (and chat), four per meeting
    starts_at: datetime


def seed(
    db_path: Path,
    key: str,
    *,
    meetings: int,
    first_chat: int,
    starts_at: datetime,
    meeting_reminders: str,
    prep_reminder: str = "30d",
    pin: bool = False,
) -> Seeded:
    """``meetings`` circles of four (job seeker, jobbspesialist, behandler, Nav-veileder), each
    with a 30-minute meeting at ``starts_at``; the job seekers' pins off unless ``pin``."""
    return asyncio.run(
        _seed(db_path, key, meetings, first_chat, starts_at, meeting_reminders, prep_reminder, pin)
    )


async def _seed(
    db_path: Path,
    key: str,
    meetings: int,
    first_chat: int,
    starts_at: datetime,
    meeting_reminders: str,
    prep_reminder: str,
    pin: bool,
) -> Seeded:
    policy = Policy(
        zone=ZoneInfo("Europe/Oslo"),
        prep=Duration.parse(prep_reminder),
        meeting=parse_durations(meeting_reminders),
        quiet=None,
    )
    now = datetime.now(UTC)
    chats: list[int] = []
    database = await open_database(db_path, Cipher([key]))
    try:
        async with SqliteUnitOfWork(database) as uow:
            for n in range(meetings):
                people = []
                for offset, role in enumerate(ROLES):
                    chat = first_chat + 4 * n + offset
                    chats.append(chat)
                    people.append(
                        await uow.people.add(
                            role=role,
                            name=f"{role.value.capitalize()} {n}",
                            locale=Locale.NB,
                            address=f"telegram:{chat}",
                            created_at=now,
                            employer=None if role is Role.JOBBSOKER else Employer.NAV,
                            workplace=None if role is Role.JOBBSOKER else "Et sted",
                        )
                    )
                jobseeker, specialist, *others = people
                for member in (specialist, *others):
                    await uow.memberships.add(
                        jobseeker_id=jobseeker.id,
                        member_id=member.id,
                        role=member.role,
                        status=Status.APPROVED,
                        at=now,
                    )
                if not pin:
                    await uow.reminders.turn(jobseeker.id, Kind.PIN, False)
                change = Change(uow, now, specialist, policy)
                await schedule(
                    change, jobseeker, starts_at, 30, "Rom 2", [p.id for p in others]
                )  # its notices to the others are not sent: only the reminders matter here
            await uow.commit()
    finally:
        await database.close()
    return Seeded(chats, starts_at)


def utc_in(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


@dataclass(frozen=True)
class Held:
    meeting_id: int
    starts_at: datetime
    ends_at: datetime


def seed_held_meeting(
    db_path: Path,
    key: str,
    *,
    jobseeker: int,
    specialist: int,
    others: list[int],
    ends_in: float,
    followup_after: str,
    topics: dict[str, str],
    purpose: str = "",
) -> Held:
    """A 30-minute meeting of people who joined in chat (by Telegram id), ending ``ends_in``
    seconds from now, booked as if the day before (through the same service as /nytt_moete, so
    its follow-up is planned the same way), and the job seeker's finished preparation for it:
    ``topics`` (topic id → own words) and ``purpose``. Written while the bot runs."""
    return asyncio.run(
        _seed_held(
            db_path, key, jobseeker, specialist, others, ends_in, followup_after, topics, purpose
        )
    )


async def _seed_held(
    db_path: Path,
    key: str,
    jobseeker_chat: int,
    specialist_chat: int,
    other_chats: list[int],
    ends_in: float,
    followup_after: str,
    topics: dict[str, str],
    purpose: str,
) -> Held:
    from bot.core.services.preparation import finish, start
    from bot.domain.preparation import Answers, TopicAnswer
    from bot.rendering import content

    policy = Policy(
        zone=ZoneInfo("Europe/Oslo"),
        prep=Duration.parse("30d"),
        meeting=parse_durations("1d"),
        quiet=None,
        followup=Duration.parse(followup_after),
    )
    ends_at = datetime.now(UTC) + timedelta(seconds=ends_in)
    starts_at = ends_at - timedelta(minutes=30)
    booked = starts_at - timedelta(days=1)
    database = await open_database(db_path, Cipher([key]))
    try:
        async with SqliteUnitOfWork(database) as uow:
            jobseeker = await uow.people.by_address(f"telegram:{jobseeker_chat}")
            specialist = await uow.people.by_address(f"telegram:{specialist_chat}")
            others = [await uow.people.by_address(f"telegram:{c}") for c in other_chats]
            assert jobseeker and specialist and all(others)
            await uow.reminders.turn(jobseeker.id, Kind.PIN, False)  # only the follow-up matters
            meeting, _ = await schedule(
                Change(uow, booked, specialist, policy),
                jobseeker,
                starts_at,
                30,
                "DPS Solvang, rom 2",
                [p.id for p in others if p is not None],
            )
            as_jobseeker = Change(uow, booked, jobseeker, policy)
            preparation = await start(as_jobseeker, meeting.id)
            answers = Answers(
                topics=[TopicAnswer(topic, own_words=words) for topic, words in topics.items()],
                purpose=purpose,
            )
            bank = {topic.id: topic for topic in content.topics()}
            await finish(as_jobseeker, preparation, answers, bank)
            await uow.commit()
    finally:
        await database.close()
    return Held(meeting.id, starts_at, ends_at)
