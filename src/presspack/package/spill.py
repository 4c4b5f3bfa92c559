"""Spilling to disk: ScratchDB (a private temporary SQLite database) and SpillToDisk,
the one container base that keeps a build's bookkeeping in memory up to a threshold and
in a ScratchDB past it (the ids seen, the file log's lists, the entity index, the
near-duplicate index); and WriteBehind, rows held back and inserted in batches."""

from __future__ import annotations

import sqlite3
from typing import Any

COMMIT_EVERY = 1000  # writes per transaction
WRITE_BEHIND = 256  # rows a WriteBehind holds back


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


class WriteBehind:
    """Rows for one INSERT statement into `db`, written WRITE_BEHIND at a time (one
    transaction each) and at flush()."""

    def __init__(self, db: sqlite3.Connection, sql: str) -> None:
        self.db, self.sql = db, sql
        self.pending: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.pending.append(row)
        if len(self.pending) >= WRITE_BEHIND:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            with self.db:
                self.db.executemany(self.sql, self.pending)
            self.pending = []


class SpillToDisk:
    """The one spill-to-disk mechanism of a build. A container keeps its data in memory
    (fast) until it holds more than `spill_after` items, then moves all of it, once, into
    a ScratchDB created from its DDL and works there from then on, so memory does not grow
    with the corpus. Subclasses say how to move (`move_to`) and use `self.db` once it is
    set; `spill_if_full(size)` after each addition is all the bookkeeping they do."""

    DDL: tuple[str, ...] = ()

    def __init__(self, spill_after: int) -> None:
        self.spill_after = spill_after
        self.db: ScratchDB | None = None

    @property
    def spilled(self) -> bool:
        return self.db is not None

    def spill_if_full(self, size: int) -> None:
        if self.db is None and size > self.spill_after:
            self._spill()

    def _spill(self) -> None:
        db = ScratchDB(*self.DDL)
        self.move_to(db)
        db.commit()
        self.db = db

    def move_to(self, db: ScratchDB) -> None:
        """Copy the in-memory data into the new database and let go of it."""
        raise NotImplementedError

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class SpillDict(SpillToDisk):
    """A str -> str mapping (get, set, len) in a dict, then in a table (key, value)."""

    DDL = ("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",)

    def __init__(self, spill_after: int) -> None:
        super().__init__(spill_after)
        self.mem: dict[str, str] = {}

    def get(self, key: str) -> str | None:
        if self.db is None:
            return self.mem.get(key)
        row = self.db.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def __setitem__(self, key: str, value: str) -> None:
        if self.db is None:
            self.mem[key] = value
            self.spill_if_full(len(self.mem))
            return
        self.db.execute("INSERT OR REPLACE INTO kv VALUES (?, ?)", (key, value))
        self.db.wrote()

    def move_to(self, db: ScratchDB) -> None:
        db.executemany("INSERT INTO kv VALUES (?, ?)", self.mem.items())
        self.mem = {}

    def __len__(self) -> int:
        if self.db is None:
            return len(self.mem)
        return int(self.db.execute("SELECT count(*) FROM kv").fetchone()[0])
