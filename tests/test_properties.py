"""Property tests (Hypothesis): offsets and ids for any Unicode text, Parquet round-trips,
idempotent normalization, readers that never raise on arbitrary bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presspack.annotate.batch import annotate
from presspack.errors import InputRejected
from presspack.ingest import reader_for
from presspack.ingest.decode import decode_bytes
from presspack.ingest.types import InputFile, RawArticle, Reject
from presspack.normalize.text import normalize
from presspack.package import schemas
from presspack.package.tables import TableWriter

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text with the characters that break naive code: paragraph breaks, CRLF, zero-width and
# control characters, combining marks, astral-plane symbols, quotes, RTL text.
TRICKY = st.sampled_from(["\n", "\n\n", "\r\n", "\t", " ", "\u00a0", "\u200b", "\u0301", "😀", "“", "”", "\"", "‘", "—",
                          "\u2028", "\u2029", "\x0c", "\x00", "\ufeff", "ש", "ﬁ", "İ", "ß", ".", "!", "?", ":", "Mr.", "U.S."])
WORDY = st.sampled_from(["The", "minister", "said", "Anna", "Berg", "told", "reporters", "in", "Berlin", "that", "prices", "rose", "“We will act,”"])
TEXT = st.lists(st.one_of(st.text(max_size=12), TRICKY, WORDY), max_size=60).map(" ".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=TEXT)
def test_any_unicode_text_gives_valid_offsets_and_unique_ids(nlp, config, body):
    try:
        art = normalize(RawArticle("p.jsonl#1", body, {"language": "en"}), config.text, max_chars=config.limits.max_article_chars)
    except InputRejected:
        return
    for s, e, _ in art.paragraphs:
        assert 0 <= s < e <= len(art.text) and art.text[s:e].strip() == art.text[s:e]
    (ann,) = list(annotate([art], nlp))
    text = ann.article["text"]
    assert text == art.text
    for table, rows in (("sentences", ann.sentences), ("entities", ann.entities), ("claims", ann.claims)):
        ids = [r[schemas.primary_key(table)[0]] for r in rows]
        assert len(ids) == len(set(ids)), table
        for r in rows:
            for tcol, scol, ecol in schemas.span_columns(table):
                if r[scol] is None and r[ecol] is None:
                    assert r[tcol] is None
                    continue
                assert 0 <= r[scol] <= r[ecol] <= len(text), (table, r)
                assert text[r[scol]:r[ecol]] == r[tcol], (table, r)
    assert ann.article["n_sentences"] == len(ann.sentences)


def _value(field: dict) -> st.SearchStrategy:
    t = schemas.arrow_type(field)
    if t == pa.int32():
        v = st.integers(-(2**31), 2**31 - 1)
    elif t == pa.int64():
        v = st.integers(-(2**63), 2**63 - 1)
    elif t == pa.bool_():
        v = st.booleans()
    elif t == pa.float64():
        v = st.floats(allow_nan=False)
    else:
        v = st.text()
    return v if schemas.is_required(field) else st.one_of(st.none(), v)


def _rows(table: str) -> st.SearchStrategy:
    return st.lists(st.fixed_dictionaries({f["name"]: _value(f) for f in schemas.fields(table)}), max_size=30)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(schemas.TABLES), data=st.data(), group=st.integers(1, 7))
def test_parquet_round_trip_preserves_every_value(table, data, group):
    rows = data.draw(_rows(table))
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{table}.parquet"
        w = TableWriter(table, path, row_group_size=group)
        for k in range(0, len(rows), 4):
            w.write(rows[k:k + 4])
        w.close()
        back = pq.read_table(path)
        assert back.schema.equals(schemas.arrow_schema(table), check_metadata=False)
        assert back.to_pylist() == rows
        assert w.rows == len(rows)


@FAST
@given(body=TEXT, from_txt=st.booleans())
def test_normalization_is_idempotent(config, body, from_txt):
    try:
        once = normalize(RawArticle("x", body, from_txt=from_txt), config.text, max_chars=10**6)
    except InputRejected:
        return
    twice = normalize(RawArticle("x", once.text, from_txt=from_txt), config.text, max_chars=10**6)
    assert twice.text == once.text
    assert twice.paragraphs == once.paragraphs
    assert twice.article_id == once.article_id


BYTES = st.one_of(
    st.binary(max_size=400),
    TEXT.map(lambda t: t.encode("utf-8")),
    TEXT.map(lambda t: t.encode("utf-16")),
    st.lists(st.sampled_from([b'{"text": "', b'"}', b"\n", b",", b'"', b"id,text\n", b"\xff", b"\x00", b"\\ud800", b"[", b"{", b"\r"]),
             max_size=30).map(b"".join),
)


@FAST
@given(data=BYTES, fmt=st.sampled_from(["text", "jsonl", "csv"]))
def test_readers_never_raise_on_arbitrary_bytes(config, data, fmt):
    ext = {"text": ".txt", "jsonl": ".jsonl", "csv": ".csv"}[fmt]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"x{ext}"
        p.write_bytes(data)
        f = InputFile(path=p, rel=p.name, format=fmt, size=len(data))
        for item in reader_for(fmt)(f, config):
            assert isinstance(item, (RawArticle, Reject))
            if isinstance(item, Reject):
                assert item.reason and "\n" not in item.reason
                continue
            try:
                art = normalize(item, config.text, max_chars=config.limits.max_article_chars)
            except InputRejected:
                continue
            art.text.encode("utf-8")  # always storable: no lone surrogates
            assert art.origin.startswith("x")


@FAST
@given(data=st.binary(max_size=2000))
def test_decoding_either_gives_text_or_a_one_line_reason(data):
    try:
        text, enc = decode_bytes(data)
    except InputRejected as e:
        assert str(e) and "\n" not in str(e)
        return
    assert isinstance(text, str) and enc


def test_fuzz_script_runs_clean_for_a_few_seconds(tmp_path):
    import subprocess
    import sys

    script = Path(__file__).resolve().parent.parent / "scripts" / "fuzz_readers.py"
    proc = subprocess.run([sys.executable, str(script), "--seconds", "3", "--seed", "1", "--crashes", str(tmp_path / "c")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "0 crash(es)" in proc.stdout
