"""Everything stored about one person: what ``/mine_data`` exports and ``/slett`` erases.

Every table is either in ``PERSONAL`` (how the rows about a person are found, and which values
are left out of the export, and why) or in ``NOT_PERSONAL`` (reviewed: it holds nothing about
anyone). ``tests/integration/test_personal_data.py`` walks ``sqlite_master``: a table added
later fails until it is placed in one of them, and every row that names a person (by id or by
address) must be in that person's export and gone after their erasure.

The export is the rows themselves, every column, with encrypted values decrypted (the column
named without ``_enc``) and JSON values parsed: machine-readable (GDPR art. 20), and complete by
construction, since a column added later is exported without anyone remembering to.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.delivery import FORGET
from bot.storage.repositories.aftercare import SqliteCarryOvers
from bot.storage.repositories.base import Repository, ts

_UNSETTLED = "('queued', 'sending')"


@dataclass(frozen=True)
class PersonalTable:
    name: str
    # The rows about a person: an SQL condition on :id (their people.id) and :address.
    about: str
    # Values left out of the export: column -> the SQL giving what is exported instead (NULL).
    withheld: Mapping[str, str] = field(default_factory=dict)


# What the messages on their way hold is the text the person sees in their chat in a moment;
# which points a job seeker shared belongs to the job seeker, not to the professional who got it.
_IN_TRANSIT = {"body_enc": "NULL"}

PERSONAL: tuple[PersonalTable, ...] = (
    PersonalTable("people", "id = :id"),
    # The link they used (their name as their inviter typed it), and the ones they made.
    PersonalTable("invitations", "claimed_by = :address OR jobseeker_id = :id OR created_by = :id"),
    PersonalTable("conversations", "address = :address"),
    PersonalTable("memberships", "jobseeker_id = :id OR member_id = :id"),
    PersonalTable(
        "meetings",
        "jobseeker_id = :id OR organiser_id = :id"
        " OR id IN (SELECT meeting_id FROM attendees WHERE person_id = :id)",
    ),
    PersonalTable(
        "attendees",
        "person_id = :id OR meeting_id IN (SELECT id FROM meetings WHERE jobseeker_id = :id)",
    ),
    PersonalTable("preparations", "jobseeker_id = :id"),
    PersonalTable("agenda_versions", "jobseeker_id = :id"),
    PersonalTable(
        "shares",
        "jobseeker_id = :id OR recipient_id = :id",
        {"keys_enc": "CASE WHEN jobseeker_id = :id THEN keys_enc END"},
    ),
    # After the meeting: the job seeker's follow-up and carry-over are theirs alone; what was
    # agreed is the job seeker's, with the jobbspesialist who wrote it down and each task's
    # owner named (a professional's rows show the task is theirs, not its words, as with
    # shares: the words belong to the job seeker's record of the meeting; the Gate adds the
    # words of the tasks shared with them, which they may read in /avtalt).
    PersonalTable("followups", "jobseeker_id = :id"),
    PersonalTable("carryovers", "jobseeker_id = :id"),
    PersonalTable("agreements", "jobseeker_id = :id OR author_id = :id"),
    PersonalTable(
        "tasks",
        "owner_id = :id OR agreement_id IN (SELECT id FROM agreements"
        " WHERE jobseeker_id = :id OR author_id = :id)",
        {
            "text_enc": "CASE WHEN agreement_id IN (SELECT id FROM agreements"
            " WHERE jobseeker_id = :id OR author_id = :id) THEN text_enc END"
        },
    ),
    PersonalTable(
        "agreement_shares",
        "jobseeker_id = :id OR recipient_id = :id",
        {"keys_enc": "CASE WHEN jobseeker_id = :id THEN keys_enc END"},
    ),
    PersonalTable("reminders", "person_id = :id"),
    PersonalTable("reminders_off", "person_id = :id"),
    PersonalTable("inbox", "lane = :address", _IN_TRANSIT),
    PersonalTable("outbox", "address = :address", _IN_TRANSIT),
    PersonalTable("unreachable", "address = :address"),
    # Invitation links that did not work (to slow down guessing), kept a day.
    PersonalTable("invitation_attempts", "address = :address"),
)

# Reviewed: nothing in these is about anyone.
NOT_PERSONAL: Mapping[str, str] = {
    "meta": "facts about the installation: the bot's username, the key check, the highest"
    " person id ever given (so none is given twice)",
    "sqlite_sequence": "SQLite's counter of the highest id used (reminders never reuse one)",
    "counters": "anonymous counts per team and month for `moteklar report`, never per person",
}

# Columns holding JSON: exported as the structure, not as a string of it.
JSON_COLUMNS = {"data_enc", "items_enc", "keys_enc", "body_enc", "message_ids"}


class SqlitePersonalData(Repository):
    async def export(self, person_id: int, address: str) -> dict[str, list[dict[str, Any]]]:
        """Every row about the person, table by table, every column, decrypted."""
        params = {"id": person_id, "address": address}
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in PERSONAL:
            columns = await self._columns(table.name)
            selected = ", ".join(
                f"{table.withheld[c]} AS {c}" if c in table.withheld else c for c in columns
            )
            rows = await self._all_named(
                f"SELECT {selected} FROM {table.name} WHERE {table.about} ORDER BY rowid", params
            )
            tables[table.name] = [
                dict(self._value(column, value) for column, value in zip(columns, row, strict=True))
                for row in rows
            ]
        return tables

    async def erase(
        self, person_id: int, address: str, *, keep: Collection[int], at: datetime
    ) -> None:
        """Delete everything about the person. What must still happen for them is kept under
        ``FORGET`` until it is settled: the deliveries in ``keep`` (copies being withdrawn) and
        withdrawals already on their way. Purged from the WAL after the commit."""
        params: dict[str, Any] = {"id": person_id, "address": address, "at": ts(at)}
        theirs = (
            "(SELECT 'share:' || id FROM shares WHERE jobseeker_id = :id OR recipient_id = :id"
            " UNION SELECT 'agreed:' || id FROM agreement_shares"
            " WHERE jobseeker_id = :id OR recipient_id = :id)"
        )
        reminders = (
            "(SELECT 'reminder:' || id FROM reminders WHERE person_id = :id"
            " OR meeting_id IN (SELECT id FROM meetings WHERE jobseeker_id = :id))"
        )
        kept = ",".join(str(int(delivery_id)) for delivery_id in keep) or "NULL"
        for sql in (
            # The copies being withdrawn now, and withdrawals under way with what they act on.
            f"UPDATE outbox SET ref = '{FORGET}' WHERE id IN ({kept})",
            f"UPDATE outbox SET ref = '{FORGET}' WHERE ref IN {theirs} AND ("
            f" (op = 'withdraw' AND status IN {_UNSETTLED}) OR status = 'sending'"
            f" OR id IN (SELECT target_id FROM outbox WHERE op = 'withdraw'"
            f" AND status IN {_UNSETTLED} AND target_id IS NOT NULL))",
            # Everything else about their shares and reminders, sent or not.
            f"DELETE FROM outbox WHERE ref IN {theirs} OR ref IN {reminders}",
            f"DELETE FROM outbox WHERE address = :address AND ref IS NOT '{FORGET}'",
            # Notices their actions caused that have not left yet ("Ola said yes") would name
            # them after they are gone: not sent. Ones on their way keep going, without them.
            f"DELETE FROM outbox WHERE origin = :address AND status = 'queued'"
            f" AND ref IS NOT '{FORGET}'",
            "UPDATE outbox SET origin = NULL WHERE origin = :address",
            # Updates not yet handled go; handled ones keep only their id (for a redelivery).
            "DELETE FROM inbox WHERE lane = :address AND status = 'received'",
            "UPDATE inbox SET lane = '', body_enc = NULL WHERE lane = :address",
            "DELETE FROM unreachable WHERE address = :address",
            "DELETE FROM invitation_attempts WHERE address = :address",
            "DELETE FROM conversations WHERE address = :address",
            # The link they used stays used, without their name; links they made and nobody
            # used yet would bring someone into a circle without them: revoked.
            "UPDATE invitations SET claimed_by = NULL, name_enc = NULL WHERE claimed_by = :address",
            "UPDATE invitations SET revoked_at = :at WHERE created_by = :id"
            " AND used_at IS NULL AND revoked_at IS NULL",
        ):
            await self._db.execute(sql, params)
        # Other job seekers' carry-overs name them inside encrypted JSON (a task's owner, who
        # may be reminded of it), where no foreign key reaches: taken out one by one.
        if person_id:  # (0: someone not registered, named by address only)
            await SqliteCarryOvers(self._db, self._cipher, self._changes).forget_person(person_id)
        # The rest by foreign key: memberships, a job seeker's meetings (attendees, reminders),
        # preparations, versions and share log; a professional's attendances and reminders. A
        # share to them keeps only the role (recipient_id SET NULL). Their id is never given
        # to anyone else (``SqlitePeople.add``), so what still holds it points at nobody.
        await self._db.execute("DELETE FROM people WHERE id = :id", params)
        self._changes.erased = True

    async def _columns(self, table: str) -> list[str]:
        async with self._db.execute(f"PRAGMA table_info({table})") as cursor:
            return [str(row[1]) for row in await cursor.fetchall()]

    async def _all_named(self, sql: str, params: dict[str, Any]) -> list[Any]:
        async with self._db.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    def _value(self, column: str, value: Any) -> tuple[str, Any]:
        name = column.removesuffix("_enc")
        if value is None:
            return name, None
        if column.endswith("_enc"):
            value = self._cipher.decrypt(str(value))
        if column in JSON_COLUMNS:
            value = json.loads(value)
        return name, value
