"""TableWriter: rows (write) and Arrow columns (write_columns) give the same bytes, and
the entity index's column-wise remap equals the row-wise one it replaced."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.parquet as pq

from presspack.entities import finish as entity_finish
from presspack.package.tables import TableWriter


def _rows(n):
    return [{"article_id": f"a{k % 7:016x}", "mention_id": f"a{k % 7:016x}-m{k}", "sentence_id": f"a{k % 7:016x}-s{k % 3}", "entity_key": f"per:k{k % 5}",
             "canonical": f"Name {k % 5}", "label": "PERSON", "start": k, "end": k + 3, "text": f"t{k}"} for k in range(n)]


def _columns(rows, writer):
    return {c: pa.array([r.get(c) for r in rows], type=writer.schema.field(c).type) for c in writer.columns}


def test_write_columns_gives_the_bytes_of_write(tmp_path):
    rows = _rows(2500)
    a = TableWriter("entities", tmp_path / "a.parquet", 1000)
    for k in range(0, len(rows), 300):  # row groups cut across the pieces written
        a.write(rows[k : k + 300])
    a.close()
    b = TableWriter("entities", tmp_path / "b.parquet", 1000)
    for k in range(0, len(rows), 700):
        b.write_columns(_columns(rows[k : k + 700], b))
    b.close()
    assert a.rows == b.rows == 2500
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "b.parquet").metadata.num_row_groups == 3


def _remap_rows(rows, columns, remap, names):  # the row-wise remap_table this replaced
    for r in rows:
        for kcol, ncol in columns.items():
            k = r.get(kcol)
            if k is None:
                continue
            new = remap.get(k, k)
            r[kcol] = new
            if ncol and new in names and (new != k or ncol == "canonical"):
                r[ncol] = names[new]
    return rows


def test_remap_table_equals_the_row_wise_remap(tmp_path):
    rows = _rows(1200)
    src = TableWriter("entities", tmp_path / "src.parquet", 500)
    src.write(rows)
    src.close()
    remap = {"per:k1": "per:k2", "per:k3": "per:k4"}
    names = {"per:k2": "Two Merged", "per:k0": "Zero"}  # per:k4 has no name: its rows keep theirs
    for cols in ({"entity_key": "canonical"}, {"entity_key": ""}):
        got = TableWriter("entities", tmp_path / "got.parquet", 500)
        entity_finish.remap_table(tmp_path / "src.parquet", got, cols, remap, names)
        want = TableWriter("entities", tmp_path / "want.parquet", 500)
        want.write(_remap_rows([dict(r) for r in rows], cols, remap, names))
        want.close()
        assert (tmp_path / "got.parquet").read_bytes() == (tmp_path / "want.parquet").read_bytes()


def test_remap_table_keeps_null_keys_and_their_names(tmp_path):
    """Claims: a claim without a speaker has a null speaker_key (and maybe a name)."""
    rows = [{"claim_id": f"c{k}", "article_id": "a1", "sentence_id": "a1-s0", "speaker_key": None if k % 3 == 0 else f"per:k{k % 4}",
             "speaker_name": None if k % 6 == 0 else f"N{k % 4}", "content_text": "x", "content_start": 0, "content_end": 1, "kind": "indirect",
             "speaker_type": "person", "method": "cue_verb"}
            for k in range(50)]
    src = TableWriter("claims", tmp_path / "src.parquet", 16)
    src.write(rows)
    src.close()
    remap, names = {"per:k1": "per:k2"}, {"per:k2": "Two", "per:k3": "Three"}
    got = TableWriter("claims", tmp_path / "got.parquet", 16)
    entity_finish.remap_table(tmp_path / "src.parquet", got, {"speaker_key": "speaker_name"}, remap, names)
    want = TableWriter("claims", tmp_path / "want.parquet", 16)
    want.write(_remap_rows([dict(r) for r in rows], {"speaker_key": "speaker_name"}, remap, names))
    want.close()
    assert (tmp_path / "got.parquet").read_bytes() == (tmp_path / "want.parquet").read_bytes()
    back = pq.read_table(tmp_path / "got.parquet").to_pylist()
    assert [(r["speaker_key"], r["speaker_name"]) for r in back[:4]] == [(None, None), ("per:k2", "Two"), ("per:k2", "N2"), (None, "N3")]


def test_rows_wait_as_arrow_columns_with_the_same_bytes(tmp_path, monkeypatch):
    rows = _rows(2500)
    a = TableWriter("entities", tmp_path / "a.parquet", 1000)
    a.write(rows)  # everything at once: one conversion per row group
    a.close()
    monkeypatch.setattr(TableWriter, "CHUNK_ROWS", 7)
    b = TableWriter("entities", tmp_path / "b.parquet", 1000)
    for k in range(0, len(rows), 3):
        b.write(rows[k : k + 3])
        assert len(b.buffer) < 7  # at most a chunk of rows held as dicts
    b.close()
    assert a.rows == b.rows == 2500
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
