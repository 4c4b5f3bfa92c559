"""Web archives (.warc, .warc.gz, .arc.gz): one article per HTML response record.

The archive is streamed record by record (warcio), never held in memory. Decompression
is done here, under warcio, so that every decompressed byte is counted: a file stops at
`max_decompressed_bytes` and a record's payload at `max_record_bytes`, so a gzip bomb
costs at most those bytes and ends as a Reject with a reason. A truncated or corrupt
file keeps the records read before the damage and says what could not be read.

Each response record with HTTP status 200 and an HTML content type becomes an article:
its URL is the page's canonical link (else the WARC-Target-URI), `fetched` is the
WARC-Date and `origin` is `<file>#<WARC-Record-ID>` (ARC records have no id:
`<file>#<record number>`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import IO, Any

from presspack.config import Config
from presspack.ingest.html import GZIP_MAGIC, page_item
from presspack.ingest.quiet import quiet_loggers
from presspack.ingest.types import InputFile, Item, Reject

READ_SIZE = 1 << 16  # compressed bytes read at a time
OUT_SIZE = 1 << 20  # most decompressed bytes produced by one step
HTML_TYPES = ("text/html", "application/xhtml+xml")


class CappedStream(io.RawIOBase):
    """A raw byte stream of the file's content, gunzipped member by member when it is
    gzip. It ends early (like a clean end of file, with `problem` set) once more than
    `cap` bytes came out, or when the gzip data is truncated or corrupt, so the records
    before the damage still parse."""

    def __init__(self, raw: IO[bytes], cap: int, *, gz: bool) -> None:
        self.raw = raw
        self.cap = cap
        self.produced = 0
        self.d: Any = zlib.decompressobj(31) if gz else None
        self.in_member = False
        self.buf = b""
        self.problem: str | None = None  # "cap", "truncated" or "corrupt: <zlib message>"

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        while not self.buf:
            if self.problem:
                return 0
            try:
                chunk = self._step()
            except zlib.error as e:
                self.problem = f"corrupt: {e}"
                return 0
            if not chunk:
                return 0
            if self.produced + len(chunk) > self.cap:
                chunk = chunk[: max(0, self.cap - self.produced)]
                self.problem = "cap"
            self.produced += len(chunk)
            self.buf = chunk
        n = min(len(b), len(self.buf))
        b[:n] = self.buf[:n]
        self.buf = self.buf[n:]
        return n

    def _step(self) -> bytes:
        if self.d is None:
            return self.raw.read(READ_SIZE)
        d = self.d
        while True:
            if d.unconsumed_tail:
                return d.decompress(d.unconsumed_tail, OUT_SIZE)
            if d.eof:  # a member ended: the next one starts in unused_data or the file
                pending = d.unused_data.lstrip(b"\x00")
                self.d = d = zlib.decompressobj(31)
                self.in_member = False
                if pending:
                    self.in_member = True
                    out = d.decompress(pending, OUT_SIZE)
                    if out:
                        return out
                continue
            chunk = self.raw.read(READ_SIZE)
            if not chunk:
                if self.in_member:
                    self.problem = "truncated"
                return b""
            self.in_member = True
            out = d.decompress(chunk, OUT_SIZE)
            if out:
                return out


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Stream one WARC/ARC file: an article or a Reject per HTML response record, plus
    a Reject for the file when it could not be read to the end."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limits = config.limits
    is_arc = ".arc" in f.rel.lower().rsplit("/", 1)[-1]
    skipped: Counter[str] = Counter()
    n_records = n_pages = 0
    problem = None
    with open(f.path, "rb") as fh:
        gz = fh.read(2) == GZIP_MAGIC
        fh.seek(0)
        raw = CappedStream(fh, limits.max_decompressed_bytes, gz=gz)
        stream = io.BufferedReader(raw, buffer_size=READ_SIZE)
        head = stream.peek(16)[:16]
        expected = b"filedesc://" if is_arc else b"WARC/"
        if head and not head.lstrip().startswith(expected):
            problem = f"not a valid {'ARC' if is_arc else 'WARC'} file: it starts with {head[:12]!r}, not {expected!r}"
        elif head:
            records = iter(ArchiveIterator(stream, arc2warc=is_arc))
            try:
                while True:
                    # warcio writes its warnings about malformed records to stderr itself;
                    # the reasons that matter reach the manifest instead
                    with contextlib.redirect_stderr(io.StringIO()), quiet_loggers("warcio", level=logging.ERROR):
                        record = next(records, None)
                    if record is None:
                        break
                    n_records += 1
                    item = _record_item(record, f.rel, n_records, limits.max_record_bytes, skipped, arc=is_arc)
                    if item is not None:
                        n_pages += 1
                        yield item
            except ArchiveLoadFailed as e:
                msg = " ".join(str(e).split())[:160]
                problem = f"not a valid WARC/ARC record after {n_records} record(s): {msg}; the rest could not be read"
            except (ValueError, IndexError, KeyError, EOFError) as e:  # malformed headers deep inside warcio
                problem = f"malformed archive record after {n_records} record(s): {type(e).__name__}: {str(e)[:120]}; the rest could not be read"
        if raw.problem == "cap":
            problem = (
                f"archive decompresses to more than max_decompressed_bytes {limits.max_decompressed_bytes} "
                f"(possible gzip bomb): reading stopped after {n_records} record(s)"
            )
        elif raw.problem == "truncated":
            problem = f"truncated archive: the gzip stream ends early; {n_records} record(s) read, the rest could not be read"
        elif raw.problem:
            problem = f"corrupt gzip data after {n_records} record(s) ({raw.problem[9:]}); the rest could not be read"
    if problem:
        yield Reject(f.rel, problem)
    elif n_pages == 0:
        what = ", ".join(f"{k}: {v}" for k, v in sorted(skipped.items())) or "none"
        yield Reject(f.rel, f"no HTML response records ({n_records} record(s); skipped {what})")
    f.encoding = None


def _record_item(record: Any, rel: str, number: int, max_bytes: int, skipped: Counter[str], *, arc: bool) -> Item | None:
    """The article or Reject for one record; None (counted in `skipped`) for records
    that are not web pages by nature (requests, metadata, warcinfo, revisits)."""
    h = record.rec_headers
    if record.rec_type != "response":
        skipped[record.rec_type or "unknown"] += 1
        return None
    rid = (h.get_header("WARC-Record-ID") or "").strip().strip("<>")
    # ARC records have no id (warcio invents a random one): the record number is stable
    origin = f"{rel}#{number}" if arc or not rid else f"{rel}#{rid}"
    http = record.http_headers
    if http is None:
        return Reject(origin, "response record without HTTP headers")
    status = http.get_statuscode()
    if status != "200":
        return Reject(origin, f"HTTP status {status or 'missing'}, not 200")
    ctype = (http.get_header("Content-Type") or "").strip()
    mime = ctype.split(";")[0].strip().lower()
    if mime not in HTML_TYPES:
        return Reject(origin, f"content type {mime or 'missing'!r} is not HTML")
    charset = None
    for part in ctype.split(";")[1:]:
        k, _, v = part.partition("=")
        if k.strip().lower() == "charset":
            charset = v.strip().strip("\"'") or None
    try:
        payload = record.content_stream().read(max_bytes + 1)
    except (zlib.error, OSError, ValueError) as e:  # a broken HTTP content encoding
        return Reject(origin, f"cannot decode the HTTP payload: {type(e).__name__}: {str(e)[:120]}")
    if len(payload) > max_bytes:
        return Reject(origin, f"payload larger than max_record_bytes {max_bytes}: record skipped")
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        return Reject(origin, f"record cut off: {missing} byte(s) of its content are missing")
    url = h.get_header("WARC-Target-URI")
    item, _ = page_item(payload, origin, url=url.strip("<> ") if url else None, declared_charset=charset)
    fetched = h.get_header("WARC-Date")
    if fetched and not isinstance(item, Reject):
        item.meta["fetched"] = fetched
    return item
