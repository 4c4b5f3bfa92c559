"""Multi-record files: JSON Lines and CSV, one article per record.

Fields: id (kept as external_id), title, text, url, published, source, section,
author, language. Only `text` is required; it is the body as given.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest import InputFile, Item, RawArticle, Reject
from presspack.ingest.decode import decode_bytes

FIELDS = ("id", "title", "text", "url", "published", "source", "section", "author", "language")


def read_jsonl(f: InputFile, config: Config) -> Iterator[Item]:
    text = _decoded(f, config)
    if isinstance(text, Reject):
        yield text
        return
    n = 0
    for lineno, line in enumerate(io.StringIO(text), start=1):
        if not line.strip():
            continue
        n += 1
        where = f"{f.rel}#{lineno}"
        if len(line) > config.limits.max_record_bytes:
            yield Reject(where, f"record too large: {len(line)} characters > max_record_bytes")
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
    text = _decoded(f, config)
    if isinstance(text, Reject):
        yield text
        return
    csv.field_size_limit(config.limits.max_record_bytes)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    n = 0
    try:
        if reader.fieldnames is None:
            yield Reject(f.rel, "empty file (no header row)")
            return
        if "text" not in reader.fieldnames:
            yield Reject(f.rel, f"CSV header has no 'text' column (columns: {', '.join(reader.fieldnames[:12])})")
            return
        while True:
            row_no = n + 2  # the header is row 1
            try:
                rec = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                yield Reject(f"{f.rel}#{row_no}", f"malformed CSV near line {reader.line_num}: {e}")
                return
            n += 1
            if None in rec:
                yield Reject(f"{f.rel}#{row_no}", f"row {row_no} has more fields than the header")
                continue
            yield _record(rec, f.rel, row_no)
    except csv.Error as e:
        yield Reject(f.rel, f"malformed CSV: {e}")
        return
    if n == 0:
        yield Reject(f.rel, "empty file (no records)")


def _decoded(f: InputFile, config: Config) -> str | Reject:
    if f.size > config.limits.max_file_bytes:
        return Reject(f.rel, f"file too large: {f.size} bytes > max_file_bytes {config.limits.max_file_bytes}")
    try:
        text, f.encoding = decode_bytes(f.path.read_bytes())
    except InputRejected as e:
        return Reject(f.rel, str(e))
    return text.removeprefix("\ufeff")


def _record(rec: Any, rel: str, lineno: int) -> Item:
    if not isinstance(rec, dict):
        return Reject(f"{rel}#{lineno}", f"record {lineno} is a JSON {type(rec).__name__}, not an object")
    rid = rec.get("id")
    ext_id = None if rid is None or rid == "" else str(rid) if isinstance(rid, (str, int)) else None
    origin = f"{rel}#{ext_id}" if ext_id is not None else f"{rel}#{lineno}"
    body = rec.get("text")
    if body is None or (isinstance(body, str) and not body.strip()):
        return Reject(origin, f"record {lineno} has no text")
    if not isinstance(body, str):
        return Reject(origin, f"record {lineno}: 'text' is a {type(body).__name__}, not a string")
    meta: dict[str, Any] = {}
    notes: list[str] = []
    if rid is not None and ext_id is None:
        notes.append(f"'id' of type {type(rid).__name__} ignored")
    if ext_id is not None:
        meta["external_id"] = ext_id
    for k in FIELDS[3:] + ("title",):
        v = rec.get(k)
        if v is None or v == "":
            continue
        if isinstance(v, bool) or isinstance(v, (list, dict)):
            notes.append(f"'{k}' of type {type(v).__name__} ignored")
            continue
        meta[k] = str(v).strip() if not isinstance(v, str) else v.strip()
    return RawArticle(origin=origin, body=body, meta=meta, notes=notes)
