"""The one place that reads schemas/*.json.

Everything column-related derives from here: Arrow schemas for the Parquet writers,
Frictionless resource descriptors, the checks `validate` runs and the data dictionary.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa

TABLES = ("articles", "sentences", "entities", "claims", "claim_entities")

# Table Schema type (plus the optional `arrowType` refinement) -> Arrow type.
TYPE_MAP: dict[str, pa.DataType] = {
    "string": pa.string(),
    "integer": pa.int64(),
    "int32": pa.int32(),
    "int64": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),
    "any": pa.string(),
}
# pandas dtype names recorded in the Parquet pandas metadata so that integer columns
# with nulls come back as nullable integers, not float.
PANDAS_DTYPE = {pa.int32(): "Int32", pa.int64(): "Int64", pa.bool_(): "boolean"}


def schema_dir() -> Path:
    """schemas/ shipped inside the wheel, else the repository's top-level schemas/."""
    here = Path(__file__).resolve().parent.parent  # the presspack package
    for cand in (here / "schemas", here.parent.parent / "schemas"):
        if (cand / "articles.schema.json").is_file():
            return cand
    msg = f"schemas/ not found next to {here}"
    raise FileNotFoundError(msg)


def available_tables() -> tuple[str, ...]:
    """Core tables first, then any other schema in schemas/ (sorted)."""
    extra = sorted(
        p.name.removesuffix(".schema.json")
        for p in schema_dir().glob("*.schema.json")
        if p.name.removesuffix(".schema.json") not in TABLES
    )
    return (*TABLES, *extra)


def table_schema(table: str) -> dict[str, Any]:
    """The Table Schema descriptor of one table: as stored in schemas/, or, inside
    `published(...)`, as the release being read was published with."""
    pinned = _PUBLISHED.get()
    if pinned is not None and table in pinned:
        return pinned[table]
    return _stored_schema(table)


@cache
def _stored_schema(table: str) -> dict[str, Any]:
    path = schema_dir() / f"{table}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


# the schemas of the release being validated (a release is checked against the schemas
# it was published with: an earlier release does not have the columns added since)
_PUBLISHED: contextvars.ContextVar[dict[str, dict[str, Any]] | None] = contextvars.ContextVar("published", default=None)


@contextlib.contextmanager
def published(datapackage: dict[str, Any] | None) -> Iterator[None]:
    """Within this block, table_schema() (and all that derives from it) gives each table's
    schema as the release's datapackage.json embeds it, where it does."""
    resources = (datapackage or {}).get("resources") or []
    pinned = {r["name"]: r["schema"] for r in resources
              if isinstance(r, dict) and isinstance(r.get("name"), str) and isinstance(r.get("schema"), dict)
              and isinstance(r["schema"].get("fields"), list)}
    token = _PUBLISHED.set(pinned or None)
    try:
        yield
    finally:
        _PUBLISHED.reset(token)


def fields(table: str) -> list[dict[str, Any]]:
    return table_schema(table)["fields"]


def column_names(table: str) -> list[str]:
    return [f["name"] for f in fields(table)]


def arrow_type(field: dict[str, Any]) -> pa.DataType:
    return TYPE_MAP[field.get("arrowType", field["type"])]


def is_required(field: dict[str, Any]) -> bool:
    return bool(field.get("constraints", {}).get("required"))


def arrow_schema(table: str) -> pa.Schema:
    """Arrow schema of a table, with pandas metadata so nullable ints stay integers."""
    pinned = _PUBLISHED.get()
    return _arrow_schema(table) if pinned is not None and table in pinned else _stored_arrow_schema(table)


@cache
def _stored_arrow_schema(table: str) -> pa.Schema:
    return _arrow_schema(table)


def _arrow_schema(table: str) -> pa.Schema:
    pa_fields = [pa.field(f["name"], arrow_type(f), nullable=not is_required(f)) for f in fields(table)]
    columns = [
        {
            "name": f.name,
            "field_name": f.name,
            "pandas_type": _pandas_type(f.type),
            "numpy_type": PANDAS_DTYPE.get(f.type, "str" if f.type == pa.string() else "object"),
            "metadata": None,
        }
        for f in pa_fields
    ]
    pandas_meta = {
        "index_columns": [],
        "column_indexes": [],
        "columns": columns,
        "creator": {"library": "presspack"},
        "pandas_version": "2.2.0",
    }
    return pa.schema(pa_fields, metadata={b"pandas": json.dumps(pandas_meta).encode()})


def _pandas_type(t: pa.DataType) -> str:
    if pa.types.is_integer(t):
        return str(t)
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_floating(t):
        return "float64"
    if pa.types.is_timestamp(t):
        return "datetimetz"
    if pa.types.is_date(t):
        return "date"
    return "unicode"


def primary_key(table: str) -> list[str]:
    pk = table_schema(table).get("primaryKey", [])
    return [pk] if isinstance(pk, str) else list(pk)


def foreign_keys(table: str) -> list[dict[str, Any]]:
    return list(table_schema(table).get("foreignKeys", []))


def span_columns(table: str) -> list[tuple[str, str, str]]:
    """(text, start, end) column triples whose text must equal articles.text[start:end]."""
    names = set(column_names(table))
    out = []
    if {"start", "end", "text"} <= names and table != "articles":
        out.append(("text", "start", "end"))
    for n in column_names(table):
        if n.endswith("_start"):
            p = n.removesuffix("_start")
            if {f"{p}_end", f"{p}_text"} <= names:
                out.append((f"{p}_text", f"{p}_start", f"{p}_end"))
    return out


def data_dictionary(table: str) -> list[dict[str, str]]:
    """One entry per column, for docs and dataset cards."""
    out = []
    for f in fields(table):
        c = f.get("constraints", {})
        notes = []
        if c.get("required"):
            notes.append("required")
        if "enum" in c:
            notes.append("one of: " + ", ".join(c["enum"]))
        out.append(
            {
                "name": f["name"],
                "type": f.get("arrowType", f["type"]),
                "description": f.get("description", ""),
                "constraints": "; ".join(notes),
            }
        )
    return out


MANIFEST_SCHEMA = "manifest.jsonschema.json"  # JSON Schema of manifest.json (not a table: no .schema.json)


@cache
def manifest_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of manifest.json."""
    return json.loads((schema_dir() / MANIFEST_SCHEMA).read_text(encoding="utf-8"))


def manifest_part_schema(part: str) -> dict[str, Any]:
    """The schema of one part of a manifest ('file', 'record', 'note'), with the
    definitions it refers to: validate checks the file entries one at a time."""
    full = manifest_schema()
    return {"$schema": full["$schema"], "$defs": full["$defs"], **full["$defs"][part]}


def manifest_statuses(part: str = "file") -> tuple[str, ...]:
    """The statuses a file entry (or a record) may have."""
    return tuple(manifest_schema()["$defs"][part]["properties"]["status"]["enum"])


def input_fields(table: str = "articles") -> dict[str, str]:
    """Column -> the input field that fills it (a field's `inputField` in schemas/), in
    the schema's order: what a JSONL/CSV record or a page's metadata may give."""
    return {f["name"]: f["inputField"] for f in fields(table) if "inputField" in f}
