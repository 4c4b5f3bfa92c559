"""The data of the explorer's quotation page (`/quotation/{quotation_id}`): one row of the
quotations table with its mentions (the claims that quote it) by publication date and
outlet, the outlets it spread to, and each variant mention's words with the word-level
difference to the canonical text marked: `<ins>` for words the mention adds or changes,
`<del>` for canonical words it drops or changes (docs/quotations.md, "Variants"); the
short quotations that are fragments of it (quotations.fragment_of), and for a fragment
the quotation it is part of.

The marks are computed again from the mention's quoted words and the canonical text
with the function that wrote `claims.quotation_variant` (quotations.words.diff_ops), so
the page and the column agree; a mention whose quotation_variant is null is shown as
written. Plain functions of a sqlite3 connection, like presspack.explore.pages.
"""

from __future__ import annotations

import sqlite3
from html import escape
from typing import Any

from markupsafe import Markup

from presspack.explore.pages import first_offset, rows, table_columns
from presspack.quotations import words as W

MENTION_LIMIT = 500  # mentions listed on a quotation's page
FRAGMENT_LIMIT = 200  # fragments listed on a quotation's page
FRAGMENT_OF = "fragment_of"
MARK_WORDS = 5_000  # a mention or canonical text longer than this is shown without marks (difflib is quadratic)
SOURCE_LIMIT = 100


def _written(text: str) -> tuple[list[tuple[int, int]], list[str]] | None:
    """The word spans of `text` and their normalized words; None when they do not match
    `normalize` word for word (a letter whose case folding splits it)."""
    spans = W.word_spans(text)
    words = [text[s:e].casefold() for s, e in spans]
    return (spans, words) if words == W.normalize([text]) else None


def marked_mention(content: str, kind: str, canonical: str) -> Markup:
    """The quoted words of a claim (`content`, `kind`) as written, pieces joined by
    PIECE_GAP, with the words that differ from `canonical` (the quotation's text) in
    <ins class="pp-added|pp-changed"> and the canonical words it leaves out or changes
    in <del class="pp-dropped|pp-changed">. Unmarked when nothing differs inside the
    quoted part, or when either text has more than MARK_WORDS words."""
    display = W.PIECE_GAP.join(p.strip() for p in W.quoted_pieces(content, kind)) or content
    mine, theirs = _written(display), _written(canonical)
    if mine is None or theirs is None or max(len(mine[1]), len(theirs[1])) > MARK_WORDS:
        return Markup(escape(display, quote=False))
    (spans, words), (cspans, cwords) = mine, theirs
    ops = W.diff_ops(words, cwords)
    if ops is None:
        return Markup(escape(display, quote=False))
    out: list[str] = []
    pos = 0
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        at = spans[j1][0] if j1 < len(spans) else len(display)
        out.append(escape(display[pos:at], quote=False))
        pos = at
        kind_class = "pp-changed" if tag == "replace" else ("pp-dropped" if tag == "delete" else "pp-added")
        if tag in ("delete", "replace"):
            dropped = canonical[cspans[i1][0]:cspans[i2 - 1][1]]
            out.append(f'<del class="{kind_class}">{escape(dropped, quote=False)}</del>' + (" " if tag == "delete" else ""))
        if tag in ("insert", "replace"):
            end = spans[j2 - 1][1]
            out.append(f'<ins class="{kind_class}">{escape(display[at:end], quote=False)}</ins>')
            pos = end
    out.append(escape(display[pos:], quote=False))
    return Markup("".join(out))


def quotation(conn: sqlite3.Connection, qid: str, limit: int = MENTION_LIMIT) -> dict[str, Any] | None:
    """One quotation: its row, its mentions by publication date then outlet (each with
    its article and its words marked), the outlets by number of mentions and the
    number of mentions per month; None when there is no such quotation (or no
    quotations table)."""
    if not table_columns(conn, "quotations"):
        return None
    found = rows(conn, "select * from quotations where quotation_id = ?", [qid])
    if not found:
        return None
    q = found[0]
    mentions = rows(conn, f"""select c.*, a.title as article_title, a.published as article_published, a.source as article_source
from claims c join articles a on a.article_id = c.article_id where c.quotation_id = ?
order by a.published is null, a.published, a.source, c.article_id, {first_offset('c')}, c.claim_id
limit ?""", [qid, limit])
    for m in mentions:
        m["marked"] = (marked_mention(m["content_text"], m["kind"], q["text"]) if m["quotation_variant"]
                       else Markup(escape(W.PIECE_GAP.join(p.strip() for p in W.quoted_pieces(m["content_text"], m["kind"])), quote=False)))
    sources = rows(conn, """select a.source, count(*) as mentions, count(distinct c.article_id) as articles,
  min(a.published) as first_published
from claims c join articles a on a.article_id = c.article_id where c.quotation_id = ?
group by a.source order by mentions desc, first_published, a.source limit ?""", [qid, SOURCE_LIMIT])
    total = conn.execute("select count(*) from claims where quotation_id = ?", [qid]).fetchone()[0]
    return {"quotation": q, "mentions": mentions, "total": total, "sources": sources, **fragments(conn, q)}


def fragments(conn: sqlite3.Connection, q: dict[str, Any], limit: int = FRAGMENT_LIMIT) -> dict[str, Any]:
    """The short quotations that are fragments of quotation `q` (most mentions first), their
    number, and the quotation `q` is a fragment of (None when it is none, or the export
    predates quotations.fragment_of)."""
    if FRAGMENT_OF not in q:
        return {"fragments": [], "n_fragments": 0, "part_of": None}
    found = rows(conn, f"""select quotation_id, text, n_mentions, n_articles, speaker_key, speaker_name, first_source, first_published
from quotations where {FRAGMENT_OF} = ? order by n_mentions desc, first_published is null, first_published, quotation_id limit ?""",
                 [q["quotation_id"], limit])
    n = conn.execute(f"select count(*) from quotations where {FRAGMENT_OF} = ?", [q["quotation_id"]]).fetchone()[0]
    part_of = rows(conn, "select quotation_id, text, n_mentions, n_articles from quotations where quotation_id = ?",
                   [q[FRAGMENT_OF]]) if q[FRAGMENT_OF] else []
    return {"fragments": found, "n_fragments": n, "part_of": part_of[0] if part_of else None}
