"""The conversation engine: Inbound in, Replies out. Knows nothing about Telegram or SQLite."""
