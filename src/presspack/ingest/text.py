"""Plain-text exports (.txt): one article per file, with a small header.

Header rules (all data, in text_rules.toml + presspack.toml [text]):
the first non-empty line is the title (a trailing ` | word` is the section); a
domain-name line right after it is the source; a reading-time line is metadata.
Known boilerplate lines are dropped from the body.
"""

from __future__ import annotations

from collections.abc import Iterator

from presspack.config import CompiledTextRules, Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
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
    try:
        yield parse_text(text, f.rel, rules_for(config))
    except InputRejected as e:
        yield Reject(f.rel, str(e))


def parse_text(text: str, origin: str, rules: CompiledTextRules) -> RawArticle:
    """Split a .txt export into title, section, source, reading time and body."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        raise InputRejected("empty file (no text)")
    meta: dict[str, str] = {}
    title = " ".join(lines[i].split())
    m = rules.section_suffix.search(title)
    if m:
        meta["section"] = m.group(1).strip()
        title = title[: m.start()].rstrip()
    meta["title"] = title
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
