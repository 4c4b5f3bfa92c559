"""Multi-record files: JSON Lines and CSV, one article per record.

Fields: id (kept as external_id), title, text, url, published, source, section,
author, language. Only `text` is required; it is the body as given.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.quiet import csv_field_limit
from presspack.ingest.types import InputFile, Item, RawArticle, Reject
from presspack.package import schemas

# record key -> article column, from the `inputField`s of schemas/articles.schema.json (`id` is external_id)
META_KEYS = {key: column for column, key in schemas.input_fields().items()}


HEAD_BYTES = 1 << 16  # bytes sniffed to choose between streaming and whole-file decoding


def read_jsonl(f: InputFile, config: Config) -> Iterator[Item]:
    """One JSON object per line, streamed line by line: memory is bounded by
    max_record_bytes, whatever the size of the file."""
    limit = config.limits.max_record_bytes
    opened = _open(f, config)
    if isinstance(opened, Reject):
        yield opened
        return
    n = 0
    for lineno, line in opened:
        if isinstance(line, int):
            n += 1
            yield Reject(f"{f.rel}#{lineno}", f"record too large: line {lineno} has more than {limit} bytes (max_record_bytes)")
            continue
        if not line.strip():
            continue
        n += 1
        where = f"{f.rel}#{lineno}"
        if len(line) > limit:
            yield Reject(where, f"record too large: {len(line)} characters > max_record_bytes {limit}")
            continue
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as e:
            msg = e.msg if isinstance(e, json.JSONDecodeError) else "nesting too deep"
            yield Reject(where, f"malformed JSON on line {lineno}: {msg}")
            continue
        yield _record(rec, f.rel, lineno)
    if n == 0:
        yield Reject(f.rel, "empty file (no records)")


def read_csv(f: InputFile, config: Config) -> Iterator[Item]:
    """CSV with a header row, streamed record by record (quoted fields may hold newlines)."""
    limit = config.limits.max_record_bytes
    stream = _text_stream(f, config)
    if isinstance(stream, Reject):
        yield stream
        return
    reader = csv.DictReader(stream, strict=True)
    n = 0
    try:
        try:
            with csv_field_limit(limit):
                fieldnames = reader.fieldnames
        except (csv.Error, UnicodeDecodeError) as e:
            yield Reject(f.rel, f"malformed CSV header: {_one_line(e)}")
            return
        if fieldnames is None:
            yield Reject(f.rel, "empty file (no header row)")
            return
        if "text" not in fieldnames:
            names = ", ".join(" ".join(str(c).split()) for c in fieldnames[:12])  # a reason is one line
            yield Reject(f.rel, f"CSV header has no 'text' column (columns: {names[:300]})")
            return
        while True:
            row_no = n + 2  # the header is row 1
            try:
                with csv_field_limit(limit):  # set only while the csv module parses a row
                    rec = next(reader)
            except StopIteration:
                break
            except (csv.Error, UnicodeDecodeError) as e:
                # the csv module cannot resynchronise after a broken record: the rest is one reject
                yield Reject(f"{f.rel}#{row_no}", f"malformed CSV near line {reader.line_num}: {_one_line(e)}; the rest of the file was not read")
                return
            n += 1
            if None in rec:
                yield Reject(f"{f.rel}#{row_no}", f"row {row_no} has more fields than the header")
                continue
            yield _record(rec, f.rel, row_no)
    finally:
        stream.close()
    if n == 0:
        yield Reject(f.rel, "empty file (no records)")


def _one_line(e: Exception) -> str:
    return " ".join(str(e).split())[:200]


def _too_big(f: InputFile, config: Config) -> Reject | None:
    if f.size > config.limits.max_file_bytes:
        return Reject(f.rel, f"file too large: {f.size} bytes > max_file_bytes {config.limits.max_file_bytes}")
    return None


def _head_encoding(f: InputFile, config: Config) -> str | Reject | None:
    """'utf-8' or 'utf-8-sig' when the file can be streamed as UTF-8; None when it needs
    whole-file decoding (UTF-16/32, legacy code pages); a Reject for binary data."""
    with open(f.path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head:
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not just a character cut at the end of the sample
            return None
    return "utf-8"


def _whole(f: InputFile, config: Config) -> str | Reject:
    if f.size > config.limits.max_record_bytes * 4:
        return Reject(f.rel, f"not UTF-8 and too large ({f.size} bytes) to decode whole: convert it to UTF-8")
    try:
        text, f.encoding = decode_bytes(f.path.read_bytes())
    except InputRejected as e:
        return Reject(f.rel, str(e))
    return text.removeprefix("\ufeff")


def _open(f: InputFile, config: Config) -> Reject | Iterator[tuple[int, str | int]]:
    """(line number, line) pairs; an int instead of a line is the byte length of a line
    over max_record_bytes (skipped without being held in memory)."""
    got = _prepare(f, config)
    if isinstance(got, Reject):
        return got
    text, _ = got
    if text is not None:
        return enumerate(io.StringIO(text), start=1)
    return _utf8_lines(f, config.limits.max_record_bytes)


def _prepare(f: InputFile, config: Config) -> Reject | tuple[str | None, str]:
    """Size and encoding checks shared by the line and CSV readers: a Reject, or
    (the whole decoded text, "") when the file is not UTF-8 (decoded at once), or
    (None, the UTF-8 codec) when it is to be streamed."""
    bad = _too_big(f, config)
    if bad:
        return bad
    enc = _head_encoding(f, config)
    if isinstance(enc, Reject):
        return enc
    if enc is None:
        text = _whole(f, config)
        return text if isinstance(text, Reject) else (text, "")
    f.encoding = "utf-8"
    return None, enc


def _utf8_lines(f: InputFile, limit: int) -> Iterator[tuple[int, str | int]]:
    with open(f.path, "rb") as fh:
        lineno = 0
        while True:
            raw = fh.readline(limit + 1)
            if not raw:
                return
            lineno += 1
            if len(raw) > limit and not raw.endswith(b"\n"):
                size = len(raw)
                while raw and not raw.endswith(b"\n"):  # skip the rest of the line, chunk by chunk
                    raw = fh.readline(1 << 20)
                    size += len(raw)
                yield lineno, size
                continue
            if lineno == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                yield lineno, raw.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text, enc = decode_bytes(raw)
                except InputRejected:
                    text, enc = raw.decode("utf-8", "replace"), "utf-8 (invalid bytes replaced)"
                f.encoding = f"mixed: utf-8 and {enc}"
                yield lineno, text


def _text_stream(f: InputFile, config: Config) -> Reject | io.TextIOBase:
    got = _prepare(f, config)
    if isinstance(got, Reject):
        return got
    text, enc = got
    if text is not None:
        return io.StringIO(text, newline="")
    return io.TextIOWrapper(open(f.path, "rb"), encoding=enc, errors="strict", newline="")  # noqa: SIM115 - closed by read_csv


def _record(rec: Any, rel: str, lineno: int) -> Item:
    if not isinstance(rec, dict):
        return Reject(f"{rel}#{lineno}", f"record {lineno} is a JSON {type(rec).__name__}, not an object")
    rid = rec.get("id")
    ext_id = None if rid is None or rid == "" else str(rid) if isinstance(rid, (str, int)) else None
    if ext_id is not None:
        ext_id = _SURROGATE.sub("\ufffd", ext_id)
    origin = f"{rel}#{ext_id}" if ext_id is not None else f"{rel}#{lineno}"
    body = rec.get("text")
    if body is None or (isinstance(body, str) and not body.strip()):
        return Reject(origin, f"record {lineno} has no text")
    if not isinstance(body, str):
        return Reject(origin, f"record {lineno}: 'text' is a {type(body).__name__}, not a string")
    meta: dict[str, Any] = {}
    notes: list[str] = []
    body = _no_surrogates(body, "text", notes)
    if rid is not None and ext_id is None:
        notes.append(f"'id' of type {type(rid).__name__} ignored")
    if ext_id is not None:
        meta["external_id"] = ext_id
    for k, column in META_KEYS.items():
        if column == "external_id":  # read above: its own rules (an int or a string)
            continue
        v = rec.get(k)
        if v is None or v == "":
            continue
        if isinstance(v, bool) or isinstance(v, (list, dict)):
            notes.append(f"'{k}' of type {type(v).__name__} ignored")
            continue
        meta[column] = str(v).strip() if not isinstance(v, str) else _no_surrogates(v, k, notes).strip()
    return RawArticle(origin=origin, body=body, meta=meta, notes=notes)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(v: str, key: str, notes: list[str]) -> str:
    """JSON may escape lone surrogates (\\ud800), which are not text: U+FFFD instead."""
    new, n = _SURROGATE.subn("\ufffd", v)
    if n:
        notes.append(f"'{key}': {n} lone surrogate(s) replaced with U+FFFD")
    return new
