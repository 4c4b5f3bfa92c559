"""Reading a release for the audit: datapackage.json and the Parquet tables only.

The tables are read with pyarrow, filtered to the articles asked for; the audit's
samples are small (tens to hundreds of articles), whatever the size of the release.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.audit.model import CLAIMS, ENTITIES, SENTENCES, Annotations, Article, Claim, Span, one
from presspack.errors import ReleaseNotFound
from presspack.package import schemas
from presspack.package.manifest import read_json

ARTICLES = "articles"
ID = "article_id"
CLAIM_PARTS = ("speaker", "cue", "content")  # the claims table's span prefixes: source, cue, content
STRATA = {"source": "source", "month": "published", "language": "language"}  # --by: the articles column


def release_info(release: str | Path) -> dict[str, Any]:
    """Name, title and version of a release, from its datapackage.json."""
    release = Path(release)
    dp = read_json(release / "datapackage.json")
    return {"name": dp.get("name"), "title": dp.get("title"), "version": dp.get("version")}


def table_path(release: str | Path, table: str) -> Path:
    """A table's Parquet file, as datapackage.json lists it."""
    release = Path(release)
    dp = read_json(release / "datapackage.json")
    for r in dp.get("resources", []):
        if r.get("name") == table:
            path = r.get("path")
            return release / (path[0] if isinstance(path, list) else path)
    raise ReleaseNotFound(f"{release}: datapackage.json lists no {table!r} table")


def _columns(path: Path, wanted: Iterable[str]) -> list[str]:
    names = set(pq.ParquetFile(path).schema_arrow.names)
    return [c for c in wanted if c in names]


def article_rows(release: str | Path, columns: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Every article's row, restricted to `columns` (those the table has), one at a time."""
    path = table_path(release, ARTICLES)
    pf = pq.ParquetFile(path)
    cols = _columns(path, [ID, *[c for c in columns if c != ID]])
    for batch in pf.iter_batches(batch_size=65_536, columns=cols):
        yield from batch.to_pylist()


def _rows(release: str | Path, table: str, ids: list[str], columns: Iterable[str]) -> list[dict[str, Any]]:
    path = table_path(release, table)
    cols = _columns(path, [ID, *columns])
    if not ids:
        return []
    return pq.read_table(path, columns=cols, filters=[(ID, "in", ids)]).to_pylist()


def articles(release: str | Path, ids: Iterable[str]) -> dict[str, Article]:
    """The articles with these ids that the release holds (text and sha256)."""
    rows = _rows(release, ARTICLES, sorted(set(ids)), ("text", "sha256"))
    return {r[ID]: Article(r[ID], r["text"], r["sha256"]) for r in rows}


def _span(row: dict[str, Any], prefix: str) -> Span | None:
    s, e = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
    return None if s is None or e is None else one(s, e)


def predictions(release: str | Path, ids: Iterable[str]) -> dict[str, Annotations]:
    """The release's sentences, entities and claims of these articles, in text order."""
    ids = sorted(set(ids))
    out = {i: Annotations() for i in ids}
    for r in _rows(release, SENTENCES, ids, ("start", "end")):
        out[r[ID]].sentences.append((r["start"], r["end"]))
    for r in _rows(release, ENTITIES, ids, ("start", "end", "label")):
        out[r[ID]].entities.append((r["start"], r["end"], r["label"]))
    parts = [f"{p}_{x}" for p in CLAIM_PARTS for x in ("start", "end")]
    for r in _rows(release, CLAIMS, ids, parts):
        source, cue, content = (_span(r, p) for p in CLAIM_PARTS)
        out[r[ID]].claims.append(Claim(source, cue, content))
    for a in out.values():
        a.sentences.sort()
        a.entities.sort()
        a.claims.sort(key=lambda c: (c.content or ((-1, -1),), c.source or (), c.cue or ()))
    return out


def check_columns() -> None:
    """The columns read here exist in schemas/ (a test calls this)."""
    need = {ARTICLES: {ID, "text", "sha256", *STRATA.values()}, SENTENCES: {ID, "start", "end"},
            ENTITIES: {ID, "start", "end", "label"},
            CLAIMS: {ID, *(f"{p}_{x}" for p in CLAIM_PARTS for x in ("start", "end"))}}
    for table, cols in need.items():
        missing = cols - set(schemas.column_names(table))
        if missing:
            raise AssertionError(f"{table}: {sorted(missing)} not in schemas/")
