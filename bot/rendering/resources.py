"""Where ``templates/`` and ``locales/`` are: beside the package, or inside it in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def resource_dir(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"Møteklar's {name}/ folder is missing")


def templates_dir() -> Path:
    return resource_dir("templates")


def locales_dir() -> Path:
    return resource_dir("locales")
