"""validate's manifest checks: each file entry against the manifest's JSON Schema and the
tables (its article ids streamed to a temporary Parquet file, so memory does not grow
with the articles listed), the counts, and every article listed exactly once.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from jsonschema import Draft202012Validator

from presspack.errors import ReleaseNotFound
from presspack.package import schemas
from presspack.package.manifest import manifest_files_streamed
from presspack.validate.report import MAX_PROBLEMS_PER_CHECK, Problem, ValidationReport, manifest_schema_problems
from presspack.validate.tables import check_listed_sql, sql_literal

# Rows of the listed article ids held in memory before they go to Parquet.
LISTED_BATCH = 50_000

_ENTRY = Draft202012Validator(schemas.manifest_part_schema("file"))
_RECORD = Draft202012Validator(schemas.manifest_part_schema("record"))



class _ParquetRows:
    """Rows of two columns written to a temporary Parquet file, LISTED_BATCH at a time."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.schema = schema
        self.columns: tuple[list[Any], list[Any]] = ([], [])
        self._writer = pq.ParquetWriter(path, schema)

    def add(self, a: Any, b: Any) -> None:
        c0, c1 = self.columns
        c0.append(a)
        c1.append(b)
        if len(c0) >= LISTED_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.columns[0]:
            self._writer.write_table(pa.table([pa.array(c, f.type) for c, f in zip(self.columns, self.schema, strict=True)],
                                              schema=self.schema))
            for c in self.columns:
                c.clear()

    def close(self) -> None:
        self.flush()
        self._writer.close()



class _Listing:
    """The article ids the manifest lists, on disk (a file may list millions): `ids` has
    (article_id, entry) in the order listed, `entries` (entry, path) for each entry that
    lists any (an entry's path may follow its ids in the JSON). And of the entry being
    read: how many ids it listed, and its records that lack a status or reason (as the
    problem shows them; the first MAX_PROBLEMS_PER_CHECK, all that can be reported)."""

    def __init__(self, directory: Path) -> None:
        self.ids = _ParquetRows(directory / "listed.parquet", pa.schema([("article_id", pa.string()), ("entry", pa.int64())]))
        self.entries = _ParquetRows(directory / "entries.parquet", pa.schema([("entry", pa.int64()), ("path", pa.string())]))
        self.row = 1  # the entry being read (1-based)
        self.n_ids = 0
        self.bad_records: list[str] = []

    def add_id(self, a: Any) -> None:
        self.ids.add(str(a), self.row)
        self.n_ids += 1

    def add_record(self, r: Any) -> None:
        if _bad_record(r) and len(self.bad_records) < MAX_PROBLEMS_PER_CHECK:
            self.bad_records.append(f"{r!r:.80}")

    def next_entry(self) -> None:
        self.row += 1
        self.n_ids = 0
        self.bad_records = []

    def close(self) -> None:
        self.ids.close()
        self.entries.close()



def _bad_record(r: Any) -> bool:
    return not _RECORD.is_valid(r)



def _check_file_entry(rep: ValidationReport, f: Any, listing: _Listing) -> None:
    """The manifest's file entry being read (row listing.row), whose article_ids and
    records arrays were streamed into `listing`; its article ids go there too."""
    i = listing.row
    if not isinstance(f, dict):
        rep.add(Problem("manifest", "entry is not an object", file="manifest.json", row=i))
        return
    # The JSON Schema checks the entry's fields (a known status, a reason where one is
    # due); its two arrays are streamed, and checked below.
    for p in manifest_schema_problems(_ENTRY, {**f, "article_ids": [], "records": []}, whole="entry",
                                      prefix=f"file {f.get('path')!r}: ", row=i, limit=160):
        rep.add(p)
    ids = f.get("article_ids", []) or []  # a value that is not an array stays in the entry (None: none)
    if f.get("status") in ("accepted", "partial") and not (listing.n_ids or ids):
        rep.add(Problem("manifest", f"file {f.get('path')!r} is {f.get('status')} but lists no article", file="manifest.json", row=i, column="article_ids"))
    for r in f.get("records", []) or []:  # likewise
        listing.add_record(r)
    for r in listing.bad_records:
        rep.add(Problem("manifest", f"record {r} of {f.get('path')!r} is not a valid record (an origin, a status rejected or duplicate, a reason)", file="manifest.json", row=i, column="records"))
    for a in ids:
        listing.add_id(a)
    if listing.n_ids:
        listing.entries.add(i, str(f.get("path")))



def check_manifest(rep: ValidationReport, con: Any, tables: dict[str, Path], manifest: dict[str, Any],
                    release: Path, dp: dict[str, Any]) -> None:
    """The manifest's file entries, read one at a time, their article ids streamed to a
    temporary Parquet file (memory does not grow with the articles listed), against the
    tables; counts; per-article hashes and sentence counts."""
    rep.checks.append("manifest")
    with tempfile.TemporaryDirectory(prefix="presspack-validate-listed-") as tmp:
        listing = _Listing(Path(tmp))
        try:
            for f in manifest_files_streamed(release, {"article_ids": listing.add_id, "records": listing.add_record}, skip=("notes",)):
                _check_file_entry(rep, f, listing)
                listing.next_entry()
        except ReleaseNotFound as e:
            rep.add(Problem("manifest", f"'files' is not a list of entries: {e}", file="manifest.json", column="files"))
            return
        finally:
            listing.close()
        _check_counts_and_listed(rep, con, tables, manifest, dp, listing)



def _check_counts_and_listed(rep: ValidationReport, con: Any, tables: dict[str, Path], manifest: dict[str, Any],
                             dp: dict[str, Any], listing: _Listing) -> None:
    counts = manifest.get("counts", {}) if isinstance(manifest.get("counts"), dict) else {}
    for t, n in rep.rows.items():
        if f"{t}_rows" in counts and counts[f"{t}_rows"] != n:
            rep.add(Problem("manifest", f"counts.{t}_rows is {counts[f'{t}_rows']}, {t} has {n} rows", file="manifest.json", column="counts"))
    for res in dp.get("resources", []):
        if isinstance(res, dict) and res.get("name") in rep.rows and "rows" in res and res["rows"] != rep.rows[res["name"]]:
            rep.add(Problem("datapackage", f"resource {res['name']!r} says {res['rows']} rows, the file has {rep.rows[res['name']]}", file="datapackage.json", column="rows"))
    if "articles" not in tables:
        return
    if "accepted" in counts and counts["accepted"] != rep.rows.get("articles"):
        rep.add(Problem("manifest", f"counts.accepted is {counts['accepted']}, articles has {rep.rows.get('articles')} rows", file="manifest.json", column="counts"))
    # pos: where the id is listed (row of the file), which orders the problems of one entry
    con.execute(f"CREATE TEMP VIEW _listed_ids AS SELECT article_id, entry, file_row_number AS pos "
                f"FROM read_parquet({sql_literal(str(listing.ids.path))}, file_row_number = true)")
    con.execute(f"CREATE TEMP VIEW _listed AS SELECT i.article_id, i.entry, i.pos, e.path FROM _listed_ids i "
                f"JOIN read_parquet({sql_literal(str(listing.entries.path))}) e USING (entry)")
    try:
        check_listed_sql(rep, con, tables)
    finally:
        con.execute("DROP VIEW _listed")
        con.execute("DROP VIEW _listed_ids")
