"""How long /mine_data and /slett take on a database of a given size: figures, not a test.

    .venv/bin/python tools/privacy_figures.py [CIRCLES]   (default 500: 2000 people)

Builds a throw-away database with CIRCLES circles of four (a job seeker, a jobbspesialist, a
behandler, a Nav-veileder), each with a meeting, reminders, a preparation of about 2 kB of
words, an agenda version, a share to each professional and 40 delivered messages per person;
then times one job seeker's export, and one job seeker's erasure (withdrawals, notices, the
deletion, and the rewrite of the file that follows the commit).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.delivery import enqueue
from bot.core.messages import Envelope
from bot.core.services import Change, privacy
from bot.core.services.meetings import schedule
from bot.core.services.sharing import share
from bot.domain.agenda import agenda_items
from bot.domain.circle import Status
from bot.domain.consent import Consent
from bot.domain.delivery import DeliveryStatus, Guarantee, Op
from bot.domain.people import Employer, Locale, Role
from bot.domain.preparation import Answers, PrepStatus, TopicAnswer
from bot.domain.reminders import Policy
from bot.rendering import content
from bot.rendering.renderer import Renderer
from bot.storage.crypto import Cipher, generate_key
from bot.storage.database import open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

NOW = datetime.now(UTC)
WORDS = "Jeg er redd for å miste pengene hvis jeg jobber mer, og jeg sover dårlig. " * 10


async def main(circles: int) -> None:
    renderer = Renderer("Europe/Oslo")
    bank = {topic.id: topic for topic in content.topics()}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "figures.db"
        database = await open_database(path, Cipher([generate_key()]))
        started = time.perf_counter()
        jobseekers = []
        for n in range(circles):
            async with SqliteUnitOfWork(database) as uow:
                people = []
                for role in (Role.JOBBSOKER, Role.JOBBSPESIALIST, Role.BEHANDLER, Role.NAVVEILEDER):
                    people.append(
                        await uow.people.add(
                            role=role,
                            name=f"{role.value} {n}",
                            locale=Locale.NB,
                            address=f"telegram:{10_000_000 + 4 * n + len(people)}",
                            created_at=NOW,
                            employer=None if role is Role.JOBBSOKER else Employer.HELSE,
                        )
                    )
                jobseeker, specialist, *others = people
                jobseekers.append(jobseeker)
                for member in (specialist, *others):
                    await uow.memberships.add(
                        jobseeker_id=jobseeker.id,
                        member_id=member.id,
                        role=member.role,
                        status=Status.APPROVED,
                        at=NOW,
                    )
                change = Change(uow, NOW, specialist, Policy(quiet=None))
                meeting, _ = await schedule(
                    change, jobseeker, NOW + timedelta(days=10), 60, "Rom 2", [p.id for p in others]
                )
                preparation = await uow.preparations.add(
                    jobseeker_id=jobseeker.id, meeting_id=meeting.id, at=NOW
                )
                answers = Answers(
                    going_well=WORDS,
                    hard=WORDS,
                    topics=[TopicAnswer("money", own_words=WORDS, raiser="behandler")],
                )
                await uow.preparations.save(preparation.id, answers, PrepStatus.READY, NOW)
                version = await uow.agendas.add(
                    preparation_id=preparation.id,
                    jobseeker_id=jobseeker.id,
                    items=agenda_items(answers, bank),
                    at=NOW,
                )
                sharing = Change(uow, NOW, jobseeker, Policy(quiet=None))
                for recipient in (specialist, *others):
                    consent = Consent(recipient.id, version.id, frozenset(version.keys))
                    _, copies = await share(sharing, meeting, version, recipient, consent)
                    await enqueue(uow, renderer, NOW, copies, actor=jobseeker.address)
                for person in people:
                    for m in range(40):
                        delivery = await uow.outbox.add(
                            address=person.address,
                            op=Op.SEND,
                            guarantee=Guarantee.AT_LEAST_ONCE,
                            envelope=Envelope((WORDS[: 40 * (m % 9 + 1)],)),
                            at=NOW,
                        )
                        await uow.outbox.settle(delivery, DeliveryStatus.SENT, NOW, [m])
                for delivery in await uow.outbox.unsettled():
                    await uow.outbox.settle(delivery.id, DeliveryStatus.SENT, NOW, [1])
                await uow.commit()
        await database.purge()
        built = time.perf_counter() - started
        size = path.stat().st_size / 1e6
        print(
            f"{circles} circles, {4 * circles} people: database {size:.1f} MB"
            f" (built in {built:.0f} s)"
        )

        ola = jobseekers[circles // 2]
        async with SqliteUnitOfWork(database) as uow:
            started = time.perf_counter()
            tables = await uow.personal.export(ola.id, ola.address)
            exported = time.perf_counter() - started
        rows = sum(len(r) for r in tables.values())
        print(f"/mine_data, one job seeker: {rows} rows read in {exported * 1000:.0f} ms")

        async with SqliteUnitOfWork(database) as uow:
            started = time.perf_counter()
            notices = await privacy.erase(Change(uow, NOW, ola, Policy(quiet=None)))
            await enqueue(uow, renderer, NOW, notices, actor=ola.address)
            changed = time.perf_counter() - started
            await uow.commit()  # the commit, then VACUUM and the WAL emptied
            total = time.perf_counter() - started
        print(
            f"/slett, one job seeker: {len(notices)} messages owed, change {changed * 1000:.0f} ms,"
            f" with the commit and the rewrite of the file {total * 1000:.0f} ms"
        )
        await database.close()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 500))
