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
import re
import zlib
from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.html_body import (
    FALLBACKS,
    MIN_BODY_WORDS,
    body_blocks,
    drop_headline,
    extract_body,
    json_ld,
    ld_values,
    page_metadata,
    parse_html,
    word_count,
)
from presspack.ingest.meta import parse_published, tzinfos
from presspack.ingest.quiet import quiet_loggers
from presspack.ingest.types import InputFile, Item, RawArticle, Reject

# Loggers of the extractors, quiet while a page is read (their levels restored after it).
EXTRACTOR_LOGGERS = ("trafilatura", "htmldate", "readability", "justext", "courlan")
GZIP_MAGIC = b"\x1f\x8b"

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.IGNORECASE)
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
    with quiet_loggers(*EXTRACTOR_LOGGERS):  # their warnings: the manifest gets the reasons
        doc = extract_body(tree, url)
        blocks = body_blocks(doc) if doc is not None else []
        n_words = word_count(blocks)
        notes = []
        if n_words < MIN_BODY_WORDS:
            if doc is None:
                doc = page_metadata(tree, url)
            found = [f"trafilatura {n_words}"]
            for name, fallback in FALLBACKS:
                alt = drop_headline(fallback(tree, url), doc.title)
                found.append(f"{name} {word_count(alt)}")
                if word_count(alt) >= MIN_BODY_WORDS:
                    notes.append(f"body from {name}: trafilatura found {n_words} words of main text")
                    blocks = alt
                    break
            else:
                return Reject(origin, f"no article body: fewer than {MIN_BODY_WORDS} words of main text ({', '.join(found)})"), encoding
        meta = _metadata(doc, tree, url)
    art = RawArticle(origin=origin, body="\n\n".join(t for t, _ in blocks), meta=meta, paragraphs=blocks)
    art.notes.extend(notes)
    return art, encoding




























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
    for data in json_ld(tree):
        yield from ld_values(data, "datePublished", 0)
