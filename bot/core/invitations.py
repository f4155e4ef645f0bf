"""Making invitations: the one entry for the operator's CLI and for people in chat."""

from __future__ import annotations

from datetime import datetime

from bot.core.ports import UnitOfWork
from bot.domain.invitations import VALID_FOR, hash_token, invitation_link, new_token
from bot.domain.people import Employer, Role

BOT_USERNAME = "bot_username"  # meta key, stored by the Telegram adapter from getMe


async def create_invitation(
    uow: UnitOfWork,
    now: datetime,
    *,
    role: Role,
    name: str | None,
    employer: Employer | None = None,
    team: str | None = None,
    jobseeker_id: int | None = None,
    created_by: int | None = None,
) -> str:
    """Store a new invitation (hashed) and return its token; the caller commits."""
    token = new_token()
    await uow.invitations.add(
        token_hash=hash_token(token),
        role=role,
        name=name,
        created_at=now,
        expires_at=now + VALID_FOR,
        employer=employer,
        team=team,
        jobseeker_id=jobseeker_id,
        created_by=created_by,
    )
    return token


async def invitation_link_for(uow: UnitOfWork, token: str, username: str | None = None) -> str:
    """The link to give: t.me with the bot's username when known, else ``start=<token>``."""
    return invitation_link(token, username or await uow.meta.get(BOT_USERNAME))
