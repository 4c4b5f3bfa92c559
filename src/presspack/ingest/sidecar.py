"""Metadata that plain-text corpora keep beside their texts (docs/inputs.md, "Metadata
beside plain texts"):

- the category folder: `politics/001.txt` gets the section `politics`;
- a sidecar `NAME.json` next to `NAME.txt`: one JSON object of input fields;
- a `metadata.csv` in a folder of a SOURCE directory: a `file` column (paths relative
  to that folder) and input-field columns, one row per text.

The fields are the `inputField`s of schemas/articles.schema.json (those of JSONL and
CSV records), `text` aside. Precedence, highest first: the sidecar, the nearest
metadata.csv, a farther one, the text's own header lines, the folder name.

The metadata files are inputs of their own (format 'metadata', read by `read`): the
manifest lists each with status 'metadata', and a mapping's bad rows as rejected
records with their reason; they never become articles.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.meta import canonical_url, parse_published
from presspack.ingest.records import read_csv
from presspack.ingest.types import InputFile, Item, Reject
from presspack.package import schemas

MAPPING_NAME = "metadata.csv"
SIDECAR_SUFFIX = ".json"
TEXT_SUFFIXES = (".txt", ".TXT")  # the texts a sidecar or a mapping row may describe
FILE_COLUMN = "file"
# input field -> article column, from the `inputField`s of schemas/articles.schema.json
FIELDS = {key: column for column, key in schemas.input_fields().items()}
MAPPINGS_KEPT = 4  # parsed metadata.csv files kept while their folders are read



def metadata_format(path: Path, siblings: set[str] | None = None) -> str | None:
    """'metadata' for a metadata.csv, or for NAME.json beside NAME.txt (`siblings`: the
    names in its folder, when known); else None."""
    name = path.name
    if name == MAPPING_NAME:
        return "metadata"
    if name.endswith(SIDECAR_SUFFIX):
        stem = name[: -len(SIDECAR_SUFFIX)]
        texts = [stem + s for s in TEXT_SUFFIXES]
        if any(t in siblings for t in texts) if siblings is not None else any(path.with_name(t).is_file() for t in texts):
            return "metadata"
    return None



def sidecar_of(path: Path) -> Path | None:
    """The sidecar NAME.json of a text NAME.txt, when there is one."""
    for suffix in TEXT_SUFFIXES:
        if path.name.endswith(suffix):
            side = path.with_name(path.name[: -len(suffix)] + SIDECAR_SUFFIX)
            return side if side.is_file() else None
    return None



def _value(v: Any) -> str | None:
    """A field value as text: strings and numbers as given, a list of them joined with
    '; ' (several authors); None for anything else (objects, booleans, null)."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, str):
        return v.strip() or None
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, list) and v and all(isinstance(x, (str, int, float)) and not isinstance(x, bool) for x in v):
        return "; ".join(str(x).strip() for x in v if str(x).strip()) or None
    return None



def _read_text(path: Path, limit: int, what: str) -> tuple[str, str | None]:
    size = path.stat().st_size
    if size > limit:
        raise InputRejected(f"{what} too large: {size} bytes > max_record_bytes {limit}")
    text, encoding = decode_bytes(path.read_bytes())
    return text.removeprefix("\ufeff"), encoding



def read_sidecar(path: Path, limit: int) -> tuple[dict[str, str], list[str], str | None]:
    """(article column -> value, keys ignored, encoding) of a sidecar NAME.json;
    raises InputRejected when it is not a JSON object."""
    text, encoding = _read_text(path, limit, "sidecar")
    try:
        obj = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        msg = f"{e.msg} (line {e.lineno})" if isinstance(e, json.JSONDecodeError) else "nesting too deep"
        raise InputRejected(f"malformed JSON: {msg}") from None
    if not isinstance(obj, dict):
        raise InputRejected(f"a sidecar is a JSON object of fields, not a {type(obj).__name__}")
    fields: dict[str, str] = {}
    ignored: list[str] = []
    for key, v in obj.items():
        column = FIELDS.get(str(key).strip().lower())
        value = _value(v)
        if column is None or (value is None and v not in (None, "")):
            ignored.append(" ".join(str(key).split())[:40])
        elif value is not None:
            fields[column] = value
    return fields, ignored, encoding



