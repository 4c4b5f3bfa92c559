"""Plain-text exports (.txt): one article per file, with a small header.

Header rules (all data, in text_rules.toml + presspack.toml [text]):
the first non-empty line is the title (a trailing ` | word` is the section); a
domain-name line right after it is the source; a reading-time line is metadata.
Known boilerplate lines are dropped from the body. Metadata kept beside the text (its
category folder, a sidecar NAME.json, a metadata.csv row: sidecar.py) is merged in.
"""

from __future__ import annotations

from collections.abc import Iterator

from presspack.config import CompiledTextRules, Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.discover import excluded_by
from presspack.ingest.sidecar import external
from presspack.ingest.types import InputFile, Item, RawArticle, Reject

_COMPILED: dict[int, CompiledTextRules] = {}


def rules_for(config: Config) -> CompiledTextRules:
    key = id(config.text)
    if key not in _COMPILED:
        _COMPILED[key] = config.text.compiled()
    return _COMPILED[key]


def read(f: InputFile, config: Config) -> Iterator[Item]:
    limit = min(config.limits.max_file_bytes, config.limits.max_record_bytes)  # one file is one article
    if f.size > limit:
        yield Reject(f.rel, f"file too large for one article: {f.size} bytes > max_record_bytes {limit}")
        return
    data = f.path.read_bytes()
    try:
        text, f.encoding = decode_bytes(data)
    except InputRejected as e:
        yield Reject(f.rel, str(e))
        return
    ext = external(f, config, skip=lambda rel: excluded_by(rel, config.exclude) is not None)
    try:
        raw = parse_text(text, f.rel, rules_for(config), title=ext.title())
    except InputRejected as e:
        yield Reject(f.rel, str(e))
        return
    raw.meta = ext.apply(raw.meta, raw.notes)
    yield raw


def _same_title(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def parse_text(text: str, origin: str, rules: CompiledTextRules, *, title: str | None = None) -> RawArticle:
    """Split a .txt export into title, section, source, reading time and body.

    With a `title` given from outside the text (a sidecar, a metadata.csv), the first
    line is the header only when it is that title; else it is kept as text, and so are
    the lines after it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise InputRejected("empty file (no text)")
    meta: dict[str, str] = {}
    first = " ".join(lines[i].split())
    m = rules.section_suffix.search(first)
    bare = first[: m.start()].rstrip() if m else first
    if title is not None and not (_same_title(first, title) or _same_title(bare, title)):
        return _body_only(lines[i:], origin, rules)
    if m:
        meta["section"] = m.group(1).strip()
    meta["title"] = bare
    i += 1
    # Up to two header lines after the title: a source domain and a reading-time line.
    for _ in range(2):
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j == len(lines):
            break
        cand = lines[j].strip()
        if "source" not in meta and rules.source_line.fullmatch(cand):
            meta["source"] = cand.lower()
            i = j + 1
        elif "reading_time" not in meta and rules.reading_time.fullmatch(cand):
            meta["reading_time"] = cand
            i = j + 1
        else:
            break
    body_lines = [ln for ln in lines[i:] if not rules.boilerplate.fullmatch(ln.strip())]
    body = "\n".join(body_lines)
    if not body.strip():
        raise InputRejected("no article body after the title line")
    notes = []
    if "reading_time" in meta:
        notes.append(f"reading time: {meta.pop('reading_time')}")
    return RawArticle(origin=origin, body=body, meta=meta, notes=notes, from_txt=True)


def _body_only(lines: list[str], origin: str, rules: CompiledTextRules) -> RawArticle:
    body = "\n".join(ln for ln in lines if not rules.boilerplate.fullmatch(ln.strip()))
    if not body.strip():
        raise InputRejected("no article body")
    note = "the first line differs from the given title: kept as text"
    return RawArticle(origin=origin, body=body, notes=[note], from_txt=True)
