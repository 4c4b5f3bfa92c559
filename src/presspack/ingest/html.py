"""Web pages (.html, .htm, .html.gz, .htm.gz): the article body and metadata, via trafilatura.

One page is one article. The body keeps trafilatura's blocks (paragraphs, headings, list
items, table rows) as paragraphs, and marks `<h1>`-`<h6>` headings as such. Parsing
never fetches anything and never resolves entities: pages are parsed with lxml's HTML
parser with network access off, and DOCTYPE entity declarations are not expanded.

When trafilatura finds no body of MIN_BODY_WORDS words (it found nothing, or a stub),
fallbacks are tried in this order and the first with enough words is the body (a note
says which): the readability algorithm (trafilatura's port of readability-lxml), the
page's own JSON-LD `articleBody`, then jusText. A page where all of them fail is
rejected with what each found, never silently lost.

`page_item()` is shared with the WARC reader.
"""

from __future__ import annotations

import codecs
import json
import re
import zlib
from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest import InputFile, Item, RawArticle, Reject
from presspack.ingest.decode import decode_bytes

# A body shorter than this (in words) is not an article: navigation, a paywall stub, an index.
MIN_BODY_WORDS = 25
# Precision-first extraction that yields less than this (characters) is retried in
# trafilatura's balanced mode, which adds its baseline rescue and recall escalation.
RETRY_BELOW_CHARS = 250
GZIP_MAGIC = b"\x1f\x8b"

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE)
_TABLE_RULE = re.compile(r"[|\-: ]+")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# Meta tags that carry a full publication timestamp (trafilatura's date is date-only).
_DATE_META = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "published_time",
        "dc.date.issued",
        "dcterms.issued",
        "dc.date",
        "sailthru.date",
        "parsely-pub-date",
    }
)
_SECTION_META = frozenset({"article:section", "og:article:section", "articlesection", "section", "parsely-section"})


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Read one page file (plain or gzip) and yield its article or a Reject."""
    limits = config.limits
    if f.size > limits.max_file_bytes:
        yield Reject(f.rel, f"file too large: {f.size} bytes > max_file_bytes {limits.max_file_bytes}")
        return
    try:
        data = f.path.read_bytes()
        if data[:2] == GZIP_MAGIC:
            data = gunzip_capped(data, limits.max_record_bytes)
    except InputRejected as e:
        yield Reject(f.rel, str(e))
        return
    if len(data) > limits.max_record_bytes:
        yield Reject(f.rel, f"page too large: {len(data)} bytes > max_record_bytes {limits.max_record_bytes}")
        return
    item, f.encoding = page_item(data, f.rel)
    yield item


def gunzip_capped(data: bytes, cap: int) -> bytes:
    """Decompress gzip data (all members) to at most `cap` bytes; InputRejected beyond
    that (a gzip bomb never gets further than `cap`) or when the data is truncated."""
    out: list[bytes] = []
    size = 0
    pending = data
    while pending:
        d = zlib.decompressobj(31)
        try:
            chunk = d.decompress(pending, cap + 1 - size)
            while True:
                size += len(chunk)
                out.append(chunk)
                if size > cap:
                    raise InputRejected(f"gzip data decompresses to more than max_record_bytes {cap} (possible gzip bomb)")
                if not d.unconsumed_tail:
                    break
                chunk = d.decompress(d.unconsumed_tail, cap + 1 - size)
        except zlib.error as e:
            raise InputRejected(f"corrupt gzip data: {e}") from None
        if not d.eof:
            raise InputRejected(f"truncated gzip data: the stream ends early ({size} bytes decompressed)")
        pending = d.unused_data.lstrip(b"\x00")
    return b"".join(out)


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Bytes of a page to text: a BOM, else the declared charset (HTTP header or
    `<meta charset>`) when it decodes cleanly, else strict UTF-8, else detection."""
    if not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        m = _CHARSET.search(data[:4096])
        for name in (declared, m.group(1).decode("ascii") if m else None):
            if not name:
                continue
            try:
                enc = codecs.lookup(name).name
            except LookupError:
                continue
            if enc in ("utf-16", "utf-32", "utf-16-le", "utf-16-be"):  # a meta tag cannot declare these in ASCII bytes
                continue
            # as browsers do (WHATWG Encoding): pages labelled Latin-1 or ASCII are windows-1252
            for cand in ("cp1252", enc) if enc in ("latin-1", "iso8859-1", "ascii") else (enc,):
                try:
                    return data.decode(cand), cand
                except UnicodeDecodeError:
                    continue
    return decode_bytes(data)


