"""Invitations: made by the operator's CLI and by people in chat; opened by whoever joins."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.ports import UnitOfWork
from bot.core.services import Change
from bot.domain.invitations import (
    ATTEMPT_WINDOW,
    TOLD_EVERY,
    VALID_FOR,
    Invitation,
    hash_token,
    invitation_link,
    is_payload,
    new_token,
    wait_after,
)
from bot.domain.people import Employer, Locale, Person, Role

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


async def invite(
    change: Change, *, role: Role, name: str | None, jobseeker_id: int | None = None
) -> str:
    """A new invitation from the person acting, for their team; returns the link to give."""
    me = change.actor
    token = await create_invitation(
        change.uow,
        change.now,
        role=role,
        name=name,
        team=me.team,
        jobseeker_id=jobseeker_id,
        created_by=me.id,
    )
    return await invitation_link_for(change.uow, token)


class Entry:
    """Coming in through an invitation: what may be done with one, by the account opening it."""

    def __init__(self, uow: UnitOfWork, now: datetime, address: str) -> None:
        self._uow = uow
        self._now = now
        self._address = address

    async def waiting(self) -> timedelta | None:
        """How long this account must wait before opening another link (too many did not
        work lately); None when it may go ahead."""
        since = self._now - ATTEMPT_WINDOW
        failures = await self._uow.invitations.attempts(self._address, "failed", since)
        return wait_after(failures, self._now)

    async def failed(self) -> None:
        """A link that did not work was opened."""
        await self._uow.invitations.attempt(self._address, "failed", self._now)

    async def tell_to_wait(self) -> bool:
        """Whether to tell the account (again) that it must wait: at most once a minute."""
        since = self._now - TOLD_EVERY
        if await self._uow.invitations.attempts(self._address, "told", since):
            return False
        await self._uow.invitations.attempt(self._address, "told", self._now)
        return True

    async def find(self, token: str) -> Invitation | None:
        """The invitation a link's token opens (only its hash is stored)."""
        if not is_payload(token):
            return None
        return await self._uow.invitations.by_token_hash(hash_token(token))

    async def get(self, invitation_id: int) -> Invitation | None:
        return await self._uow.invitations.get(invitation_id)

    async def claim(self, invitation: Invitation) -> None:
        """Bind the invitation to this account: nobody else can use it from now on."""
        if invitation.claimed_by is None:
            await self._uow.invitations.claim(invitation.id, self._address)

    async def register(
        self,
        invitation: Invitation,
        *,
        name: str,
        locale: Locale,
        employer: Employer | None,
        workplace: str | None,
    ) -> Person:
        """The new person, with the invitation's role and team; the invitation is used up."""
        person = await self._uow.people.add(
            role=invitation.role,
            name=name,
            locale=locale,
            address=self._address,
            created_at=self._now,
            employer=employer,
            team=invitation.team,
            workplace=workplace,
        )
        await self._uow.invitations.mark_used(invitation.id, self._now)
        return person

    async def use(self, invitation: Invitation) -> None:
        """A registered person uses a circle invitation: bound to them and used up."""
        await self._uow.invitations.claim(invitation.id, self._address)
        await self._uow.invitations.mark_used(invitation.id, self._now)

    async def decline(self, invitation: Invitation) -> None:
        """A no: the invitation is used up and forgets who opened it."""
        await self._uow.invitations.mark_used(invitation.id, self._now)
        await self._uow.invitations.release(invitation.id)
