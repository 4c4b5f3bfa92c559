"""Sentence boundaries: paragraphs and headings first, then the pipeline's splitter,
then rules that fix its classic mistakes.

The rules work on characters, for any language in Latin script:
- no boundary inside a run of non-space characters (URLs, emails, "____", "3.5");
- no boundary after a title or abbreviation that never ends a sentence ("Dr.", "Sept.",
  "No."), after an initial ("J. R. R. Tolkien"), or after "U.S."/"Inc." unless a
  common sentence opener follows;
- no boundary before a lowercase word after "?", "!", an ellipsis, a comma or a colon
  ('"Is it?" she asked.'), nor inside open brackets, nor right after a list number;
- a boundary after ".", "?", "!" or an ellipsis (and closing quotes or brackets) when a
  capitalized word follows and none of the rules above objects.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.normalize.text import Article

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


@cache
def _rules() -> dict[str, Any]:
    data = tomllib.loads(resources.files("presspack").joinpath("data/sentence_rules.toml").read_text(encoding="utf-8"))
    out: dict[str, Any] = {key: frozenset(data[key]) for key in ("never_end", "maybe_end", "before_number")}
    words = "|".join(re.escape(w).replace("\\ ", r"\s+") for w in sorted(data["salutations"], key=len, reverse=True))
    # a closing or greeting (or "Dear Name,") opening its paragraph or after a sentence end
    out["salutation"] = re.compile(r"(?:^|(?<=[.!?]\s))(?:(?:" + words + r")|dear\s+\w+(?:\s\w+)?),(\s+)(?=[A-Z])", re.IGNORECASE | re.MULTILINE)
    return out


@cache
def _openers(lang: str) -> frozenset[str]:
    """Words that commonly open a sentence: the language's stop words."""
    try:
        from spacy.util import get_lang_class

        return frozenset(w.lower() for w in get_lang_class(lang).Defaults.stop_words)
    except Exception:  # noqa: BLE001 - unknown language: no openers
        return frozenset()


_LAST_WORD = re.compile(r"(\S+)\.[\"”’'»)\]]*$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_ENUMERATOR = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxIVX]{1,4}[.)]|[-*•–])$")
_SOFT_END = re.compile(r"(?:[?!]+[\"”’'»]+|(?:\.\.+|…)[\"”’'»)\]]*|[,;:(\[–—-])$")
_STRONG = re.compile(r"(?:[.!?]+|…)[\"”’'»)\]]*(\s+)(?=[\"“‘'«(\[]?[^\W\d_])")
_EMOTICON = re.compile(r"[:;=8xX][-'^o]?[()\[\]DPpOo3/\\|*@$]+(?=\s|$)")
# the end of an email or forum header: a full date-and-time stamp or an <address>
_STAMP = re.compile(r"(?:\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M|<[^<>\s]+@[^<>\s]+>)(\s+)(?=[A-Z])")
# separators and link lists: "***", "=====", one URL after another
_RUN_OR_LINK = re.compile(
    r"(?:(?<!\S)([*=_#~-])\1{2,}(\s+)(?=[\"“A-Z])|(?:https?://|www\.)\S+(\s+)(?=https?://|www\.)|(?<!\S)[\w.+-]+@[\w-]+\.[\w.-]+(\s+)(?=[A-Z]))"
)
_BEFORE_STAMP = re.compile(r"(?<![\w@.])[A-Z][^\W\d_]*(\s+)(?=\d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M)")
_FIRST_WORD = re.compile(r"[\"“‘'«(\[]*([^\s\"“‘'«(\[]*)")


def sentence_rows(doc: Any, article: Article) -> list[dict[str, Any]]:
    """Sentence rows with code-point offsets into article.text (whitespace trimmed)."""
    text = article.text
    starts: set[int] = set()
    for sent in doc.sents:
        # never cross a paragraph break, never start or end on whitespace
        for a, _ in _split_on_breaks(text, sent.start_char, sent.end_char):
            starts.add(a)
    openers = _openers(getattr(doc, "lang_", "") or "en")
    paras = article.paragraphs or [(0, len(text), False)]
    spans: list[tuple[int, int]] = []
    ordered = sorted(starts)
    for ps, pe, heading in paras:
        inner = [x for x in ordered[bisect.bisect_left(ordered, ps) : bisect.bisect_left(ordered, pe)]]
        cuts = [ps] if heading else refine(text, ps, pe, inner, openers)
        for a, b in zip(cuts, [*cuts[1:], pe], strict=True):
            for piece in _split_on_breaks(text, a, b):
                spans.append(piece)
    return _rows(article, spans)


def refine(text: str, ps: int, pe: int, starts: list[int], openers: frozenset[str]) -> list[int]:
    """Sentence starts within one paragraph [ps, pe): the splitter's `starts`, minus the
    ones the rules veto, plus the clear boundaries it missed."""
    cand = {s for s in starts if ps < s < pe}
    for m in _STRONG.finditer(text, ps, pe):
        cand.add(m.end(1))
    for m in _STAMP.finditer(text, ps, pe):
        cand.add(m.end(1))
    for m in _BEFORE_STAMP.finditer(text, ps, pe):
        cand.add(m.end(1))
    for m in _RUN_OR_LINK.finditer(text, ps, pe):
        cand.add(max(m.end(g) for g in (2, 3, 4)))
    for m in _rules()["salutation"].finditer(text, ps, pe):
        cand.add(m.end(1))
    out = [ps]
    for s in sorted(cand):
        if not _vetoed(text, out[-1], s, openers, strong=s not in starts):
            out.append(s)
    return out


def _vetoed(text: str, prev_start: int, s: int, openers: frozenset[str], *, strong: bool) -> bool:
    if not text[s - 1].isspace():
        return True  # inside a token: URL, email, number, "____"
    before = text[prev_start:s].rstrip()
    if not before:
        return True
    first = _FIRST_WORD.match(text, s)
    word = first.group(1) if first else ""
    opener = word.lower() in openers
    lower_next = word[:1].islower() and not word.startswith(("http://", "https://", "www."))
    if _ENUMERATOR.match(before):
        return True
    m = _LAST_WORD.search(before)
    if m:
        last = m.group(1).lower().lstrip("\"“‘'«([")
        rules = _rules()
        closed = m.end(1) + 1 < len(before)  # a quote or bracket follows the period
        if last in rules["never_end"] and not closed:
            return True
        if last in rules["before_number"] and word[:1].isdigit():
            return True
        if _INITIAL.search(before[: m.end(1) + 1]) and not opener:
            return True
        if (last in rules["maybe_end"] or re.fullmatch(r"(?:[a-z]\.)+[a-z]", last)) and not opener:
            return True
    if lower_next and (_SOFT_END.search(before) or before[-1] not in ".!?…\"”’'»"):
        return True
    if re.fullmatch(r"[A-Z]\.", word) and before[-1].isalpha():
        return True  # "Michael J. Fox": an initial continues a name
    if _EMOTICON.match(text, s):
        return True
    if before.count("(") > before.count(")") and ")" in text[s : s + 400].split("\n", 1)[0]:
        return True
    if strong and (lower_next or not word):
        return True
    return False


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
