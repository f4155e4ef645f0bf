"""The wheel carries templates/, locales/ and migrations, and runs without the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [built] = out.glob("moteklar-*.whl")
    return built


def test_the_wheel_contains_templates_locales_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    templates = {
        p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*.html")
    }
    assert {f"bot/_data/templates/{t}" for t in templates} <= names
    for lang in ("nb", "nn", "en"):
        assert f"bot/_data/locales/{lang}/LC_MESSAGES/messages.po" in names
    assert "bot/storage/migrations/0001_people_and_invitations.sql" in names
    # The PDF's fonts, with their licence: Norwegian and Sámi letters on a fresh machine.
    assert "bot/_data/templates/fonts/DejaVuSans.ttf" in names
    assert "bot/_data/templates/fonts/LICENSE-DejaVu.txt" in names
    assert any(n.endswith("entry_points.txt") for n in names)


def test_the_wheel_runs_the_demo_on_its_own(wheel: Path, tmp_path: Path) -> None:
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")}
    env["PYTHONPATH"] = str(unpacked)  # ahead of the editable checkout on sys.path
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "import bot, bot.rendering.resources as r; print(bot.__file__); print(r.templates_dir())",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert where[0].startswith(str(unpacked)) and where[1].startswith(
        str(unpacked / "bot" / "_data")
    )
    demo = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input="1\n",
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "Heter du Ola Hansen?" in demo.stdout
