"""Making invitations: the one entry for the operator's CLI and, later, for people in chat."""

from __future__ import annotations

from bot.core.ports import Clock, UnitOfWork
from bot.domain.invitations import VALID_FOR, hash_token, new_token
from bot.domain.people import Employer, Role


async def create_invitation(
    uow: UnitOfWork,
    clock: Clock,
    *,
    role: Role,
    name: str | None,
    employer: Employer | None = None,
    team: str | None = None,
) -> str:
    """Store a new invitation (hashed) and return its token; the caller commits."""
    token = new_token()
    now = clock.now()
    await uow.invitations.add(
        token_hash=hash_token(token),
        role=role,
        name=name,
        created_at=now,
        expires_at=now + VALID_FOR,
        employer=employer,
        team=team,
    )
    return token
