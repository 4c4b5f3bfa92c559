"""The build's ledger: every input file and record, for the manifest (FileLog), and the
article ids seen so far (SeenIds)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from presspack.ingest.types import InputFile
from presspack.package.jsonio import Spool
from presspack.package.spill import SpillDict

SPILL_AFTER = 200_000  # article ids the ledger keeps in a dict before moving them to disk



class SeenIds(SpillDict):
    """article_id -> origin of the first accepted article with that id (exact duplicates by
    id or URL): in memory up to `spill_after` ids (SPILL_AFTER), then on disk (SpillDict)."""

    def __init__(self, spill_after: int | None = None) -> None:
        super().__init__(SPILL_AFTER if spill_after is None else spill_after)


class FileLog:
    """The manifest's `files` entries in input order. Each finished entry goes to a
    temporary JSON-lines file (a Spool that holds nothing in memory), so memory does not
    grow with the number of input files; the manifest is streamed from it. A list of one
    entry that has moved to its own temporary file (a Spool past SPOOL_AFTER items: an
    input file with millions of records) stays there, and comes back as that Spool."""

    def __init__(self) -> None:
        self.lines = Spool(after=1)
        self.inputs = hashlib.sha256()  # the manifest's inputs_sha256, as entries arrive
        self.spooled: dict[int, dict[str, Spool]] = {}  # entry number -> its lists on disk

    def append(self, entry: dict[str, Any]) -> None:
        big = {k: v for k, v in entry.items() if isinstance(v, Spool) and v.spilled}
        if big:
            self.spooled[len(self.lines)] = big
        self.lines.append({k: None if k in big else list(v) if isinstance(v, Spool) else v for k, v in entry.items()})
        self.inputs.update(f"{entry['path']}\0{entry['sha256']}\n".encode())

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i, entry in enumerate(self.lines):
            entry.update(self.spooled.get(i, {}))
            yield entry

    def close(self) -> None:
        self.lines.close()
        for lists in self.spooled.values():
            for spool in lists.values():
                spool.close()
        self.spooled = {}



class Ledger:
    """Accounts for every input file and record: the manifest's `files` list (on disk,
    FileLog), the ids seen (SeenIds) and the near-duplicate index (dedup)."""

    def __init__(self, spill_after: int | None = None) -> None:
        self.files = FileLog()
        self.current: dict[str, Any] | None = None  # the entry of the file being read
        self.seen_ids = SeenIds(spill_after)
        self.counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        self.dedup: Any = None  # dedup.Deduplicator, created on first use
        self.signatures: Any = None  # cache.CachedSignatures when the build has a cache

    def open_file(self, f: InputFile) -> dict[str, Any]:
        self._done()
        entry: dict[str, Any] = {
            "path": f.rel,
            "sha256": f.sha256,
            "bytes": f.size,
            "format": f.format,
            "encoding": None,
            "status": None,
            "reason": None,
            "article_ids": Spool(),
            "records": Spool(),
            "notes": Spool(),
        }
        self.current = entry
        return entry

    def _done(self) -> None:
        if self.current is not None:
            self.files.append(self.current)
            self.current = None

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every file entry, in input order (after the last file was read)."""
        self._done()
        return iter(self.files)

    def n_files(self) -> int:
        self._done()
        return len(self.files)

    def close(self) -> None:
        self.files.close()
        self.seen_ids.close()
        if self.dedup is not None:
            self.dedup.close()

    @staticmethod
    def close_file(entry: dict[str, Any], f: InputFile) -> None:
        entry["encoding"] = f.encoding
        if entry["status"] is None and f.status is not None:  # its reader gave it a status: a metadata file
            entry.update(status=f.status, reason=f.reason)
        n_ok = len(entry["article_ids"])
        rec = entry["records"]
        n_bad = sum(1 for r in rec if r["status"] == "rejected")
        n_dup = sum(1 for r in rec if r["status"] == "duplicate")
        if entry["status"] is None:
            if n_ok and not rec:
                entry["status"] = "accepted"
            elif n_ok:
                entry["status"] = "partial"
                entry["reason"] = f"{n_bad} record(s) rejected, {n_dup} duplicate(s)"
            elif n_dup and not n_bad:
                entry["status"] = "duplicate"
                entry["reason"] = rec[0]["reason"] if len(rec) == 1 else f"{n_dup} duplicate record(s)"
            else:
                entry["status"] = "rejected"
                entry["reason"] = rec[0]["reason"] if len(rec) == 1 else f"{n_bad} record(s) rejected, {n_dup} duplicate(s)"
        if len(rec) == 1 and rec[0]["origin"] == entry["path"]:
            if rec[0].get("duplicate_of"):
                entry["duplicate_of"] = rec[0]["duplicate_of"]
            entry["records"] = []  # the file itself was the item: its status says it all
        if not entry["notes"]:
            del entry["notes"]
