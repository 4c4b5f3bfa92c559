"""The end of a build's quotation stage: every claim's quoted words indexed, clustered
into quotations, quotations.parquet written (with the quotation each short fragment is
part of: fragment_of) and claims.parquet rewritten with each claim's quotation_id and
quotation_variant (batch by batch, as entities.finish does).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from presspack.package.tables import TableWriter
from presspack.quotations import words as W
from presspack.quotations.index import QuotationIndex, quotation_id

MAX_SPEAKERS = 20  # speakers listed in quotations.speakers
READ_BATCH = 4096  # claims rows read at once (a whole row group read at once left ~100 MB more in the allocator at 1M claims)
CLAIM_COLUMNS = ["article_id", "speaker_key", "speaker_name", "content_text", "kind"]


@contextmanager
def returning_pool() -> Iterator[None]:
    """Arrow's jemalloc pool as the default while the stage runs (the system pool where
    this pyarrow has no jemalloc): it returns freed memory to the system, where the
    default mimalloc pool kept ~45 MB more after each claims row group rewritten and
    more the longer the release (benchmarks/README.md). Arrow buffers go back to the
    pool they came from, so the switch is safe for buffers made before or after."""
    before = pa.default_memory_pool()
    try:
        pool = pa.jemalloc_memory_pool()
    except NotImplementedError:
        pool = pa.system_memory_pool()
    pa.set_memory_pool(pool)
    try:
        yield
    finally:
        pa.set_memory_pool(before)


def finish(tmp: Path, writers: dict[str, Any], row_group_size: int) -> TableWriter:
    """After the tables are written (and the entity keys merged): quotations.parquet from
    tmp/claims.parquet and tmp/articles.parquet, and claims.parquet rewritten with its
    quotation columns (writers["claims"] replaced). Returns the quotations writer (closed)."""
    with returning_pool():
        return _finish(tmp, writers, row_group_size)


def _finish(tmp: Path, writers: dict[str, Any], row_group_size: int) -> TableWriter:
    index = QuotationIndex()
    try:
        _read(tmp, index)
        index.cluster()
        writer = TableWriter("quotations", tmp / "quotations.parquet", row_group_size)
        canon = index.canonical_rows()
        for root, mentions in index.cluster_rows():
            c_root, c_nid, c_words, c_display, c_tag, fragment_of = next(canon)
            if c_root != root:  # both are ordered by root
                msg = f"quotation index out of step ({c_root} != {root})"
                raise RuntimeError(msg)
            row, variants = quotation_row(index, mentions, (c_nid, c_words.split(" "), c_display, c_tag))
            row["fragment_of"] = fragment_of
            index.record(root, row["quotation_id"], variants)
            writer.write([row])
        writer.close()
        if unmatched := index.unmatched_fragments():
            msg = f"{unmatched} quotations.fragment_of do not match the quotation_id of their quotation"
            raise RuntimeError(msg)
        claims = writers["claims"]
        moved = claims.path.with_name(f".{claims.path.name}.pre-quotations")
        claims.path.rename(moved)
        writers["claims"] = TableWriter("claims", claims.path, claims.row_group_size)
        link_claims(moved, writers["claims"], index.claim_links())
        moved.unlink()
        return writer
    finally:
        index.close()


def _read(tmp: Path, index: QuotationIndex) -> None:
    arts = pq.ParquetFile(tmp / "articles.parquet", pre_buffer=False)  # pre-buffering holds every row group read
    for b in arts.iter_batches(batch_size=4096, columns=["article_id", "source", "published"], use_threads=False):
        index.add_articles(list(zip(*(b.column(c).to_pylist() for c in ("article_id", "source", "published")), strict=True)))
    offset = 0
    claims = pq.ParquetFile(tmp / "claims.parquet", pre_buffer=False)
    for b in claims.iter_batches(batch_size=4096, columns=CLAIM_COLUMNS, use_threads=False):  # threads' heaps grow RSS
        cols = [b.column(c).to_pylist() for c in CLAIM_COLUMNS]
        index.add_mentions((offset + i, *r) for i, r in enumerate(zip(*cols, strict=True)))
        offset += b.num_rows


def quotation_row(index: QuotationIndex, mentions: list[tuple[Any, ...]],
                  canon: tuple[int, list[str], str, str]) -> tuple[dict[str, Any], dict[int, str]]:
    """One quotations row from its mentions, (node, aid, skey, sname, source, published,
    mid) earliest first, and its canonical form (node, words, display, tag); with the
    variant of each node whose words differ from the canonical ones."""
    c_nid, c_words, c_display, c_tag = canon
    variants: dict[int, str] = {}
    for node in sorted({m[0] for m in mentions} - {c_nid}):
        v = W.variant(index.node_words(node)[0], c_words)
        if v is not None:
            variants[node] = v
    first = mentions[0]
    last = max(mentions, key=lambda m: (m[5] is not None, m[5] or "", m[1]))
    anchor_words, anchor_tag = (c_words, c_tag) if first[0] == c_nid else index.node_words(first[0])[::2]
    speakers = Counter(m[2] for m in mentions if m[2])
    names = {m[2]: m[3] for m in mentions if m[2] and m[3]}
    ranked = sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0]))
    key = ranked[0][0] if len(ranked) == 1 else None
    row = {
        "quotation_id": quotation_id(" ".join(anchor_words), anchor_tag),
        "text": c_display,
        "n_words": len(c_words),
        "speaker_key": key,
        "speaker_name": names.get(key) if key else None,
        "n_speakers": len(ranked),
        "speakers": "; ".join(f"{k} ({n})" for k, n in ranked[:MAX_SPEAKERS]) or None,
        "n_mentions": len(mentions),
        "n_variants": sum(1 for m in mentions if m[0] in variants),
        "n_articles": len({m[1] for m in mentions}),
        "n_sources": len({m[4] for m in mentions if m[4]}),
        "first_article_id": first[1], "first_source": first[4], "first_published": first[5],
        "last_article_id": last[1], "last_source": last[4], "last_published": last[5],
    }
    return row, variants


def link_claims(path: Path, writer: TableWriter, links: Iterator[tuple[int, str, str | None]]) -> None:
    """Copy claims `path` into `writer` with quotation_id and quotation_variant from
    `links` ((row number, quotation_id, variant), in row order)."""
    pending = next(links, None)
    offset = 0
    for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=READ_BATCH, use_threads=False):
        n = batch.num_rows
        qids: list[str | None] = [None] * n
        variants: list[str | None] = [None] * n
        while pending is not None and pending[0] < offset + n:
            qids[pending[0] - offset], variants[pending[0] - offset] = pending[1], pending[2]
            pending = next(links, None)
        cols = {name: batch.column(name) for name in batch.schema.names}
        cols["quotation_id"] = pa.array(qids, type=pa.string())
        cols["quotation_variant"] = pa.array(variants, type=pa.string())
        writer.write_columns(cols)
        offset += n
    writer.close()
