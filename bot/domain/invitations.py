"""Single-use, expiring invitations: the only way into Møteklar, for every role."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from bot.domain.people import Employer, Role

VALID_FOR = timedelta(days=7)
# 24 random bytes = 192 bits, urlsafe base64 = 32 characters of [A-Za-z0-9_-]:
# fits Telegram's start payload (1-64 characters of that alphabet).
_TOKEN_BYTES = 24
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# Links that do not work, per account: after this many in the window, the account waits until
# the oldest of them leaves it. Guessing a 192-bit token is hopeless anyway; this keeps the
# load and the log quiet. While it waits it is told so at most once a minute.
ATTEMPTS = 5
ATTEMPT_WINDOW = timedelta(minutes=15)
TOLD_EVERY = timedelta(minutes=1)
ATTEMPTS_KEPT = timedelta(days=1)


def new_token() -> str:
    return secrets.token_urlsafe(_TOKEN_BYTES)


def hash_token(token: str) -> str:
    """Only the hash is stored: a copy of the database cannot be used to register."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def is_payload(text: str) -> bool:
    return PAYLOAD.match(text) is not None


def invitation_link(token: str, bot_username: str | None) -> str:
    if bot_username:
        return f"https://t.me/{bot_username}?start={token}"
    return f"start={token}"


class InvitationProblem(Enum):
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    TAKEN = "taken"  # opened first by another account


@dataclass(frozen=True)
class Invitation:
    id: int
    role: Role
    name: str | None
    created_at: datetime
    expires_at: datetime
    employer: Employer | None = None
    team: str | None = None
    claimed_by: str | None = None
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    jobseeker_id: int | None = None  # a circle invitation: whose circle it joins
    created_by: int | None = None  # the person who made it (None: the operator)

    def problem_for(self, address: str, now: datetime) -> InvitationProblem | None:
        """Why ``address`` may not use this invitation now, or None when it may."""
        if self.revoked_at is not None:
            return InvitationProblem.REVOKED
        if self.used_at is not None:
            return InvitationProblem.USED
        if self.claimed_by is not None and self.claimed_by != address:
            return InvitationProblem.TAKEN
        if now >= self.expires_at:
            return InvitationProblem.EXPIRED
        return None


def wait_after(failures: list[datetime], now: datetime) -> timedelta | None:
    """How long an account with these failed attempts (oldest first, within the window) must
    wait before opening another link; None when it need not."""
    if len(failures) < ATTEMPTS:
        return None
    until = failures[-ATTEMPTS] + ATTEMPT_WINDOW
    return until - now if until > now else None
