"""Sentence boundaries: paragraphs and headings first, then the pipeline's splitter
(which may not split right after a comma or a word with a lowercase letter), then rules
that fix its classic mistakes.

The rules work on characters, for any language in Latin script:
- no boundary inside a run of non-space characters (URLs, emails, "____", "3.5");
- no boundary after a title or abbreviation that never ends a sentence ("Dr.", "Sept.",
  "No."), after an initial ("J. R. R. Tolkien"), or after "U.S."/"Inc." unless a
  common sentence opener follows, or a title ("Mr.") after a clause with a verb (the
  tagger's: "He left at 6 p.m. Mr. Smith stayed." but "At 5 a.m. Mr. Smith left.");
- no boundary before a lowercase word after a quoted sentence ('"Is it?" she asked.',
  '"It is." she said.'), after an ellipsis (also ". . ."), a comma or a colon,
  nor after a capitalized name with "!" inside a sentence ("Yahoo! and AOL");
- no boundary inside open brackets, nor right after a list number ("2.)", "• 10."),
  nor before a bracketed omission ("[...]") or a parenthesis that the sentence's
  punctuation follows ('"..." (Smith 55).') unless a sentence ended before it;
- no sentence of an omission mark alone, and no boundary between its dots:
  "compounds. . . . The practice" splits after "compounds." (the omission opens the next
  sentence);
- a boundary before each item of an inline list that opens a paragraph and counts on
  ("1.) one 2.) two", "a. one b. two", "• 9. one • 10. two");
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
    sentence. The parser (or senter) then splits inside paragraphs (set in one array:
    token by token, spaCy's setter costs about as much as the rest of this component)."""
    import numpy
    from spacy.attrs import SENT_START

    paras = doc.user_data.get("presspack_paragraphs")
    if paras is None:
        paras = _paragraphs_from_text(doc.text)
    starts = [p[0] for p in paras]
    values = [0] * len(doc)  # 1: starts a sentence, -1: does not, 0: the parser decides
    for i, tok in enumerate(doc):
        if i == 0:
            continue
        k = bisect.bisect_right(starts, tok.idx) - 1
        if tok.is_space and "\n" in tok.text:
            values[i] = -1
            continue
        if k >= 0 and tok.idx == paras[k][0]:
            values[i] = 1
        elif k >= 0 and paras[k][2] and tok.idx < paras[k][1]:
            values[i] = -1
        elif doc[i - 1].is_space and "\n" in doc[i - 1].text:
            values[i] = 1
        elif _runs_on(doc[i - 1]):
            values[i] = -1  # "cited remarks | Trump had made": no sentence ends on a plain word
    if any(values):
        values[0] = 1 if 1 in values else 0  # as spaCy's setter leaves it
        doc.from_array([SENT_START], numpy.array(values, dtype="int64").astype("uint64").reshape(-1, 1))
    return doc


def _runs_on(prev: Any) -> bool:
    """No sentence ends after this token: a comma, or a word with a lowercase letter
    ("remarks", "13th"; not "QUARTER", a run-in heading's last word)."""
    return prev.text == "," or prev.is_alpha and any(ch.islower() for ch in prev.text) or prev.like_num and prev.text[-1:].isalpha()


def _paragraphs_from_text(text: str) -> list[tuple[int, int, bool]]:
    out, pos = [], 0
    for p in text.split("\n\n"):
        out.append((pos, pos + len(p), False))
        pos += len(p) + 2
    return out


@cache
def _rules() -> dict[str, Any]:
    data = tomllib.loads(resources.files("presspack").joinpath("data/sentence_rules.toml").read_text(encoding="utf-8"))
    out: dict[str, Any] = {key: frozenset(data[key]) for key in ("never_end", "maybe_end", "before_number", "name_titles")}
    names = "|".join(re.escape(w) for w in sorted(data["name_titles"], key=len, reverse=True))
    out["title_after_period"] = re.compile(r"\.[\"”’'»)\]]*\s+(?:" + names + r")\.", re.IGNORECASE)
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
    except ImportError:  # spaCy has no such language (E048): no openers
        return frozenset()


