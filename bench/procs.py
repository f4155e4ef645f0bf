"""The bots under test as child processes, with their own CPU and memory accounting (Linux
``/proc``: the most robust figures on a shared, noisy machine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakebotapi import FakeBotApi

_TICK = os.sysconf("SC_CLK_TCK")


class Bot:
    """``moteklar run`` or the echo bot, started against the fake server."""

    def __init__(self, api: FakeBotApi, workdir: Path, module: str, env: dict[str, str]) -> None:
        self.api = api
        self.workdir = workdir
        self.module = module
        self.env = env
        self.log_path = workdir / f"{module.replace('.', '-')}.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.startup = 0.0  # seconds from spawning to polling (deleteWebhook, just before it)

    def start(self) -> None:
        before = self.api.call_count
        log = open(self.log_path, "ab")  # noqa: SIM115 - handed to the child process
        started = time.monotonic()
        self._process = subprocess.Popen(
            [sys.executable, "-m", self.module, *(["run"] if self.module == "bot" else [])],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        call = self.api.wait_for_call("deleteWebhook", after=before, timeout=120)
        self.startup = call.at - started

    def stop(self) -> None:
        assert self._process is not None
        self._process.send_signal(signal.SIGTERM)
        try:
            self._process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def cpu(self) -> float:
        """CPU seconds (user + system) the process has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK

    def peak_rss_mb(self) -> float:
        """The process's peak resident memory (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")
