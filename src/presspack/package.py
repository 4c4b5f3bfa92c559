"""Writing a release: Parquet tables (schema-driven), manifest.json and datapackage.json."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from presspack import schemas

ROW_GROUP_SIZE = 65_536
PARQUET_OPTIONS: dict[str, Any] = {"compression": "zstd", "compression_level": 3, "use_dictionary": True, "write_statistics": True}


class TableWriter:
    """Streams rows of one table into a Parquet file in fixed-size row groups, so the
    bytes do not depend on how rows were batched. Rows wait as Python dicts only up to
    CHUNK_ROWS, then as Arrow columns (several times smaller) until a row group is full."""

    CHUNK_ROWS = 1024

    def __init__(self, table: str, path: Path, row_group_size: int = ROW_GROUP_SIZE) -> None:
        self.table = table
        self.path = path
        self.schema = schemas.arrow_schema(table)
        self.columns = schemas.column_names(table)
        self.row_group_size = row_group_size
        self.buffer: list[dict[str, Any]] = []
        self.pending: list[pa.Table] = []  # Arrow rows not yet written
        self.pending_rows = 0
        self.rows = 0
        self.writer = pq.ParquetWriter(str(path), self.schema, **PARQUET_OPTIONS)

    def write(self, rows: list[dict[str, Any]]) -> None:
        self.buffer.extend(rows)
        if len(self.buffer) >= self.CHUNK_ROWS:
            self._columnar()

    def _columnar(self) -> None:
        """The buffered rows, as Arrow columns, join the pending rows."""
        rows, self.buffer = self.buffer, []
        unknown = set().union(*(r.keys() for r in rows)) - set(self.columns) if rows else set()
        if unknown:
            msg = f"{self.table}: columns not declared in schemas/{self.table}.schema.json: {sorted(unknown)}"
            raise ValueError(msg)
        self._pend({c: [r.get(c) for r in rows] for c in self.columns})

    def write_columns(self, columns: dict[str, Any]) -> None:
        """Write Arrow columns (name -> array, the table's columns) in the same row groups,
        and so the same bytes, as write() would write the same rows."""
        if self.buffer:
            self._columnar()
        self._pend(columns)

    def _pend(self, columns: dict[str, Any]) -> None:
        """Columns (Python lists or Arrow arrays, cast to the schema's types) join the rows
        waiting for their row group; full row groups are written."""
        table = pa.Table.from_arrays([pa.array(columns[c], type=self.schema.field(c).type) if not isinstance(columns[c], (pa.Array, pa.ChunkedArray))
                                      else columns[c].cast(self.schema.field(c).type) for c in self.columns], schema=self.schema)
        self.pending.append(table)
        self.pending_rows += table.num_rows
        while self.pending_rows >= self.row_group_size:
            self._flush_pending(self.row_group_size)

    def _flush_pending(self, n: int) -> None:
        table = pa.concat_tables(self.pending).combine_chunks()  # one chunk per column, as pa.array gives
        self.writer.write_table(table.slice(0, n), row_group_size=self.row_group_size)
        self.rows += n
        rest = table.slice(n)
        self.pending = [rest] if rest.num_rows else []
        self.pending_rows = rest.num_rows

    def close(self) -> None:
        if self.buffer:
            self._columnar()
        if self.pending_rows:
            self._flush_pending(self.pending_rows)
        self.writer.close()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")


STREAMED = "\u0000presspack: streamed\u0000"  # placeholder for write_json_streamed's list

# A Spool holds this many items in memory; more go to its temporary file.
SPOOL_AFTER = 50_000


class Spool:
    """A list of JSON values (append, len, iterate, take a prefix) that moves to an unnamed
    temporary file past SPOOL_AFTER items: the manifest lists of one input file with
    millions of records (its article ids, rejected records, notes) stay off the heap.
    write_json_streamed writes it as the list it stands for, item by item."""

    def __init__(self, after: int | None = None) -> None:
        self.after = SPOOL_AFTER if after is None else after
        self.items: list[Any] = []
        self.fh: Any = None
        self.n = 0

    def append(self, item: Any) -> None:
        self.items.append(item)
        self.n += 1
        if len(self.items) >= self.after:
            if self.fh is None:
                import tempfile

                self.fh = tempfile.TemporaryFile("w+", encoding="utf-8")
            self.fh.seek(0, os.SEEK_END)
            self.fh.writelines(json.dumps(x, ensure_ascii=True, separators=(",", ":")) + "\n" for x in self.items)
            self.items = []

    @property
    def spilled(self) -> bool:
        return self.fh is not None

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[Any]:
        if self.fh is not None:
            self.fh.flush()
            self.fh.seek(0)
            for line in self.fh:
                yield json.loads(line)
        yield from list(self.items)

    def __getitem__(self, key: int | slice) -> Any:
        from itertools import islice

        if isinstance(key, slice):
            if key.start not in (None, 0) or key.step not in (None, 1) or key.stop is None or key.stop < 0:
                raise IndexError("a Spool gives only its first items ([:n])")
            return list(islice(self, key.stop))
        if not 0 <= key < self.n:
            raise IndexError(key)
        return next(islice(self, key, None))

    def close(self) -> None:
        if self.fh is not None:
            self.fh.close()
            self.fh = None


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


def resource_descriptor(table: str, path: str, sha256: str, rows: int) -> dict[str, Any]:
    schema = json.loads(json.dumps(schemas.table_schema(table)))
    schema.pop("$schema", None)
    title = schema.pop("title", table)
    description = schema.pop("description", "")
    return {
        "name": table,
        "type": "table",
        "path": path,
        "scheme": "file",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "title": title,
        "description": description,
        "hash": f"sha256:{sha256}",
        "rows": rows,
        "schema": schema,
    }


def datapackage(meta: Any, version: str, created: str, resources: list[dict[str, Any]], sources: list[dict[str, Any]]) -> dict[str, Any]:
    contributors = [
        {k: v for k, v in {"title": a.get("name"), "path": f"https://orcid.org/{a['orcid']}" if a.get("orcid") else None,
                           "roles": ["creator"]}.items() if v}
        for a in meta.authors
    ]
    dp: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": meta.name,
        "title": meta.title,
        "version": version,
        "created": f"{created}T00:00:00Z" if len(created) == 10 else created,
        "licenses": [{"name": meta.license, "path": f"https://spdx.org/licenses/{meta.license}.html"}],
        "sources": sources,
        "contributors": contributors,
        "keywords": list(meta.keywords),
        "resources": resources,
    }
    if meta.description:
        dp["description"] = meta.description
    if meta.homepage:
        dp["homepage"] = meta.homepage
    if meta.doi:
        dp["id"] = f"https://doi.org/{meta.doi}"
    return dp
