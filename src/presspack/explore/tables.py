"""What the explore exports share: the release's tables in an order that lets foreign
keys be declared, the release's digest, the derived `month` column and the atomic
replacement of the database file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow.parquet as pq

from presspack.package.hashing import sha256_file
from presspack.package.manifest import read_datapackage
from presspack.package.schemas import available_tables, foreign_keys

MONTH = "month"  # derived column: YYYY-MM of articles.published (quotations: of the first mention)
MONTH_DESCRIPTION = "Month of the article's publication (`YYYY-MM`), derived from articles.published for facets; not in the release."
MONTH_TABLES = ("articles", "claims", "quotations")
# tables whose month comes from a date column of their own (the others: from their article's)
MONTH_SOURCES = {"articles": "published", "quotations": "first_published"}
MONTH_DESCRIPTIONS = {"quotations": "Month of the first mention's publication (`YYYY-MM`), derived from first_published for facets; "
                                    "not in the release."}


def release_tables(release: str | Path) -> list[str]:
    """The release's tables that schemas/ describes, referenced tables before the tables
    that refer to them (so foreign keys can be declared as tables are created)."""
    names = {r["name"] for r in read_datapackage(release).get("resources", [])}
    todo = [t for t in available_tables() if t in names]
    ordered: list[str] = []
    while todo:
        ready = [t for t in todo if all(fk["reference"]["resource"] in ordered or fk["reference"]["resource"] not in todo
                                        or fk["reference"]["resource"] == t for fk in foreign_keys(t))]
        ready = ready or todo[:1]  # a cycle: declare the rest in schema order
        ordered.extend(ready)
        todo = [t for t in todo if t not in ready]
    return ordered


def release_columns(release: str | Path, table: str) -> set[str]:
    """The columns the release's Parquet file of `table` has (an earlier release may lack
    columns its schema gained since)."""
    return set(pq.ParquetFile(Path(release) / f"{table}.parquet").schema_arrow.names)


def release_digest(release: str | Path) -> str:
    """sha256 of the release's SHA256SUMS (which covers every other file), else of its
    datapackage.json (whose resources carry the tables' hashes)."""
    release = Path(release)
    read_datapackage(release)  # ReleaseNotFound when it is no release
    sums = release / "SHA256SUMS"
    return sha256_file(sums if sums.is_file() else release / "datapackage.json")


@contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A temporary path beside `out` to write the database to; renamed to `out` when the
    block ends without an error, removed (with a leftover `.wal`) in any case."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
