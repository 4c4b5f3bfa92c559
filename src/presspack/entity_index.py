"""The corpus-wide entity index and the keys that hold mentions together across articles.

During the build, `EntityIndex.add` counts each article's mentions per key (memory grows
with the number of distinct entities, not with the corpus). At the end, `resolve` merges
keys that name one entity in different articles:
- listed transliteration variants ("Zelensky" / "Zelenskyy") map to one spelling;
- a person known only by a surname in some article ("Putin", "President Putin") joins
  the one full name with that surname in the corpus ("Vladimir Putin"); when several
  people share the surname with different first names, nothing is merged.
`remap_table` then rewrites a finished Parquet table with the merged keys, batch by batch.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.entities import KEY_CLASS, fold, slug


@dataclass
class _Stats:
    labels: Counter[str] = field(default_factory=Counter)
    canonicals: Counter[str] = field(default_factory=Counter)
    n_mentions: int = 0
    n_articles: int = 0
    last_article: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


class EntityIndex:
    def __init__(self, gazetteer: Any = None, variants: tuple[tuple[str, ...], ...] = ()) -> None:
        self.stats: dict[str, _Stats] = {}
        self.gazetteer = gazetteer
        self.variants = {fold(v): fold(group[0]) for group in variants for v in group}

    def add(self, article: dict[str, Any], mentions: list[dict[str, Any]]) -> None:
        published = article.get("published")
        for m in mentions:
            st = self.stats.get(m["entity_key"])
            if st is None:
                st = self.stats[m["entity_key"]] = _Stats()
            st.labels[m["label"]] += 1
            st.canonicals[m["canonical"]] += 1
            st.n_mentions += 1
            if st.last_article != m["article_id"]:
                st.last_article = m["article_id"]
                st.n_articles += 1
                if published:
                    st.first_seen = min(st.first_seen or published, published)
                    st.last_seen = max(st.last_seen or published, published)

    def _gazetteer_key(self, key: str) -> bool:
        return self.gazetteer is not None and self.gazetteer.index_fields(key) is not None

    def _variant_slug(self, canonical: str) -> str:
        return slug(" ".join(self.variants.get(w, w) for w in fold(canonical).split()))

    def resolve(self) -> dict[str, str]:
        """old key -> merged key, for every key that changes."""
        remap: dict[str, str] = {}
        # 1. listed transliteration variants share one key
        if self.variants:
            groups: dict[tuple[str, str], list[str]] = {}
            for key, st in self.stats.items():
                if self._gazetteer_key(key):
                    continue
                cls = key.split(":", 1)[0]
                groups.setdefault((cls, self._variant_slug(_top(st.canonicals))), []).append(key)
            for members in groups.values():
                if len(members) > 1:
                    head = min(members, key=lambda k: (-self.stats[k].n_mentions, k))
                    remap.update({k: head for k in members if k != head})
        # 2. a surname alone joins the only full name with that surname
        person = KEY_CLASS["PERSON"] + ":"
        by_surname: dict[str, set[str]] = {}
        for key, st in self.stats.items():
            if not key.startswith(person) or key in remap:
                continue
            words = fold(_top(st.canonicals)).split()
            if len(words) > 1:
                by_surname.setdefault(self._variant_slug(words[-1]), set()).add(key)
        for key, st in self.stats.items():
            if not key.startswith(person) or key in remap or self._gazetteer_key(key):
                continue
            words = fold(_top(st.canonicals)).split()
            if len(words) == 1:
                cands = by_surname.get(self._variant_slug(words[0]), set())
                if len(cands) == 1:
                    remap[key] = next(iter(cands))
        return {k: _follow(remap, k) for k in remap}

    def rows(self, remap: dict[str, str]) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """Index rows (sorted by key) and each final key's canonical name."""
        merged: dict[str, _Stats] = {}
        for key, st in self.stats.items():
            k = remap.get(key, key)
            m = merged.setdefault(k, _Stats())
            m.labels.update(st.labels)
            m.canonicals.update(st.canonicals)
            m.n_mentions += st.n_mentions
            m.n_articles += st.n_articles  # an article can count twice only if it used two merged keys
            for v in (st.first_seen, st.last_seen):
                if v:
                    m.first_seen = min(m.first_seen or v, v)
                    m.last_seen = max(m.last_seen or v, v)
        out, names = [], {}
        for key in sorted(merged):
            m = merged[key]
            g = self.gazetteer.index_fields(key) if self.gazetteer is not None else None
            canonical = g["canonical"] if g else _top(m.canonicals)
            names[key] = canonical
            out.append(
                {
                    "entity_key": key,
                    "canonical": canonical,
                    "label": g["label"] if g else _top(m.labels),
                    "wikidata": g["wikidata"] if g else None,
                    "n_mentions": m.n_mentions,
                    "n_articles": m.n_articles,
                    "first_seen": m.first_seen,
                    "last_seen": m.last_seen,
                }
            )
        return out, names


def _top(c: Counter[str]) -> str:
    """Most frequent value; ties go to the longer, then the alphabetically first."""
    return min(c.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


def _follow(remap: dict[str, str], key: str) -> str:
    seen = set()
    while key in remap and key not in seen:
        seen.add(key)
        key = remap[key]
    return key


def remap_table(path: Path, writer: Any, columns: dict[str, str], remap: dict[str, str], names: dict[str, str]) -> None:
    """Copy Parquet `path` into `writer` (a TableWriter), replacing keys by their merged
    key and the paired name column (`columns`: key column -> name column) by its
    canonical name. Column-wise (Arrow): each distinct key is looked up once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=writer.row_group_size):  # one row group's worth in memory
        cols = {name: batch.column(name) for name in batch.schema.names}
        for kcol, ncol in columns.items():
            keys = cols[kcol]
            uniq = pc.unique(keys)
            old = uniq.to_pylist()
            new = [k if k is None else remap.get(k, k) for k in old]
            at = pc.index_in(keys, value_set=uniq)  # nulls match the null in uniq
            cols[kcol] = pc.take(pa.array(new, type=keys.type), at)
            if ncol:
                named = [k is not None and n in names and (n != k or ncol == "canonical") for k, n in zip(old, new, strict=True)]
                if any(named):
                    name_col = cols[ncol]
                    repl = pa.array([names[n] if m else None for n, m in zip(new, named, strict=True)], type=name_col.type)
                    cols[ncol] = pc.if_else(pc.take(pa.array(named, type=pa.bool_()), at), pc.take(repl, at), name_col)
        writer.write_columns(cols)
    writer.close()


def finish(tmp: Path, index: EntityIndex, writers: dict[str, Any], row_group_size: int) -> Any:
    """After all articles: merge keys across articles, rewrite entities (and claims'
    speaker keys, claim_entities' keys) with the merged keys and names, and write entity_index.parquet.
    Returns the entity_index writer (closed)."""
    from presspack.package import TableWriter

    remap = index.resolve()
    rows, names = index.rows(remap)
    tables = (("entities", {"entity_key": "canonical"}), ("claims", {"speaker_key": "speaker_name"}), ("claim_entities", {"entity_key": ""}))
    for table, cols in tables:
        if table not in writers or (table != "entities" and not remap):
            continue
        old = writers[table].path
        moved = old.with_name(f".{old.name}.pre-index")
        old.rename(moved)
        writers[table] = TableWriter(table, old, writers[table].row_group_size)
        remap_table(moved, writers[table], cols, remap, names)
        moved.unlink()
    writer = TableWriter("entity_index", tmp / "entity_index.parquet", row_group_size)
    writer.write(rows)
    writer.close()
    return writer
