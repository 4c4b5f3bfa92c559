"""The order in which the explorer shows a table's columns: who - said - what first.

The Parquet files, the exports and the JSON and CSV that Datasette serves keep the
schema's column order; only the HTML table shows the columns in reading order. For a
table with claim parts (span columns other than a plain `text`, e.g. claims' speaker,
cue and content), the order is derived from its schema: for each part in the schema's
order, its columns other than offsets and keys (the resolved `_name` before the mention
as written, then the rest, e.g. `speaker_type`, `speaker_role`); then the other plain
columns (`kind`, `method`); then ids and keys; then offsets. Columns the schema does
not know (the derived `month`) come last. Other tables keep the schema's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from presspack.package.schemas import available_tables, column_names, span_columns


def _is_id(column: str) -> bool:
    return column.endswith(("_id", "_key"))


def reading_order(table: str) -> list[str]:
    """The columns of `table` in reading order (see the module docstring)."""
    if table not in available_tables():
        return []
    names = column_names(table)
    spans = [s for s in span_columns(table) if s[0] != "text"]
    if not spans:
        return names
    offsets = {c for _, start, end in spans for c in (start, end)}
    lead: list[str] = []
    for text, _, _ in spans:
        part = text.removesuffix("_text")
        group = [c for c in names if c.startswith(f"{part}_") and c not in offsets and not _is_id(c)]
        lead += sorted(group, key=lambda c: c != f"{part}_name")  # stable: the resolved name first
    plain = [c for c in names if c not in lead and c not in offsets and not _is_id(c)]
    return lead + plain + [c for c in names if _is_id(c)] + [c for c in names if c in offsets]


def reorder(table: str | None, columns: Sequence[Mapping[str, Any]], rows: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """Datasette's display columns and rows of a table page in reading order. The link
    column (the primary key, or Datasette's "Link"), when there is one, stays first; each
    row keeps its own type (Datasette's Row is built from its list of cells)."""
    order = reading_order(table) if table else []
    if not order or not columns:
        return list(columns), list(rows)
    fixed = 1 if columns[0].get("is_pk") or columns[0].get("name") == "Link" else 0
    rank = {c: i for i, c in enumerate(order)}
    idx = list(range(fixed)) + sorted(range(fixed, len(columns)), key=lambda i: rank.get(columns[i]["name"], len(rank)))
    new_rows = []
    for row in rows:
        cells = list(row)
        new_rows.append(type(row)([cells[i] for i in idx]) if len(cells) == len(columns) else row)
    return [columns[i] for i in idx], new_rows