def parse_html(text: str) -> Any:
    """An lxml tree of the page: HTML parser, no network, no entity expansion."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(no_network=True, remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    # lxml refuses str input with an XML encoding declaration; the text is decoded already.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise InputRejected(f"not parseable as HTML: {str(e)[:120] or type(e).__name__}") from None


def page_item(data: bytes, origin: str, *, url: str | None = None, declared_charset: str | None = None) -> tuple[Item, str | None]:
    """One page's article: body blocks (headings marked) and metadata, or a Reject; and
    the encoding the page was decoded with.

    `url` is where the page was fetched from (a WARC target URI): it resolves a relative
    canonical link and is the article's URL when the page names none.
    """
    try:
        text, encoding = decode_html(data, declared_charset)
        tree = parse_html(text)
    except InputRejected as e:
        return Reject(origin, str(e)), None
    doc = _extract(tree, url)
    blocks = _blocks(doc) if doc is not None else []
    n_words = _words(blocks)
    notes = []
    if n_words < MIN_BODY_WORDS:
        if doc is None:
            doc = _page_metadata(tree, url)
        found = [f"trafilatura {n_words}"]
        for name, fallback in _FALLBACKS:
            alt = _drop_headline(fallback(tree, url), doc.title)
            found.append(f"{name} {_words(alt)}")
            if _words(alt) >= MIN_BODY_WORDS:
                notes.append(f"body from {name}: trafilatura found {n_words} words of main text")
                blocks = alt
                break
        else:
            return Reject(origin, f"no article body: fewer than {MIN_BODY_WORDS} words of main text ({', '.join(found)})"), encoding
    meta = _metadata(doc, tree, url)
    art = RawArticle(origin=origin, body="\n\n".join(t for t, _ in blocks), meta=meta, paragraphs=blocks)
    art.notes.extend(notes)
    return art, encoding


def _extract(tree: Any, url: str | None) -> Any:
    """Precision-first extraction with trafilatura's fallback extractors; a thin result
    is retried in balanced mode and the longer body wins."""
    import logging

    from trafilatura import bare_extraction

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("htmldate").setLevel(logging.CRITICAL)
    common = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": True, "fast": False}
    doc = bare_extraction(tree, favor_precision=True, **common)
    if doc is None or len(doc.text or "") < RETRY_BELOW_CHARS:
        alt = bare_extraction(tree, **common)
        if alt is not None and len(alt.text or "") > len((doc.text if doc is not None else "") or ""):
            doc = alt
    return doc


def _page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's metadata of a page it found no body in (the body comes from a fallback)."""
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(tree, url)
    except Exception:  # noqa: BLE001 - metadata is best effort; the body decides
        from trafilatura.settings import Document

        return Document()


def _words(blocks: list[tuple[str, bool]]) -> int:
    return sum(len(t.split()) for t, h in blocks if not h)


_BLOCK_TAGS = frozenset({"p", "div", "li", "blockquote", "pre", "td", "th", "dd", "dt", "section", "article",
                         "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "main", "body", "ul", "ol", "table", "tr"})
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})


def _html_blocks(root: Any) -> list[tuple[str, bool]]:
    """An element's text as blocks: each innermost block element's text (inline text
    between blocks is a block of its own), headings marked."""
    out: list[tuple[str, bool]] = []

    def flush(parts: list[str]) -> None:
        text = _squash("".join(parts))
        if text:
            out.append((text, False))

    def walk(el: Any) -> None:
        if not any(_is_block(c) for c in el):
            text = _squash("".join(el.itertext()))
            if text:
                out.append((text, el.tag in _HEADING_TAGS))
            return
        parts = [el.text or ""]
        for c in el:
            if _is_block(c):
                flush(parts)
                walk(c)
                parts = []
            elif isinstance(c.tag, str) and c.tag not in _SKIP_TAGS:
                parts.append("".join(c.itertext()))
            parts.append(c.tail or "")
        flush(parts)

    walk(root)
    return out


def _is_block(el: Any) -> bool:
    return isinstance(el.tag, str) and el.tag in _BLOCK_TAGS


