"""RawArticle -> Article: Unicode and whitespace normalization, paragraphs, headings, ids.

The normalized text is what every offset in the dataset indexes.
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


def split_paragraphs(body: str, *, unwrap: bool, rules: TextRules) -> list[str]:
    """Paragraphs from a body: blank lines separate them; single line breaks inside a
    block are kept as breaks after sentence-final punctuation or around heading-like
    lines, else joined as wrapped lines. A body without any blank line keeps every line
    as a paragraph."""
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    body = body.replace("\u2028", "\n").replace("\u2029", "\n\n").replace("\x0c", "\n\n")
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
    if raw.paragraphs is None:
        paras = split_paragraphs(raw.body, unwrap=raw.from_txt, rules=rules)
    else:
        paras, marked = [], []
        for block, flag in raw.paragraphs:
            for p in split_paragraphs(block, unwrap=False, rules=rules):
                paras.append(p)
                marked.append(flag)
    if not paras:
        raise InputRejected("no text left after normalization")
    notes = list(raw.notes)
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
