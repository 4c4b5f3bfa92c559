"""JSON of any size: write_json, and write_json_streamed / json_chunks, which write lists
item by item (Spools, generators) so that a manifest of millions of entries never sits in
memory whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from presspack.package.spill import ScratchDB, SpillToDisk


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")



STREAMED = "\u0000presspack: streamed\u0000"  # placeholder for write_json_streamed's list



# A Spool holds this many items in memory; more go to its temporary file.
SPOOL_AFTER = 50_000



class Spool(SpillToDisk):
    """A list of JSON values (append, len, iterate, take a prefix) that moves to disk
    (SpillToDisk) once it holds SPOOL_AFTER items: the manifest lists of one input file
    with millions of records (its article ids, rejected records, notes) stay off the heap.
    write_json_streamed writes it as the list it stands for, item by item."""

    DDL = ("CREATE TABLE items (seq INTEGER PRIMARY KEY, json TEXT NOT NULL)",)

    def __init__(self, after: int | None = None) -> None:
        super().__init__((SPOOL_AFTER if after is None else after) - 1)
        self.items: list[Any] = []
        self.n = 0

    def append(self, item: Any) -> None:
        self.n += 1
        if self.db is None:
            self.items.append(item)
            self.spill_if_full(len(self.items))
            return
        self.db.execute("INSERT INTO items (json) VALUES (?)", (_line(item),))
        self.db.wrote()

    def move_to(self, db: ScratchDB) -> None:
        db.executemany("INSERT INTO items (json) VALUES (?)", ((_line(x),) for x in self.items))
        self.items = []

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[Any]:
        if self.db is None:
            yield from list(self.items)
            return
        last = 0
        while True:  # in pages, so that appends between items do not disturb a cursor
            rows = self.db.execute("SELECT seq, json FROM items WHERE seq > ? ORDER BY seq LIMIT 1000", (last,)).fetchall()
            if not rows:
                return
            for last, line in rows:  # noqa: B007 - the next page starts after the last seq
                yield json.loads(line)

    def __getitem__(self, key: int | slice) -> Any:
        if isinstance(key, slice):
            if key.start not in (None, 0) or key.step not in (None, 1) or key.stop is None or key.stop < 0:
                raise IndexError("a Spool gives only its first items ([:n])")
            return list(islice(self, key.stop))
        if not 0 <= key < self.n:
            raise IndexError(key)
        return next(islice(self, key, None))


def _line(item: Any) -> str:
    return json.dumps(item, ensure_ascii=True, separators=(",", ":"))


class _Items:
    """An iterable written as the JSON list of its items (write_json_streamed's list)."""

    def __init__(self, items: Any) -> None:
        self.items = items

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)



def _streams(value: Any) -> bool:
    """`value` is, or is a dict holding (at any depth of dicts), a list written item by item."""
    if isinstance(value, (Spool, _Items)):
        return True
    return isinstance(value, dict) and any(isinstance(v, (Spool, _Items)) or isinstance(v, dict) and _streams(v) for v in value.values())



def json_chunks(value: Any, level: int = 0, *, ensure_ascii: bool = False) -> Iterator[str]:
    """json.dumps(value, indent=2), as if `level` levels in, in pieces: the Spools (and
    write_json_streamed's list) in it, also in dicts inside it, are written item by item,
    never held as lists: the same text as with lists in their place."""
    pad = "\n" + "  " * level
    if isinstance(value, (Spool, _Items)):
        first = True
        for item in value:
            yield ("[" if first else ",") + pad + "  "
            yield from json_chunks(item, level + 1, ensure_ascii=ensure_ascii)
            first = False
        yield "[]" if first else pad + "]"
    elif _streams(value):  # a dict with such a list inside (so not empty)
        first = True
        for k, v in value.items():
            yield ("{" if first else ",") + pad + "  " + json.dumps(k, ensure_ascii=ensure_ascii) + ": "
            yield from json_chunks(v, level + 1, ensure_ascii=ensure_ascii)
            first = False
        yield pad + "}"
    else:
        yield json.dumps(value, indent=2, ensure_ascii=ensure_ascii).replace("\n", pad)



def write_json_streamed(path: Path, data: dict[str, Any], key: str, items: Any) -> None:
    """write_json(path, data) with data[key] (set to STREAMED) the list of `items`, written
    one item at a time from an iterator: the same bytes, without the list in memory (nor
    the Spools inside an item)."""
    if data.get(key) != STREAMED or json.dumps(STREAMED) in json.dumps({**data, key: None}):
        raise ValueError(f"write_json_streamed: {key!r} must be a top-level key set to STREAMED")
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json_chunks({**data, key: _Items(items)}))
        fh.write("\n")
