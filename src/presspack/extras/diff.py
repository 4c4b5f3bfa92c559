"""presspack diff: what changed between two releases, and the semver bump it calls for.

A release is read only through its own files: datapackage.json (schemas, row counts,
table hashes) and the Parquet tables. Articles are matched by the primary key of the
articles table; rows of every other table are attached to their article through that
table's foreign key to articles, and compared per article as an unordered multiset, so
a change in row order alone is not a change.

Canonical names may follow the corpus: adding articles can change the most used form of
an entity ("Port authority" -> "Port Authority") without changing its key. Such a key,
the same in both releases' entity_index with another canonical name, is a renaming
(`renamed`): the name columns paired with it (NAME_OF: entities.canonical,
claims.speaker_name) are compared as equal where they hold the old name in A and the new
one in B, so a renaming alone is not an annotation change of the articles that mention it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.package.manifest import read_datapackage

ARTICLES = "articles"
ENTITY_INDEX = "entity_index"
NAME_OF = {"entity_key": "canonical", "speaker_key": "speaker_name"}  # a key column -> its display name column
_RENAMED = "\x00renamed"  # stands for a renamed name in a row's digest (text never holds NUL)
QUOTATIONS = "quotations"  # corpus-wide: compared by quotation_id, not per article
MAX_LISTED = 10  # ids shown per category in the human summary
_MASK = (1 << 64) - 1


@dataclass
class SchemaChange:
    table: str
    change: str  # table-added, table-removed, column-added, column-removed, column-retyped, constraints-changed
    column: str | None = None
    before: str | None = None
    after: str | None = None

    @property
    def compatible(self) -> bool:
        """Readers of the old release keep working: nothing they use was removed or retyped."""
        return self.change in ("table-added", "column-added", "constraints-changed")

    def line(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        arrow = f" ({self.before} -> {self.after})" if self.before or self.after else ""
        return f"{self.change}: {where}{arrow}"


@dataclass
class ReleaseDiff:
    a: str
    b: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    text_changed: list[str] = field(default_factory=list)
    metadata_changed: list[str] = field(default_factory=list)
    annotations_changed: list[str] = field(default_factory=list)
    renamed: list[dict[str, str]] = field(default_factory=list)  # {entity_key, before, after}, by key
    rows: dict[str, dict[str, int | None]] = field(default_factory=dict)
    schema: list[SchemaChange] = field(default_factory=list)
    quotations_added: list[str] = field(default_factory=list)
    quotations_removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[str]:
        """Articles in both releases whose row or derived rows differ."""
        return sorted({*self.text_changed, *self.metadata_changed, *self.annotations_changed})

    @property
    def identical(self) -> bool:
        return not (self.added or self.removed or self.changed or self.schema or self.renamed or self.quotations_added or self.quotations_removed) and all(
            r["a"] == r["b"] for r in self.rows.values()
        )

    @property
    def bump(self) -> str | None:
        """major: a schema changed incompatibly; minor: articles added or removed (or an
        article's text changed, or a column or table was added); patch: only derived
        annotations or metadata changed, or entities were renamed; None: nothing changed."""
        if any(not c.compatible for c in self.schema):
            return "major"
        if self.added or self.removed or self.text_changed or any(c.change != "constraints-changed" for c in self.schema):
            return "minor"
        if not self.identical:
            return "patch"
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "bump": self.bump,
            "articles": {
                "added": self.added,
                "removed": self.removed,
                "changed": self.changed,
                "text_changed": self.text_changed,
                "metadata_changed": self.metadata_changed,
                "annotations_changed": self.annotations_changed,
            },
            "entities": {"renamed": self.renamed},
            "quotations": {"added": self.quotations_added, "removed": self.quotations_removed},
            "rows": self.rows,
            "schema": [{**c.__dict__, "compatible": c.compatible} for c in self.schema],
        }

    def summary(self) -> str:
        lines = [f"{self.a} -> {self.b}: " + (f"{self.bump} change" if self.bump else "no change")]
        for label, ids in (
            ("articles added", self.added),
            ("articles removed", self.removed),
            ("articles changed", self.changed),
            ("  text changed", self.text_changed),
            ("  metadata changed", self.metadata_changed),
            ("  annotations changed", self.annotations_changed),
            ("quotations added", self.quotations_added),
            ("quotations removed", self.quotations_removed),
        ):
            more = f" …and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
            shown = (": " + ", ".join(ids[:MAX_LISTED]) + more) if ids else ""
            lines.append(f"{label}: {len(ids)}{shown}")
        why = " (same key, new canonical name; not counted as annotation changes)" if self.renamed else ""
        lines.append(f"entities renamed: {len(self.renamed)}{why}")
        lines += [f"  {r['entity_key']}: {r['before']!r} -> {r['after']!r}" for r in self.renamed[:MAX_LISTED]]
        if len(self.renamed) > MAX_LISTED:
            lines.append(f"  …and {len(self.renamed) - MAX_LISTED} more")
        lines.append("rows:")
        for t, r in self.rows.items():
            a, b = r["a"], r["b"]
            delta = f"{b - a:+d}" if a is not None and b is not None else "n/a"
            lines.append(f"  {t}: {_n(a)} -> {_n(b)} ({delta})")
        lines.append("schema changes: " + ("none" if not self.schema else str(len(self.schema))))
        lines += [f"  {c.line()}{'' if c.compatible else ' [incompatible]'}" for c in self.schema]
        return "\n".join(lines)


def _n(x: int | None) -> str:
    return "-" if x is None else str(x)


def diff_releases(a: str | Path, b: str | Path) -> ReleaseDiff:
    """Compare release A (older) with release B (newer)."""
    a, b = Path(a), Path(b)
    dpa, dpb = read_datapackage(a), read_datapackage(b)
    ra = {r["name"]: r for r in dpa.get("resources", [])}
    rb = {r["name"]: r for r in dpb.get("resources", [])}
    d = ReleaseDiff(a=str(dpa.get("version", a.name)), b=str(dpb.get("version", b.name)))
    d.schema = schema_changes(ra, rb)
    names = [*ra, *(n for n in rb if n not in ra)]
    d.rows = {n: {"a": ra.get(n, {}).get("rows"), "b": rb.get(n, {}).get("rows")} for n in names}
    if ra.get(QUOTATIONS, {}).get("hash") != rb.get(QUOTATIONS, {}).get("hash"):
        qa, qb = _quotation_ids(a, ra), _quotation_ids(b, rb)
        d.quotations_added, d.quotations_removed = sorted(qb - qa), sorted(qa - qb)
    same_tables = all(ra[n].get("hash") == rb.get(n, {}).get("hash") for n in ra) and set(ra) == set(rb)
    if same_tables or ARTICLES not in ra or ARTICLES not in rb:
        return d
    pk_a, pk_b = _primary_key(ra[ARTICLES]), _primary_key(rb[ARTICLES])
    arts_a = _article_digests(a / ra[ARTICLES]["path"], pk_a)
    arts_b = _article_digests(b / rb[ARTICLES]["path"], pk_b)
    d.added = sorted(set(arts_b) - set(arts_a))
    d.removed = sorted(set(arts_a) - set(arts_b))
    common = set(arts_a) & set(arts_b)
    d.text_changed = sorted(k for k in common if arts_a[k][0] != arts_b[k][0])
    d.metadata_changed = sorted(k for k in common if arts_a[k][0] == arts_b[k][0] and arts_a[k][1] != arts_b[k][1])
    renamed: dict[str, tuple[str, str]] = {}
    if ENTITY_INDEX in ra and ENTITY_INDEX in rb and ra[ENTITY_INDEX].get("hash") != rb[ENTITY_INDEX].get("hash"):
        renamed = renamings(a / ra[ENTITY_INDEX]["path"], b / rb[ENTITY_INDEX]["path"])
    d.renamed = [{"entity_key": k, "before": v[0], "after": v[1]} for k, v in sorted(renamed.items())]
    before = {k: v[0] for k, v in renamed.items()}
    after = {k: v[1] for k, v in renamed.items()}
    annotated: set[str] = set()
    for name in sorted(set(ra) & set(rb) - {ARTICLES, QUOTATIONS}):
        if ra[name].get("hash") == rb[name].get("hash"):
            continue
        fa, fb = _article_fk(ra[name]), _article_fk(rb[name])
        if fa is None or fb is None:
            continue
        ha = _rows_per_article(a / ra[name]["path"], fa, before)
        hb = _rows_per_article(b / rb[name]["path"], fb, after)
        annotated |= {k for k in common if ha.get(k) != hb.get(k)}
    d.annotations_changed = sorted(annotated)
    return d


def schema_changes(ra: dict[str, Any], rb: dict[str, Any]) -> list[SchemaChange]:
    out: list[SchemaChange] = []
    for name in ra:
        if name not in rb:
            out.append(SchemaChange(name, "table-removed"))
            continue
        fa = {f["name"]: f for f in ra[name].get("schema", {}).get("fields", [])}
        fb = {f["name"]: f for f in rb[name].get("schema", {}).get("fields", [])}
        for col, f in fa.items():
            g = fb.get(col)
            if g is None:
                out.append(SchemaChange(name, "column-removed", col, _type(f), None))
            elif _type(f) != _type(g):
                out.append(SchemaChange(name, "column-retyped", col, _type(f), _type(g)))
            elif f.get("constraints", {}) != g.get("constraints", {}):
                out.append(SchemaChange(name, "constraints-changed", col))
        out += [SchemaChange(name, "column-added", col, None, _type(g)) for col, g in fb.items() if col not in fa]
    out += [SchemaChange(name, "table-added") for name in rb if name not in ra]
    return out


def _type(f: dict[str, Any]) -> str:
    return str(f.get("arrowType") or f.get("type", "any"))


def _primary_key(res: dict[str, Any]) -> str:
    pk = res.get("schema", {}).get("primaryKey", [])
    return pk if isinstance(pk, str) else pk[0]


def _article_fk(res: dict[str, Any]) -> str | None:
    """The column of a table that references the articles table."""
    for fk in res.get("schema", {}).get("foreignKeys", []):
        if fk.get("reference", {}).get("resource") == ARTICLES:
            f = fk["fields"]
            return f if isinstance(f, str) else f[0]
    return None


def _digest(values: Any) -> int:
    """A 64-bit digest of a row (Python's tuple hash: stable within one process, which is
    all a comparison of two releases needs); list or map cells go through JSON."""
    try:
        return hash(values) & _MASK
    except TypeError:
        return hash(json.dumps(values, ensure_ascii=False, default=str, sort_keys=True)) & _MASK


def _article_digests(path: Path, pk: str) -> dict[str, tuple[int, int]]:
    """article id -> (digest of its text, digest of the whole row)."""
    out: dict[str, tuple[int, int]] = {}
    pf = pq.ParquetFile(path)
    names = tuple(pf.schema_arrow.names)
    for batch in pf.iter_batches(batch_size=1024):
        cols = batch.to_pydict()
        texts = cols.get("text") or [None] * batch.num_rows
        for key, text, row in zip(cols[pk], texts, zip(*(cols[n] for n in names), strict=True), strict=True):
            out[key] = (_digest((text,)), _digest((names, row)))
    return out


def renamings(index_a: Path, index_b: Path) -> dict[str, tuple[str, str]]:
    """entity key -> (canonical name in A, in B), for the keys of both entity indexes
    whose canonical name differs. Column-wise: an Arrow join on the key."""
    import pyarrow.compute as pc

    cols = ["entity_key", "canonical"]
    ta = pq.read_table(index_a, columns=cols)
    tb = pq.read_table(index_b, columns=cols).rename_columns(["entity_key", "canonical_b"])
    j = ta.join(tb, "entity_key", join_type="inner")
    j = j.filter(pc.not_equal(j["canonical"], j["canonical_b"]))
    return {k: (x, y) for k, x, y in zip(*(j[c].to_pylist() for c in ("entity_key", "canonical", "canonical_b")), strict=True)}


def _rows_per_article(path: Path, fk: str, renamed: dict[str, str] | None = None) -> dict[str, int]:
    """article id -> order-independent digest (sum of row digests) of its rows. Where a
    row's name column (NAME_OF) holds `renamed`'s name of its key, the digest sees
    _RENAMED instead: the same in both releases when only the name changed."""
    renamed = renamed or {}
    out: dict[str, int] = {}
    pf = pq.ParquetFile(path)
    names = tuple(pf.schema_arrow.names)
    pairs = [(names.index(k), names.index(n)) for k, n in NAME_OF.items() if k in names and n in names] if renamed else []
    get = out.get
    for batch in pf.iter_batches(batch_size=65_536):
        cols = batch.to_pydict()
        for key, row in zip(cols[fk], zip(*(cols[n] for n in names), strict=True), strict=True):
            for ki, ni in pairs:
                if row[ki] in renamed and row[ni] == renamed[row[ki]]:
                    row = (*row[:ni], _RENAMED, *row[ni + 1 :])
            out[key] = (get(key, 0) + _digest((names, row))) & _MASK
    return out


def _quotation_ids(release: Path, resources: dict[str, Any]) -> set[str]:
    """The quotation_ids of a release (none before releases had a quotations table)."""
    if QUOTATIONS not in resources:
        return set()
    table = pq.read_table(release / resources[QUOTATIONS]["path"], columns=["quotation_id"])
    return set(table.column("quotation_id").to_pylist())
