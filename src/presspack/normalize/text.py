"""RawArticle -> Article: Unicode and whitespace normalization, paragraphs, headings, ids.

The normalized text is what every offset in the dataset indexes. Hard-wrapped bodies
(lines broken at a fixed width inside paragraphs) are detected per article and unwrapped
here, before the text is fixed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from presspack.config import TextRules
from presspack.errors import InputRejected
from presspack.ingest.meta import canonical_url, parse_published
from presspack.ingest.types import RawArticle
from presspack.package.hashing import sha256_text

# Zero-width and control characters removed from text (\n and \t are handled separately).
_INVISIBLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK = re.compile(r"\n[ \t]*\n\s*")
_SENT_END = ".!?…:;\"”’»)]"

# Hard wrapping: a body is wrapped when, of its line breaks inside blocks (at least
# WRAP_MIN_BREAKS), most fall at the width (WRAP_FULL_SHARE: the next word would not have
# fitted, or the line is within WRAP_NEAR of the width, as balanced wrappers leave it),
# most leave a sentence open (WRAP_OPEN_SHARE) and many go on with a lowercase word
# (WRAP_GOES_ON_SHARE: verse starts its lines with capitals), at a width of at least
# WRAP_MIN_WIDTH characters (narrower lines are verse or lists), in prose (some sentence
# ends inside a line).
WRAP_MIN_BREAKS = 4
WRAP_MIN_WIDTH = 40
WRAP_NEAR = 0.85
WRAP_FULL_SHARE = 0.7
WRAP_OPEN_SHARE = 0.6
WRAP_GOES_ON_SHARE = 0.15
_ITEM = re.compile(r"\s*(?:[-*•–—+]|\d{1,3}[.)]|[a-zA-Z][.)])\s")  # a line that starts a list item
_INNER_END = re.compile(r"[.!?…][\"”’»)\]]*\s+\S")  # a sentence ending inside a line
_SPLIT_WORD = re.compile(r"[^\W\d_]-$")  # a line ending in a word broken at its hyphen ("well-" / "known")


@dataclass
class Article:
    """A normalized article, ready for NLP."""

    article_id: str
    origin: str
    text: str
    paragraphs: list[tuple[int, int, bool]]  # (start, end, is_heading), offsets into text
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    sha256: str = ""

    def row(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "external_id": self.meta.get("external_id"),
            "origin": self.origin,
            "title": self.meta.get("title"),
            "section": self.meta.get("section"),
            "source": self.meta.get("source"),
            "url": self.meta.get("url"),
            "author": self.meta.get("author"),
            "published": self.meta.get("published"),
            "fetched": self.meta.get("fetched"),
            "description": self.meta.get("description"),
            "language": self.meta.get("language"),
            "text": self.text,
            "sha256": self.sha256,
        }


def clean_line(s: str) -> str:
    s = _INVISIBLE.sub("", s)
    return _SPACES.sub(" ", s).strip()


def _lines(body: str) -> str:
    """`body` in NFC with `\n` line ends (line and page separators become breaks)."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    return body.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n")


def _breaks(body: str) -> list[tuple[str, str]]:
    """(line, next line) for every line break inside a block of non-blank lines, lines
    right-stripped with tabs expanded; a break before a list item is left out."""
    out = []
    prev = ""
    for raw in body.split("\n"):
        line = raw.expandtabs(8).rstrip()
        if prev.strip() and line.strip() and not _ITEM.match(line):
            out.append((prev, line))
        prev = line
    return out


def _full(line: str, nxt: str, width: int) -> bool:
    """The line was broken at the width: the next line's first word would not have
    fitted, or the line is near the width."""
    return len(line) + 1 + len(nxt.split()[0]) > width or len(line) >= WRAP_NEAR * width


def _goes_on(nxt: str) -> bool:
    """The line starts with a lowercase letter (or one of a script without case)."""
    c = nxt.lstrip()[:1]
    return c.isalpha() and not c.isupper()


def _open(line: str, nxt: str) -> bool:
    """The break leaves a sentence open: no final punctuation, or the next line goes on."""
    return not line.endswith(tuple(_SENT_END)) or _goes_on(nxt)


