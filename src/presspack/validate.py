"""presspack validate: hashes, schema, keys, enums, offsets and manifest consistency.

Checks stream the Parquet files by row group with pyarrow; every problem names the
file, row and column. Frictionless runs too when asked (or on small releases).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from presspack import schemas
from presspack.package import sha256_file
from presspack.release import release_problems as _release_problems

FRICTIONLESS_AUTO_ROWS = 50_000
MAX_PROBLEMS_PER_CHECK = 50


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

    @property
    def valid(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "valid": self.valid,
            "rows": self.rows,
            "checks": self.checks,
            "problems": [p.__dict__ for p in self.problems],
        }


def validate(release: str | Path, *, frictionless: bool | None = None) -> ValidationReport:
    """Validate a release directory. frictionless=None runs it only on small releases."""
    release = Path(release)
    rep = ValidationReport(str(release))
    dp_path = release / "datapackage.json"
    try:
        dp = json.loads(dp_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        rep.problems.append(Problem("missing-file", "no datapackage.json", file="datapackage.json"))
        return rep
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        rep.problems.append(Problem("invalid-json", str(e), file="datapackage.json"))
        return rep
    resources = {r.get("name"): r for r in dp.get("resources", [])}
    ok_files: dict[str, Path] = {}
    rep.checks.append("hashes")
    extra = [t for t in schemas.available_tables() if t not in schemas.TABLES and t in resources]
    for name in (*schemas.TABLES, *extra):
        res = resources.get(name)
        if res is None:
            rep.problems.append(Problem("missing-resource", f"resource {name!r} is not in datapackage.json", file="datapackage.json"))
            continue
        rel = res.get("path", "")
        path = (release / rel).resolve()
        if release.resolve() not in path.parents:
            rep.problems.append(Problem("unsafe-path", f"resource path {rel!r} points outside the release", file="datapackage.json"))
            continue
        if not path.is_file():
            rep.problems.append(Problem("missing-file", f"{rel} does not exist", file=rel))
            continue
        want = str(res.get("hash", "")).removeprefix("sha256:")
        got = sha256_file(path)
        if want != got:
            rep.problems.append(Problem("hash-mismatch", f"sha256 is {got}, datapackage.json says {want}", file=rel))
        ok_files[name] = path
    _check_tables(rep, ok_files)
    _check_manifest(rep, release, ok_files)
    rep.checks += ["immutable", "citation", "croissant"]  # release extras: see release.release_problems
    rep.problems += [Problem(kind, msg, file=f) for kind, f, msg in _release_problems(release)]
    total = sum(rep.rows.values())
    run_fl = frictionless if frictionless is not None else total <= FRICTIONLESS_AUTO_ROWS
    if run_fl:
        rep.checks.append("frictionless")
        _frictionless(rep, dp_path)
    return rep


def _check_tables(rep: ValidationReport, files: dict[str, Path]) -> None:
    rep.checks += ["schema", "required", "enum", "pattern", "primary-keys", "foreign-keys", "offsets"]
    keys: dict[tuple[str, str], set[Any]] = {}
    for table, path in files.items():
        pf = pq.ParquetFile(path)
        rep.rows[table] = pf.metadata.num_rows
        want = schemas.arrow_schema(table)
        got_names = pf.schema_arrow.names
        if got_names != want.names:
            rep.problems.append(Problem("schema-mismatch", f"columns {got_names} differ from schemas/{table}.schema.json {want.names}", file=path.name))
            continue
        for f in want:
            g = pf.schema_arrow.field(f.name)
            if not g.type.equals(f.type):
                rep.problems.append(Problem("type-mismatch", f"type {g.type}, schema says {f.type}", file=path.name, column=f.name))
    # primary keys and values needed for foreign keys
    for table, path in files.items():
        if any(p.file == path.name and p.type == "schema-mismatch" for p in rep.problems):
            continue
        pk = schemas.primary_key(table)
        fields_ = schemas.fields(table)
        seen: set[Any] = set()
        offset = 0
        for batch in _batches(path):
            for f in fields_:
                col = batch.column(f["name"])
                c = f.get("constraints", {})
                if c.get("required") and col.null_count:
                    _emit(rep, "required", "missing value", path.name, offset, col.is_null(), f["name"])
                if "enum" in c:
                    bad = pc.invert(pc.fill_null(pc.is_in(col, value_set=pa.array(c["enum"], type=col.type)), True))
                    _emit(rep, "enum", f"value not in {c['enum'][:8]}{'…' if len(c['enum']) > 8 else ''}", path.name, offset, bad, f["name"], col)
                if "pattern" in c:
                    bad = pc.invert(pc.fill_null(pc.match_substring_regex(col, f"^(?:{c['pattern']})$"), True))
                    _emit(rep, "pattern", f"does not match {c['pattern']}", path.name, offset, bad, f["name"], col)
                if "minimum" in c:
                    bad = pc.fill_null(pc.less(col, c["minimum"]), False)
                    _emit(rep, "minimum", f"below {c['minimum']}", path.name, offset, bad, f["name"], col)
            if len(pk) == 1:
                vals = batch.column(pk[0]).to_pylist()
                for i, v in enumerate(vals):
                    if v in seen:
                        rep.problems.append(Problem("primary-key", f"duplicate {pk[0]} {v!r}", file=path.name, row=offset + i + 1, column=pk[0]))
                    seen.add(v)
            offset += batch.num_rows
        keys[(table, pk[0] if pk else "")] = seen
    for table, path in files.items():
        for fk in schemas.foreign_keys(table):
            col = fk["fields"][0] if isinstance(fk["fields"], list) else fk["fields"]
            ref = fk["reference"]
            ref_field = ref["fields"][0] if isinstance(ref["fields"], list) else ref["fields"]
            target = keys.get((ref["resource"], ref_field))
            if target is None:
                continue
            offset = 0
            for batch in _batches(path, [col]):
                for i, v in enumerate(batch.column(col).to_pylist()):
                    if v is not None and v not in target:
                        _add(rep, Problem("foreign-key", f"{v!r} not found in {ref['resource']}.{ref_field}", file=path.name, row=offset + i + 1, column=col))
                offset += batch.num_rows
    _check_offsets(rep, files)


def _batches(path: Path, columns: list[str] | None = None) -> Iterator[pa.RecordBatch]:
    pf = pq.ParquetFile(path)
    yield from pf.iter_batches(batch_size=65_536, columns=columns)


def _emit(rep: ValidationReport, kind: str, msg: str, file: str, offset: int, mask: Any, column: str, values: Any = None) -> None:
    idx = pc.indices_nonzero(mask).to_pylist() if pc.any(mask).as_py() else []
    for i in idx[:MAX_PROBLEMS_PER_CHECK]:
        v = f" ({values[i].as_py()!r})" if values is not None else ""
        _add(rep, Problem(kind, msg + v, file=file, row=offset + i + 1, column=column))


def _add(rep: ValidationReport, p: Problem) -> None:
    if sum(1 for q in rep.problems if q.type == p.type and q.file == p.file) < MAX_PROBLEMS_PER_CHECK:
        rep.problems.append(p)


def _check_offsets(rep: ValidationReport, files: dict[str, Path]) -> None:
    if "articles" not in files:
        return
    texts: dict[str, str] = {}
    for batch in _batches(files["articles"], ["article_id", "text"]):
        texts.update(zip(batch.column("article_id").to_pylist(), batch.column("text").to_pylist(), strict=True))
    for table, path in files.items():
        if table == "articles":
            continue
        triples = schemas.span_columns(table)
        if not triples:
            continue
        cols = ["article_id", *[c for t in triples for c in t]]
        offset = 0
        for batch in _batches(path, cols):
            d = batch.to_pydict()
            for i in range(batch.num_rows):
                text = texts.get(d["article_id"][i])
                if text is None:
                    continue
                for tcol, scol, ecol in triples:
                    s, e, t = d[scol][i], d[ecol][i], d[tcol][i]
                    if s is None and e is None and t is None:
                        continue
                    if s is None or e is None or t is None or not (0 <= s <= e <= len(text)) or text[s:e] != t:
                        _add(rep, Problem("offsets", f"text[{s}:{e}] does not equal {tcol} {str(t)[:40]!r}", file=path.name, row=offset + i + 1, column=tcol))
            offset += batch.num_rows


def _check_manifest(rep: ValidationReport, release: Path, files: dict[str, Path]) -> None:
    rep.checks.append("manifest")
    mpath = release / "manifest.json"
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except FileNotFoundError:
        rep.problems.append(Problem("missing-file", "no manifest.json", file="manifest.json"))
        return
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        rep.problems.append(Problem("invalid-json", str(e), file="manifest.json"))
        return
    listed: list[str] = [a for f in manifest.get("files", []) for a in f.get("article_ids", [])]
    if "articles" in files:
        ids = [x for b in _batches(files["articles"], ["article_id"]) for x in b.column("article_id").to_pylist()]
        if sorted(ids) != sorted(listed):
            missing = sorted(set(ids) - set(listed))[:5]
            extra = sorted(set(listed) - set(ids))[:5]
            rep.problems.append(Problem("manifest", f"manifest article_ids differ from articles.parquet (not in manifest: {missing}; not in table: {extra})", file="manifest.json"))
    for i, f in enumerate(manifest.get("files", []), start=1):
        if f.get("status") not in ("accepted", "rejected", "duplicate", "partial"):
            rep.problems.append(Problem("manifest", f"file {f.get('path')!r} has status {f.get('status')!r}", file="manifest.json", row=i, column="status"))
        if f.get("status") in ("rejected", "duplicate", "partial") and not f.get("reason"):
            rep.problems.append(Problem("manifest", f"file {f.get('path')!r} is {f.get('status')} without a reason", file="manifest.json", row=i, column="reason"))




def _frictionless(rep: ValidationReport, dp_path: Path) -> None:
    import frictionless

    try:
        report = frictionless.validate(str(dp_path))
    except Exception as e:  # frictionless raises many kinds; report them as one problem
        rep.problems.append(Problem("frictionless", f"frictionless could not run: {e}", file="datapackage.json"))
        return
    for task in report.tasks:
        for err in task.errors[:MAX_PROBLEMS_PER_CHECK]:
            rep.problems.append(
                Problem(
                    "frictionless:" + err.type,
                    err.message,
                    file=Path(task.place).name if task.place else None,
                    row=(getattr(err, "row_number", None) or 1) - 1 or None,
                    column=getattr(err, "field_name", None),
                )
            )
    for err in report.errors[:MAX_PROBLEMS_PER_CHECK]:
        rep.problems.append(Problem("frictionless:" + err.type, err.message, file="datapackage.json"))