_LAST_WORD = re.compile(r"(\S+)\.[\"”’'»)\]]*$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")
_BULLETS = "-*•–⁃▪◦‣"
_ENUMERATOR = re.compile(r"^(?:[" + _BULLETS + r"]\s*)?(?:\(?(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})(?:\.\)|[.)]))?$")
_SOFT_END = re.compile(r"(?:[.?!]+[\"”’'»]+|(?:\.\.+|…|\.\s\.\s\.)[\"”’'»)\]]*|[,;:(\[–—-])$")
# a sentence's end ("[...]" is an omission, not an end)
_TERMINAL = re.compile(r"(?<![\[(.!?…])(?:[.!?]+|…)[\"”’'»)\]]*$")
# a name with an exclamation mark inside a sentence ("Yahoo! and AOL"): not its first word
_NAME_BANG = re.compile(r"\S\s+[A-Z][\w'&-]*!$")
# a sentence's period, then an omission, then the next sentence: "compounds. . . . The practice"
_END_THEN_OMISSION = re.compile(r"[^\s.][.!?](\s+)(?=\.\s\.\s\.\s+[\"“‘'«(\[]?[A-Z])")
_LONE_DOT = re.compile(r"(?:^|\s)\.$")  # a dot of a spaced ellipsis (". . .")
_BRACKETED_OMISSION = re.compile(r"[\[(](?:\.\s?\.\s?\.|…)[\])]")
# list items: an optional bullet, then a number, a letter or a roman numeral and "." ")" or ".)"
_LIST_MARKER = re.compile(
    r"(?<!\S)(?:([" + _BULLETS + r"])\s*)?(\()?(\d{1,3}|[a-z]|[ivxlcdm]{1,6}|[IVXLCDM]{1,6})(\.\)|[.)])(?=\s+\S)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
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
    verbs = _verb_offsets(doc) if _rules()["title_after_period"].search(text) else None
    paras = article.paragraphs or [(0, len(text), False)]
    spans: list[tuple[int, int]] = []
    ordered = sorted(starts)
    for ps, pe, heading in paras:
        inner = [x for x in ordered[bisect.bisect_left(ordered, ps) : bisect.bisect_left(ordered, pe)]]
        cuts = [ps] if heading else refine(text, ps, pe, inner, openers, verbs)
        for a, b in zip(cuts, [*cuts[1:], pe], strict=True):
            for piece in _split_on_breaks(text, a, b):
                spans.append(piece)
    return _rows(article, spans)


def _verb_offsets(doc: Any) -> list[int]:
    """Where the doc's verbs and auxiliaries start (empty without a tagger)."""
    return [tok.idx for tok in doc if tok.pos_ in ("VERB", "AUX")]


def refine(
    text: str, ps: int, pe: int, starts: list[int], openers: frozenset[str], verbs: list[int] | None = None
) -> list[int]:
    """Sentence starts within one paragraph [ps, pe): the splitter's `starts`, minus the
    ones the rules veto, plus the clear boundaries it missed. `verbs` (sorted offsets of
    verbs, from a tagger) lets a clause ended by an abbreviation end its sentence before a
    title ("at 6 p.m. Mr. Smith left")."""
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
    for m in _END_THEN_OMISSION.finditer(text, ps, pe):
        cand.add(m.end(1))
    items = _list_items(text, ps, pe)
    out = [ps]
    for s in sorted(cand | items):
        if s in items or not _vetoed(text, out[-1], s, openers, strong=s not in starts, verbs=verbs):
            out.append(s)
    return out


def _marker_values(token: str) -> dict[str, int]:
    """What a list marker counts as: a number, a lowercase letter, a roman numeral."""
    if token.isdigit():
        return {"number": int(token)}
    out = {}
    if len(token) == 1 and token.islower():
        out["letter"] = ord(token) - ord("a") + 1
    if all(c in _ROMAN for c in token.lower()) and (token.islower() or token.isupper()):
        total, top = 0, 0
        for c in reversed(token.lower()):
            v = _ROMAN[c]
            total, top = (total - v, top) if v < top else (total + v, v)
        out["roman" + ("" if token.islower() else "-upper")] = total
    return out


def _list_items(text: str, ps: int, pe: int) -> set[int]:
    """Starts of the second and later items of an inline list that opens the paragraph:
    markers of one style (bullet, brackets, punctuation, kind) whose values count on by
    one, each after some words. Items that end in a comma or a semicolon are a list
    inside a sentence ("(a) taxes, (b) spending"): no cuts."""
    first = _LIST_MARKER.match(text, ps)
    if first is None or first.end() > pe:
        return set()
    style = (first.group(1), first.group(2), first.group(4))
    best: set[int] = set()
    for kind, value in _marker_values(first.group(3)).items():
        cuts, last = set(), first.end()
        for m in _LIST_MARKER.finditer(text, first.end(), pe):
            if (m.group(1), m.group(2), m.group(4)) == style and _marker_values(m.group(3)).get(kind) == value + 1:
                item = text[last : m.start()].rstrip()
                if not re.search(r"[^\W\d_]{2}", item) or item[-1] in ",;":
                    return set()
                cuts.add(m.start())
                value, last = value + 1, m.end()
        if len(cuts) > len(best):
            best = cuts
    return best


def _vetoed(text: str, prev_start: int, s: int, openers: frozenset[str], *, strong: bool, verbs: list[int] | None = None) -> bool:
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
            title = word.endswith(".") and word[:-1].lower() in rules["name_titles"]
            # "at 6 p.m. Mr. Smith left" ends a clause; "At 5 a.m. Mr. Smith left" does not
            if not (title and verbs and bisect.bisect_left(verbs, prev_start) < bisect.bisect_left(verbs, s)):
                return True
    if lower_next and (_SOFT_END.search(before) or before[-1] not in ".!?…\"”’'»" or _NAME_BANG.search(before)):
        return True
    if re.fullmatch(r"[\[(]?[.…\s]+[\])]?", before) or text[s] == "." and _LONE_DOT.search(before):
        return True  # an omission mark alone is no sentence, nor is one split
    if not _TERMINAL.search(before) and (
        _BRACKETED_OMISSION.match(text, s) or text[s] == "(" and _closes_before_punctuation(text, s)
    ):
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


def _closes_before_punctuation(text: str, s: int) -> bool:
    """Is the parenthesis opening at s closed on its line, right before ".", ",", ";"
    or ":" (a citation or an aside of the sentence before: '"..." (Smith 55).')?"""
    depth = 0
    for i in range(s, min(len(text), s + 200)):
        c = text[i]
        if c == "\n":
            return False
        depth += (c == "(") - (c == ")")
        if depth == 0:
            return text[i + 1 : i + 2] in (".", ",", ";", ":")
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