def wrap_width(body: str) -> int | None:
    """The width a hard-wrapped body was wrapped at (the length of its broken lines, its
    longest tenth aside), or None when its line breaks are not wrapping."""
    pairs = _breaks(_lines(body))
    if len(pairs) < WRAP_MIN_BREAKS:
        return None
    lengths = sorted(len(line) for line, _ in pairs)
    width = lengths[len(lengths) - 1 - len(lengths) // 10]  # the longest tenth may run over (a long URL)
    if width < WRAP_MIN_WIDTH:
        return None
    n = len(pairs)
    full = sum(_full(line, nxt, width) for line, nxt in pairs)
    still_open = sum(_open(line, nxt) for line, nxt in pairs)
    goes_on = sum(_goes_on(nxt) for _, nxt in pairs)
    if full < WRAP_FULL_SHARE * n or still_open < WRAP_OPEN_SHARE * n or goes_on < WRAP_GOES_ON_SHARE * n:
        return None
    return width if any(_INNER_END.search(line) for line, _ in pairs) else None


def _unwrap(body: str, width: int) -> list[str]:
    """Paragraphs of a hard-wrapped body: blank lines separate them, and so does a line
    break that is not wrapping: after a line that ends before the width with a sentence
    closed, before an indented line (a paragraph's first line, unless it is the hanging
    indent of a list item) or a list item (unless a dash or a number that wrapping put at
    the start of a line of prose). Wrapped lines are joined with a space (a word broken
    at its hyphen without one)."""
    out: list[str] = []
    for block in _BLANK.split(body):
        raw = [x.expandtabs(8).rstrip() for x in block.split("\n")]
        raw = [x for x in raw if x.strip()]
        if not raw:
            continue
        indent = min(len(x) - len(x.lstrip()) for x in raw)
        cur, prev, item = clean_line(raw[0]), raw[0], bool(_ITEM.match(raw[0]))
        for line in raw[1:]:
            if _ITEM.match(line):
                starts = item or not _full(prev, line, width)
                item = item or starts
            else:
                starts = len(line) - len(line.lstrip()) > indent and not item
            text = clean_line(line)
            if starts or not (_full(prev, line, width) or _goes_on(line)):
                out.append(cur)
                cur, item = text, bool(_ITEM.match(line))
            elif _SPLIT_WORD.search(cur) and text[:1].isalpha():
                cur = cur + text
            else:
                cur = f"{cur} {text}"
            prev = line
        out.append(cur)
    return [p for p in out if p]


def split_paragraphs(body: str, *, unwrap: bool, rules: TextRules, width: int | None = None) -> list[str]:
    """Paragraphs from a body: blank lines separate them; single line breaks inside a
    block are kept as breaks after sentence-final punctuation or around heading-like
    lines, else joined as wrapped lines. A body without any blank line keeps every line
    as a paragraph. With `width` (wrap_width: a hard-wrapped body), lines are unwrapped
    instead (_unwrap)."""
    body = _lines(body)
    if width is not None:
        return _unwrap(body, width)
    blocks = _BLANK.split(body) if unwrap or _BLANK.search(body) else body.split("\n")
    out: list[str] = []
    for block in blocks:
        lines = [clean_line(x) for x in block.split("\n")]
        lines = [x for x in lines if x]
        if not lines:
            continue
        cur = lines[0]
        for ln in lines[1:]:
            wrapped = unwrap and ln[:1].islower() or unwrap and not (cur.endswith(tuple(_SENT_END)) or _heading_like(cur, rules))
            if wrapped:
                cur = f"{cur} {ln}"
            else:
                out.append(cur)
                cur = ln
        out.append(cur)
    return out


def _heading_like(p: str, rules: TextRules) -> bool:
    words = p.split()
    if not words or len(words) > rules.heading_max_words:
        return False
    if p.endswith(tuple(rules.heading_end_punctuation)):
        return False
    first = p.lstrip("\"“‘'([")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def normalize(raw: RawArticle, rules: TextRules, *, max_chars: int) -> Article:
    """Normalize a RawArticle; raises InputRejected when nothing is left."""

    marked: list[bool] | None = None  # headings the input marked (HTML <h1>-<h6>)
    notes = list(raw.notes)
    if raw.paragraphs is None:
        width = wrap_width(raw.body)
        paras = split_paragraphs(raw.body, unwrap=raw.from_txt, rules=rules, width=width)
        if width is not None:
            notes.append(f"hard-wrapped text (lines of up to about {width} characters): lines joined into paragraphs")
    else:
        paras, marked = [], []
        for block, flag in raw.paragraphs:
            for p in split_paragraphs(block, unwrap=False, rules=rules):
                paras.append(p)
                marked.append(flag)
    if not paras:
        raise InputRejected("no text left after normalization")
    text = "\n\n".join(paras)
    if len(text) > max_chars:
        full = len(text)
        cut = text.rfind("\n\n", 0, max_chars + 1)
        if cut <= 0:  # one huge paragraph: cut at a space, else anywhere
            cut = text.rfind(" ", 0, max_chars + 1)
        text = text[: cut if cut > 0 else max_chars].rstrip()
        notes.append(f"text truncated from {full} to {len(text)} characters (max_article_chars {max_chars})")
        paras = text.split("\n\n")
    spans: list[tuple[int, int, bool]] = []
    pos = 0
    for k, p in enumerate(paras):
        is_heading = bool(marked and marked[k]) or k + 1 < len(paras) and _heading_like(p, rules)
        spans.append((pos, pos + len(p), is_heading))
        pos += len(p) + 2
    meta = {k: clean_line(unicodedata.normalize("NFC", v)) if isinstance(v, str) else v for k, v in raw.meta.items()}
    meta = {k: v for k, v in meta.items() if v not in (None, "")}
    if "url" in meta:
        url = canonical_url(meta["url"])
        if url is None:
            notes.append(f"url {meta['url'][:200]!r} is not a valid http(s) URL: dropped")
            meta.pop("url")
        else:
            meta["url"] = url
    for key in ("published", "fetched"):
        if key not in meta:
            continue
        value, note = parse_published(meta[key])
        if note:
            notes.append(note.replace("published", key, 1))
        if value is None:
            meta.pop(key)
        else:
            meta[key] = value
    if "language" in meta:
        meta["language"] = str(meta["language"]).lower().split("-")[0].split("_")[0][:3] or None
    sha = sha256_text(text)
    basis = meta.get("url") or text
    article_id = "a" + sha256_text(basis)[:16]
    return Article(article_id=article_id, origin=raw.origin, text=text, paragraphs=spans, meta=meta, notes=notes, sha256=sha)
