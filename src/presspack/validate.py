"""presspack validate: files, hashes, schema, keys, enums, offsets and manifest consistency.

The table checks run in DuckDB straight over the Parquet files (columnar scans, hash
joins that spill to disk under a memory limit), so validation time and memory do not
grow with Python object counts. Every problem names the file, the 1-based data row and
the column. Frictionless runs too when asked.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from presspack import schemas
from presspack.diff import manifest_files_streamed, read_manifest
from presspack.errors import ReleaseNotFound
from presspack.package import sha256_file
from presspack.release import release_problems as _release_problems
from presspack.seal import SEAL_NAME, read_seal

MAX_PROBLEMS_PER_CHECK = 50
FRICTIONLESS_AUTO_ROWS = 50_000
# DuckDB's working memory; joins and aggregations beyond it spill to a temporary directory.
MEMORY_LIMIT = os.environ.get("PRESSPACK_VALIDATE_MEMORY", "512MB")
THREADS = 2


@dataclass
class Problem:
    type: str
    message: str
    file: str | None = None
    row: int | None = None  # 1-based data row (the header is not counted)
    column: str | None = None

    def line(self) -> str:
        where = ":".join(str(x) for x in (self.file, f"row {self.row}" if self.row else None, self.column) if x)
        return f"{where}: [{self.type}] {self.message}" if where else f"[{self.type}] {self.message}"


@dataclass
class ValidationReport:
    release: str
    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, p: Problem) -> bool:
        """Record a problem unless this (type, file) already has MAX_PROBLEMS_PER_CHECK."""
        n = sum(1 for q in self.problems if q.type == p.type and q.file == p.file)
        if n >= MAX_PROBLEMS_PER_CHECK:
            return False
        self.problems.append(p)
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "valid": self.valid,
            "rows": self.rows,
            "checks": self.checks,
            "warnings": self.warnings,
            "problems": [p.__dict__ for p in self.problems],
        }


def validate(release: str | Path, *, frictionless: bool | None = None, memory_limit: str | None = None) -> ValidationReport:
    """Validate a release directory.

    frictionless=True also runs `frictionless validate` (slow: about 10,000 rows/s on
    Parquet); None runs it only on small releases (up to FRICTIONLESS_AUTO_ROWS rows in
    all); False never (presspack's own checks cover what it checks, plus hashes, offsets
    and the manifest).
    """
    release = Path(release)
    rep = ValidationReport(str(release))
    if not release.is_dir():
        rep.add(Problem("missing-release", f"{release} is not a directory"))
        return rep
    dp = _read_json(rep, release, "datapackage.json")
    manifest = _read_manifest(rep, release)
    files = _check_files(rep, release, dp, (manifest or {}).get("checksums"))
    tables = _check_schemas(rep, files)
    if tables:
        with _duckdb(memory_limit or MEMORY_LIMIT) as con:
            for table, path in tables.items():
                con.execute(
                    f'CREATE VIEW "{table}" AS SELECT *, file_row_number + 1 AS _row '
                    f"FROM read_parquet({_lit(str(path))}, file_row_number = true)"
                )
            _check_constraints(rep, con, tables)
            _check_keys(rep, con, tables)
            _check_offsets(rep, con, tables)
            _check_claim_targets(rep, con, tables)
            if manifest is not None:
                _check_manifest(rep, con, tables, manifest, release, dp or {})
    rep.checks += ["immutable", "citation", "croissant"]  # release extras: see release.release_problems
    for kind, file, msg in _release_problems(release):
        rep.add(Problem(kind, msg, file=file))
    if frictionless is None:  # auto: small releases only (frictionless reads about 10,000 rows/s)
        frictionless = sum(rep.rows.values()) <= FRICTIONLESS_AUTO_ROWS
    if frictionless and dp is not None:
        rep.checks.append("frictionless")
        _frictionless(rep, release / "datapackage.json")
    return rep


# --- files ------------------------------------------------------------------------


def _read_json(rep: ValidationReport, release: Path, name: str) -> dict[str, Any] | None:
    try:
        data = json.loads((release / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        rep.add(Problem("missing-file", f"no {name}", file=name))
        return None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        rep.add(Problem("invalid-json", f"cannot read {name}: {e}", file=name))
        return None
    if not isinstance(data, dict):
        rep.add(Problem("invalid-json", f"{name} is not a JSON object", file=name))
        return None
    return data


def _read_manifest(rep: ValidationReport, release: Path) -> dict[str, Any] | None:
    """manifest.json but its file entries, which _check_manifest streams (a release may
    have millions)."""
    if not (release / "manifest.json").is_file():
        rep.add(Problem("missing-file", "no manifest.json", file="manifest.json"))
        return None
    try:
        return read_manifest(release)
    except ReleaseNotFound as e:
        rep.add(Problem("invalid-json", f"cannot read manifest.json: {e}", file="manifest.json"))
        return None


def _inside(release: Path, rel: str) -> Path | None:
    path = (release / rel).resolve()
    return path if release.resolve() in path.parents else None


def _check_files(rep: ValidationReport, release: Path, dp: dict[str, Any] | None, declared: Any = None) -> dict[str, Path]:
    """Hashes of every resource and of every sealed file; missing and extra files.
    Returns {table: path} for resources whose bytes are as released."""
    rep.checks += ["hashes", "files"]
    ok: dict[str, Path] = {}
    known = {"datapackage.json", "manifest.json"}
    resources = [r for r in (dp or {}).get("resources", []) if isinstance(r, dict)]
    names = {r.get("name") for r in resources}
    if dp is not None:
        for name in schemas.TABLES:
            if name not in names:
                rep.add(Problem("missing-resource", f"resource {name!r} is not in datapackage.json", file="datapackage.json"))
    for res in resources:
        rel = str(res.get("path", ""))
        known.add(rel)
        path = _inside(release, rel)
        if path is None:
            rep.add(Problem("unsafe-path", f"resource path {rel!r} points outside the release", file="datapackage.json"))
            continue
        if not path.is_file():
            rep.add(Problem("missing-file", f"{rel} is listed in datapackage.json but does not exist", file=rel))
            continue
        want = str(res.get("hash", "")).removeprefix("sha256:")
        got = sha256_file(path)
        if want != got:
            rep.add(Problem("hash-mismatch", f"sha256 is {got}, datapackage.json says {want}", file=rel))
        if res.get("name") in schemas.available_tables():
            ok[res["name"]] = path
    sealed = read_seal(release)
    if sealed is None and declared == SEAL_NAME:
        rep.add(Problem("missing-file", f"manifest.json says the release has {SEAL_NAME}, but it is missing", file=SEAL_NAME))
    elif sealed is None:
        rep.warnings.append(f"no {SEAL_NAME}: manifest.json and datapackage.json cannot be checked for later changes")
    else:
        rep.checks.append("seal")
        known.add(SEAL_NAME)
        for rel, want in sealed.items():
            known.add(rel)
            path = _inside(release, rel)
            if path is None:
                rep.add(Problem("unsafe-path", f"{rel!r} points outside the release", file=SEAL_NAME))
            elif not path.is_file():
                rep.add(Problem("missing-file", f"{rel} is listed in {SEAL_NAME} but does not exist", file=rel))
            elif rel not in {str(r.get("path")) for r in resources} and sha256_file(path) != want:
                rep.add(Problem("hash-mismatch", f"sha256 differs from {SEAL_NAME}: the file changed after the release", file=rel))
            elif rel in {str(r.get("path")) for r in resources} and dp is not None:
                res_hash = next(str(r.get("hash", "")) for r in resources if str(r.get("path")) == rel)
                if res_hash.removeprefix("sha256:") != want:
                    rep.add(Problem("hash-mismatch", f"datapackage.json hash differs from {SEAL_NAME}", file=rel))
    for root, dirs, fnames in os.walk(release):
        dirs.sort()
        for fn in sorted(fnames):
            rel = Path(root, fn).relative_to(release).as_posix()
            if rel not in known:
                rep.add(Problem("extra-file", "file is not part of the release (not listed in datapackage.json or " + SEAL_NAME + ")", file=rel))
    return ok


def _check_schemas(rep: ValidationReport, files: dict[str, Path]) -> dict[str, Path]:
    rep.checks.append("schema")
    good: dict[str, Path] = {}
    for table, path in files.items():
        try:
            pf = pq.ParquetFile(path)
        except Exception as e:  # noqa: BLE001 - pyarrow raises several kinds for broken files
            rep.add(Problem("invalid-parquet", f"cannot read Parquet: {e}", file=path.name))
            continue
        rep.rows[table] = pf.metadata.num_rows
        want = schemas.arrow_schema(table)
        got = pf.schema_arrow
        if got.names != want.names:
            rep.add(Problem("schema-mismatch", f"columns {got.names} differ from schemas/{table}.schema.json {want.names}", file=path.name))
            continue
        bad = False
        for f in want:
            g = got.field(f.name)
            if not g.type.equals(f.type):
                bad = True
                rep.add(Problem("type-mismatch", f"type {g.type}, schema says {f.type}", file=path.name, column=f.name))
        if not bad:
            good[table] = path
    return good


# --- tables (DuckDB) --------------------------------------------------------------


@contextmanager
def _duckdb(memory_limit: str) -> Iterator[Any]:
    import duckdb

    tmp = tempfile.mkdtemp(prefix="presspack-validate-")
    con = duckdb.connect(
        config={"threads": THREADS, "memory_limit": memory_limit, "temp_directory": tmp, "preserve_insertion_order": False},
    )
    con.execute("SET enable_progress_bar = false")  # it would print to stdout (and break --json)
    try:
        yield con
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _report_rows(rep: ValidationReport, con: Any, sql: str, kind: str, file: str, column: str, message: Any) -> int:
    """Run `sql` (selecting _row first, ordered), add one problem per row; return how many."""
    n = 0
    for row in con.execute(sql + f" LIMIT {MAX_PROBLEMS_PER_CHECK}").fetchall():
        n += 1
        rep.add(Problem(kind, message(row[1:]) if callable(message) else message, file=file, row=int(row[0]), column=column))
    return n


def _check_constraints(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    """required, enum, pattern and minimum: one counting scan per table, then the rows."""
    rep.checks += ["required", "enum", "pattern", "minimum"]
    for table, path in tables.items():
        schema = schemas.table_schema(table)
        conds: list[tuple[str, str, str, str]] = []  # (kind, column, sql condition, message)
        for f in schemas.fields(table):
            col, c = _q(f["name"]), f.get("constraints", {})
            is_str = schemas.arrow_type(f) == schemas.TYPE_MAP["string"]
            missing = [m for m in f.get("missingValues", schema.get("missingValues", [""])) if isinstance(m, str)]
            absent = f"({col} IS NULL" + (f" OR {col} IN ({', '.join(_lit(m) for m in missing)})" if is_str and missing else "") + ")"
            if c.get("required"):
                conds.append(("required", f["name"], absent, "missing value"))
            if "enum" in c:
                vals = ", ".join(_lit(str(v)) if is_str else str(v) for v in c["enum"])
                conds.append(("enum", f["name"], f"(NOT {absent} AND {col} NOT IN ({vals}))", f"value not in {c['enum'][:8]}"))
            if "pattern" in c and is_str:
                conds.append(("pattern", f["name"], f"(NOT {absent} AND NOT regexp_full_match({col}, {_lit(c['pattern'])}))", f"does not match {c['pattern']}"))
            if "minimum" in c:
                conds.append(("minimum", f["name"], f"({col} < {float(c['minimum'])})", f"below {c['minimum']}"))
        if not conds:
            continue
        counts = con.execute(f"SELECT {', '.join(f'count_if({cond})' for _, _, cond, _ in conds)} FROM {_q(table)}").fetchone()
        for (kind, col, cond, msg), n in zip(conds, counts, strict=True):
            if n:
                _report_rows(rep, con, f"SELECT _row, {_q(col)} FROM {_q(table)} WHERE {cond} ORDER BY _row", kind, path.name, col,
                             lambda r, m=msg: f"{m} ({r[0]!r})" if r[0] is not None else m)


def _check_keys(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    rep.checks += ["primary-keys", "foreign-keys"]
    for table, path in tables.items():
        pk = schemas.primary_key(table)
        if not pk:
            continue
        cols = ", ".join(_q(c) for c in pk)
        key = f"({cols})::VARCHAR" if len(pk) == 1 else f"concat_ws('/', {cols})"
        # a plain aggregation (spills to disk when large); rows are looked up for the few duplicates
        dups = con.execute(
            f"SELECT {key} AS k, min(_row) AS first FROM {_q(table)} GROUP BY {cols} HAVING count(*) > 1 ORDER BY first LIMIT {MAX_PROBLEMS_PER_CHECK}"
        ).fetchall()
        if dups:
            con.register("_dups", pa.table({"k": pa.array([d[0] for d in dups], pa.string())}))
            sql = f"SELECT t._row, t.k FROM (SELECT _row, {key} AS k FROM {_q(table)}) t JOIN _dups d ON t.k = d.k ORDER BY t._row"
            seen: set[str] = set()
            for row, k in con.execute(sql).fetchall():
                if k in seen:
                    rep.add(Problem("primary-key", f"duplicate {'/'.join(pk)} {k}", file=path.name, row=int(row), column=pk[0]))
                seen.add(k)
            con.unregister("_dups")
    for table, path in tables.items():
        for fk in schemas.foreign_keys(table):
            fields_ = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
            if ref["resource"] not in tables:
                continue
            on = " AND ".join(f"c.{_q(a)} = p.{_q(b)}" for a, b in zip(fields_, ref_fields, strict=True))
            not_null = " AND ".join(f"c.{_q(a)} IS NOT NULL" for a in fields_)
            sql = (
                f"SELECT c._row, c.{_q(fields_[0])} FROM {_q(table)} c ANTI JOIN {_q(ref['resource'])} p ON {on} "
                f"WHERE {not_null} ORDER BY c._row"
            )
            _report_rows(rep, con, sql, "foreign-key", path.name, fields_[0],
                         lambda r, rf=ref, f0=ref_fields[0]: f"{r[0]!r} not found in {rf['resource']}.{f0}")


def _check_offsets(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    """text[start:end] (code points, end-exclusive) equals the stored span text, and a
    row that names a sentence belongs to that sentence's article and lies inside it."""
    rep.checks.append("offsets")
    if "articles" not in tables:
        return
    for table, path in tables.items():
        if table == "articles":
            continue
        triples = schemas.span_columns(table)
        if not triples:
            continue
        bad = []
        for tcol, scol, ecol in triples:
            t, s, e = (f"x.{_q(c)}" for c in (tcol, scol, ecol))
            # length(t) = e - s makes an `end` past the text fail without measuring the whole text
            ok = f"({s} >= 0 AND {s} <= {e} AND length({t}) = {e} - {s} AND substring(a.text, {s} + 1, {e} - {s}) = {t})"
            all_null = f"({s} IS NULL AND {e} IS NULL AND {t} IS NULL)"
            bad.append((tcol, s, e, t, f"(NOT {all_null} AND NOT coalesce({ok}, false))"))
        join = f"FROM {_q(table)} x JOIN articles a ON x.article_id = a.article_id"
        # one join and one scan per table counts every span column; rows are fetched only when needed
        counts = con.execute(f"SELECT {', '.join(f'count_if({cond})' for *_, cond in bad)} {join}").fetchone()
        for (tcol, s, e, t, cond), n in zip(bad, counts, strict=True):
            if n:
                _report_rows(rep, con, f"SELECT x._row, {s}, {e}, {t} {join} WHERE {cond} ORDER BY x._row", "offsets", path.name, tcol,
                             lambda r, tc=tcol: f"text[{r[0]}:{r[1]}] does not equal {tc} {str(r[2])[:40]!r}")
        if table != "sentences" and "sentences" in tables and "sentence_id" in schemas.column_names(table):
            sql = (
                f"SELECT x._row, x.sentence_id, s.article_id FROM {_q(table)} x JOIN sentences s ON x.sentence_id = s.sentence_id "
                f"WHERE x.article_id IS DISTINCT FROM s.article_id ORDER BY x._row"
            )
            _report_rows(rep, con, sql, "sentence", path.name, "sentence_id",
                         lambda r: f"sentence {r[0]} belongs to another article ({r[1]})")


