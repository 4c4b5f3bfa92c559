"""Reuters-21578 SGML (.sgm, .sgml): many <REUTERS> records per file, one article each.

The files are SGML, not XML: `&` unescaped, `<D>` lists, Latin-1 bytes, control-character
references (`&#2;`, `&#3;`). So they are not given to an XML parser: the file is streamed
in chunks and cut at the `<REUTERS ...>` / `</REUTERS>` tags, and each record is read with
regular expressions, decoded on its own (UTF-8, else ingest.decode's detection, which
prefers cp1252 for Western news text) and accepted or rejected with its own reason. A
record over max_record_bytes is skipped without being held in memory.

Each record gives: `external_id` (NEWID), `title` (TITLE), `author` (AUTHOR without a
leading "by"), `published` (DATE), `source` "Reuters", and the body (BODY; the whole TEXT
of an unprocessed record). The DATELINE starts the first paragraph, as in print. Body
lines are hard-wrapped, and an indented line starts a paragraph; the closing "Reuter"
sign-off is dropped. TOPICS, PLACES, PEOPLE, ORGS, EXCHANGES and COMPANIES (no column of
their own) go to the article's notes in the manifest, with the record's split attributes.
"""

from __future__ import annotations

import codecs
import html
import re
from collections.abc import Iterator

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.types import InputFile, Item, RawArticle, Reject

CHUNK = 1 << 16  # bytes read at a time
_START = re.compile(rb"<REUTERS\b[^>]{0,2000}>", re.I)
_END = re.compile(rb"</REUTERS\s*>", re.I)
_ATTR = re.compile(r'([A-Za-z][\w.-]*)\s*=\s*"([^"]*)"')
_TAG = re.compile(r"<[^>]{0,200}>")
_CTRL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_INDENT = re.compile(r"^[ \t]+\S")
_SIGNOFF = re.compile(r"(?i)reuters?")
_BY = re.compile(r"(?i)^by\s+")
LISTS = ("TOPICS", "PLACES", "PEOPLE", "ORGS", "EXCHANGES", "COMPANIES")
SPLIT_ATTRS = ("TOPICS", "LEWISSPLIT", "CGISPLIT", "OLDID")


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Stream the file's <REUTERS> records; one RawArticle or Reject per record."""
    limits = config.limits
    if f.size > limits.max_file_bytes:
        yield Reject(f.rel, f"file too large: {f.size} bytes > max_file_bytes {limits.max_file_bytes}")
        return
    chunks = _chunks(f, config)
    if isinstance(chunks, Reject):
        yield chunks
        return
    n = 0
    encodings: set[str] = set()
    for line, tag, rec in split_records(chunks, limits.max_record_bytes):
        n += 1
        if isinstance(rec, str):
            newid = dict(_ATTR.findall(tag.decode("latin-1"))).get("NEWID", "").strip()
            yield Reject(f"{f.rel}#{newid or line}", f"{rec} (record at line {line})")
            continue
        yield _record(rec, f.rel, line, encodings)
    if n == 0:
        yield Reject(f.rel, "no <REUTERS> records (not a Reuters-21578 SGML file)")
    if encodings:
        f.encoding = " and ".join(sorted(encodings)) if len(encodings) < 3 else "mixed"


