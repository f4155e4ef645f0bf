"""The Telegram adapter: python-telegram-bot, long polling, thin handlers."""