@dataclass
class Mapping:
    """A parsed metadata.csv: its usable rows by file name (relative to its folder), its
    rejected rows, or why the whole file is no mapping."""

    rows: dict[str, tuple[int, dict[str, str]]] = field(default_factory=dict)  # file -> (line, column -> value)
    rejects: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)
    error: str | None = None
    articles: bool = False  # no `file` column but a `text` one: a CSV of articles, read as such
    encoding: str | None = None


_MAPPINGS: OrderedDict[tuple[str, int, int, int], Mapping] = OrderedDict()


def load_mapping(path: Path, limit: int) -> Mapping:
    """The metadata.csv at `path`, parsed once while its folder is read (the text reader
    and the metadata reader share it)."""
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size, limit)
    if key not in _MAPPINGS:
        _MAPPINGS[key] = _parse_mapping(path, limit)
        while len(_MAPPINGS) > MAPPINGS_KEPT:
            _MAPPINGS.popitem(last=False)
    return _MAPPINGS[key]



def _header_problem(cols: list[str]) -> str | None:
    known = ", ".join([FILE_COLUMN, *FIELDS])
    shown = ", ".join(c[:40] for c in cols[:12])[:300]
    if FILE_COLUMN not in cols:
        return f"no {FILE_COLUMN!r} column (columns: {shown}): a {MAPPING_NAME} maps file names to fields ({known})"
    unknown = [c for c in cols if c != FILE_COLUMN and c not in FIELDS]
    if unknown:
        return f"unknown column(s) {', '.join(repr(c[:40]) for c in unknown[:5])}; known: {known}"
    doubled = sorted({c for c in cols if cols.count(c) > 1})
    if doubled:
        return f"column(s) {', '.join(map(repr, doubled))} appear more than once"
    return None



def _parse_mapping(path: Path, limit: int) -> Mapping:
    try:
        text, encoding = _read_text(path, limit, MAPPING_NAME)
    except InputRejected as e:
        return Mapping(error=str(e))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return Mapping(error=f"malformed CSV header: {' '.join(str(e).split())[:200]}")
    if not header:
        return Mapping(error="empty file (no header row)")
    cols = [" ".join(c.split()).lower() for c in header]
    if FILE_COLUMN not in cols and "text" in cols:
        return Mapping(articles=True)
    problem = _header_problem(cols)
    if problem:
        return Mapping(error=problem, encoding=encoding)
    m = Mapping(encoding=encoding)
    line = reader.line_num
    try:
        for row in reader:
            start, line = line + 1, reader.line_num
            if not row:
                continue
            reason = _add_row(m, path.parent, cols, row, start)
            if reason:
                m.rejects.append((start, f"line {start}: {reason}"))
    except csv.Error as e:  # the csv module cannot resynchronise: the rest is one reject
        m.rejects.append((line + 1, f"line {line + 1}: malformed CSV ({' '.join(str(e).split())[:200]}); the rest of the file was not read"))
    return m



def _add_row(m: Mapping, folder: Path, cols: list[str], row: list[str], line: int) -> str | None:
    """Check one row and add it to the mapping; the reason when it is rejected."""
    if len(row) != len(cols):
        return f"{len(row)} field(s), the header has {len(cols)}"
    values = dict(zip(cols, (v.strip() for v in row), strict=True))
    name = values.pop(FILE_COLUMN).replace("\\", "/")
    if not name:
        return "no file name"
    rel = posixpath.normpath(name)
    if rel.startswith(("/", "../")) or rel == "..":
        return f"file {name[:200]!r} is outside the folder of {MAPPING_NAME}"
    try:
        exists = (folder / rel).is_file()
    except (OSError, ValueError):  # a NUL byte or an over-long name
        exists = False
    if not exists:
        return f"unknown file {name[:200]!r} (no such file beside {MAPPING_NAME} or below it)"
    if not rel.endswith(TEXT_SUFFIXES):
        return f"file {name[:200]!r} is not a plain text (.txt): {MAPPING_NAME} describes .txt files only"
    if rel in m.rows:
        return f"duplicate file name {name[:200]!r} (first on line {m.rows[rel][0]})"
    fields = {FIELDS[k]: v for k, v in values.items() if v}
    if "published" in fields and parse_published(fields["published"])[0] is None:
        return f"bad date in 'published': {fields['published'][:80]!r}"
    if "url" in fields and canonical_url(fields["url"]) is None:
        return f"bad url {fields['url'][:200]!r} (not an http(s) URL)"
    m.rows[rel] = (line, fields)
    return None



