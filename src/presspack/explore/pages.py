"""The data of the explorer's own pages, from the SQLite export: the front page (search
over claims, sentences and article titles; the top speakers; the tables) and a speaker's
page (the claims of one resolved speaker over time, with their articles).

Plain functions of a sqlite3 connection, so that the plugin runs them in Datasette's
database thread (`execute_fn`) and tests call them directly. Searches use the FTS5
indexes of the export (presspack.explore.sqlite.FTS_COLUMNS); a query is first read as
FTS5 syntax (`"exact phrase"`, `OR`, `prefix*`) and, when that is not valid FTS5 (a
stray apostrophe or bracket), as plain words that must all occur.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from html import escape
from typing import Any

from markupsafe import Markup

from presspack.explore.article import SPEAKER, claim_parts
from presspack.explore.sqlite import FTS_COLUMNS
from presspack.explore.tables import MONTH
from presspack.package.schemas import column_names

SEARCH_LIMIT = 20  # hits shown per table on the front page
SEARCH_ORDER = ("claims", "sentences", "articles")  # the order of the front page's results
TOP_SPEAKERS = 15
SPEAKER_LIMIT = 500  # claims and articles listed on a speaker's page
SPEAKER_KEY, SPEAKER_NAME = f"{SPEAKER}_key", f"{SPEAKER}_name"
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"  # FTS5 highlight() markers, escaped then turned into <mark>


def first_offset(alias: str = "") -> str:
    """SQL: a claim's first offset in its article, over the claim parts of the schema."""
    a = f"{alias}." if alias else ""
    return "min(" + ", ".join(f"coalesce({a}{start}, {a}content_start)" for _, start, _ in claim_parts()) + ")"


def top_speakers_sql(limit: int) -> str:
    """Resolved speakers by number of claims, with their articles and first and last month."""
    return f"""select speaker_key, max(speaker_name) as speaker_name, count(*) as claims,
  count(distinct article_id) as articles, min(month) as first_month, max(month) as last_month
from claims
where speaker_key is not null
group by speaker_key
order by claims desc, speaker_name
limit {int(limit)}"""


def rows(conn: sqlite3.Connection, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, list(params))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur]


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """The columns of a table of the database ([] when there is no such table)."""
    return [r[1] for r in conn.execute("select * from pragma_table_info(?)", [table])]


def highlighted(text: str | None) -> Markup:
    """Text from FTS5 highlight(): escaped, the matched words in <mark>."""
    safe = escape(text or "", quote=False)
    return Markup(safe.replace(HIT_OPEN, "<mark>").replace(HIT_CLOSE, "</mark>"))


def words_query(q: str) -> str:
    """Every whitespace-separated word of q as an FTS5 string: all must occur."""
    return " ".join('"' + w.replace('"', '""') + '"' for w in q.split())


def _search_sql(conn: sqlite3.Connection, table: str) -> tuple[str, str]:
    """(the SQL of a table's best hits, the indexed column)."""
    fts = f"{table}_fts"
    first = FTS_COLUMNS[table][0]
    joined = table != "articles" and "article_id" in table_columns(conn, table)
    extra = ", a.title as article_title, a.published as article_published" if joined else ""
    join = " left join articles a on a.article_id = t.article_id" if joined else ""
    return (f"select t.*, highlight({fts}, 0, char(2), char(3)) as hit{extra} "
            f"from {fts} join {table} t on t.rowid = {fts}.rowid{join} "
            f"where {fts} match ? order by {fts}.rank, t.rowid limit ?"), first


