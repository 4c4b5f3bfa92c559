"""A release's tables as one SQLite file, for Datasette and sqlite3.

Tables, columns, primary and foreign keys come from `schemas/*.json` (via
presspack.schemas); FTS5 indexes cover article titles, sentences and claims' content;
`articles.month` and `claims.month` (`YYYY-MM` of the article's publication date) are
added for facets. The file is deterministic: the same release gives the same bytes
(with the same SQLite library), whatever its path. It is never written inside the
release: `cached_database` keeps it in the cache directory, keyed by the release's
SHA256SUMS, and regenerates it when the release or the export format changes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pyarrow.parquet as pq
import sqlite_utils

from presspack._version import __version__
from presspack.errors import ExploreError
from presspack.explore.exports import exports_dir
from presspack.explore.tables import (
    MONTH,
    MONTH_SOURCES,
    MONTH_TABLES,
    release_columns,
    release_digest,
    release_tables,
    replacing,
)
from presspack.package.schemas import fields, foreign_keys, is_required, primary_key

EXPORT_FORMAT = "2"  # bump when the layout of the exported database changes
META_TABLE = "_presspack"
# table -> columns of its FTS5 index (Datasette finds `<table>_fts` and offers a search box)
FTS_COLUMNS = {"articles": ("title",), "sentences": ("text",), "claims": ("content_text",)}
# facet columns worth an index beyond the foreign keys
INDEXED = {"articles": ("source", "section", "language", MONTH), "claims": ("speaker_key", "speaker_name", "kind", MONTH),
           "entities": ("label",), "entity_index": ("label", "canonical"), "quotations": ("speaker_key", "speaker_name", MONTH)}
SQL_TYPES: dict[str, type] = {"string": str, "integer": int, "boolean": int, "number": float}
BATCH_ROWS = 10_000


def export_sqlite(release: str | Path, out: str | Path) -> Path:
    """Write the release's tables to the SQLite file `out` (replaced atomically)."""
    release, out = Path(release), Path(out)
    digest = release_digest(release)
    with replacing(out) as tmp:
        db = sqlite_utils.Database(tmp)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        tables = release_tables(release)
        for table in tables:
            _create(db, table, tables, release_columns(release, table))
            _insert(db, table, release / f"{table}.parquet")
        _derive_months(db, tables)
        _index(db, tables)
        for table, columns in FTS_COLUMNS.items():
            if table in tables:
                db[table].enable_fts(columns, fts_version="FTS5")
        db[META_TABLE].insert_all([{"key": k, "value": v} for k, v in sorted(_meta(digest).items())], pk="key")
        db.execute("ANALYZE")
        db.conn.commit()
        db.close()
    return out


def _meta(digest: str) -> dict[str, str]:
    return {"release_sha256": digest, "export_format": EXPORT_FORMAT, "presspack": __version__}


def _create(db: sqlite_utils.Database, table: str, tables: list[str], present: set[str]) -> None:
    """The table with every column of its schema; NOT NULL only where the release has the
    column (a release published before a column was added leaves it null)."""
    columns = {f["name"]: SQL_TYPES.get(f.get("type", "string"), str) for f in fields(table)}
    if table in MONTH_TABLES:
        columns[MONTH] = str
    fks = [(fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
           for fk in foreign_keys(table)
           if len(fk["fields"]) == 1 and fk["reference"]["resource"] in tables]
    pk = primary_key(table)
    db[table].create(columns, pk=pk[0] if len(pk) == 1 else tuple(pk), foreign_keys=fks,
                     not_null={f["name"] for f in fields(table) if is_required(f) and f["name"] in present})


def _insert(db: sqlite_utils.Database, table: str, path: Path) -> None:
    """The Parquet file's rows, in its order, column by column (no dict per row)."""
    pf = pq.ParquetFile(path)
    names = [f["name"] for f in fields(table) if f["name"] in pf.schema_arrow.names]
    cols = ", ".join(f'"{n}"' for n in names)
    sql = f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join("?" for _ in names)})'
    with db.conn:
        for batch in pf.iter_batches(batch_size=BATCH_ROWS, columns=names):
            db.conn.executemany(sql, zip(*(batch.column(n).to_pylist() for n in names), strict=True))


def _derive_months(db: sqlite_utils.Database, tables: list[str]) -> None:
    with db.conn:
        for table, column in MONTH_SOURCES.items():
            if table in tables:
                db.execute(f'UPDATE "{table}" SET {MONTH} = substr("{column}", 1, 7) WHERE "{column}" IS NOT NULL')
        if "claims" in tables:
            db.execute(f"UPDATE claims SET {MONTH} = (SELECT a.{MONTH} FROM articles a WHERE a.article_id = claims.article_id)")


def _index(db: sqlite_utils.Database, tables: list[str]) -> None:
    db.index_foreign_keys()
    for table, columns in INDEXED.items():
        if table in tables:
            for column in columns:
                db[table].create_index([column], if_not_exists=True)


def stored_meta(path: str | Path) -> dict[str, str]:
    """The export's own record (release digest, format, presspack version); {} when the
    file is missing or not such an export."""
    path = Path(path)
    if not path.is_file():
        return {}
    try:
        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)) as conn:
            return dict(conn.execute(f'SELECT "key", "value" FROM "{META_TABLE}"').fetchall())
    except sqlite3.Error:  # not SQLite, or no META_TABLE: not one of our exports
        return {}


def default_database_path(release: str | Path, cache_dir: str | Path | None = None) -> Path:
    """Where the cached export of a release lives: CACHE/explore/<digest prefix>/presspack.db."""
    return exports_dir(cache_dir) / release_digest(release)[:16] / "presspack.db"


def cached_database(release: str | Path, db: str | Path | None = None, cache_dir: str | Path | None = None) -> tuple[Path, bool]:
    """The SQLite export of `release` at `db` (default: in the cache directory), written
    only when missing or stale (another release, export format or presspack version).
    Returns (path, True when it was (re)generated)."""
    digest = release_digest(release)  # ReleaseNotFound when it is no release
    path = Path(db) if db else default_database_path(release, cache_dir)
    found = stored_meta(path)
    if found == _meta(digest):
        return path, False
    if path.exists() and not found:
        raise ExploreError(f"{path} exists and is not a presspack export: give another --db path (it is never overwritten)")
    return export_sqlite(release, path), True