def _readability(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """The readability algorithm's body (trafilatura's port of readability-lxml)."""
    from copy import deepcopy

    from trafilatura.external import try_readability

    return _html_blocks(try_readability(deepcopy(tree)))


def _json_ld_body(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """The longest `articleBody` the page states in its JSON-LD, split at line breaks."""
    best = ""
    for data in _json_ld(tree):
        for body in _ld_values(data, "articleBody", 0):
            if len(body) > len(best):
                best = body
    if "<" in best and ">" in best:  # some sites put HTML in it
        try:
            return _html_blocks(parse_html(f"<div>{best}</div>"))
        except InputRejected:
            return []
    import html as html_lib

    return [(_squash(line), False) for line in html_lib.unescape(best).splitlines() if line.strip()]


def _justext(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """jusText's non-boilerplate paragraphs (stop words of all its languages)."""
    from copy import deepcopy

    from trafilatura.baseline import basic_cleaning
    from trafilatura.external import try_justext

    body = try_justext(basic_cleaning(deepcopy(tree)), url, None)
    return [(t, False) for t in (_squash("".join(p.itertext())) for p in body.iter("p")) if t]


# tried in this order when trafilatura finds no body (see the module docstring)
_FALLBACKS = (("readability", _readability), ("JSON-LD articleBody", _json_ld_body), ("jusText", _justext))


def _drop_headline(blocks: list[tuple[str, bool]], title: str | None) -> list[tuple[str, bool]]:
    title = _squash(title or "").casefold()
    while blocks and title and _squash(blocks[0][0]).casefold() == title:
        blocks = blocks[1:]
    return blocks


def _squash(s: str) -> str:
    return " ".join(s.split())


def _blocks(doc: Any) -> list[tuple[str, bool]]:
    """The body as (block text, is_heading) pairs: one per line of trafilatura's text,
    table rule lines dropped."""
    headings = set()
    if doc.body is not None:
        headings = {_squash("".join(h.itertext())) for h in doc.body.iter("head")}
        headings.discard("")
    out = []
    for line in (doc.text or "").split("\n"):
        s = line.strip()
        if not s or _TABLE_RULE.fullmatch(s):
            continue
        out.append((s, _squash(s) in headings))
    # a heading with nothing after it introduces nothing ("You may also like:")
    while out and out[-1][1]:
        out.pop()
    # the headline is metadata (the title), not body text, as for the other inputs
    title = _squash(doc.title or "").casefold()
    while out and title and _squash(out[0][0]).casefold() == title:
        out.pop(0)
    return out


def _metadata(doc: Any, tree: Any, base_url: str | None) -> dict[str, Any]:
    from urllib.parse import urljoin

    meta: dict[str, Any] = {}
    for key, value in (("title", doc.title), ("author", doc.author), ("source", doc.sitename), ("description", doc.description)):
        if value and str(value).strip():
            meta[key] = str(value).strip()
    page_url = doc.url or base_url
    if page_url:
        meta["url"] = urljoin(base_url, page_url) if base_url else page_url
    section = _first_meta(tree, _SECTION_META) or (doc.categories[0] if doc.categories else None)
    if section:
        meta["section"] = section
    published = _timestamp(tree, doc.date)
    if published:
        meta["published"] = published
    lang = tree.get("lang") or tree.get("xml:lang")
    if lang:
        meta["language_hint"] = lang  # a prior for language identification, not the answer
    return meta


def _first_meta(tree: Any, names: frozenset[str]) -> str | None:
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key in names:
            value = (el.get("content") or "").strip()
            if value:
                return value
    return None


def _timestamp(tree: Any, date: str | None) -> str | None:
    """The publication date: trafilatura's (htmldate, date only), refined to a full
    timestamp from the page's own metadata when that names the same day."""
    for cand in _timestamp_candidates(tree):
        day = _day(cand)
        if day is None:
            continue
        if date is None or (day == date[:10] and _HAS_TIME.search(cand)):
            return cand
    return date


def _day(value: str) -> str | None:
    """The calendar day a date string names, in its own time zone (None if unparseable)."""
    from dateutil import parser

    from presspack.meta import parse_published, tzinfos

    iso, _ = parse_published(value)
    if iso is None:
        return None
    try:
        return parser.parse(value[:100], fuzzy=True, tzinfos=tzinfos()).date().isoformat()
    except (ValueError, OverflowError, parser.ParserError):
        return iso[:10]


def _timestamp_candidates(tree: Any) -> Iterator[str]:
    for el in tree.iter("meta", "time"):
        if el.tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            if key in _DATE_META:
                yield (el.get("content") or "").strip()
        elif (el.get("itemprop") or "").lower() == "datepublished" and el.get("datetime"):
            yield el.get("datetime").strip()
    for data in _json_ld(tree):
        yield from _ld_values(data, "datePublished", 0)


def _json_ld(tree: Any) -> Iterator[Any]:
    """The page's JSON-LD blocks, parsed (unparseable or huge ones skipped)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text or len(script.text) > 500_000:
            continue
        try:
            yield json.loads(script.text)
        except (ValueError, RecursionError):
            continue


def _ld_values(node: Any, key: str, depth: int) -> Iterator[str]:
    """Every string value of `key` in a JSON-LD tree (depth and breadth bounded)."""
    if depth > 6:
        return
    if isinstance(node, dict):
        value = node.get(key)
        if isinstance(value, str):
            yield value.strip()
        for v in node.values():
            if isinstance(v, (dict, list)):
                yield from _ld_values(v, key, depth + 1)
    elif isinstance(node, list):
        for v in node[:50]:
            yield from _ld_values(v, key, depth + 1)
