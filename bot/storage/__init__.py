"""SQLite storage through aiosqlite: migrations, repositories, the unit of work."""
