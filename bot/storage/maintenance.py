"""The operator's maintenance: re-encrypting everything with the current key, and backups.

Both are safe while the bot runs: rotation works in short transactions (a batch of rows each),
so the bot waits at most one batch for the database; a backup uses SQLite's online backup API,
which copies a consistent snapshot while others keep writing (WAL).
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from bot.storage.database import Database

# Rows re-encrypted per transaction: small enough that a running bot never waits long.
BATCH = 200


@dataclass(frozen=True)
class Rotated:
    values: int  # values re-encrypted with the current key
    columns: int  # encrypted columns looked at


async def encrypted_columns(database: Database) -> list[tuple[str, str]]:
    """Every (table, column) that holds encrypted values: by the naming rule ``*_enc``, read from
    the schema itself, so a table added later is rotated too."""
    found: list[tuple[str, str]] = []
    connection = database.connection
    async with connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ) as cursor:
        tables = [str(row[0]) for row in await cursor.fetchall()]
    for table in sorted(tables):
        async with connection.execute(f"PRAGMA table_info({table})") as cursor:
            found += [
                (table, str(row[1])) for row in await cursor.fetchall() if row[1].endswith("_enc")
            ]
    return found


async def rotate_key(database: Database) -> Rotated:
    """Re-encrypt every value (and the key check) that is not under the current key."""
    cipher = database.cipher
    columns = [*await encrypted_columns(database), ("meta", "value")]
    touched = 0
    for table, column in columns:
        last = 0
        while True:
            async with database.lock:
                connection = database.connection
                await connection.execute("BEGIN IMMEDIATE")
                try:
                    condition = "key = 'key_check' AND " if table == "meta" else ""
                    async with connection.execute(
                        f"SELECT rowid, {column} FROM {table} WHERE {condition}rowid > ?"
                        f" AND {column} IS NOT NULL ORDER BY rowid LIMIT ?",
                        (last, BATCH),
                    ) as cursor:
                        rows = list(await cursor.fetchall())
                    for rowid, value in rows:
                        if not str(value).startswith(cipher.primary_key_id + ":"):
                            await connection.execute(
                                f"UPDATE {table} SET {column} = ? WHERE rowid = ?",
                                (cipher.encrypt(cipher.decrypt(str(value))), rowid),
                            )
                            touched += 1
                    await connection.execute("COMMIT")
                except BaseException:
                    await connection.execute("ROLLBACK")
                    raise
            if len(rows) < BATCH:
                break
            last = int(rows[-1][0])
            await asyncio.sleep(0)  # let the bot have the database between batches
    # The old ciphertexts must not linger in the WAL once the old key is removed.
    await database.purge()
    return Rotated(touched, len(columns))


def backup(source: Path, target: Path) -> int:
    """A consistent copy of the database at ``target`` (pages copied), safe while it is in use.

    Free text stays encrypted in the copy: it needs the same key (or the old ones) to be read.
    """
    if target.exists():
        raise FileExistsError(target)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst, pages=256, sleep=0.01)
        pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
    return pages
