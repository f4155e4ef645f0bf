"""The outbox from both ends: what a change owes people, and what a sender makes of it.

A change stores its messages with itself (``enqueue``, in the change's unit of work): nothing is
sent that was not committed, nothing committed is forgotten. A transport's sender then asks
``Deliveries`` for each person's next message, in order, and reports how each try went; the
rules for what a try means are in ``bot.domain.delivery``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.core.access import Gate
from bot.core.messages import Delivery, Envelope, Menu, Reply
from bot.core.ports import Clock, Composer, UnitOfWork, UnitOfWorkFactory
from bot.core.services import Change, sharing
from bot.domain.delivery import (
    FORGET,
    Attempt,
    DeliveryStatus,
    Guarantee,
    Op,
    after,
    after_restart,
)
from bot.domain.invitations import ATTEMPTS_KEPT

logger = logging.getLogger(__name__)

# A redelivered update is recognised for at least a day (Telegram keeps unconfirmed updates
# for 24 hours); settled deliveries that nothing refers to are kept a week for the operator.
INBOX_KEPT = timedelta(hours=48)
OUTBOX_KEPT = timedelta(days=7)
# Operations on a message sent before (found by the ref they share with it).
_ON_A_MESSAGE = {Op.PIN, Op.UNPIN}


@dataclass(frozen=True)
class Queued:
    """What ``enqueue`` stored: whose deliveries to start, and whether the pressed message is
    replaced in place by the first reply."""

    addresses: tuple[str, ...] = ()
    edited: bool = False


async def enqueue(
    uow: UnitOfWork,
    composer: Composer,
    now: datetime,
    replies: Sequence[Reply],
    *,
    actor: str | None,
    pressed: int | None = None,
    menus: Sequence[Menu] = (),
    ref: str | None = None,
    not_after: datetime | None = None,
) -> Queued:
    """Store the messages a change causes, in the change's own unit of work.

    A reply to ``actor`` (the person whose action this is) is delivered at least once; a
    message to anyone else at most once, and ``actor`` is told if it cannot be delivered.
    ``ref`` says what the messages belong to ("reminder:12"); past ``not_after`` they expire.
    """
    addresses: dict[str, None] = {}
    edited = False
    for index, reply in enumerate(replies):
        address = reply.address or actor
        if address is None:
            raise ValueError("a reply needs an address when nobody acted")
        own = address == actor
        if reply.leave:
            await uow.outbox.add(
                address=address,
                op=Op.LEAVE,
                guarantee=Guarantee.AT_LEAST_ONCE,  # leaving twice does no harm
                envelope=Envelope(),
                at=now,
            )
            addresses[address] = None
            continue
        envelope = composer.compose(reply, now)
        op, target = Op.SEND, None
        if reply.withdraws is not None:
            op, target = Op.WITHDRAW, reply.withdraws
        elif reply.edits is not None and len(envelope.parts) == 1:
            op, target = Op.EDIT, reply.edits
        elif (
            index == 0
            and reply.replace
            and own
            and pressed is not None
            and len(envelope.parts) == 1
            and envelope.document is None
        ):
            op, target, edited = Op.EDIT, pressed, True
        await uow.outbox.add(
            address=address,
            op=op,
            # Taking back is harmless to repeat (a deleted message stays deleted, an
            # overwritten one shows the notice), so a lost answer never leaves a copy behind.
            guarantee=Guarantee.AT_LEAST_ONCE
            if own or op is Op.WITHDRAW
            else Guarantee.AT_MOST_ONCE,
            envelope=envelope,
            at=now,
            target_id=target,
            origin=None if own else actor,
            ref=reply.ref or ref,
            not_after=not_after,
        )
        addresses[address] = None
    for menu in menus:
        await uow.outbox.add(
            address=menu.address,
            op=Op.MENU,
            guarantee=Guarantee.AT_LEAST_ONCE,
            envelope=composer.menu(menu),
            at=now,
            ref=menu.ref,
        )
        addresses[menu.address] = None
    return Queued(tuple(addresses), edited)


class Deliveries:
    """The outbox as a sender sees it: the next message for a person, and how a try went."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, composer: Composer) -> None:
        self._uow_factory = uow_factory
        self._clock = clock
        self._composer = composer
        # Set by the transport: start deliveries for these addresses (new messages were queued).
        self.on_queued: Callable[[Iterable[str]], None] = lambda addresses: None

    async def resume(self) -> list[str]:
        """At start-up: what was being sent when the process stopped is queued again (at least
        once) or marked unknown (at most once). Returns the addresses with messages to send."""
        async with self._uow_factory() as uow:
            now = self._clock.now()
            for delivery in await uow.outbox.unsettled():
                status = after_restart(delivery.guarantee, delivery.status)
                if status is delivery.status:
                    continue
                if status.settled:
                    logger.warning("delivery %d: outcome unknown after a restart", delivery.id)
                    await uow.outbox.settle(delivery.id, status, now)
                else:
                    await uow.outbox.set_status(delivery.id, status)
            addresses = await uow.outbox.unsettled_addresses()
            await uow.commit()
        return addresses

    def now(self) -> datetime:
        return self._clock.now()

    async def get(self, delivery_id: int) -> Delivery | None:
        """A delivery as it stands (what a withdrawal takes back)."""
        async with self._uow_factory() as uow:
            return await uow.outbox.get(delivery_id)

    async def pending(self) -> list[str]:
        """Addresses with messages still to send."""
        async with self._uow_factory() as uow:
            return await uow.outbox.unsettled_addresses()

    async def next(self, address: str, *, mark: bool = True) -> Delivery | None:
        """The next message for ``address``, ready to send; None when nothing is due.

        Messages past their ``not_after`` are expired on the way; for a person who blocked the
        bot, everything queued is settled as unreachable. An at-most-once message is marked
        ``sending`` (committed) before it is handed out: if the process dies now, it is unknown.
        With ``mark=False`` the caller marks it (``sending``) just before the request leaves,
        after waiting its turn, so the unknown window is only the request itself.
        """
        async with self._uow_factory() as uow:
            delivery, told = await self._next_in(uow, address, mark=mark)
            await uow.commit()
        if told:
            self.on_queued(told)
        return delivery

    async def _next_in(
        self, uow: UnitOfWork, address: str, *, mark: bool
    ) -> tuple[Delivery | None, list[str]]:
        told: list[str] = []
        now = self._clock.now()
        delivery = await uow.outbox.next_for(address)
        while delivery is not None:
            if delivery.not_after is not None and now > delivery.not_after:
                await uow.outbox.settle(delivery.id, DeliveryStatus.EXPIRED, now)
            elif await uow.outbox.is_unreachable(address):
                told += await self._unreachable(uow, address, now)
            elif delivery.op in _ON_A_MESSAGE and delivery.target_id is None:
                # A pin (or unpin) acts on the message sent with the same ref, which went
                # out before it (one person's deliveries are in order).
                target = await uow.outbox.sent_message(address, delivery.ref or "")
                if target is not None:
                    delivery = replace(delivery, target_id=target)
                    break
                logger.info("delivery %d: the message it acts on was not sent", delivery.id)
                await uow.outbox.settle(delivery.id, DeliveryStatus.EXPIRED, now)
            else:
                break
            delivery = await uow.outbox.next_for(address)
        if mark and delivery is not None:
            delivery = await self._mark(uow, delivery)
        return delivery, told

    async def sending(self, delivery: Delivery) -> Delivery | None:
        """The request is about to leave: an at-most-once message is marked ``sending``
        (committed), so if the process dies now it is unknown, never sent again. None if it was
        settled meanwhile (withdrawn, or expired while it waited)."""
        if delivery.guarantee is not Guarantee.AT_MOST_ONCE:
            return delivery
        async with self._uow_factory() as uow:
            current = await uow.outbox.get(delivery.id)
            if current is None or current.status.settled:
                return None
            if delivery.not_after is not None and self._clock.now() > delivery.not_after:
                await uow.outbox.settle(delivery.id, DeliveryStatus.EXPIRED, self._clock.now())
                await uow.commit()
                return None
            delivery = await self._mark(uow, delivery)
            await uow.commit()
        return delivery

    @staticmethod
    async def _mark(uow: UnitOfWork, delivery: Delivery) -> Delivery:
        if (
            delivery.guarantee is Guarantee.AT_MOST_ONCE
            and delivery.status is DeliveryStatus.QUEUED
        ):
            await uow.outbox.set_status(delivery.id, DeliveryStatus.SENDING)
            return replace(delivery, status=DeliveryStatus.SENDING)
        return delivery

    async def progress(self, delivery: Delivery, message_ids: Sequence[int]) -> None:
        """Parts of a long message went out: a retry goes on from the next part."""
        async with self._uow_factory() as uow:
            await uow.outbox.progress(delivery.id, len(message_ids), list(message_ids))
            await uow.commit()

    async def finish(
        self, delivery: Delivery, attempt: Attempt, message_ids: Sequence[int] = ()
    ) -> DeliveryStatus:
        """Record how a try ended; QUEUED means the sender tries again later."""
        status, _ = await self.finish_and_next(delivery, attempt, message_ids, then=False)
        return status

    async def finish_and_next(
        self,
        delivery: Delivery,
        attempt: Attempt,
        message_ids: Sequence[int] = (),
        *,
        then: bool = True,
    ) -> tuple[DeliveryStatus, Delivery | None]:
        """Record how a try ended and, unless the sender must try again later (QUEUED), find
        the person's next message (unmarked, as ``next(mark=False)``) in the same commit: one
        transaction less for every message sent."""
        status = after(delivery.guarantee, attempt)
        told: list[str] = []
        following: Delivery | None = None
        async with self._uow_factory() as uow:
            now = self._clock.now()
            if status is DeliveryStatus.QUEUED:
                if delivery.status is DeliveryStatus.SENDING:
                    await uow.outbox.set_status(delivery.id, DeliveryStatus.QUEUED)
                if tuple(message_ids) != delivery.message_ids:
                    await uow.outbox.progress(delivery.id, len(message_ids), list(message_ids))
            elif status is DeliveryStatus.UNREACHABLE:
                await uow.outbox.mark_unreachable(delivery.address, now)
                told = await self._unreachable(uow, delivery.address, now)
            else:
                if status is not DeliveryStatus.SENT:
                    logger.warning("delivery %d: %s", delivery.id, status.value)
                await uow.outbox.settle(delivery.id, status, now, list(message_ids) or None)
                if delivery.ref == FORGET:
                    # What was left of someone who deleted their data goes once it is done.
                    await uow.outbox.forget_settled()
            if then and status is not DeliveryStatus.QUEUED:
                following, more = await self._next_in(uow, delivery.address, mark=False)
                told += more
            await uow.commit()
        if told:
            self.on_queued(told)
        return status, following

    async def housekeeping(self) -> tuple[int, int]:
        """Forget settled updates and deliveries nobody needs any more; (inbox, outbox) counts."""
        async with self._uow_factory() as uow:
            now = self._clock.now()
            counts = (
                await uow.inbox.prune(now - INBOX_KEPT),
                await uow.outbox.prune(now - OUTBOX_KEPT) + await uow.outbox.forget_settled(),
            )
            await uow.invitations.forget_attempts(now - ATTEMPTS_KEPT)
            await uow.commit()
        return counts

    async def _unreachable(self, uow: UnitOfWork, address: str, now: datetime) -> list[str]:
        """Settle everything queued for a person who blocked the bot; tell each person whose
        action was to reach them, once (a job seeker whose share did not arrive, and their
        jobbspesialist, in words of its own). Returns the addresses told."""
        origins: dict[str, set[str]] = {}
        while (delivery := await uow.outbox.next_for(address)) is not None:
            await uow.outbox.settle(delivery.id, DeliveryStatus.UNREACHABLE, now)
            if delivery.guarantee is Guarantee.AT_MOST_ONCE and delivery.origin:
                origins.setdefault(delivery.origin, set()).add(delivery.ref or "")
        gate = Gate(uow)
        recipient = await gate.person_at(address)
        replies: list[Reply] = []
        for origin, refs in origins.items():
            person = await gate.person_at(origin)
            if recipient is None or person is None or origin == address:
                continue
            shares = sorted(int(r.partition(":")[2]) for r in refs if r.startswith("share:"))
            if shares:
                change = Change(uow, now, person)
                replies += await sharing.undeliverable(change, shares[0], recipient)
            else:
                replies.append(
                    Reply(
                        "delivery/unreachable.html",
                        person.locale,
                        {"name": recipient.name},
                        address=origin,
                    )
                )
        queued = await enqueue(uow, self._composer, now, replies, actor=None)
        return list(queued.addresses)
