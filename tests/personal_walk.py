"""Walking every table and every column of a Møteklar database for what names one person.

Used by the integration and end-to-end tests of ``/mine_data`` and ``/slett``. The walk reads
the schema itself (``sqlite_master``, ``PRAGMA table_info`` and ``foreign_key_list``), so a
table or a column added later is walked without anyone remembering to add it here:

- what a person **owns** is found through the foreign keys that cascade from ``people`` (their
  memberships, a job seeker's meetings, preparations, versions, shares, reminders …): after
  ``/slett`` none of those rows may exist, and no column anywhere may still point at one;
- a column pointing at ``people`` may not hold their id;
- no value (encrypted ones decrypted) may hold their address, their name or a word they typed;
- no JSON inside an encrypted value (the carry-over's tasks, a flow's data …) may hold their id
  in a field that names a person (``PERSON_FIELDS``: a task's owner, who is to be reminded);
- the outbox names a share or a reminder in ``ref`` ("share:12"): not one of theirs.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.storage.crypto import Cipher

# The outbox's ref names a row by a word and an id, not by a foreign key.
REF_TABLES = {"share": "shares", "agreed": "agreement_shares", "reminder": "reminders"}
# Fields of the JSON kept encrypted (``*_enc``) that hold people's ids: an id, or a list of them
# (the carry-over's tasks; the flows' data in ``conversations``: who a share or a task is for,
# whose meeting is being booked and who attends).
PERSON_FIELDS = frozenset(
    {
        "owner_id",
        "remind",
        "person_id",
        "recipient_id",
        "jobseeker_id",
        "member_id",
        "author_id",
        "recipient",
        "owner",
        "jobseeker",
        "attendees",
    }
)


@dataclass(frozen=True)
class Column:
    name: str
    target: str | None = None  # the table a foreign key points at
    on_delete: str = ""
    primary: bool = False


@dataclass
class Person:
    """What identifies one person in the database, gathered before they are deleted."""

    id: int
    address: str
    words: set[str] = field(default_factory=set)  # their name, words they typed
    owned: dict[str, set[int]] = field(default_factory=dict)  # table -> rowids that go with them


def schema(db: sqlite3.Connection) -> dict[str, list[Column]]:
    tables = [
        str(row[0])
        for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    found: dict[str, list[Column]] = {}
    for table in tables:
        keys = {
            str(row[3]): (str(row[2]), str(row[6]).upper())
            for row in db.execute(f"PRAGMA foreign_key_list({table})")
        }
        found[table] = [
            Column(
                str(row[1]),
                keys.get(str(row[1]), (None, ""))[0],
                keys.get(str(row[1]), (None, ""))[1],
                bool(row[5]),
            )
            for row in db.execute(f"PRAGMA table_info({table})")
        ]
    return found


def gather(db: sqlite3.Connection, person_id: int, address: str, words: set[str]) -> Person:
    """The person, and every row that cascades from them (computed from the schema)."""
    person = Person(person_id, address, set(words), {"people": {person_id}})
    tables = schema(db)
    changed = True
    while changed:
        changed = False
        for table, columns in tables.items():
            for column in columns:
                ids = person.owned.get(column.target or "", set())
                if column.on_delete != "CASCADE" or not ids:
                    continue
                marks = ",".join("?" * len(ids))
                rows = db.execute(
                    f"SELECT rowid FROM {table} WHERE {column.name} IN ({marks})", sorted(ids)
                )
                new = {int(r[0]) for r in rows} - person.owned.get(table, set())
                if new:
                    person.owned.setdefault(table, set()).update(new)
                    changed = True
    return person


def decoded(cipher: Cipher, column: str, value: Any) -> Any:
    """A stored value as the application reads it: decrypted where it is encrypted."""
    if value is not None and column.endswith("_enc"):
        return cipher.decrypt(str(value))
    return value


def person_ids(value: Any) -> list[tuple[str, int]]:
    """The people's ids a JSON structure holds in ``PERSON_FIELDS``, with the field's path."""
    found: list[tuple[str, int]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in PERSON_FIELDS:
                ids = inner if isinstance(inner, list) else [inner]
                found += [(str(key), i) for i in ids if type(i) is int]
            found += [(f"{key}.{path}", i) for path, i in person_ids(inner)]
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += [(f"{index}.{path}", i) for path, i in person_ids(inner)]
    return found


def json_in(column: str, value: Any) -> Any:
    """The JSON an encrypted value holds (decrypted already), or None."""
    if not column.endswith("_enc") or not isinstance(value, str):
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None


def references(db: sqlite3.Connection, cipher: Cipher, person: Person) -> list[str]:
    """Every place in the database that still names the person: table.column (rowid)."""
    found: list[str] = []
    for table, columns in schema(db).items():
        names = [c.name for c in columns]
        gone = person.owned.get(table, set())
        for row in db.execute(f"SELECT rowid, {', '.join(names)} FROM {table}"):
            rowid, values = int(row[0]), row[1:]
            if rowid in gone:
                found.append(f"{table} ({rowid}): a row that should have gone with them")
            for column, raw in zip(columns, values, strict=True):
                value = decoded(cipher, column.name, raw)
                where = f"{table}.{column.name} ({rowid})"
                if column.target is not None and value in person.owned.get(column.target, ()):
                    found.append(f"{where}: points at their {column.target} row {value}")
                found += [
                    f"{where}: their id in {path}"
                    for path, found_id in person_ids(json_in(column.name, value))
                    if found_id == person.id
                ]
                if isinstance(value, str):
                    if person.address in value:
                        found.append(f"{where}: their address")
                    found += [f"{where}: {word!r}" for word in person.words if word in value]
                    kind, _, number = value.partition(":")
                    owned = person.owned.get(REF_TABLES.get(kind, ""), set())
                    if table == "outbox" and number.isdigit() and int(number) in owned:
                        found.append(f"{where}: names their {kind} {number}")
    return found


def naming_directly(
    db: sqlite3.Connection, person_id: int, address: str, *, except_columns: set[str]
) -> dict[str, set[tuple[Any, ...]]]:
    """The rows that name the person themself (a foreign key to ``people`` holding their id,
    or a column holding exactly their address), by primary key, table by table."""
    found: dict[str, set[tuple[Any, ...]]] = {}
    for table, columns in schema(db).items():
        keys = [c.name for c in columns if c.primary] or ["rowid"]
        tests = [
            (c.name, person_id)
            for c in columns
            if (c.target == "people" or (table == "people" and c.primary))
            and f"{table}.{c.name}" not in except_columns
        ] + [
            (c.name, address)
            for c in columns
            if not c.name.endswith("_enc") and f"{table}.{c.name}" not in except_columns
        ]
        for column, value in tests:
            rows = db.execute(f"SELECT {', '.join(keys)} FROM {table} WHERE {column} = ?", (value,))
            found.setdefault(table, set()).update(tuple(r) for r in rows)
    return {table: rows for table, rows in found.items() if rows}


def stored_ciphertexts(db: sqlite3.Connection, cipher: Cipher, words: set[str]) -> list[str]:
    """The encrypted values (as stored) whose plaintext holds one of ``words``."""
    found = []
    for table, columns in schema(db).items():
        for column in (c.name for c in columns if c.name.endswith("_enc")):
            for (value,) in db.execute(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL"):
                if any(word in cipher.decrypt(str(value)) for word in words):
                    found.append(str(value))
    return found


def file_bytes(path: Path) -> bytes:
    """The database file and its WAL, as they are on disk now."""
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def as_exported(cipher: Cipher, column: str, value: Any, json_columns: set[str]) -> Any:
    """What the export should say for a stored value."""
    value = decoded(cipher, column, value)
    return json.loads(value) if value is not None and column in json_columns else value
