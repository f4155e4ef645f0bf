"""Unit tests and the core must not depend on Telegram or SQLite (import-linter guards bot/)."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = ("telegram", "aiosqlite", "sqlite3", "bot.storage", "bot.transports", "bot.bootstrap")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_unit_test_imports_telegram_or_sqlite() -> None:
    offenders = {
        f"{path.name}: {name}"
        for path in Path(__file__).parent.glob("*.py")
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    }
    assert offenders == set()