def _chunks(f: InputFile, config: Config) -> Iterator[bytes] | Reject:
    """The file's bytes in chunks, as UTF-8-compatible bytes: a UTF-16/32 file (BOM or
    NUL bytes) is decoded whole first, when it is small enough."""
    with open(f.path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        if f.size > config.limits.max_record_bytes * 4:
            return Reject(f.rel, f"not UTF-8 or Latin-1 and too large ({f.size} bytes) to decode whole: convert it to UTF-8")
        try:
            text, enc = decode_bytes(f.path.read_bytes())
        except InputRejected as e:
            return Reject(f.rel, str(e))
        f.encoding = enc
        return iter([text.encode("utf-8")])
    return _file_chunks(f)


def _file_chunks(f: InputFile) -> Iterator[bytes]:
    with open(f.path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def split_records(chunks: Iterator[bytes], limit: int) -> Iterator[tuple[int, bytes, bytes | str]]:
    """(line of the <REUTERS> tag, the tag, the record's bytes) per record, in file order; a str
    instead of bytes says why the record could not be cut out (too large, no end tag,
    truncated). Memory stays near `limit`: an oversized record is skipped, not held."""
    buf = bytearray()
    line = 1  # line number of buf[0]
    skipping = False  # inside an oversized record: discard until its end
    resume = 0  # where to look for the end of the record at buf[0] (searched before)
    for chunk in chunks:
        buf += chunk
        while True:
            if skipping:
                cut = _next_boundary(buf)
                if cut is None:
                    keep = max(0, len(buf) - 2100)  # a tag may be cut by the chunk boundary
                    line += buf.count(b"\n", 0, keep)
                    del buf[:keep]
                    break
                line += buf.count(b"\n", 0, cut)
                del buf[:cut]
                skipping = False
            m = _START.search(buf)
            if m is None:
                keep = max(0, len(buf) - 2100)
                line += buf.count(b"\n", 0, keep)
                del buf[:keep]
                break
            start_line = line + buf.count(b"\n", 0, m.start())
            look = max(m.end(), resume if m.start() == 0 else 0)
            nxt = _START.search(buf, look)
            end = _END.search(buf, look, nxt.start() if nxt else len(buf))
            if end is None and nxt is None:
                line = start_line
                del buf[: m.start()]
                if len(buf) > limit:
                    yield start_line, bytes(m.group(0)), f"record too large: more than {limit} bytes (max_record_bytes)"
                    tag = m.end() - m.start()
                    line += buf.count(b"\n", 0, tag)
                    del buf[:tag]
                    skipping = True
                    resume = 0
                    continue
                resume = max(0, len(buf) - 2100)
                break
            resume = 0
            if end is None:  # the next record starts first
                yield start_line, bytes(m.group(0)), "record has no </REUTERS> end tag before the next record"
                stop = nxt.start()  # type: ignore[union-attr]
            else:
                stop = end.end()
                if stop - m.start() > limit:
                    yield start_line, bytes(m.group(0)), f"record too large: {stop - m.start()} bytes > max_record_bytes {limit}"
                else:
                    yield start_line, bytes(m.group(0)), bytes(buf[m.start() : stop])
            line += buf.count(b"\n", 0, stop)
            del buf[:stop]
    m = _START.search(buf)
    if m is not None and not skipping:
        yield line + buf.count(b"\n", 0, m.start()), bytes(m.group(0)), "truncated record: the file ends before </REUTERS>"


def _next_boundary(buf: bytearray) -> int | None:
    """Where an oversized record's skipping stops: after its end tag, or at the next record."""
    end = _END.search(buf)
    nxt = _START.search(buf)
    if nxt is not None and (end is None or nxt.start() < end.start()):
        return nxt.start()
    return end.end() if end is not None else None


def _decode(rec: bytes, encodings: set[str]) -> str:
    """UTF-8, else cp1252 (the legacy code page of Western news text, and of the stray
    bytes of the Reuters-21578 files), else ingest.decode's detection. One record is too
    short for detection to tell code pages apart, so cp1252 goes first here."""
    try:
        text, enc = rec.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, enc = rec.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, enc = decode_bytes(rec)
    encodings.add(enc)
    return text


def _record(rec: bytes, rel: str, line: int, encodings: set[str]) -> Item:
    try:
        text = _decode(rec, encodings)
    except InputRejected as e:
        return Reject(f"{rel}#{line}", f"record at line {line}: {e}")
    attrs = dict(_ATTR.findall(_START.match(rec).group(0).decode("latin-1")))  # type: ignore[union-attr]
    newid = attrs.get("NEWID", "").strip()
    origin = f"{rel}#{newid}" if newid else f"{rel}#{line}"
    label = f"record NEWID={newid}" if newid else f"record at line {line}"
    m = re.search(r"(?is)<TEXT\b([^>]{0,200})>(.*?)(?:</TEXT\s*>|</REUTERS\s*>)", text)
    if m is None:
        return Reject(origin, f"{label} has no <TEXT>")
    text_type = dict(_ATTR.findall(m.group(1))).get("TYPE", "").upper()
    inner = m.group(2)
    body = _element(inner, "BODY")
    if body is None and text_type == "UNPROC":
        body = inner
    paras = paragraphs(body or "")
    if not paras:
        kind = f' (TEXT TYPE="{text_type}": a headline only)' if text_type == "BRIEF" else ""
        return Reject(origin, f"{label} has no body{kind}")
    meta: dict[str, str] = {"source": "Reuters"}
    if newid:
        meta["external_id"] = newid
    for key, tag, where in (("title", "TITLE", inner), ("author", "AUTHOR", inner), ("published", "DATE", text)):
        value = _field(_element(where, tag))
        if value:
            meta[key] = _BY.sub("", value) if key == "author" else value
    dateline = _field(_element(inner, "DATELINE"))
    if dateline:
        paras[0] = f"{dateline} {paras[0]}"
    notes = _notes(text, attrs)
    return RawArticle(origin=origin, body="\n\n".join(paras), meta=meta, notes=notes, paragraphs=[(p, False) for p in paras])


def _element(text: str, tag: str) -> str | None:
    m = re.search(rf"(?is)<{tag}\b[^>]{{0,200}}>(.*?)(?:</{tag}\s*>|(?=</?(?:TEXT|REUTERS)\b)|\Z)", text)
    return m.group(1) if m else None


def _field(raw: str | None) -> str:
    """A one-line field: tags removed, entities resolved, control characters and runs
    of spaces dropped."""
    if raw is None:
        return ""
    return " ".join(_CTRL.sub("", html.unescape(_TAG.sub(" ", raw))).split())


def paragraphs(body: str) -> list[str]:
    """Paragraphs of a hard-wrapped Reuters body: a blank or indented line starts one,
    other lines continue it; the closing "Reuter" sign-off is dropped."""
    out: list[str] = []
    cur: list[str] = []
    for raw in _TAG.sub(" ", body).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(_CTRL.sub("", html.unescape(raw)).split())
        if (not line or _INDENT.match(raw)) and cur:
            out.append(" ".join(cur))
            cur = []
        if line:
            cur.append(line)
    if cur:
        out.append(" ".join(cur))
    if out and _SIGNOFF.fullmatch(out[-1]):
        out.pop()
    return out


def _notes(text: str, attrs: dict[str, str]) -> list[str]:
    subjects = []
    for tag in LISTS:
        inner = _element(text, tag)
        values = [v for v in (_field(d) for d in re.findall(r"(?is)<D>(.*?)</D>", inner or "")) if v]
        if values:
            subjects.append(f"{tag.lower()} {', '.join(values)}")
    notes = [f"subjects: {'; '.join(subjects)}"] if subjects else []
    split = [f"{k}={attrs[k]}" for k in SPLIT_ATTRS if attrs.get(k)]
    if split:
        notes.append(f"Reuters-21578 attributes: {' '.join(split)}")
    return notes
