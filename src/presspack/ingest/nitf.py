"""NITF (.nitf, or .xml with an <nitf> root): the IPTC News Industry Text Format of the
New York Times Annotated Corpus and many archives; one article per file.

Read (namespaced or not): title (`hedline/hl1`, else `head/title`), byline (the first
`byline` that is not NYT's `normalized_byline`, without a leading "By") as `author`,
`dateline` (it starts the first paragraph, as in print, unless the text already does),
`abstract` as `description`, the publication date (`pubdata@date.publication`, else
`date.issue@norm`, else `date.release@norm`), `source` (`pubdata@name`, else the
copyright holder), `url` (`pubdata@ex-ref`), `external_id` (`doc-id@id-string`),
`section` (NYT's `online_sections` or `dsk` meta, else `pubdata@position.section`) and
`xml:lang` as a language hint. The body is the `<p>` of `body.content` in order, with
`hl2` subheads as headings, media captions skipped; when NYT's `full_text` block is
there, only it (the `lead_paragraph` block repeats its start). Subjects (`tobject.subject`,
`identified-content`, `key-list`) have no column: they go to the article's notes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.types import InputFile, Item, RawArticle, Reject
from presspack.ingest.xmlsafe import attr, child, children, descendants, drop_title, local, parse_bytes, text_of

_BASIC_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{2}:?\d{2})?)?")
_BY = re.compile(r"(?i)^by\s+")
SKIP = frozenset({"media", "note", "fn", "table"})  # body.content parts that are not running text
IDENTIFIED = ("classifier", "location", "person", "org", "event", "function", "object.title", "subject")


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Read one NITF file: one RawArticle or one Reject."""
    if f.size > min(config.limits.max_file_bytes, config.limits.max_record_bytes):
        yield Reject(f.rel, f"file too large for one article: {f.size} bytes > max_record_bytes {config.limits.max_record_bytes}")
        return
    try:
        root, note = parse_bytes(f.path.read_bytes())
        f.encoding = note.rsplit(" ", 1)[-1] if note else root.getroottree().docinfo.encoding
        if local(root) != "nitf":
            raise InputRejected(f"XML root is <{local(root)}>, not <nitf>")
        art = article(root, f.rel)
    except InputRejected as e:
        yield Reject(f.rel, str(e))
        return
    if note:
        art.notes.insert(0, note)
    yield art


def article(root: Any, origin: str) -> RawArticle:
    """The article of an <nitf> element; InputRejected when it has no body text."""
    head, body = child(root, "head"), child(root, "body")
    bhead = child(body, "body.head")
    blocks = body_blocks(child(body, "body.content"))
    if not blocks:
        raise InputRejected("no article body: <body.content> has no paragraphs")
    meta: dict[str, str] = {}
    title = text_of(child(bhead, "hedline", "hl1")) or text_of(child(head, "title"))
    if title:
        meta["title"] = title
        blocks = drop_title(blocks, title)
        if not blocks:
            raise InputRejected("no article body: the text repeats the headline only")
    author = byline(bhead)
    if author:
        meta["author"] = author
    description = text_of(child(bhead, "abstract"))
    if description:
        meta["description"] = description
    meta.update(_head_meta(head))
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if lang:
        meta["language_hint"] = lang
    add_dateline(blocks, text_of(child(bhead, "dateline")))
    subjects = _subjects(head)
    notes = [f"subjects: {subjects}"] if subjects else []
    return RawArticle(origin=origin, body="\n\n".join(t for t, _ in blocks), meta=meta, notes=notes, paragraphs=blocks)


def byline(bhead: Any) -> str:
    """The first byline as printed (NYT's `normalized_byline` is an index form)."""
    for b in children(bhead, "byline"):
        if attr(b, "class") != "normalized_byline":
            text = _BY.sub("", text_of(b))
            if text:
                return text
    return ""


def add_dateline(blocks: list[tuple[str, bool]], dateline: str) -> None:
    """Put the dateline at the start of the first paragraph, unless it is there already."""
    if not dateline:
        return
    for k, (text, is_heading) in enumerate(blocks):
        if not is_heading:
            if not text.lower().startswith(dateline.rstrip(" -–—:").lower()):
                sep = " " if dateline.endswith(("-", "–", "—", ":")) else " — "
                blocks[k] = (f"{dateline}{sep}{text}", False)
            return


def body_blocks(content: Any) -> list[tuple[str, bool]]:
    """(text, is_heading) for each paragraph and subhead of an NITF `body.content`."""
    if content is None:
        return []
    full = [b for b in descendants(content, "block") if attr(b, "class") == "full_text"]
    out: list[tuple[str, bool]] = []
    for part in full or [content]:
        _blocks(part, out)
    return [(t, h) for t, h in out if t]


def _blocks(el: Any, out: list[tuple[str, bool]]) -> None:
    for c in el:
        name = local(c)
        if name in SKIP or not name:
            continue
        if name == "p":
            out.append((text_of(c), False))
        elif name in ("hl1", "hl2"):
            out.append((text_of(c), True))
        else:
            _blocks(c, out)


def _head_meta(head: Any) -> dict[str, str]:
    meta: dict[str, str] = {}
    docdata = child(head, "docdata")
    pubdata = child(head, "pubdata")
    published = attr(pubdata, "date.publication") or attr(child(docdata, "date.issue"), "norm") or attr(child(docdata, "date.release"), "norm")
    if published:
        meta["published"] = iso_date(published)
    source = attr(pubdata, "name") or attr(child(docdata, "doc.copyright"), "holder")
    if source:
        meta["source"] = source
    url = attr(pubdata, "ex-ref")
    if url.startswith(("http://", "https://")):
        meta["url"] = url
    doc_id = attr(child(docdata, "doc-id"), "id-string")
    if doc_id:
        meta["external_id"] = doc_id
    named = {attr(m, "name"): attr(m, "content") for m in children(head, "meta")}
    section = named.get("online_sections") or named.get("dsk") or attr(pubdata, "position.section")
    if section:
        meta["section"] = section
    return meta


def iso_date(value: str) -> str:
    """NITF's ISO 8601 basic format (`20070102T153000-0500`) in the extended form the
    date parser reads; a time of exactly midnight with no zone is a date only (the NYT
    corpus writes dates that way)."""
    m = _BASIC_DATE.fullmatch(value.strip())
    if m is None:
        return value
    y, mo, d, hh, mm, ss, tz = m.groups()
    if hh is None or (hh == mm == "00" and ss in (None, "00") and tz is None):
        return f"{y}-{mo}-{d}"
    return f"{y}-{mo}-{d}T{hh}:{mm}:{ss or '00'}{tz or ''}"


def _subjects(head: Any) -> str:
    found: dict[str, list[str]] = {}

    def add(kind: str, value: str) -> None:
        if value and value not in found.setdefault(kind, []):
            found[kind].append(value)

    for s in descendants(child(head, "tobject"), "tobject.subject"):
        add("subject", attr(s, "tobject.subject.matter") or attr(s, "tobject.subject.type") or attr(s, "tobject.subject.refnum"))
    docdata = child(head, "docdata")
    for ic in children(docdata, "identified-content"):
        for c in ic:
            if local(c) in IDENTIFIED:
                add(local(c), text_of(c) or attr(c, "value"))
    for k in descendants(child(docdata, "key-list"), "keyword"):
        add("keyword", attr(k, "key"))
    return "; ".join(f"{kind} {', '.join(values)}" for kind, values in found.items() if values)
