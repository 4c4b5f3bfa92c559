"""Private temporary SQLite databases, for a build's bookkeeping that must not grow in
memory with the corpus (the ids seen, the near-duplicate index)."""

from __future__ import annotations

import sqlite3
from typing import Any

COMMIT_EVERY = 1000  # writes per transaction


class ScratchDB:
    """A private temporary SQLite database: an empty file name puts it on disk, deleted
    when closed, with a bounded page cache in memory. Not durable (no journal, no sync):
    it lives as long as the build. Writes go in transactions of COMMIT_EVERY."""

    def __init__(self, *ddl: str) -> None:
        self.db = sqlite3.connect("", isolation_level=None)
        for sql in ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", *ddl):
            self.db.execute(sql)
        self.db.execute("BEGIN")
        self.pending = 0

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
        return self.db.executemany(sql, rows)

    def wrote(self) -> None:
        """Count one write; commit when a transaction is full."""
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.commit()

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")
        self.pending = 0

    def close(self) -> None:
        self.db.close()
