"""The operator's maintenance, as an operator runs it: `moteklar rotate-key` re-encrypts every
encrypted value with the current key (after which the old key can go), and `moteklar backup`
writes a consistent, still encrypted copy."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.core.messages import Envelope
from bot.core.state import ConversationState
from bot.domain.delivery import Guarantee, Op
from bot.domain.people import Locale, Role
from bot.storage.crypto import Cipher, KeyError_, generate_key
from bot.storage.database import open_database
from bot.storage.unit_of_work import SqliteUnitOfWork

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
SECRET = "Jeg er redd for å miste støtten"
FERNET = re.compile(r"^k[0-9a-f]{8}:gAAAA")


async def filled_database(path: Path, key: str) -> None:
    """A database with encrypted values in many tables."""
    database = await open_database(path, Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        ola = await uow.people.add(
            role=Role.JOBBSOKER, name="Ola Hansen", locale=Locale.NB, address="t:1", created_at=NOW
        )
        kari = await uow.people.add(
            role=Role.JOBBSPESIALIST,
            name="Kari",
            locale=Locale.NB,
            address="t:2",
            created_at=NOW,
            workplace="Nav Grimstad",
        )
        await uow.conversations.save("t:1", ConversationState("prep", "good", {"draft": SECRET}))
        await uow.meetings.add(
            jobseeker_id=ola.id,
            organiser_id=kari.id,
            starts_at=NOW,
            ends_at=NOW,
            place="DPS Solvang",
            attendee_ids=[ola.id, kari.id],
            at=NOW,
        )
        for n in range(450):  # more than one batch
            await uow.outbox.add(
                address="t:1",
                op=Op.SEND,
                guarantee=Guarantee.AT_LEAST_ONCE,
                envelope=Envelope((f"{SECRET} {n}",)),
                at=NOW,
            )
        await uow.commit()
    await database.close()


def moteklar(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**clean, "MOTEKLAR_DB": str(cwd / "m.db"), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def stored_values(path: Path) -> list[str]:
    """Every text value in every column of every table."""
    found: list[str] = []
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in db.execute(f"SELECT * FROM {table}"):
                found += [v for v in row if isinstance(v, str)]
    return found


async def test_rotation_re_encrypts_everything_and_the_old_key_can_go(tmp_path: Path) -> None:
    old, new = generate_key(), generate_key()
    await filled_database(tmp_path / "m.db", old)
    before = [v for v in stored_values(tmp_path / "m.db") if FERNET.match(v)]

    rotated = moteklar(
        "rotate-key", cwd=tmp_path, MOTEKLAR_SECRET_KEY=new, MOTEKLAR_OLD_SECRET_KEYS=old
    )

    assert rotated.returncode == 0, rotated.stderr
    count = int(rotated.stdout.split()[0])
    assert count == len(before) >= 450  # every value, the key check included
    after = stored_values(tmp_path / "m.db")
    assert not set(before) & set(after)
    raw = (tmp_path / "m.db").read_bytes()
    assert not any(v.encode() in raw for v in before[:20])  # not left behind in the file either
    database = await open_database(tmp_path / "m.db", Cipher([new]))  # the new key alone
    async with SqliteUnitOfWork(database) as uow:
        person = await uow.people.by_address("t:2")
        assert person is not None and person.workplace == "Nav Grimstad"
        assert (await uow.conversations.get("t:1")).data == {"draft": SECRET}
    await database.close()
    with pytest.raises(KeyError_):
        await open_database(tmp_path / "m.db", Cipher([old]))
    again = moteklar("rotate-key", cwd=tmp_path, MOTEKLAR_SECRET_KEY=new)
    assert again.returncode == 0 and again.stdout.startswith("0 values")


async def test_a_wrong_key_is_one_clear_line(tmp_path: Path) -> None:
    await filled_database(tmp_path / "m.db", generate_key())
    wrong = moteklar("rotate-key", cwd=tmp_path, MOTEKLAR_SECRET_KEY=generate_key())
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("moteklar: MOTEKLAR_SECRET_KEY does not open this database")
    assert len(wrong.stderr.strip().splitlines()) == 1
    bad = moteklar(
        "rotate-key",
        cwd=tmp_path,
        MOTEKLAR_SECRET_KEY=generate_key(),
        MOTEKLAR_OLD_SECRET_KEYS="not-a-key",
    )
    assert bad.returncode == 2 and "not-a-key" not in bad.stderr  # never echoed


async def test_every_encrypted_value_lives_in_a_column_rotation_finds(tmp_path: Path) -> None:
    """Rotation finds encrypted columns by their name (``*_enc``): a column holding encrypted
    values under another name would be missed, and this test names it."""
    key = generate_key()
    await filled_database(tmp_path / "m.db", key)
    misnamed = []
    with sqlite3.connect(tmp_path / "m.db") as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [c[1] for c in db.execute(f"PRAGMA table_info({table})")]
            for row in db.execute(f"SELECT * FROM {table}"):
                for column, value in zip(columns, row, strict=True):
                    encrypted = isinstance(value, str) and FERNET.match(value)
                    if (
                        encrypted
                        and not column.endswith("_enc")
                        and (table, column)
                        != (
                            "meta",
                            "value",
                        )
                    ):
                        misnamed.append(f"{table}.{column}")
    assert misnamed == []


async def test_a_backup_is_consistent_encrypted_and_never_overwrites(tmp_path: Path) -> None:
    key = generate_key()
    await filled_database(tmp_path / "m.db", key)

    made = moteklar("backup", str(tmp_path / "copy.db"), cwd=tmp_path, MOTEKLAR_SECRET_KEY=key)

    assert made.returncode == 0, made.stderr
    assert SECRET.encode() not in (tmp_path / "copy.db").read_bytes()  # still encrypted
    database = await open_database(tmp_path / "copy.db", Cipher([key]))
    async with SqliteUnitOfWork(database) as uow:
        assert (await uow.conversations.get("t:1")).data == {"draft": SECRET}
    await database.close()
    again = moteklar("backup", str(tmp_path / "copy.db"), cwd=tmp_path, MOTEKLAR_SECRET_KEY=key)
    assert again.returncode == 2 and "exists already" in again.stderr
