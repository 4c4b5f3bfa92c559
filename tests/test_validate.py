"""presspack validate detects any change to a release and names file, row and column."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from presspack.package import schemas
from presspack.package.hashing import sha256_file
from presspack.package.seal import SEAL_NAME, write_seal
from presspack.package.tables import PARQUET_OPTIONS
from presspack.validate.run import validate


@pytest.fixture
def release(example_release, tmp_path) -> Path:
    dst = tmp_path / "1.0.0"
    shutil.copytree(example_release, dst)
    return dst


def rewrite(release: Path, table: str, change) -> None:
    """Change rows of a table and make every hash consistent again (a careful tamperer or a
    buggy writer): only the data checks can then find the problem."""
    path = release / f"{table}.parquet"
    rows = pq.read_table(path).to_pylist()
    rows = change(rows)
    loose = pa.schema([f.with_nullable(True) for f in schemas.arrow_schema(table)])  # a writer that ignores `required`
    pq.write_table(pa.Table.from_pylist(rows, schema=loose), path, **PARQUET_OPTIONS)
    dp = json.loads((release / "datapackage.json").read_text())
    for r in dp["resources"]:
        if r["name"] == table:
            r["hash"] = f"sha256:{sha256_file(path)}"
            r["rows"] = len(rows)
    (release / "datapackage.json").write_text(json.dumps(dp, indent=2))
    (release / SEAL_NAME).unlink()
    write_seal(release)


def write_manifest(release: Path, change) -> None:
    """Change manifest.json (and seal the release again)."""
    m = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    (release / "manifest.json").write_text(json.dumps(change(m) or m, indent=2), encoding="utf-8")
    (release / SEAL_NAME).unlink()
    write_seal(release)


from presspack.validate import manifest as validate_mod  # noqa: E402
from presspack.validate import report as validate_report  # noqa: E402


def types(report) -> set[str]:
    return {p.type for p in report.problems}


def test_pristine_release_is_sealed_and_valid(release):
    report = validate(release)
    assert report.valid, [p.line() for p in report.problems]
    assert "seal" in report.checks and report.warnings == []
    assert set(report.rows) == set(schemas.available_tables())


def test_any_file_change_is_detected(release):
    m = release / "manifest.json"
    m.write_text(m.read_text().replace('"accepted"', '"rejected"', 1))
    d = release / "datapackage.json"
    d.write_text(d.read_text().replace('"title": "', '"title": "X', 1))
    report = validate(release)
    bad = {(p.type, p.file) for p in report.problems}
    assert ("hash-mismatch", "manifest.json") in bad and ("hash-mismatch", "datapackage.json") in bad


def test_extra_and_missing_files(release):
    (release / "notes.txt").write_text("added later")
    (release / "sub").mkdir()
    (release / "sub" / "x.parquet").write_bytes(b"")
    (release / "claims.parquet").unlink()
    report = validate(release)
    bad = {(p.type, p.file) for p in report.problems}
    assert {("extra-file", "notes.txt"), ("extra-file", "sub/x.parquet"), ("missing-file", "claims.parquet")} <= bad


def test_removing_the_seal_is_detected(release):
    (release / SEAL_NAME).unlink()
    report = validate(release)
    assert ("missing-file", SEAL_NAME) in {(p.type, p.file) for p in report.problems}


def test_duplicate_key_enum_and_offsets_are_named(release):
    def sents(rows):
        rows[3]["sentence_id"] = rows[1]["sentence_id"]
        return rows

    def ents(rows):
        rows[2]["label"] = "ALIEN"
        rows[4]["start"] += 1
        rows[5]["sentence_id"] = "nope"
        return rows

    rewrite(release, "sentences", sents)
    rewrite(release, "entities", ents)
    report = validate(release)
    assert not [p for p in report.problems if p.type == "hash-mismatch"]
    got = {(p.type, p.file, p.row, p.column) for p in report.problems}
    assert ("primary-key", "sentences.parquet", 4, "sentence_id") in got
    assert ("enum", "entities.parquet", 3, "label") in got
    assert ("offsets", "entities.parquet", 5, "text") in got
    assert ("foreign-key", "entities.parquet", 6, "sentence_id") in got


def test_manifest_and_table_consistency(release):
    def arts(rows):
        rows[0]["origin"] = "elsewhere.txt"
        return rows

    rewrite(release, "sentences", lambda rows: rows[:-1])
    rewrite(release, "articles", arts)
    report = validate(release)
    got = {(p.type, p.file, p.column) for p in report.problems}
    assert ("articles", "articles.parquet", "n_sentences") in got
    assert ("manifest", "manifest.json", "counts") in got
    assert ("manifest", "articles.parquet", "origin") in got


def test_claim_spans_and_missing_values(release):
    def claims(rows):
        rows[0]["content_end"] = rows[0]["content_end"] + 1000
        rows[1]["kind"] = None
        rows[2]["speaker_start"] = None  # speaker_text and speaker_end stay: a half-null span
        return rows

    rewrite(release, "claims", claims)
    report = validate(release)
    got = {(p.type, p.row, p.column) for p in report.problems if p.file == "claims.parquet"}
    assert ("offsets", 1, "content_text") in got
    assert ("required", 2, "kind") in got
    assert ("offsets", 3, "speaker_text") in got


def test_claim_targets_must_lie_inside_their_claim(release):
    ents = pq.read_table(release / "entities.parquet").to_pylist()
    links = pq.read_table(release / "claim_entities.parquet").to_pylist()
    claims = {c["claim_id"]: c for c in pq.read_table(release / "claims.parquet").to_pylist()}
    linked = {(r["claim_id"], r["mention_id"]) for r in links}
    outside = next(m for m in ents if all(not (c["content_start"] <= m["start"] and m["end"] <= c["content_end"]) for c in claims.values()))
    claim = next(c for c in claims if (c, outside["mention_id"]) not in linked)

    def change(rows):
        rows[0]["entity_key"] = "person:somebody-else"  # also not in entity_index
        rows.append({"article_id": outside["article_id"], "claim_id": claim, "mention_id": outside["mention_id"], "entity_key": outside["entity_key"]})
        return rows

    rewrite(release, "claim_entities", change)
    report = validate(release)
    got = {(p.type, p.row, p.column) for p in report.problems if p.file == "claim_entities.parquet" and not p.type.startswith("frictionless")}
    assert got == {("claim-target", 1, "mention_id"), ("foreign-key", 1, "entity_key"), ("claim-target", len(links) + 1, "mention_id")}


def test_cli_exit_code_and_json(release):
    (release / "extra.bin").write_bytes(b"x")
    proc = subprocess.run([sys.executable, "-m", "presspack", "validate", str(release), "--json"], capture_output=True, text=True)
    assert proc.returncode == 1
    out = json.loads(proc.stdout)
    assert out["valid"] is False and out["problems"][0]["file"] == "extra.bin"
    proc = subprocess.run([sys.executable, "-m", "presspack", "validate", str(release)], capture_output=True, text=True)
    assert proc.returncode == 1 and "extra.bin: [extra-file]" in proc.stdout


def test_listed_articles_are_checked_over_several_parquet_batches(release, monkeypatch):
    """The manifest's article ids go to a temporary Parquet file a few rows at a time; the
    problems are those of the ids as listed, in the same order."""
    first = pq.read_table(release / "articles.parquet").to_pylist()[0]
    b = [f"b{k:016x}" for k in range(5)]
    rewrite(release, "articles", lambda rows: rows + [{**first, "article_id": b[k], "origin": f"feed.jsonl#{k}"} for k in range(5)])

    def change(m):
        m["counts"].update(accepted=6, articles_rows=6)
        m["files"] += [
            {"path": "feed.jsonl", "status": "partial", "reason": "r", "article_ids": [b[0], b[1], "zz-1", b[1]], "records": []},
            {"article_ids": [b[2], "zz-2", b[0]], "status": "accepted", "path": "other.jsonl"},  # the path after the ids
            {"records": [{"status": "rejected", "reason": "bad"}, {"origin": "x#1"}], "status": "odd", "path": "p", "article_ids": []},
            {"path": "q", "status": "accepted", "article_ids": None},
        ]

    write_manifest(release, change)
    flushes = []
    flush = validate_mod._ParquetRows.flush
    monkeypatch.setattr(validate_mod._ParquetRows, "flush", lambda self: flushes.append(len(self.columns[0])) or flush(self))
    monkeypatch.setattr(validate_mod, "LISTED_BATCH", 2)
    report = validate(release, frictionless=False)
    got = [(p.file, p.row, p.column, p.message) for p in report.problems if p.type == "manifest"]
    # the entry's own fields are the JSON Schema's to check (these entries lack some), once
    schema = [(p.row, p.column, p.message) for p in report.problems if p.type == "manifest-schema"]
    assert [(r, m) for r, c, m in schema if c == "status"] == \
        [(4, "file 'p': status: 'odd' is not one of ['accepted', 'partial', 'rejected', 'duplicate', 'excluded', 'metadata']")]
    assert not [p for p in report.problems if p.type == "manifest" and p.column in ("status", "reason")]
    assert got == [
        ("manifest.json", 4, "records", "record {'status': 'rejected', 'reason': 'bad'} of 'p' is not a valid record (an origin, a status rejected or duplicate, a reason)"),
        ("manifest.json", 4, "records", "record {'origin': 'x#1'} of 'p' is not a valid record (an origin, a status rejected or duplicate, a reason)"),
        ("manifest.json", 5, "article_ids", "file 'q' is accepted but lists no article"),
        ("articles.parquet", 5, "article_id", f"{b[3]} is not listed in manifest.json"),
        ("articles.parquet", 6, "article_id", f"{b[4]} is not listed in manifest.json"),
        ("manifest.json", 2, "article_ids", "zz-1 is not in articles.parquet"),
        ("manifest.json", 3, "article_ids", "zz-2 is not in articles.parquet"),
        ("manifest.json", 2, "article_ids", f"{b[1]} is listed more than once"),
        ("manifest.json", 3, "article_ids", f"{b[0]} is listed more than once"),
        ("articles.parquet", 2, "origin", "origin 'feed.jsonl#0' is not from 'other.jsonl', the manifest file that lists it"),
        ("articles.parquet", 4, "origin", "origin 'feed.jsonl#2' is not from 'other.jsonl', the manifest file that lists it"),
    ]
    assert flushes.count(2) >= 4  # 8 ids listed: written two by two
    monkeypatch.undo()
    assert [p for p in validate(release, frictionless=False).problems if p.type == "manifest"] == \
        [p for p in report.problems if p.type == "manifest"]  # one batch: the same


def test_validate_memory_does_not_grow_with_the_articles_listed(release, monkeypatch):
    """One manifest entry listing 20,000 or 200,000 article ids (an input file with that
    many records): as many Python strings would take about 20 MB; validate holds a batch
    of them at a time."""
    monkeypatch.setattr(validate_mod, "LISTED_BATCH", 5_000, raising=False)
    text = (release / "manifest.json").read_text(encoding="utf-8")
    (real,) = json.loads(text)["files"][0]["article_ids"]
    validate(release, frictionless=False)  # imports and caches: not what is measured

    def peak(n):
        ids = "[" + ", ".join([json.dumps(real), *(f'"z{k:016x}"' for k in range(1, n))]) + "]"
        m = json.loads(text)
        m["files"][0]["article_ids"] = "IDS"
        (release / "manifest.json").write_text(json.dumps(m).replace('"IDS"', ids), encoding="utf-8")
        del ids
        tracemalloc.start()
        try:
            report = validate(release, frictionless=False)
            got = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        listed = [p for p in report.problems if p.type == "manifest"]
        assert len(listed) == validate_report.MAX_PROBLEMS_PER_CHECK and listed[0].message == f"z{1:016x} is not in articles.parquet"
        return got

    small, big = peak(20_000), peak(200_000)
    # held whole, the ids took ~18 MB more at 200,000; what grows here is the hashing of
    # manifest.json, which reads it 1 MB at a time
    assert big < small + 1_000_000 and big < 4_000_000, (small, big)
