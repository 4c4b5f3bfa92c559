"""End-to-end builds: the manifest accounts for everything, releases are reproducible,
atomic and immutable, and validators agree."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from presspack.errors import NoReleaseWritten, ReleaseExists
from presspack.orchestrate.run import build
from presspack.package import schemas
from presspack.validate.run import validate

ARTICLE = (
    "Mayor backs new tram line | local\n\nexample.org\n\n"
    "City mayor Anna Berg said on Monday that the new tram line would open in 2027.\n\n"
    "“We will not wait any longer,” Berg told reporters.\n"
)
RECORDS = "\n".join(
    [
        json.dumps({"id": "r1", "title": "Port strike", "text": "Dock workers in Rotterdam said the strike would continue.", "published": "2025-01-02"}),
        json.dumps({"id": "r2", "title": "No body"}),
        '{"id": "r3", "text": "truncated',
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "r5", "text": "Dock workers in Rotterdam said the strike would continue.", "published": "someday"}),
    ]
)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, nlp, config):
    src = tmp_path_factory.mktemp("mixed")
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "empty.txt").write_text("   \n\n", encoding="utf-8")
    (src / "blob.txt").write_bytes(bytes(range(256)) * 4)
    (src / "recs.jsonl").write_text(RECORDS, encoding="utf-8")
    (src / "notes.md").write_text("# not an input", encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    result = build([src], out, "0.1.0", config, nlp=nlp)
    return src, out, result


def files_by_path(manifest):
    return {f["path"]: f for f in manifest["files"]}


def test_manifest_accounts_for_every_input(mixed):
    _, _, result = mixed
    files = files_by_path(json.loads((result.release_dir / "manifest.json").read_text()))
    assert set(files) == {"a.txt", "empty.txt", "blob.txt", "recs.jsonl", "notes.md"}
    assert files["a.txt"]["status"] == "accepted" and len(files["a.txt"]["article_ids"]) == 1
    assert files["empty.txt"]["status"] == "rejected" and "empty" in files["empty.txt"]["reason"]
    assert files["blob.txt"]["status"] == "rejected" and "binary" in files["blob.txt"]["reason"]
    assert files["notes.md"]["status"] == "rejected" and "unsupported" in files["notes.md"]["reason"]
    recs = files["recs.jsonl"]
    assert recs["status"] == "partial"
    assert len(recs["article_ids"]) == 1
    by_origin = {r["origin"]: r for r in recs["records"]}
    assert by_origin["recs.jsonl#r2"]["reason"] == "record 2 has no text"
    assert "malformed JSON" in by_origin["recs.jsonl#3"]["reason"]
    assert "not an object" in by_origin["recs.jsonl#4"]["reason"]
    assert by_origin["recs.jsonl#r5"]["status"] == "duplicate"
    assert by_origin["recs.jsonl#r5"]["duplicate_of"] == recs["article_ids"][0]
    assert result.counts == {"accepted": 2, "rejected": 6, "duplicate": 1}
    for f in files.values():
        assert f["sha256"] is None or len(f["sha256"]) == 64


def test_manifest_provenance(mixed):
    _, _, result = mixed
    prov = json.loads((result.release_dir / "manifest.json").read_text())["provenance"]
    assert prov["model"]["name"].startswith("en_core_web_sm")
    assert prov["model"]["version"] == "3.8.0"
    assert {"spacy", "pyarrow", "pandas", "frictionless"} <= set(prov["libraries"])
    assert prov["python"].count(".") == 2
    assert len(prov["inputs_sha256"]) == 64


def test_record_metadata(mixed):
    _, _, result = mixed
    arts = pd.read_parquet(result.release_dir / "articles.parquet").set_index("external_id")
    assert arts.loc["r1", "published"] == "2025-01-02"
    assert arts.loc["r1", "origin"] == "recs.jsonl#r1"
    assert arts.loc["r1", "title"] == "Port strike"


def test_release_is_valid(mixed):
    _, _, result = mixed
    report = validate(result.release_dir, frictionless=True)
    assert report.valid, [p.line() for p in report.problems]
    assert "frictionless" in report.checks


def test_frictionless_cli_accepts_release(mixed):
    _, _, result = mixed
    exe = Path(sys.executable).parent / "frictionless"
    proc = subprocess.run([str(exe), "validate", str(result.release_dir / "datapackage.json")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-2000:]


def test_existing_release_is_never_overwritten(mixed, nlp, config):
    src, out, _ = mixed
    with pytest.raises(ReleaseExists):
        build([src], out, "0.1.0", config, nlp=nlp)


def test_two_builds_are_byte_identical(mixed, nlp, config, tmp_path):
    src, out, first = mixed
    second = build([src], tmp_path, "0.1.0", config, nlp=nlp)
    names = sorted(p.name for p in first.release_dir.iterdir())
    assert names == [".zenodo.json", "CHANGELOG.md", "CITATION.cff", "README.md", "SHA256SUMS", "articles.parquet", "claim_entities.parquet", "claims.parquet", "croissant.json",
                     "datapackage.json", "entities.parquet", "entity_index.parquet", "manifest.json", "quotations.parquet", "report.html",
                     "sentences.parquet"]
    for n in names:
        assert (first.release_dir / n).read_bytes() == (second.release_dir / n).read_bytes(), n
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".presspack-tmp")]


def test_nothing_accepted_writes_no_release(make_release, tmp_path):
    with pytest.raises(NoReleaseWritten):
        make_release({"empty.txt": ""}, out=tmp_path / "o")
    assert not (tmp_path / "o" / "1.0.0").exists()


def test_every_written_column_is_declared(mixed):
    _, _, result = mixed
    dp = json.loads((result.release_dir / "datapackage.json").read_text())
    for res in dp["resources"]:
        t = res["name"]
        cols = pd.read_parquet(result.release_dir / res["path"]).columns.tolist()
        assert cols == schemas.column_names(t)
        assert [f["name"] for f in res["schema"]["fields"]] == cols
        assert res["hash"].startswith("sha256:")


def test_validate_detects_tampering(mixed, tmp_path):
    import shutil

    import pyarrow.parquet as pq

    _, _, result = mixed
    bad = tmp_path / "bad"
    shutil.copytree(result.release_dir, bad)
    t = pq.read_table(bad / "sentences.parquet").to_pylist()
    t[0]["text"] = t[0]["text"] + "X"
    import pyarrow as pa

    pq.write_table(pa.Table.from_pylist(t, schema=schemas.arrow_schema("sentences")), bad / "sentences.parquet")
    report = validate(bad, frictionless=False)
    types = {p.type for p in report.problems}
    assert {"hash-mismatch", "offsets"} <= types
    off = next(p for p in report.problems if p.type == "offsets")
    assert off.file == "sentences.parquet" and off.row == 1 and off.column == "text"


def test_cli_build_reports_without_traceback(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "bad.jsonl").write_text('{"text": "unterminated\n', encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "presspack", "build", str(src), "--out", str(tmp_path / "o"), "--version", "1.0.0"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "1 accepted, 1 rejected, 0 duplicate" in proc.stdout
    assert "Traceback" not in proc.stderr
    again = subprocess.run([sys.executable, "-m", "presspack", "build", str(src), "--out", str(tmp_path / "o"), "--version", "1.0.0"],
                           capture_output=True, text=True)
    assert again.returncode == 1
    errors = [line for line in again.stderr.splitlines() if ": warning: " not in line]  # no presspack.toml: a warning too
    assert len(errors) == 1 and "already exists" in errors[0]
    val = subprocess.run([sys.executable, "-m", "presspack", "validate", str(tmp_path / "o" / "1.0.0"), "--json"], capture_output=True, text=True)
    assert val.returncode == 0 and json.loads(val.stdout)["valid"] is True
