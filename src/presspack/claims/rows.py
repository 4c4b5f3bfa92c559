"""Claim rows: a row's columns (from the schema), its kind, and the last pass over an
article's rows."""

from __future__ import annotations

import bisect
from functools import cache
from typing import Any

from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN
from presspack.claims.speakers import SpeakerResolver
from presspack.claims.syntax import token_span, trim
from presspack.nlp.sentences import sentence_at
from presspack.normalize.text import Article
from presspack.package import schemas


@cache
def claim_columns() -> tuple[str, ...]:
    """The claims table's columns, from schemas/claims.schema.json: the keys of every row."""
    return tuple(schemas.column_names("claims"))


def claim_row(article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver, speaker: list[Any] | None,
              cue: tuple[int, int] | None, content: tuple[int, int], kind: str | None = None) -> dict[str, Any]:
    """A claims row: every column of the schema, None unless given here (`claim_id` is
    set by finish_rows); the speaker resolved to an entity; `kind` from the content's
    quote marks unless given."""
    text = article.text
    cs, ce = content
    sent = sentence_at(sentences, cue[0] if cue else cs)
    row: dict[str, Any] = dict.fromkeys(claim_columns())
    row.update(article_id=article.article_id, sentence_id=sent["sentence_id"] if sent else None,
               content_text=text[cs:ce], content_start=cs, content_end=ce, kind=kind or claim_kind(text, cs, ce))
    if speaker:
        ss, se = trim(text, *token_span(speaker))
        if ss < se:
            row.update(speaker_text=text[ss:se], speaker_start=ss, speaker_end=se)
            key, name = resolver.resolve(speaker, ss, se)
            row.update(speaker_key=key, speaker_name=name)
    if cue:
        row.update(cue_text=text[cue[0]:cue[1]], cue_start=cue[0], cue_end=cue[1])
    return row


def claim_kind(text: str, s: int, e: int) -> str:
    """direct (a quote), indirect (no quote marks), partial (a quote inside reported words)
    or mixed (quotes with a few words outside them)."""
    span = text[s:e]
    n_q = sum(span.count(q) for q in "“”\"«»")
    if n_q == 0:
        before = text[max(0, s - 2):s]
        after = text[e:e + 2]
        if any(q in before for q in QUOTE_OPEN + "”") and any(q in after for q in QUOTE_CLOSE + ",."):
            return "direct"
        return "indirect"
    stripped = span.strip(" " + QUOTE_OPEN + QUOTE_CLOSE + ".,")
    if span[:1] in QUOTE_OPEN and span.rstrip(".,")[-1:] in QUOTE_CLOSE and not any(q in stripped for q in "“”\""):
        return "direct"
    outside = []
    depth = False
    for c in span:
        if c in "“”\"«»":
            depth = not depth
            continue
        if not depth:
            outside.append(c)
    words_out = len("".join(outside).split())
    return "partial" if words_out >= 3 else "mixed"


def finish_rows(article: Article, found: list[dict[str, Any]], quotes: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The last pass over an article's rows: drop reports nested in a quote or in another
    claim's content, and duplicates; give each row its claim_id, in content order."""
    # a cue inside someone's direct quote ("“I think ...”") is part of what they said
    # (the quote itself, not the run of quotes around a cue: that cue is in the gap)
    direct = [(r["content_start"], r["content_end"]) for r in found if r["kind"] == "direct"]
    quoted = [(qs, qe) for qs, qe in quotes if any(s < qe and qs < e for s, e in direct)]

    def nested(r: dict[str, Any]) -> bool:
        c = r["cue_start"]
        return c is not None and any(qs <= c < qe and not (r["content_start"] <= qs and qe <= r["content_end"]) for qs, qe in quoted)

    found = [r for r in found if not nested(r)]
    # a report inside another claim's content ("X said Y believes Z") is part of that
    # content, not a claim of its own (unless each sits inside the other)
    def inside(r: dict[str, Any], q: dict[str, Any]) -> bool:
        return r["cue_start"] is not None and q["content_start"] <= r["cue_start"] < q["content_end"]

    # (a quote that goes on with the same cue is a continuation, not a report inside it)
    by_start = sorted(found, key=lambda q: q["content_start"])
    starts = [q["content_start"] for q in by_start]

    def reported_inside(r: dict[str, Any]) -> bool:  # only claims whose content starts at or before r's cue can hold it
        if r["cue_start"] is None:
            return False
        around = by_start[:bisect.bisect_right(starts, r["cue_start"])]
        return any(q is not r and inside(r, q) and not inside(q, r) and r["cue_start"] != q["cue_start"] for q in around)

    found = [r for r in found if not reported_inside(r)]
    rows: dict[str, dict[str, Any]] = {}
    for r in sorted(found, key=lambda r: (r["content_start"], r["content_end"], r["cue_start"] or -1)):
        cid = f"{article.article_id}-c{r['content_start']}-{r['content_end']}"
        if cid in rows:
            continue
        r["claim_id"] = cid
        rows[cid] = r
    return list(rows.values())
