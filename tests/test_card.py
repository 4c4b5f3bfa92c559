"""The dataset card (README.md) loads with Hugging Face `datasets` offline; croissant.json
passes mlcroissant's validation and its records load; the datasheet and data dictionary
follow the release and schemas/."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import yaml

from presspack.extras.card import dataset_card
from presspack.package import schemas

SECTIONS = ["Motivation", "Composition", "Collection", "Preprocessing", "Uses and limits", "Distribution", "Maintenance", "Data dictionary"]


def test_card_front_matter_and_sections(example_release):
    text = (example_release / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    front = yaml.safe_load(text.split("---\n")[1])
    assert [c["config_name"] for c in front["configs"]] == list(schemas.available_tables())
    assert all(c["data_files"] == [{"split": "train", "path": f"{c['config_name']}.parquet"}] for c in front["configs"])
    assert front["license"] == "cc-by-4.0" and front["language"] == ["en"]
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert headings[: len(SECTIONS)] == SECTIONS
    manifest = json.loads((example_release / "manifest.json").read_text(encoding="utf-8"))
    model = manifest["provenance"]["model"]
    assert f"`{model['name']}` {model['version']}" in text and ", ".join(model["pipeline"]) in text
    for t in schemas.TABLES:
        rows = pq.ParquetFile(example_release / f"{t}.parquet").metadata.num_rows
        assert f"| {t} | {rows} | `{t}.parquet` |" in text
    for t in schemas.TABLES:  # the data dictionary: every column of schemas/, with its description
        for c in schemas.data_dictionary(t):
            assert f"| `{c['name']}` | {c['type']} | {c['description'].replace('|', chr(92) + '|')} |" in text
    assert dataset_card(example_release) == text  # a pure function of the release


def test_load_dataset_offline(example_release, tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    release = tmp_path / "release"
    shutil.copytree(example_release, release)  # loading must not write into the release
    before = sorted(p.name for p in release.iterdir())
    for table in ("sentences", "claims"):
        ds = datasets.load_dataset(str(release), table, split="train", cache_dir=str(tmp_path / "cache"))
        want = pq.read_table(release / f"{table}.parquet")
        assert ds.num_rows == want.num_rows
        assert ds.column_names == schemas.column_names(table)
        assert ds[0][schemas.primary_key(table)[0]] == want.column(schemas.primary_key(table)[0])[0].as_py()
    assert sorted(p.name for p in release.iterdir()) == before


def test_croissant_validates_and_loads(example_release):
    mlc = pytest.importorskip("mlcroissant")
    path = example_release / "croissant.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    ds = mlc.Dataset(jsonld=str(path))
    issues = ds.metadata.ctx.issues
    assert not issues.errors and not issues.warnings, (issues.errors, issues.warnings)
    for table in schemas.TABLES:
        records = list(ds.records(record_set=table))
        assert len(records) == pq.ParquetFile(example_release / f"{table}.parquet").metadata.num_rows
        assert set(records[0]) == {f"{table}/{c}" for c in schemas.column_names(table)}
    rs = {r["@id"]: r for r in doc["recordSet"]}
    claims = {f["name"]: f for f in rs["claims"]["field"]}
    assert claims["article_id"]["references"] == {"field": {"@id": "articles/article_id"}}
    assert claims["speaker_start"]["dataType"] == "sc:Integer" and claims["kind"]["dataType"] == "sc:Text"
    assert rs["articles"]["key"] == [{"@id": "articles/article_id"}]
    proc = subprocess.run([str(Path(sys.executable).parent / "mlcroissant"), "validate", "--jsonld", str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_croissant_catches_a_changed_table(example_release, tmp_path):
    """Croissant's sha256 is checked when records load: a tampered table fails."""
    mlc = pytest.importorskip("mlcroissant")
    release = tmp_path / "release"
    shutil.copytree(example_release, release)
    t = pq.read_table(release / "claims.parquet")
    pq.write_table(t.slice(0, 1), release / "claims.parquet")
    with pytest.raises(Exception, match="Download\\(claims.parquet\\)") as exc:
        list(mlc.Dataset(jsonld=str(release / "croissant.json")).records(record_set="claims"))
    chain, e = [], exc.value
    while e is not None:
        chain.append(str(e))
        e = e.__cause__ or e.__context__
    assert any("hash" in m.lower() or "sha256" in m.lower() for m in chain), chain
