"""A release's tables as one DuckDB database file: the same tables, columns, primary and
foreign keys (from schemas/) and derived `month` columns as the SQLite export, without
full-text indexes (DuckDB's fts extension is downloaded on first use, and presspack
works offline). Needs only DuckDB, a core dependency."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from presspack.explore.tables import MONTH, MONTH_SOURCES, MONTH_TABLES, release_columns, release_tables, replacing
from presspack.package.schemas import fields, foreign_keys, is_required, primary_key

DUCKDB_TYPES = {"string": "VARCHAR", "int32": "INTEGER", "int64": "BIGINT", "integer": "BIGINT", "boolean": "BOOLEAN",
                "number": "DOUBLE"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _column(f: dict[str, Any], present: set[str]) -> str:
    kind = DUCKDB_TYPES.get(f.get("arrowType", f["type"]), "VARCHAR")
    return f"{_q(f['name'])} {kind}{' NOT NULL' if is_required(f) and f['name'] in present else ''}"


def create_sql(table: str, tables: list[str], present: set[str] | None = None) -> str:
    """CREATE TABLE for one table of the release, keys included; NOT NULL only where the
    release has the column (`present`; None: all of them)."""
    names = {f["name"] for f in fields(table)} if present is None else present
    parts = [_column(f, names) for f in fields(table)]
    if table in MONTH_TABLES:
        parts.append(f"{_q(MONTH)} VARCHAR")
    if primary_key(table):
        parts.append(f"PRIMARY KEY ({', '.join(_q(c) for c in primary_key(table))})")
    for fk in foreign_keys(table):
        ref = fk["reference"]
        if ref["resource"] in tables and ref["resource"] != table:
            parts.append(f"FOREIGN KEY ({', '.join(map(_q, fk['fields']))}) "
                         f"REFERENCES {_q(ref['resource'])} ({', '.join(map(_q, ref['fields']))})")
    return f"CREATE TABLE {_q(table)} (\n  " + ",\n  ".join(parts) + "\n)"


def _select(table: str, path: Path, present: set[str]) -> str:
    """The SELECT that fills a table from its Parquet file, in the file's row order
    (months derived on the way; a column the release lacks is null)."""
    cols = [f"t.{_q(f['name'])}" if f["name"] in present else "NULL" for f in fields(table)]
    source = f"read_parquet('{str(path).replace(chr(39), chr(39) * 2)}', file_row_number = true) t"
    if table in MONTH_SOURCES:
        cols.append(f"substr(t.{_q(MONTH_SOURCES[table])}, 1, 7)")
    elif table in MONTH_TABLES:
        cols.append(f"a.{_q(MONTH)}")
        source += " LEFT JOIN articles a ON a.article_id = t.article_id"
    return f"SELECT {', '.join(cols)} FROM {source} ORDER BY t.file_row_number"


def export_duckdb(release: str | Path, out: str | Path) -> Path:
    """Write the release's tables to the DuckDB file `out` (replaced atomically)."""
    release, out = Path(release), Path(out)
    tables = release_tables(release)
    with replacing(out) as tmp, duckdb.connect(str(tmp)) as con:
        for table in tables:
            present = release_columns(release, table)
            con.execute(create_sql(table, tables, present))
            con.execute(f"INSERT INTO {_q(table)} {_select(table, release / f'{table}.parquet', present)}")
        con.execute("CHECKPOINT")
    return out
