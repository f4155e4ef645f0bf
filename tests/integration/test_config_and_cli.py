"""Settings from the environment, and the `moteklar` command as an operator uses it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings
from bot.domain.durations import Duration
from bot.storage.crypto import generate_key, validate_key

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_follow_the_product_contract() -> None:
    settings = Settings.from_env({}, dotenv=None)
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.db_path == Path("moteklar.db")
    assert settings.timezone == "Europe/Oslo"
    assert settings.prep_reminder == Duration.parse("3d")
    assert [str(d) for d in settings.meeting_reminders] == ["1d", "2h"]
    assert settings.followup_after == Duration.parse("2h")
    assert settings.quiet_hours is not None and settings.quiet_hours.start.hour == 21
    assert settings.retention_days == 30
    assert settings.telegram_bot_token is None and settings.secret_key is None


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("MOTEKLAR_TIMEZONE", "Europe/Osloo"),
        ("MOTEKLAR_PREP_REMINDER", "3 days"),
        ("MOTEKLAR_MEETING_REMINDERS", "1d,soon"),
        ("MOTEKLAR_FOLLOWUP_AFTER", "0h"),
        ("MOTEKLAR_QUIET_HOURS", "21-25"),
        ("MOTEKLAR_RETENTION_DAYS", "0"),
        ("MOTEKLAR_TELEGRAM_API_URL", "api.telegram.org"),
        ("MOTEKLAR_BOT_USERNAME", "x"),
        ("MOTEKLAR_SECRET_KEY", "not-a-key"),
        ("TELEGRAM_BOT_TOKEN", "token with spaces"),
    ],
)
def test_an_invalid_value_names_the_variable_and_the_form(variable: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({variable: value}, dotenv=None)
    message = str(caught.value)
    assert message.startswith(variable) and "expected" in message and "\n" not in message
    if variable in {"MOTEKLAR_SECRET_KEY", "TELEGRAM_BOT_TOKEN"}:
        assert value not in message  # secrets are never echoed


def test_dotenv_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("MOTEKLAR_TIMEZONE=Europe/Berlin\nMOTEKLAR_RETENTION_DAYS=10\n")
    settings = Settings.from_env({"MOTEKLAR_RETENTION_DAYS": "5"}, dotenv=dotenv)
    assert (settings.timezone, settings.retention_days) == ("Europe/Berlin", 5)


def test_required_variables_are_named_with_how_to_get_them() -> None:
    settings = Settings.from_env({}, dotenv=None)
    with pytest.raises(ConfigError, match="MOTEKLAR_SECRET_KEY is not set: make one with"):
        settings.require("MOTEKLAR_SECRET_KEY")


def moteklar(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTEKLAR_", "TELEGRAM_"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=full_env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_keygen_prints_a_usable_key(tmp_path: Path) -> None:
    result = moteklar("keygen", env={}, cwd=tmp_path)
    assert result.returncode == 0
    assert validate_key(result.stdout.strip())


def test_invite_prints_the_link_as_the_last_line(tmp_path: Path) -> None:
    env = {"MOTEKLAR_SECRET_KEY": generate_key(), "MOTEKLAR_DB": str(tmp_path / "m.db")}
    bare = moteklar("invite", "jobbspesialist", "--name", "Kari Nordmann", env=env, cwd=tmp_path)
    assert bare.returncode == 0, bare.stderr
    assert bare.stdout.splitlines()[-1].startswith("start=")

    env["MOTEKLAR_BOT_USERNAME"] = "moteklar_bot"
    result = moteklar(
        "invite",
        "jobbspesialist",
        "--name",
        "Kari Nordmann",
        "--employer",
        "helse",
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    link = result.stdout.splitlines()[-1]
    assert link.startswith("https://t.me/moteklar_bot?start=") and len(link.split("=")[1]) == 32
    assert "Kari" not in result.stderr


def test_invite_and_run_refuse_to_start_with_one_clear_line(tmp_path: Path) -> None:
    no_key = moteklar("invite", "jobbspesialist", "--name", "Kari", env={}, cwd=tmp_path)
    assert no_key.returncode == 2
    assert no_key.stderr.strip() == (
        "moteklar: MOTEKLAR_SECRET_KEY is not set: make one with `moteklar keygen`"
    )
    bad = moteklar("run", env={"MOTEKLAR_QUIET_HOURS": "late"}, cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert bad.stderr.startswith("moteklar: MOTEKLAR_QUIET_HOURS='late' is invalid: expected")
    no_token = moteklar("run", env={"MOTEKLAR_SECRET_KEY": generate_key()}, cwd=tmp_path)
    assert no_token.returncode == 2 and "TELEGRAM_BOT_TOKEN is not set" in no_token.stderr


def test_a_wrong_key_stops_invite_with_a_clear_message(tmp_path: Path) -> None:
    env = {"MOTEKLAR_SECRET_KEY": generate_key(), "MOTEKLAR_DB": str(tmp_path / "m.db")}
    assert (
        moteklar("invite", "jobbspesialist", "--name", "Kari", env=env, cwd=tmp_path).returncode
        == 0
    )
    env["MOTEKLAR_SECRET_KEY"] = generate_key()
    wrong = moteklar("invite", "jobbspesialist", "--name", "Kari", env=env, cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("moteklar: MOTEKLAR_SECRET_KEY does not open this database")
    assert "Traceback" not in wrong.stderr


def demo(*args: str, keys: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "demo", *args],
        input=keys,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")},
    )


def test_demo_as_kari_walks_through_first_contact_and_ends_on_eof(tmp_path: Path) -> None:
    result = demo("--as", "jobbspesialist", keys="1\n7\n1\n2\n/hjelp\n/moeter\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "Hvilket språk vil du at jeg skal bruke?",
        "[1] Bokmål",
        "→ Bokmål",
        "Heter du Kari Nordmann?",
        "Det er 2 knapper",  # "7" is not a button
        "→ Helsetjenesten",
        "Velkommen, Kari Nordmann! Nå er du registrert som jobbspesialist i Møteklar.",
        "Ola Hansen har sagt ja til å bruke Møteklar.",  # Ola, played by the demo, joined
        "116 123",
        "Du har ingen møter som kommer.",
        "Demoen er ferdig.",
    ):
        assert expected in out, expected
    assert result.stderr == ""
    assert list(tmp_path.iterdir()) == []  # its own database, in a folder it deletes


def test_demo_as_ola_joins_approves_his_circle_and_sees_the_meeting(tmp_path: Path) -> None:
    keys = "1\n1\n1\n1\n3\n/moeter\n"  # bokmål, my name, yes to Møteklar, let Per and Nina in
    result = demo(keys=keys, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "Du er Ola Hansen, en jobbsøker.",
        "Helse Eksempel HF er ansvarlig for opplysningene dine.",
        "Meldingene går gjennom Telegram, som har servere utenfor EU/EØS.",
        "── Dette fikk Kari Nordmann ──",
        "Per Berg (behandler, DPS Solvang) vil gjerne bli med i gruppen din i Møteklar.",
        "Nina Lie (Nav-veileder, Nav Kristiansand) vil gjerne bli med i gruppen din i Møteklar.",
        "Per Berg er nå med i gruppen din.",
        "Nina Lie er nå med i gruppen din.",
        "Nytt samarbeidsmøte",
        "📍 DPS Solvang, rom 2",
        "Du har 1 møte som kommer:",
        "Jeg kan ikke komme",
    ):
        assert expected in out, expected
    assert result.stderr == ""


def test_users_lists_people_and_invitations_and_revokes(tmp_path: Path) -> None:
    env = {"MOTEKLAR_SECRET_KEY": generate_key(), "MOTEKLAR_DB": str(tmp_path / "m.db")}
    moteklar("invite", "jobbspesialist", "--name", "Kari Nordmann", env=env, cwd=tmp_path)
    listed = moteklar("users", "list", env=env, cwd=tmp_path)
    assert listed.returncode == 0
    assert re.search(r"^\s+1\s+jobbspesialist\s+Kari Nordmann \(expires ", listed.stdout, re.M)
    revoked = moteklar("users", "revoke-invitation", "1", env=env, cwd=tmp_path)
    assert revoked.returncode == 0 and "revoked" in revoked.stdout
    assert "Kari" not in moteklar("users", "list", env=env, cwd=tmp_path).stdout
    again = moteklar("users", "revoke-invitation", "1", env=env, cwd=tmp_path)
    assert again.returncode == 2 and "no open invitation 1" in again.stderr
    missing = moteklar("users", "remove", "7", env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "no person 7" in missing.stderr


def test_secrets_never_show_in_repr() -> None:
    key = generate_key()
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:ABC-secret_token",
            "MOTEKLAR_SECRET_KEY": key,
            "MOTEKLAR_WEBHOOK_SECRET": "hook-secret-value",
        },
        dotenv=None,
    )
    shown = repr(settings) + str(settings)
    assert "ABC-secret_token" not in shown and key not in shown
    assert "hook-secret-value" not in shown
    assert settings.telegram_bot_token == "123456:ABC-secret_token"


def test_webhook_mode_needs_its_secret_and_both_options(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOTEKLAR_", "TELEGRAM_"))}
    env.update(
        TELEGRAM_BOT_TOKEN="123456:ABC-token",
        MOTEKLAR_SECRET_KEY=generate_key(),
        MOTEKLAR_CONTROLLER="Test HF",
    )
    hook = ["run", "--webhook-url", "https://bot.example.org/hook", "--port", "8443"]
    missing = moteklar(*hook, env=env, cwd=tmp_path)
    assert missing.returncode == 2 and "MOTEKLAR_WEBHOOK_SECRET is not set" in missing.stderr
    half = moteklar("run", "--port", "8443", env=env, cwd=tmp_path)
    assert half.returncode == 2 and "--webhook-url and --port" in half.stderr
    bad = moteklar(*hook, env={**env, "MOTEKLAR_WEBHOOK_SECRET": "has spaces=no"}, cwd=tmp_path)
    assert bad.returncode == 2 and "has spaces" not in bad.stderr  # never echoed


def test_demo_saves_the_calendar_file_and_keeps_the_other_buttons(tmp_path: Path) -> None:
    """Issue 10: the .ics was announced ("📎 … (779 bytes)") but never written, and pressing it
    took "Jeg kan ikke komme" away."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")}
    env["TMPDIR"] = str(tmp_path)  # where the demo keeps the files it received
    keys = "1\n1\n1\n1\n3\n1\n2\n"  # join, let Per and Nina in, calendar file, I can't come
    result = subprocess.run(
        [sys.executable, "-m", "bot", "demo"],
        input=keys,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    [saved] = list((tmp_path / "moteklar-demo").glob("samarbeidsmote-*.ics"))
    assert f"📎 Filen er lagret her: {saved}" in result.stdout
    assert saved.read_text("utf-8").startswith("BEGIN:VCALENDAR")
    assert "bytes)" not in result.stdout
    assert "Takk for at du sier fra" in result.stdout  # "Jeg kan ikke komme" was still there
    assert f"Filene du lagret, ligger fortsatt i {saved.parent}." in result.stdout


def test_the_demo_edits_lines_with_readline() -> None:
    """Issue 10: arrow keys printed "^[[D"; input() edits lines once readline is loaded."""
    code = (
        "import sys\n"
        "from bot.__main__ import main\n"
        "main(['demo'])\n"
        "print('READLINE', 'readline' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input="",
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={k: v for k, v in os.environ.items() if not k.startswith("MOTEKLAR_")},
    )
    assert "READLINE True" in result.stdout, result.stderr
