"""validate's table checks, as SQL in DuckDB straight over the Parquet files: required
values, enums, patterns and minimums from schemas/, primary and foreign keys, every
span's offsets into articles.text, and the claims' targets.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa

from presspack.package import schemas
from presspack.validate.report import MAX_PROBLEMS_PER_CHECK, Problem, ValidationReport

MEMORY_LIMIT = os.environ.get("PRESSPACK_VALIDATE_MEMORY", "512MB")
THREADS = 2


@contextmanager
def connect_duckdb(memory_limit: str) -> Iterator[Any]:
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



def sql_literal(s: str) -> str:
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



def check_constraints(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
    """required, enum, pattern and minimum: one counting scan per table, then the rows."""
    rep.checks += ["required", "enum", "pattern", "minimum"]
    for table, path in tables.items():
        schema = schemas.table_schema(table)
        conds: list[tuple[str, str, str, str]] = []  # (kind, column, sql condition, message)
        for f in schemas.fields(table):
            col, c = _q(f["name"]), f.get("constraints", {})
            is_str = schemas.arrow_type(f) == schemas.TYPE_MAP["string"]
            missing = [m for m in f.get("missingValues", schema.get("missingValues", [""])) if isinstance(m, str)]
            absent = f"({col} IS NULL" + (f" OR {col} IN ({', '.join(sql_literal(m) for m in missing)})" if is_str and missing else "") + ")"
            if c.get("required"):
                conds.append(("required", f["name"], absent, "missing value"))
            if "enum" in c:
                vals = ", ".join(sql_literal(str(v)) if is_str else str(v) for v in c["enum"])
                conds.append(("enum", f["name"], f"(NOT {absent} AND {col} NOT IN ({vals}))", f"value not in {c['enum'][:8]}"))
            if "pattern" in c and is_str:
                conds.append(("pattern", f["name"], f"(NOT {absent} AND NOT regexp_full_match({col}, {sql_literal(c['pattern'])}))", f"does not match {c['pattern']}"))
            if "minimum" in c:
                conds.append(("minimum", f["name"], f"({col} < {float(c['minimum'])})", f"below {c['minimum']}"))
        if not conds:
            continue
        counts = con.execute(f"SELECT {', '.join(f'count_if({cond})' for _, _, cond, _ in conds)} FROM {_q(table)}").fetchone()
        for (kind, col, cond, msg), n in zip(conds, counts, strict=True):
            if n:
                _report_rows(rep, con, f"SELECT _row, {_q(col)} FROM {_q(table)} WHERE {cond} ORDER BY _row", kind, path.name, col,
                             lambda r, m=msg: f"{m} ({r[0]!r})" if r[0] is not None else m)



def check_keys(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
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



def check_offsets(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
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



def check_claim_targets(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
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



def check_listed_sql(rep: ValidationReport, con: Any, tables: dict[str, Path]) -> None:
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
