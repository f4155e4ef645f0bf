"""The terminal adapter: ``moteklar demo``."""
