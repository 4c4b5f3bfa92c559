"""The end of a build's entity stage: the corpus-wide key merges applied to the written
entities, claims and claim_entities tables (batch by batch), and the entity_index table.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.entities.index import BATCH, EntityIndex, KeyNames, in_chunks
from presspack.package.tables import TableWriter


def names_of(names: Mapping[str, str] | KeyNames, keys: list[str]) -> dict[str, str]:
    """The names of those of `keys` that have one."""
    if isinstance(names, KeyNames):
        return names.lookup_many(keys)
    return {k: names[k] for k in keys if k in names}



def remap_table(path: Path, writer: Any, columns: dict[str, str], remap: dict[str, str], names: Mapping[str, str] | KeyNames) -> None:
    """Copy Parquet `path` into `writer` (a TableWriter), replacing keys by their merged
    key and the paired name column (`columns`: key column -> name column) by its
    canonical name (`names`, as EntityIndex.rows gives them). Column-wise (Arrow): each
    distinct key of a batch is looked up once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pf = pq.ParquetFile(path)
    for batch in pf.iter_batches(batch_size=writer.row_group_size):  # one row group's worth in memory
        cols = {name: batch.column(name) for name in batch.schema.names}
        for kcol, ncol in columns.items():
            keys = cols[kcol]
            uniq = pc.unique(keys)
            old = uniq.to_pylist()
            new = [k if k is None else remap.get(k, k) for k in old]
            at = pc.index_in(keys, value_set=uniq)  # nulls match the null in uniq
            cols[kcol] = pc.take(pa.array(new, type=keys.type), at)
            if ncol:
                known = names_of(names, [n for n in new if n is not None])
                named = [k is not None and n in known and (n != k or ncol == "canonical") for k, n in zip(old, new, strict=True)]
                if any(named):
                    name_col = cols[ncol]
                    repl = pa.array([known[n] if m else None for n, m in zip(new, named, strict=True)], type=name_col.type)
                    cols[ncol] = pc.if_else(pc.take(pa.array(named, type=pa.bool_()), at), pc.take(repl, at), name_col)
        writer.write_columns(cols)
    writer.close()



def finish(tmp: Path, index: EntityIndex, writers: dict[str, Any], row_group_size: int) -> Any:
    """After all articles: merge keys across articles, rewrite entities (and claims'
    speaker keys, claim_entities' keys) with the merged keys and names, and write entity_index.parquet.
    Returns the entity_index writer (closed). Closes the index."""
    try:
        return _finish(tmp, index, writers, row_group_size)
    finally:
        index.close()



def _finish(tmp: Path, index: EntityIndex, writers: dict[str, Any], row_group_size: int) -> Any:

    remap = index.resolve()
    rows, names = index.rows(remap)
    tables = (("entities", {"entity_key": "canonical"}), ("claims", {"speaker_key": "speaker_name"}), ("claim_entities", {"entity_key": ""}))
    for table, cols in tables:
        if table not in writers or (table != "entities" and not remap):
            continue
        old = writers[table].path
        moved = old.with_name(f".{old.name}.pre-index")
        old.rename(moved)
        writers[table] = TableWriter(table, old, writers[table].row_group_size)
        remap_table(moved, writers[table], cols, remap, names)
        moved.unlink()
    writer = TableWriter("entity_index", tmp / "entity_index.parquet", row_group_size)
    for chunk in in_chunks(rows, BATCH):  # the same row groups, and bytes, as one write
        writer.write(chunk)
    writer.close()
    return writer
