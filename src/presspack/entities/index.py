"""The corpus-wide entity index and the keys that hold mentions together across articles.
Mentions without a key (dates and numbers) are not counted in it.

During the build, `EntityIndex.add` counts each article's mentions per key: in memory up
to SPILL_AFTER distinct keys (about 0.75 kB each), then in a private temporary SQLite
database (ScratchDB), so memory does not grow with the number of distinct entities. At
the end, `resolve` merges keys that name one entity in different articles:
- listed transliteration variants ("Zelensky" / "Zelenskyy") map to one spelling;
- a person known only by a surname in some article ("Putin", "President Putin") joins
  the one full name with that surname in the corpus ("Vladimir Putin"); when several
  people share the surname with different first names, nothing is merged.
`remap_table` then rewrites a finished Parquet table with the merged keys, batch by batch.
Spilled or not, the index, the keys and the names are the same, to the byte.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from presspack.entities.gazetteer import builtin_gazetteer
from presspack.entities.mentions import fold
from presspack.entities.names import KEY_CLASS, slug
from presspack.package import schemas
from presspack.package.spill import ScratchDB, SpillToDisk

COLUMNS = tuple(schemas.column_names("entity_index"))
_SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER"}
SPILL_AFTER = 200_000  # distinct entity keys held in memory before the index moves to disk
BATCH = 5000  # rows per executemany at the end (resolve, rows)

_LABEL, _CANONICAL = 0, 1  # `vals.kind`
_DDL = (
    # one row per entity key: what _Stats holds besides its two Counters
    "CREATE TABLE stats (key TEXT PRIMARY KEY, n_mentions INTEGER NOT NULL, n_articles INTEGER NOT NULL,"
    " last_article TEXT, first_seen TEXT, last_seen TEXT) WITHOUT ROWID",
    # the Counters: (kind, key, value) -> count; kind 0 labels, 1 canonical names
    "CREATE TABLE vals (kind INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL,"
    " PRIMARY KEY (kind, key, value)) WITHOUT ROWID",
)
# One article's mentions of one key (?2 of them, in article ?3 published ?4), as add()
# counts them in memory: a new article adds one to n_articles and widens first/last seen.
# (In an UPDATE, every right-hand side reads the row as it was before.)
_UPSERT_STATS = """INSERT INTO stats VALUES (?1, ?2, 1, ?3, ?4, ?4) ON CONFLICT (key) DO UPDATE SET
    n_mentions = n_mentions + excluded.n_mentions,
    n_articles = n_articles + (last_article IS NOT excluded.last_article),
    first_seen = CASE WHEN last_article IS NOT excluded.last_article AND excluded.first_seen IS NOT NULL
                      THEN min(coalesce(first_seen, excluded.first_seen), excluded.first_seen) ELSE first_seen END,
    last_seen = CASE WHEN last_article IS NOT excluded.last_article AND excluded.last_seen IS NOT NULL
                     THEN max(coalesce(last_seen, excluded.last_seen), excluded.last_seen) ELSE last_seen END,
    last_article = excluded.last_article"""
_UPSERT_VALS = "INSERT INTO vals VALUES (?, ?, ?, ?) ON CONFLICT (kind, key, value) DO UPDATE SET n = n + excluded.n"


def _final_columns() -> str:
    """The columns of the spilled index's `final` table: the entity_index schema's."""
    key = schemas.primary_key("entity_index")
    return ", ".join(f"{f['name']} {_SQLITE_TYPES[f['type']]}{' PRIMARY KEY' if [f['name']] == key else ''}"
                     for f in schemas.fields("entity_index"))


@dataclass
class _Stats:
    labels: Counter[str] = field(default_factory=Counter)
    canonicals: Counter[str] = field(default_factory=Counter)
    n_mentions: int = 0
    n_articles: int = 0
    last_article: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None


class EntityIndex(SpillToDisk):
    """Per entity key: mentions, articles, first and last seen, and how often each label
    and canonical name was used. A dict of _Stats up to `spill_after` distinct keys
    (SPILL_AFTER), then the same figures in a private temporary SQLite database (deleted
    when closed; SQLite's page cache is bounded), updated once per article. Once spilled,
    what the end of a build still holds in memory is the merged keys (`resolve`'s remap:
    one entry per variant spelling or lone surname it rewrites; `remap_table` needs them
    per batch) and one batch of rows at a time; the variant groups, the surnames and the
    merged rows are tables of the database."""

    DDL = _DDL

    def __init__(self, gazetteer: Any = None, variants: tuple[tuple[str, ...], ...] = (), spill_after: int | None = None) -> None:
        super().__init__(SPILL_AFTER if spill_after is None else spill_after)
        self.stats: dict[str, _Stats] = {}
        self.gazetteer = gazetteer if gazetteer is not None else builtin_gazetteer()
        self.variants = {fold(v): fold(group[0]) for group in variants for v in group}

    def add(self, article: dict[str, Any], mentions: list[dict[str, Any]]) -> None:
        if self.db is not None:
            self._add_db(article, mentions)
            return
        published = article.get("published")
        for m in mentions:
            if m["entity_key"] is None:  # a date or a number: a mention, not an entity of the index
                continue
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
        self.spill_if_full(len(self.stats))


    def move_to(self, db: ScratchDB) -> None:
        keys = sorted(self.stats)  # in key order: the B-trees fill from left to right
        db.executemany("INSERT INTO stats VALUES (?, ?, ?, ?, ?, ?)",
                       ((k, st.n_mentions, st.n_articles, st.last_article, st.first_seen, st.last_seen)
                        for k in keys for st in (self.stats[k],)))
        for kind, attr in ((_LABEL, "labels"), (_CANONICAL, "canonicals")):
            db.executemany("INSERT INTO vals VALUES (?, ?, ?, ?)",
                           ((kind, k, v, n) for k in keys for v, n in sorted(getattr(self.stats[k], attr).items())))
        self.stats = {}

    def _add_db(self, article: dict[str, Any], mentions: list[dict[str, Any]]) -> None:
        """add() against the database: each run of mentions of one article (a build's
        are all of one article) is counted here first, then written in two executemany."""
        assert self.db is not None
        published = article.get("published") or None
        i = 0
        while i < len(mentions):
            aid = mentions[i]["article_id"]
            per_key: dict[str, int] = {}
            vals: dict[tuple[int, str, str], int] = {}
            while i < len(mentions) and mentions[i]["article_id"] == aid:
                m = mentions[i]
                key = m["entity_key"]
                i += 1
                if key is None:
                    continue
                per_key[key] = per_key.get(key, 0) + 1
                for kv in ((_LABEL, key, m["label"]), (_CANONICAL, key, m["canonical"])):
                    vals[kv] = vals.get(kv, 0) + 1
            self.db.executemany(_UPSERT_STATS, [(key, n, aid, published) for key, n in per_key.items()])
            self.db.executemany(_UPSERT_VALS, [(*kv, n) for kv, n in vals.items()])
        self.db.wrote()

    def _gazetteer_key(self, key: str) -> bool:
        return self.gazetteer is not None and self.gazetteer.index_fields(key) is not None

    def _variant_slug(self, canonical: str) -> str:
        return slug(" ".join(self.variants.get(w, w) for w in fold(canonical).split()))

    def resolve(self) -> dict[str, str]:
        """old key -> merged key, for every key that changes."""
        if self.db is not None:
            return self._resolve_db()
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

    def _top_canonicals(self, prefix: str = "") -> Iterator[tuple[str, str, int]]:
        """(key, its most used canonical name, n_mentions) in key order, from the database,
        one key at a time; only keys starting with `prefix` if given."""
        assert self.db is not None
        where = "v.kind = ?"
        params: tuple[Any, ...] = (_CANONICAL,)
        if prefix:  # a range of the primary key: prefix <= key < prefix with its last character + 1
            where += " AND v.key >= ? AND v.key < ?"
            params += (prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1))
        cur = self.db.execute(f"SELECT v.key, v.value, v.n, s.n_mentions FROM vals v JOIN stats s ON s.key = v.key"
                              f" WHERE {where} ORDER BY v.key", params)
        for key, group in itertools.groupby(cur, key=lambda r: r[0]):
            counts: dict[str, int] = {}
            n_mentions = 0
            for _, value, n, n_mentions in group:  # noqa: B007 - the last row's total is the key's
                counts[value] = n
            yield key, _top(counts), n_mentions

    def _resolve_db(self) -> dict[str, str]:
        """resolve() with the keys grouped in SQL: only the merged keys (`remap`) are held
        in memory; the variant groups and the surnames go to tables of the database."""
        assert self.db is not None
        db = self.db
        remap: dict[str, str] = {}
        # 1. listed transliteration variants share one key: the head of a group has the
        # most mentions, then the first key (SQLite's BINARY order of UTF-8 = Python's)
        if self.variants:
            db.execute("CREATE TABLE variant (cls TEXT NOT NULL, vslug TEXT NOT NULL, neg_n INTEGER NOT NULL, key TEXT NOT NULL)")
            rows = ((key.split(":", 1)[0], self._variant_slug(top), -n, key)
                    for key, top, n in self._top_canonicals() if not self._gazetteer_key(key))
            for chunk in in_chunks(rows, BATCH):
                db.executemany("INSERT INTO variant VALUES (?, ?, ?, ?)", chunk)
            db.execute("CREATE INDEX variant_group ON variant (cls, vslug, neg_n, key)")
            cur = db.execute("SELECT cls, vslug, key FROM variant WHERE (cls, vslug) IN"
                             " (SELECT cls, vslug FROM variant GROUP BY cls, vslug HAVING count(*) > 1)"
                             " ORDER BY cls, vslug, neg_n, key")
            for _, group in itertools.groupby(cur, key=lambda r: r[:2]):
                members = [r[2] for r in group]
                remap.update({k: members[0] for k in members[1:]})
        # 2. a surname alone joins the only full name with that surname
        person = KEY_CLASS["PERSON"] + ":"
        db.execute("CREATE TABLE surname (sslug TEXT NOT NULL, key TEXT NOT NULL, is_full INTEGER NOT NULL)")

        def surnames() -> Iterator[tuple[str, str, int]]:
            for key, top, _ in self._top_canonicals(person):
                if key in remap:
                    continue
                words = fold(top).split()
                if len(words) > 1:
                    yield self._variant_slug(words[-1]), key, 1
                elif len(words) == 1 and not self._gazetteer_key(key):
                    yield self._variant_slug(words[0]), key, 0

        for chunk in in_chunks(surnames(), BATCH):
            db.executemany("INSERT INTO surname VALUES (?, ?, ?)", chunk)
        db.execute("CREATE INDEX surname_full ON surname (is_full, sslug)")
        cur = db.execute("SELECT l.key, min(f.key) FROM surname l JOIN surname f ON f.is_full = 1 AND f.sslug = l.sslug"
                         " WHERE l.is_full = 0 GROUP BY l.key HAVING count(*) = 1")
        remap.update(cur)
        return {k: _follow(remap, k) for k in remap}

    def rows(self, remap: dict[str, str]) -> tuple[Iterable[dict[str, Any]], Mapping[str, str] | KeyNames]:
        """Index rows (sorted by key) and each final key's canonical name (`names`: a dict,
        or once spilled a `KeyNames` that looks them up in the database)."""
        if self.db is not None:
            return self._rows_db(remap)
        # Only keys that others merge into get a combined copy; the rest are used as they
        # are, and the rows are made as the writer takes them (no second copy of the index).
        targets = set(remap.values())
        merged: dict[str, _Stats] = {}
        for key, st in self.stats.items():
            k = remap.get(key, key)
            if k not in targets:
                continue
            m = merged.setdefault(k, _Stats())
            m.labels.update(st.labels)
            m.canonicals.update(st.canonicals)
            m.n_mentions += st.n_mentions
            m.n_articles += st.n_articles  # an article can count twice only if it used two merged keys
            for v in (st.first_seen, st.last_seen):
                if v:
                    m.first_seen = min(m.first_seen or v, v)
                    m.last_seen = max(m.last_seen or v, v)
        final = sorted(k for k in self.stats if k not in remap)

        def row(key: str) -> dict[str, Any]:
            m = merged.get(key) or self.stats[key]
            return self._row(key, m.canonicals, m.labels, m.n_mentions, m.n_articles, m.first_seen, m.last_seen)

        names = {}
        for key in final:
            g = self.gazetteer.index_fields(key) if self.gazetteer is not None else None
            names[key] = g["canonical"] if g else _top((merged.get(key) or self.stats[key]).canonicals)
        return (row(key) for key in final), names

    def _row(self, key: str, canonicals: Mapping[str, int], labels: Mapping[str, int], n_mentions: int, n_articles: int,
             first_seen: str | None, last_seen: str | None) -> dict[str, Any]:
        """One entity_index row, its columns in the schema's order (schemas/entity_index)."""
        g = self.gazetteer.index_fields(key) if self.gazetteer is not None else None
        values = {
            "entity_key": key,
            "canonical": g["canonical"] if g else _top(canonicals),
            "label": g["label"] if g else _top(labels),
            "wikidata": g["wikidata"] if g else None,
            "n_mentions": n_mentions,
            "n_articles": n_articles,
            "first_seen": first_seen,
            "last_seen": last_seen,
        }
        return {c: values[c] for c in COLUMNS}  # a column the schema adds or renames fails here, not in the writer

    def _rows_db(self, remap: dict[str, str]) -> tuple[Iterator[dict[str, Any]], KeyNames]:
        """rows() from the database: the keys merged in SQL (GROUP BY the final key, in key
        order), each final key's row computed as its turn comes and kept in a table `final`,
        from which the rows are then read in order and the names looked up."""
        assert self.db is not None
        db = self.db
        db.execute("CREATE TABLE remap (old TEXT PRIMARY KEY, new TEXT NOT NULL) WITHOUT ROWID")
        db.executemany("INSERT INTO remap VALUES (?, ?)", sorted(remap.items()))
        cols = COLUMNS
        db.execute(f"CREATE TABLE final ({_final_columns()}) WITHOUT ROWID")
        # first_seen and last_seen are set together (one article's date): min/max over the
        # merged keys' own first and last dates is what rows() computes in memory
        stats = db.execute("SELECT coalesce(r.new, s.key) AS fk, sum(s.n_mentions), sum(s.n_articles), min(s.first_seen),"
                           " max(s.last_seen) FROM stats s LEFT JOIN remap r ON r.old = s.key GROUP BY fk ORDER BY fk")

        def counts(kind: int) -> Iterator[tuple[str, dict[str, int]]]:
            cur = db.execute("SELECT coalesce(r.new, v.key) AS fk, v.value, sum(v.n) FROM vals v LEFT JOIN remap r ON r.old = v.key"
                             " WHERE v.kind = ? GROUP BY fk, v.value ORDER BY fk", (kind,))
            for key, group in itertools.groupby(cur, key=lambda r: r[0]):
                yield key, {value: n for _, value, n in group}

        def final() -> Iterator[tuple[Any, ...]]:
            for st, (k1, canonicals), (k2, labels) in zip(stats, counts(_CANONICAL), counts(_LABEL), strict=True):
                if not st[0] == k1 == k2:
                    raise RuntimeError(f"entity index: keys out of step ({st[0]!r}, {k1!r}, {k2!r})")
                row = self._row(st[0], canonicals, labels, *st[1:])
                yield tuple(row[c] for c in cols)

        for chunk in in_chunks(final(), BATCH):
            db.executemany(f"INSERT INTO final VALUES ({', '.join('?' * len(cols))})", chunk)
        db.commit()

        def read() -> Iterator[dict[str, Any]]:
            for r in db.execute(f"SELECT {', '.join(cols)} FROM final ORDER BY entity_key"):
                yield dict(zip(cols, r, strict=True))

        return read(), KeyNames(db)


class KeyNames:
    """Each final key's canonical name, looked up in the spilled index's `final` table."""

    def __init__(self, db: ScratchDB) -> None:
        self.db = db

    def lookup_many(self, keys: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            out.update(self.db.execute(f"SELECT entity_key, canonical FROM final WHERE entity_key IN ({', '.join('?' * len(part))})", part))
        return out




def in_chunks(items: Iterable[Any], n: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def _top(c: Counter[str]) -> str:
    """Most frequent value; ties go to the longer, then the alphabetically first."""
    return min(c.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0]


def _follow(remap: dict[str, str], key: str) -> str:
    seen = set()
    while key in remap and key not in seen:
        seen.add(key)
        key = remap[key]
    return key