def _check_claim_targets(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    """Each claim_entities row names a mention of the claim's article that lies inside the
    claim's content, under the mention's own entity_key."""
    if not {"claim_entities", "claims", "entities"} <= tables.keys():
        return
    rep.checks.append("claim-targets")
    sql = (
        "SELECT t._row, t.claim_id, t.mention_id FROM claim_entities t "
        "JOIN claims c ON t.claim_id = c.claim_id JOIN entities m ON t.mention_id = m.mention_id "
        "WHERE c.article_id IS DISTINCT FROM t.article_id OR m.article_id IS DISTINCT FROM t.article_id "
        "OR m.start < c.content_start OR m.\"end\" > c.content_end OR m.entity_key IS DISTINCT FROM t.entity_key ORDER BY t._row"
    )
    _report_rows(rep, con, sql, "claim-target", tables["claim_entities"].name, "mention_id",
                 lambda r: f"mention {r[1]} is not an entity inside the content of claim {r[0]} (or its key or article differs)")


# Rows of the listed article ids held in memory before they go to Parquet.
LISTED_BATCH = 50_000


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
    return not isinstance(r, dict) or r.get("status") not in ("rejected", "duplicate") or not r.get("reason")


def _check_file_entry(rep: ValidationReport, f: Any, listing: _Listing) -> None:
    """The manifest's file entry being read (row listing.row), whose article_ids and
    records arrays were streamed into `listing`; its article ids go there too."""
    i = listing.row
    if not isinstance(f, dict):
        rep.add(Problem("manifest", "entry is not an object", file="manifest.json", row=i))
        return
    if f.get("status") not in ("accepted", "rejected", "duplicate", "partial"):
        rep.add(Problem("manifest", f"file {f.get('path')!r} has status {f.get('status')!r}", file="manifest.json", row=i, column="status"))
    if f.get("status") in ("rejected", "duplicate", "partial") and not f.get("reason"):
        rep.add(Problem("manifest", f"file {f.get('path')!r} is {f.get('status')} without a reason", file="manifest.json", row=i, column="reason"))
    ids = f.get("article_ids", []) or []  # a value that is not an array stays in the entry (None: none)
    if f.get("status") in ("accepted", "partial") and not (listing.n_ids or ids):
        rep.add(Problem("manifest", f"file {f.get('path')!r} is {f.get('status')} but lists no article", file="manifest.json", row=i, column="article_ids"))
    for r in f.get("records", []) or []:  # likewise
        listing.add_record(r)
    for r in listing.bad_records:
        rep.add(Problem("manifest", f"record {r} of {f.get('path')!r} has no status or reason", file="manifest.json", row=i, column="records"))
    for a in ids:
        listing.add_id(a)
    if listing.n_ids:
        listing.entries.add(i, str(f.get("path")))


def _check_manifest(rep: ValidationReport, con: Any, tables: dict[str, Path], manifest: dict[str, Any],
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
                f"FROM read_parquet({_lit(str(listing.ids.path))}, file_row_number = true)")
    con.execute(f"CREATE TEMP VIEW _listed AS SELECT i.article_id, i.entry, i.pos, e.path FROM _listed_ids i "
                f"JOIN read_parquet({_lit(str(listing.entries.path))}) e USING (entry)")
    try:
        _check_listed_sql(rep, con, tables)
    finally:
        con.execute("DROP VIEW _listed")
        con.execute("DROP VIEW _listed_ids")


def _check_listed_sql(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    _report_rows(rep, con, "SELECT a._row, a.article_id FROM articles a ANTI JOIN _listed_ids m USING (article_id) ORDER BY a._row",
                 "manifest", "articles.parquet", "article_id", lambda r: f"{r[0]} is not listed in manifest.json")
    _report_rows(rep, con, "SELECT m.entry, m.article_id FROM _listed_ids m ANTI JOIN articles a USING (article_id) ORDER BY m.entry, m.pos",
                 "manifest", "manifest.json", "article_ids", lambda r: f"{r[0]} is not in articles.parquet")
    _report_rows(rep, con, "SELECT max(entry), article_id FROM _listed_ids GROUP BY article_id HAVING count(*) > 1 ORDER BY 1, max(pos)",
                 "manifest", "manifest.json", "article_ids", lambda r: f"{r[0]} is listed more than once")
    _report_rows(rep, con, "SELECT a._row, a.origin, m.path FROM articles a JOIN _listed m USING (article_id) "
                 "WHERE NOT (a.origin = m.path OR starts_with(a.origin, m.path || '#')) ORDER BY a._row, m.pos",
                 "manifest", "articles.parquet", "origin", lambda r: f"origin {r[0]!r} is not from {r[1]!r}, the manifest file that lists it")
    # per-article consistency: the stored hash and sentence count match the rows
    _report_rows(rep, con, "SELECT _row, sha256 FROM articles WHERE sha256 IS NOT NULL AND sha256 <> sha256(text) ORDER BY _row",
                 "articles", "articles.parquet", "sha256", "sha256 does not match the text")
    if "sentences" in tables:
        sql = (
            "SELECT a._row, a.n_sentences, coalesce(c.n, 0) FROM articles a LEFT JOIN "
            "(SELECT article_id, count(*) AS n FROM sentences GROUP BY article_id) c USING (article_id) "
            "WHERE a.n_sentences IS DISTINCT FROM coalesce(c.n, 0) ORDER BY a._row"
        )
        _report_rows(rep, con, sql, "articles", "articles.parquet", "n_sentences",
                     lambda r: f"n_sentences is {r[0]}, sentences.parquet has {r[1]}")


def _frictionless(rep: ValidationReport, dp_path: Path) -> None:
    import frictionless

    try:
        report = frictionless.validate(str(dp_path))
    except Exception as e:  # frictionless raises many kinds; report them as one problem
        rep.add(Problem("frictionless", f"frictionless could not run: {e}", file="datapackage.json"))
        return
    for task in report.tasks:
        for err in task.errors[:MAX_PROBLEMS_PER_CHECK]:
            rep.add(
                Problem(
                    "frictionless:" + err.type,
                    err.message,
                    file=Path(task.place).name if task.place else None,
                    row=(getattr(err, "row_number", None) or 1) - 1 or None,
                    column=getattr(err, "field_name", None),
                )
            )
    for err in report.errors[:MAX_PROBLEMS_PER_CHECK]:
        rep.add(Problem("frictionless:" + err.type, err.message, file="datapackage.json"))
