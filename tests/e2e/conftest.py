"""`moteklar run` as a real subprocess, talking HTTP to the fake Bot API server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage.crypto import generate_key
from tests.fakebotapi import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    """Starts and stops `python -m bot run`; its log goes to a file the test can read."""

    def __init__(self, api: FakeBotApi, workdir: Path) -> None:
        self.api = api
        self.workdir = workdir
        self.log_path = workdir / "bot.log"
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("MOTEKLAR_", "TELEGRAM_"))
        }
        self.env.update(
            TELEGRAM_BOT_TOKEN=api.token,
            MOTEKLAR_TELEGRAM_API_URL=api.base_url,
            MOTEKLAR_SECRET_KEY=generate_key(),
            MOTEKLAR_CONTROLLER="Test HF",
            MOTEKLAR_DB=str(workdir / "moteklar.db"),
        )
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, *args: str) -> None:
        """Start `moteklar run` with ``args`` (``--webhook-url``, ``--port``: webhook mode)."""
        before = len(self.api.calls)
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child process
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", *args],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        # PTB runs getMe, then post_init (database, menu), then starts polling (or sets the
        # webhook, once it listens).
        ready = "setWebhook" if "--webhook-url" in args else "deleteWebhook"
        try:
            self.api.wait_for_call(ready, after=before, timeout=30)
        except AssertionError:
            raise AssertionError(f"the bot did not start polling:\n{self.log}") from None

    def kill(self) -> None:
        """A crash: no clean shutdown at all."""
        assert self._process is not None
        self._process.kill()
        self._process.wait(timeout=10)

    def stop(self) -> int:
        assert self._process is not None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        return self._process.returncode

    def invite(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bot", "invite", "jobbspesialist", *args],
            cwd=self.workdir,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout.splitlines()[-1]

    @property
    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace") if self.log_path.exists() else ""

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def bot(api: FakeBotApi, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(api, tmp_path)
    yield process
    if process.running:
        process.stop()