def read(f: InputFile, config: Config) -> Iterator[Item]:
    """The reader of metadata files: checks a metadata.csv (its bad rows are rejected
    records) or a sidecar, and gives the file the status 'metadata'. A metadata.csv with
    a `text` column and no `file` column is a CSV of articles and is read as one."""
    limit = config.limits.max_record_bytes
    if f.path.name == MAPPING_NAME:
        m = load_mapping(f.path, limit)
        if m.articles:
            yield from read_csv(f, config)
            return
        f.encoding = m.encoding
        if m.error:
            yield Reject(f.rel, f"{MAPPING_NAME} not used: {m.error}")
            return
        for line, reason in m.rejects:
            yield Reject(f"{f.rel}#{line}", reason)
        f.status = "metadata"
        f.reason = f"metadata of {len(m.rows)} text file(s)" + (f"; {len(m.rejects)} row(s) rejected" if m.rejects else "")
        return
    text_name = f.rel.rsplit("/", 1)[-1][: -len(SIDECAR_SUFFIX)] + ".txt"
    try:
        fields, ignored, f.encoding = read_sidecar(f.path, limit)
    except (InputRejected, OSError) as e:
        yield Reject(f.rel, f"sidecar of {text_name} not used: {e}")
        return
    f.status = "metadata"
    f.reason = f"metadata of {text_name}: {', '.join(fields) or 'no fields'}" + (f"; ignored: {', '.join(ignored)}" if ignored else "")



@dataclass
class External:
    """The metadata of one text from outside it: the folder's name, and the mapping rows
    and sidecar that describe it, in rising precedence; notes on what was not used."""

    folder: str | None = None
    layers: list[tuple[str, dict[str, str]]] = field(default_factory=list)  # (where, column -> value)
    notes: list[str] = field(default_factory=list)

    def title(self) -> str | None:
        titles = [fields["title"] for _, fields in self.layers if "title" in fields]
        return titles[-1] if titles else None

    def apply(self, header: dict[str, Any], notes: list[str]) -> dict[str, Any]:
        """The article's metadata: the text's header fields, the folder's section under
        them, the layers over them; notes say where each field came from."""
        meta: dict[str, Any] = {}
        origin: dict[str, str] = {}
        if self.folder and "section" not in header:
            meta["section"], origin["section"] = self.folder, "the folder name"
            notes.append(f"section {self.folder!r} from the folder name")
        meta.update(header)
        origin.update(dict.fromkeys(header, "the text"))
        notes.extend(self.notes)
        for where, fields in self.layers:
            for k, v in fields.items():
                if meta.get(k) not in (None, v):
                    notes.append(f"{k} {meta[k]!r} from {origin[k]} replaced by {v!r} from {where}")
                meta[k], origin[k] = v, where
            if fields:
                notes.append(f"{', '.join(fields)} from {where}")
        return meta



def external(f: InputFile, config: Config, skip: Callable[[str], bool] = lambda rel: False) -> External:
    """What describes the text `f` from outside: its folder below the SOURCE directory (a
    name with a letter: `politics`, not `2005`), each metadata.csv from that directory
    down to the text's folder, and its sidecar. Metadata files whose path `skip`s (an
    exclude pattern) are not used."""
    ext = External()
    parts = PurePosixPath(f.rel).parts
    limit = config.limits.max_record_bytes
    if f.base is not None:
        if len(parts) > 1 and any(c.isalpha() for c in parts[-2]):
            ext.folder = parts[-2]
        for k in range(len(parts) - 1, -1, -1):  # the SOURCE directory first, the text's folder last
            where = "/".join([*parts[: len(parts) - 1 - k], MAPPING_NAME])
            path = f.path.parents[k] / MAPPING_NAME
            if skip(where) or not path.is_file():
                continue
            m = load_mapping(path, limit)
            hit = m.rows.get("/".join(parts[len(parts) - 1 - k:]))
            if hit is not None:
                ext.layers.append((f"{where} line {hit[0]}", hit[1]))
    side = sidecar_of(f.path)
    where = "/".join([*parts[:-1], side.name]) if side is not None else ""
    if side is not None and not skip(where):
        try:
            fields, _, _ = read_sidecar(side, limit)
        except (InputRejected, OSError) as e:
            ext.notes.append(f"sidecar {where} not used: {e}")
        else:
            ext.layers.append((where, fields))
    return ext