def _search_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables with a full-text index in the database: claims, sentences, then titles."""
    order = [t for t in SEARCH_ORDER if t in FTS_COLUMNS] + [t for t in FTS_COLUMNS if t not in SEARCH_ORDER]
    return [t for t in order if table_columns(conn, f"{t}_fts")]


def search(conn: sqlite3.Connection, q: str, limit: int = SEARCH_LIMIT) -> dict[str, Any]:
    """{"query", "mode": "raw" (read as FTS5) | "words", "results": [{"table", "column",
    "total", "rows"}]}: the best `limit` hits of each indexed table, by FTS5 rank."""
    q = q.strip()
    out: dict[str, Any] = {"query": q, "mode": "raw", "results": []}
    if not q:
        return out
    for mode, match in (("raw", q), ("words", words_query(q))):
        try:
            results = []
            for table in _search_tables(conn):
                sql, column = _search_sql(conn, table)
                total = conn.execute(f"select count(*) from {table}_fts where {table}_fts match ?", [match]).fetchone()[0]
                hits = rows(conn, sql, [match, limit])
                for h in hits:
                    h["hit"] = highlighted(h["hit"])
                results.append({"table": table, "column": column, "total": total, "rows": hits})
        except sqlite3.OperationalError:  # not FTS5 syntax: try again with plain words
            continue
        return {**out, "mode": mode, "results": results}
    return {**out, "mode": "words", "error": "the search could not be read, even as plain words"}


def table_counts(conn: sqlite3.Connection, tables: Sequence[str]) -> dict[str, int]:
    return {t: conn.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables if table_columns(conn, t)}


def speaker_fact_columns(conn: sqlite3.Connection | None = None) -> list[str]:
    """Columns that describe a resolved speaker (e.g. speaker_type, speaker_role): the
    claims schema's speaker columns other than the mention, its offsets, key and name;
    with a connection, only those the exported table has."""
    mention = next((cols for cols in claim_parts() if cols[0] == SPEAKER), (SPEAKER, "", ""))
    skip = {f"{SPEAKER}_text", mention[1], mention[2], SPEAKER_KEY, SPEAKER_NAME}
    names = [c for c in column_names("claims") if c.startswith(f"{SPEAKER}_") and c not in skip]
    return [c for c in names if c in table_columns(conn, "claims")] if conn is not None else names


def _counted(conn: sqlite3.Connection, column: str, key: str, limit: int = 10) -> list[dict[str, Any]]:
    """The values of a claims column for one speaker, most frequent first."""
    return rows(conn, f'select "{column}" as value, count(*) as n from claims where speaker_key = ? and "{column}" is not null '
                      f"group by 1 order by n desc, value limit ?", [key, limit])


def every_month(counts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """[{"month": "YYYY-MM" | None, "n"}] with the months between the first and the last
    that have no claim added (n = 0), so that the list reads as a time line."""
    known = {c["month"]: c["n"] for c in counts if c["month"]}
    out: list[dict[str, Any]] = []
    if known:
        year, month = map(int, min(known).split("-"))
        last = max(known)
        while (m := f"{year:04d}-{month:02d}") <= last:
            out.append({"month": m, "n": known.get(m, 0)})
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out + [c for c in counts if not c["month"]]


def speaker(conn: sqlite3.Connection, key: str, limit: int = SPEAKER_LIMIT) -> dict[str, Any] | None:
    """One resolved speaker: names, forms as written, the facts the schema gives
    (speaker_type, speaker_role, ... when present), claims per month, the claims by
    publication date with their articles, the articles; None when no claim has the key."""
    total = conn.execute("select count(*) from claims where speaker_key = ?", [key]).fetchone()[0]
    if not total:
        return None
    names = _counted(conn, SPEAKER_NAME, key)
    facts = {c: found for c in speaker_fact_columns(conn) if (found := _counted(conn, c, key))}
    entity = rows(conn, "select * from entity_index where entity_key = ?", [key]) if table_columns(conn, "entity_index") else []
    claims = rows(conn, f"""select c.*, a.title as article_title, a.published as article_published, a.source as article_source
from claims c join articles a on a.article_id = c.article_id where c.speaker_key = ?
order by a.published is null, a.published, c.article_id, {first_offset('c')}, c.claim_id
limit ?""", [key, limit])
    articles = rows(conn, """select a.article_id, a.title, a.published, a.source, count(*) as claims
from claims c join articles a on a.article_id = c.article_id where c.speaker_key = ?
group by a.article_id order by a.published is null, a.published, a.article_id limit ?""", [key, limit])
    n_articles = conn.execute("select count(distinct article_id) from claims where speaker_key = ?", [key]).fetchone()[0]
    months = every_month(rows(conn, f"select {MONTH} as month, count(*) as n from claims where speaker_key = ? "
                                    f"group by 1 order by month is null, month", [key]))
    return {"key": key, "name": names[0]["value"] if names else key, "names": names, "facts": facts,
            "written": _counted(conn, f"{SPEAKER}_text", key), "entity": entity[0] if entity else None,
            "total": total, "n_articles": n_articles, "claims": claims, "articles": articles, "months": months,
            "max_month": max((m["n"] for m in months), default=0)}
