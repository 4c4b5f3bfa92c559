"""Writing a release's tables: Parquet files with schemas from schemas/*.json
(TableWriter), and their descriptions in datapackage.json (resource_descriptor,
datapackage); manifest.json is written by the build (orchestrate.run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from presspack.config import UNTITLED, missing_citation_fields, not_specified_note
from presspack.package import schemas

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
        "title": meta.title or UNTITLED,
        "version": version,
        "created": f"{created}T00:00:00Z" if len(created) == 10 else created,
        "licenses": [{"name": meta.license, "path": f"https://spdx.org/licenses/{meta.license}.html"}],
        "sources": sources,
        "contributors": contributors,
        "keywords": list(meta.keywords),
        "resources": resources,
    }
    if not meta.license:  # never a default licence
        del dp["licenses"]
    if not contributors:
        del dp["contributors"]
    missing = missing_citation_fields(vars(meta))
    description = " ".join(x for x in (meta.description, not_specified_note(missing) if missing else "") if x)
    if description:
        dp["description"] = description
    if meta.homepage:
        dp["homepage"] = meta.homepage
    if meta.doi:
        dp["id"] = f"https://doi.org/{meta.doi}"
    return dp
