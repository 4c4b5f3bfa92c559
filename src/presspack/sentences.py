"""Sentence boundaries: paragraphs and headings first, then the pipeline's splitter."""

from __future__ import annotations

import bisect
from typing import Any

from presspack.normalize import Article

_REGISTERED = False


def register() -> None:
    """Register the boundary component with spaCy (idempotent)."""
    global _REGISTERED  # noqa: PLW0603
    if _REGISTERED:
        return
    from spacy.language import Language

    Language.component("presspack_boundaries", func=set_boundaries)
    _REGISTERED = True


def set_boundaries(doc: Any) -> Any:
    """Pre-set sentence starts: every paragraph starts a sentence; a heading is one
    sentence. The parser (or senter) then splits inside paragraphs."""
    paras = doc.user_data.get("presspack_paragraphs")
    if paras is None:
        paras = _paragraphs_from_text(doc.text)
    starts = [p[0] for p in paras]
    for i, tok in enumerate(doc):
        if i == 0:
            continue
        k = bisect.bisect_right(starts, tok.idx) - 1
        if tok.is_space and "\n" in tok.text:
            tok.is_sent_start = False
            continue
        if k >= 0 and tok.idx == paras[k][0]:
            tok.is_sent_start = True
        elif k >= 0 and paras[k][2] and tok.idx < paras[k][1]:
            tok.is_sent_start = False
        elif doc[i - 1].is_space and "\n" in doc[i - 1].text:
            tok.is_sent_start = True
    return doc


def _paragraphs_from_text(text: str) -> list[tuple[int, int, bool]]:
    out, pos = [], 0
    for p in text.split("\n\n"):
        out.append((pos, pos + len(p), False))
        pos += len(p) + 2
    return out


def sentence_rows(doc: Any, article: Article) -> list[dict[str, Any]]:
    """Sentence rows with code-point offsets into article.text (whitespace trimmed)."""
    text = article.text
    spans: list[tuple[int, int]] = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        # never cross a paragraph break, never start or end on whitespace
        for piece in _split_on_breaks(text, s, e):
            spans.append(piece)
    return _rows(article, spans)


def paragraph_rows(article: Article) -> list[dict[str, Any]]:
    return _rows(article, [(s, e) for s, e, _ in article.paragraphs])


def _split_on_breaks(text: str, s: int, e: int) -> list[tuple[int, int]]:
    out = []
    chunk = text[s:e]
    pos = 0
    for part in chunk.split("\n"):
        a = s + pos
        b = a + len(part)
        pos += len(part) + 1
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


def _rows(article: Article, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    starts = [p[0] for p in article.paragraphs]
    rows = []
    for pos, (s, e) in enumerate(sorted(spans)):
        k = max(bisect.bisect_right(starts, s) - 1, 0)
        rows.append(
            {
                "sentence_id": f"{article.article_id}-s{pos}",
                "article_id": article.article_id,
                "paragraph": k,
                "position": pos,
                "start": s,
                "end": e,
                "text": article.text[s:e],
                "is_heading": bool(article.paragraphs[k][2]) if article.paragraphs else False,
            }
        )
    return rows


def sentence_at(rows: list[dict[str, Any]], offset: int) -> dict[str, Any] | None:
    """The sentence row containing `offset` (or the last one starting before it)."""
    starts = [r["start"] for r in rows]
    k = bisect.bisect_right(starts, offset) - 1
    return rows[k] if k >= 0 else (rows[0] if rows else None)
