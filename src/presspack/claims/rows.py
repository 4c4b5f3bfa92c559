"""Claim rows: a row's columns (from the schema), built once from an assembled claim, and
a content's kind."""

from __future__ import annotations

from functools import cache
from typing import Any

from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN
from presspack.claims.resolve import Speaker
from presspack.nlp.sentences import sentence_at
from presspack.normalize.text import Article
from presspack.package import schemas


@cache
def claim_columns() -> tuple[str, ...]:
    """The claims table's columns, from schemas/claims.schema.json: the keys of every row."""
    return tuple(schemas.column_names("claims"))


def build_row(article: Article, sentences: list[dict[str, Any]], content: tuple[int, int], kind: str, method: str,
              cue: tuple[int, int] | None, source: tuple[int, int] | None, speaker: Speaker) -> dict[str, Any]:
    """One claims row, built once: every column of the schema (the keys of
    claim_columns()), each span's text cut from the article's text."""
    text = article.text
    cs, ce = content
    sent = sentence_at(sentences, cue[0] if cue else cs)
    row: dict[str, Any] = dict.fromkeys(claim_columns())
    row.update(claim_id=f"{article.article_id}-c{cs}-{ce}", article_id=article.article_id,
               sentence_id=sent["sentence_id"] if sent else None, content_text=text[cs:ce], content_start=cs,
               content_end=ce, kind=kind, method=method, speaker_key=speaker.key, speaker_name=speaker.name,
               speaker_type=speaker.type, speaker_role=speaker.role)
    if source is not None:
        row.update(speaker_text=text[source[0]:source[1]], speaker_start=source[0], speaker_end=source[1])
    if cue is not None:
        row.update(cue_text=text[cue[0]:cue[1]], cue_start=cue[0], cue_end=cue[1])
    return row


def claim_kind(text: str, s: int, e: int) -> str:
    """direct (a quote), indirect (no quote marks), partial (a quote inside reported words)
    or mixed (quotes with a few words outside them)."""
    span = _as_one_mark(text[s:e])
    n_q = sum(span.count(q) for q in "“”\"«»")
    if n_q == 0:
        before = _as_one_mark(text[max(0, s - 2):s])
        after = _as_one_mark(text[e:e + 2])
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


def _as_one_mark(span: str) -> str:
    """The span with the two-character quote marks of ASCII text ('' and ``) as one \"."""
    return span.replace("''", '"').replace("``", '"')
