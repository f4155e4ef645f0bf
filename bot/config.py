"""Settings from the environment (and a ``.env`` file): frozen, validated, read only on demand."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.domain.durations import Duration, QuietHours, parse_durations
from bot.storage.crypto import validate_key

DEFAULT_API_URL = "https://api.telegram.org/bot"
_USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{4,31}$")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

T = TypeVar("T")


class ConfigError(Exception):
    """An invalid or missing setting; the message is one line naming the variable and the form."""


@dataclass(frozen=True)
class Settings:
    # Secrets are left out of repr(), so a logged or printed Settings never shows them.
    telegram_bot_token: str | None = field(repr=False)
    telegram_api_url: str
    bot_username: str | None
    db_path: Path
    secret_key: str | None = field(repr=False)
    old_secret_keys: tuple[str, ...] = field(repr=False)
    webhook_secret: str | None = field(repr=False)
    controller: str | None
    timezone: str
    prep_reminder: Duration
    meeting_reminders: tuple[Duration, ...]
    followup_after: Duration
    quiet_hours: QuietHours | None
    retention_days: int
    messages_per_second: int = 30  # 0: no pacing (benchmarks against a fake server only)

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, dotenv: Path | None = Path(".env")
    ) -> Settings:
        """Read and check every variable; the process environment wins over ``.env``."""
        values: dict[str, str] = {}
        if dotenv is not None and dotenv.is_file():
            values.update({k: v for k, v in dotenv_values(dotenv).items() if v is not None})
        values.update(os.environ if env is None else env)

        def get(name: str, default: str | None = None) -> str | None:
            value = values.get(name, "").strip()
            return value or default

        def parsed(name: str, default: str, parse: Callable[[str], T], form: str) -> T:
            raw = get(name, default)
            assert raw is not None
            try:
                return parse(raw)
            except (ValueError, ZoneInfoNotFoundError):
                raise ConfigError(f"{name}={raw!r} is invalid: expected {form}") from None

        return cls(
            telegram_bot_token=_checked(
                "TELEGRAM_BOT_TOKEN",
                get("TELEGRAM_BOT_TOKEN"),
                _token,
                "123456:ABC-token from BotFather",
            ),
            telegram_api_url=parsed(
                "MOTEKLAR_TELEGRAM_API_URL",
                DEFAULT_API_URL,
                _api_url,
                "an http(s) URL ending in /bot",
            ),
            bot_username=_checked(
                "MOTEKLAR_BOT_USERNAME",
                get("MOTEKLAR_BOT_USERNAME"),
                _username,
                "a Telegram username like moteklar_bot (5-32 letters, digits, _)",
            ),
            db_path=Path(get("MOTEKLAR_DB", "moteklar.db") or "moteklar.db"),
            secret_key=_checked(
                "MOTEKLAR_SECRET_KEY",
                get("MOTEKLAR_SECRET_KEY"),
                validate_key,
                "urlsafe base64 of 32 bytes; make one with `moteklar keygen`",
            ),
            old_secret_keys=_old_keys(get("MOTEKLAR_OLD_SECRET_KEYS")),
            webhook_secret=_checked(
                "MOTEKLAR_WEBHOOK_SECRET",
                get("MOTEKLAR_WEBHOOK_SECRET"),
                _webhook_secret,
                "1-256 characters A-Z, a-z, 0-9, _ and - (e.g. `openssl rand -hex 32`)",
            ),
            controller=get("MOTEKLAR_CONTROLLER"),
            timezone=parsed(
                "MOTEKLAR_TIMEZONE", "Europe/Oslo", _timezone, "an IANA time zone like Europe/Oslo"
            ),
            prep_reminder=parsed(
                "MOTEKLAR_PREP_REMINDER", "3d", Duration.parse, "a duration like 90s, 15m, 2h, 3d"
            ),
            meeting_reminders=parsed(
                "MOTEKLAR_MEETING_REMINDERS",
                "1d,2h",
                parse_durations,
                "durations separated by commas, like 1d,2h",
            ),
            followup_after=parsed(
                "MOTEKLAR_FOLLOWUP_AFTER", "2h", Duration.parse, "a duration like 90s, 15m, 2h, 3d"
            ),
            quiet_hours=parsed(
                "MOTEKLAR_QUIET_HOURS",
                "21-08",
                QuietHours.parse,
                "two hours 0-23 like 21-08, or none",
            ),
            retention_days=parsed(
                "MOTEKLAR_RETENTION_DAYS", "30", _positive_int, "a whole number of days, at least 1"
            ),
            messages_per_second=parsed(
                "MOTEKLAR_MESSAGES_PER_SECOND",
                "30",
                _whole_number,
                "a whole number, 30 for Telegram (0 only against a fake server)",
            ),
        )

    def require(self, *names: str) -> None:
        """Stop with one line if a variable a command needs is not set."""
        needed = {
            "TELEGRAM_BOT_TOKEN": (self.telegram_bot_token, "get one from @BotFather in Telegram"),
            "MOTEKLAR_SECRET_KEY": (self.secret_key, "make one with `moteklar keygen`"),
            "MOTEKLAR_WEBHOOK_SECRET": (
                self.webhook_secret,
                "webhook mode needs it; make one with `openssl rand -hex 32`",
            ),
            "MOTEKLAR_CONTROLLER": (
                self.controller,
                "name the organisation responsible for the data, e.g. 'Helse Sør-Øst IPS'",
            ),
        }
        for name in names:
            value, hint = needed[name]
            if not value:
                raise ConfigError(f"{name} is not set: {hint}")


def _checked(name: str, raw: str | None, check: Callable[[str], str], form: str) -> str | None:
    if raw is None:
        return None
    try:
        return check(raw)
    except ValueError:
        # Never echo a secret back: name the variable and the form only.
        raise ConfigError(f"{name} is invalid: expected {form}") from None


def _token(raw: str) -> str:
    if not _TOKEN.match(raw):
        raise ValueError(raw)
    return raw


def _webhook_secret(raw: str) -> str:
    # Telegram's secret_token: 1-256 characters, only A-Z, a-z, 0-9, _ and -.
    if not _WEBHOOK_SECRET.match(raw):
        raise ValueError("invalid")
    return raw


def _username(raw: str) -> str:
    raw = raw.removeprefix("@")
    if not _USERNAME.match(raw):
        raise ValueError(raw)
    return raw


def _api_url(raw: str) -> str:
    url = urlparse(raw)
    if url.scheme not in {"http", "https"} or not url.netloc:
        raise ValueError(raw)
    return raw


def _timezone(raw: str) -> str:
    ZoneInfo(raw)
    return raw


def _old_keys(raw: str | None) -> tuple[str, ...]:
    """Earlier keys, read for decrypting only (key rotation). Never echoed in an error."""
    try:
        return tuple(validate_key(k.strip()) for k in (raw or "").split(",") if k.strip())
    except ValueError:
        raise ConfigError(
            "MOTEKLAR_OLD_SECRET_KEYS is invalid: expected earlier keys from `moteklar keygen`,"
            " separated by commas"
        ) from None


def _whole_number(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError(raw)
    return value


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError(raw)
    return value
