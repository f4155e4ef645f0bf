"""SQLite implementations of the core's repository Protocols. Free text is encrypted here."""

from bot.storage.repositories.aftercare import (
    SqliteAgreements,
    SqliteCarryOvers,
    SqliteCounters,
    SqliteFollowUps,
)
from bot.storage.repositories.base import Changes
from bot.storage.repositories.circles import SqliteMeetings, SqliteMemberships
from bot.storage.repositories.conversations import SqliteConversations, SqliteMeta
from bot.storage.repositories.delivery import SqliteInbox, SqliteOutbox
from bot.storage.repositories.people import SqliteInvitations, SqlitePeople
from bot.storage.repositories.personal import SqlitePersonalData
from bot.storage.repositories.preparations import SqliteAgendas, SqlitePreparations
from bot.storage.repositories.reminders import SqliteReminders
from bot.storage.repositories.sharing import SqliteAgreementShares, SqliteShares

__all__ = [
    "Changes",
    "SqliteAgendas",
    "SqliteAgreementShares",
    "SqliteAgreements",
    "SqliteCarryOvers",
    "SqliteConversations",
    "SqliteCounters",
    "SqliteFollowUps",
    "SqliteInbox",
    "SqliteInvitations",
    "SqliteMeetings",
    "SqliteMemberships",
    "SqliteMeta",
    "SqliteOutbox",
    "SqlitePeople",
    "SqlitePersonalData",
    "SqlitePreparations",
    "SqliteReminders",
    "SqliteShares",
]
