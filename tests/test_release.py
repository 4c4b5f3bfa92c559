"""Versions: semver decisions per kind of change, versions.json, immutability, diff, info."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from presspack.errors import NothingToRelease, ReleaseExists
from presspack.extras.diff import diff_releases
from presspack.extras.finish import write_extras
from presspack.extras.versions import bump_version, read_versions, record_release, tree_hash, version_key
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import write_json
from presspack.release.provenance import provenance, provenance_json
from presspack.release.publish import release
from presspack.validate.run import validate

ART_A = {"id": "a", "title": "Council approves budget", "url": "https://news.example.org/budget", "published": "2025-03-04",
         "text": "The city council approved the 2026 budget on Tuesday. “This budget protects our schools,” said Mayor Lena Park."}
ART_B = {"id": "b", "title": "Harbour reopens", "url": "https://news.example.org/harbour", "published": "2025-03-05",
         "text": "The harbour reopened after the storm, port director Samuel Okafor said on Wednesday."}
ART_C = {"id": "c", "title": "Rail strike ends", "url": "https://rail.example.net/strike", "published": "2025-04-01",
         "text": "Train drivers ended their strike, union leader Maria Lopez told reporters in Lyon."}


def write_inputs(src: Path, *arts: dict) -> Path:
    shutil.rmtree(src, ignore_errors=True)
    src.mkdir(parents=True)
    (src / "news.jsonl").write_text("".join(json.dumps(a) + "\n" for a in arts), encoding="utf-8")
    return src


@pytest.fixture(scope="module")
def history(tmp_path_factory, nlp, config):
    """A dataset released three times: 1.0.0 [A, B], 1.1.0 [A, B, C] (added), 1.2.0 [B, C] (removed)."""
    base = tmp_path_factory.mktemp("history")
    results = []
    for arts in ((ART_A, ART_B), (ART_A, ART_B, ART_C), (ART_B, ART_C)):
        src = write_inputs(base / "in", *arts)
        results.append(release([src], base / "ds", config=config, nlp=nlp))
    return base / "ds", results


@pytest.fixture
def copy_of(history, tmp_path):
    """A fresh copy of the history's dataset directory, with only the given versions."""

    def _copy(*versions: str) -> Path:
        dst = tmp_path / "ds"
        shutil.copytree(history[0], dst)
        for p in dst.iterdir():
            if p.is_dir() and p.name not in versions:
                shutil.rmtree(p)
        return dst

    return _copy


@pytest.fixture
def rel(tmp_path, nlp, config):
    """release(articles..., out=..., **kw)."""

    def _rel(*arts: dict, out: Path, **kw):
        src = write_inputs(tmp_path / "in", *arts)
        return release([src], out, config=config, nlp=nlp, **kw)

    return _rel


def _rewrite_table(release_dir: Path, table: str, keep: int) -> None:
    """Keep the first KEEP rows of a table and fix its hash and row count in datapackage.json."""
    path = release_dir / f"{table}.parquet"
    t = pq.read_table(path)
    pq.write_table(t.slice(0, keep), path, compression="zstd")
    dp = json.loads((release_dir / "datapackage.json").read_text())
    for r in dp["resources"]:
        if r["name"] == table:
            r["hash"], r["rows"] = f"sha256:{sha256_file(path)}", keep
    write_json(release_dir / "datapackage.json", dp)


def _tamper_schema(release_dir: Path, table: str, edit) -> None:
    dp_path = release_dir / "datapackage.json"
    dp = json.loads(dp_path.read_text())
    edit(next(r for r in dp["resources"] if r["name"] == table)["schema"]["fields"])
    write_json(dp_path, dp)


def test_version_helpers():
    assert bump_version("1.4.2", "major") == "2.0.0"
    assert bump_version("1.4.2", "minor") == "1.5.0"
    assert bump_version("1.4.2", "patch") == "1.4.3"
    assert sorted(["1.10.0", "1.2.0", "1.2.0-rc.1", "0.9.9"], key=version_key) == ["0.9.9", "1.2.0-rc.1", "1.2.0", "1.10.0"]


def test_first_release_then_minor_for_added_and_removed_articles(history):
    ds, (first, added, removed) = history
    assert first.build.version == "1.0.0" and first.previous is None
    assert (added.build.version, added.bump, added.previous) == ("1.1.0", "minor", "1.0.0")
    assert len(added.diff.added) == 1 and not added.diff.removed and not added.diff.text_changed
    assert (removed.build.version, removed.bump) == ("1.2.0", "minor")
    assert len(removed.diff.removed) == 1 and not removed.diff.added
    index = read_versions(ds)
    assert index["latest"] == "1.2.0"
    assert [v["version"] for v in index["versions"]] == ["1.0.0", "1.1.0", "1.2.0"]
    assert [v["rows"]["articles"] for v in index["versions"]] == [2, 3, 2]
    for v in index["versions"]:
        assert v["sha256"] == tree_hash(v["files"])
        assert v["files"]["articles.parquet"] == sha256_file(ds / v["version"] / "articles.parquet")
        assert json.loads((ds / v["version"] / "manifest.json").read_text())["version"] == v["version"]
    assert not [p for p in ds.rglob("*") if p.is_symlink()]
    assert sorted(p.name for p in ds.iterdir() if p.name != "in") == ["1.0.0", "1.1.0", "1.2.0", "versions.json"]
    changelog = (ds / "1.1.0" / "CHANGELOG.md").read_text()
    assert "## 1.1.0" in changelog and "Changes since 1.0.0" in changelog and "1 added, 0 removed" in changelog
    assert added.diff.added[0] in changelog
    assert "First release" in (ds / "1.0.0" / "CHANGELOG.md").read_text()


def test_semver_decision_per_kind_of_change(history, tmp_path):
    ds = history[0]
    new = ds / "1.2.0"

    def old(edit) -> Path:
        d = tmp_path / f"old{len(list(tmp_path.iterdir()))}"
        shutil.copytree(new, d)
        edit(d)
        return d

    assert diff_releases(new, new).bump is None
    patch = diff_releases(old(lambda d: _rewrite_table(d, "entities", 1)), new)
    assert patch.bump == "patch" and patch.annotations_changed and not (patch.added or patch.removed or patch.text_changed)
    removed_col = diff_releases(old(lambda d: _tamper_schema(d, "claims", lambda f: f.append({"name": "old", "type": "string"}))), new)
    assert removed_col.bump == "major" and [c.change for c in removed_col.schema] == ["column-removed"]
    retyped = diff_releases(old(lambda d: _tamper_schema(d, "claims", lambda f: f[-1].update(type="integer"))), new)
    assert retyped.bump == "major" and [c.change for c in retyped.schema] == ["column-retyped"]
    added_col = diff_releases(old(lambda d: _tamper_schema(d, "claims", lambda f: f.pop())), new)
    assert added_col.bump == "minor" and added_col.schema[0].compatible
    assert diff_releases(ds / "1.0.0", ds / "1.1.0").bump == "minor"


def _edit_rows(release_dir: Path, table: str, edit) -> None:
    """Apply EDIT to each row (a dict) of a table, keep its schema, and fix its hash in datapackage.json."""
    path = release_dir / f"{table}.parquet"
    t = pq.read_table(path)
    rows = [edit(dict(r)) for r in t.to_pylist()]
    pq.write_table(type(t).from_pylist(rows, schema=t.schema), path, compression="zstd")
    dp = json.loads((release_dir / "datapackage.json").read_text())
    next(r for r in dp["resources"] if r["name"] == table)["hash"] = f"sha256:{sha256_file(path)}"
    write_json(release_dir / "datapackage.json", dp)


def test_diff_reports_a_new_canonical_name_as_a_renaming(history, tmp_path):
    new = history[0] / "1.2.0"
    key = "person:samuel-okafor"

    def older(tables) -> Path:
        d = tmp_path / f"old{len(list(tmp_path.iterdir()))}"
        shutil.copytree(new, d)
        for table, name_col in tables:
            _edit_rows(d, table, lambda r, c=name_col: {**r, c: "Sam Okafor"} if r.get(c) == "Samuel Okafor" and key in (r.get("entity_key"), r.get("speaker_key")) else r)
        return d

    renamed = diff_releases(older([("entity_index", "canonical"), ("entities", "canonical"), ("claims", "speaker_name")]), new)
    assert renamed.renamed == [{"entity_key": key, "before": "Sam Okafor", "after": "Samuel Okafor"}]
    assert renamed.annotations_changed == [] and renamed.changed == [] and renamed.bump == "patch"
    assert f"entities renamed: 1 (same key, new canonical name; not counted as annotation changes)\n  {key}: 'Sam Okafor' -> 'Samuel Okafor'" in renamed.summary()
    assert renamed.to_dict()["entities"]["renamed"] == renamed.renamed
    # the same names changed in one article's mentions while the index keeps them is an annotation change
    mentions_only = diff_releases(older([("entities", "canonical")]), new)
    assert mentions_only.renamed == [] and len(mentions_only.annotations_changed) == 1 and mentions_only.bump == "patch"
    assert diff_releases(new, new).renamed == []


def test_auto_release_patch_when_only_annotations_changed(copy_of, rel):
    out = copy_of("1.0.0", "1.1.0", "1.2.0")
    n = json.loads((out / "1.2.0" / "datapackage.json").read_text())["resources"][2]["rows"]
    _rewrite_table(out / "1.2.0", "entities", n - 1)  # the pipeline now finds one entity more
    nxt = rel(ART_B, ART_C, out=out)
    assert (nxt.build.version, nxt.bump) == ("1.2.1", "patch")
    assert nxt.diff.rows["entities"] == {"a": n - 1, "b": n}
    assert "## 1.2.1" in (out / "1.2.1" / "CHANGELOG.md").read_text()


def test_nothing_changed_is_refused_unless_bumped(copy_of, rel):
    out = copy_of("1.0.0", "1.1.0", "1.2.0")
    with pytest.raises(NothingToRelease):
        rel(ART_B, ART_C, out=out)
    assert not [p for p in out.iterdir() if p.name.startswith(".presspack")]
    assert rel(ART_B, ART_C, out=out, bump="major").build.version == "2.0.0"


def test_auto_release_is_byte_identical_to_explicit_version(history, copy_of, rel):
    out = copy_of("1.0.0")
    explicit = rel(ART_A, ART_B, ART_C, out=out, version="1.1.0")
    a, b = history[0] / "1.1.0", explicit.build.release_dir
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


def test_released_versions_are_immutable(copy_of, rel):
    out = copy_of("1.0.0", "1.1.0", "1.2.0")
    with pytest.raises(ReleaseExists):
        rel(ART_A, out=out, version="1.1.0")
    with pytest.raises(ReleaseExists):
        rel(ART_A, out=out, version="1.1.5")  # not above the latest
    d = out / "1.1.0"
    with pytest.raises(ReleaseExists):
        write_extras(d)  # regenerating files inside a released version is refused too
    assert validate(d, frictionless=False).valid
    (d / "README.md").write_text("edited by hand\n", encoding="utf-8")
    (d / "extra.txt").write_text("new file\n", encoding="utf-8")
    (d / "report.html").unlink()
    report = validate(d, frictionless=False)
    problems = {(p.type, p.file) for p in report.problems}
    assert {p for p in problems if p[0] == "immutable"} == {("immutable", "README.md"), ("immutable", "extra.txt"), ("immutable", "report.html")}
    # the release's SHA256SUMS seal reports the same three changes on its own
    assert {("extra-file", "extra.txt"), ("hash-mismatch", "README.md"), ("missing-file", "report.html")} <= problems
    assert "immutable" in report.checks


def test_validate_checks_citation_and_croissant_of_a_loose_release(history, tmp_path):
    d = tmp_path / "loose" / "1.0.0"  # not recorded in any versions.json
    shutil.copytree(history[0] / "1.0.0", d)
    assert validate(d, frictionless=False).valid
    (d / "CITATION.cff").write_text((d / "CITATION.cff").read_text().replace("type: dataset", "type: data"), encoding="utf-8")
    cro = json.loads((d / "croissant.json").read_text())
    cro["distribution"][1]["sha256"] = "0" * 64
    write_json(d / "croissant.json", cro)
    problems = {(p.type, p.file) for p in validate(d, frictionless=False).problems}
    assert {p for p in problems if p[0] in ("citation", "croissant")} == {("citation", "CITATION.cff"), ("croissant", "croissant.json")}


def test_diff_output_and_cli(history):
    ds = history[0]
    a, b = ds / "1.0.0", ds / "1.2.0"
    d = diff_releases(a, b)
    assert len(d.added) == 1 and len(d.removed) == 1 and d.bump == "minor" and not d.text_changed
    assert d.added == history[1][1].diff.added and d.removed == history[1][2].diff.removed
    text = d.summary()
    assert text.splitlines()[0] == "1.0.0 -> 1.2.0: minor change"
    assert f"articles added: 1: {d.added[0]}" in text and f"articles removed: 1: {d.removed[0]}" in text
    assert "  articles: 2 -> 2 (+0)" in text and "schema changes: none" in text
    proc = subprocess.run([sys.executable, "-m", "presspack", "diff", str(a), str(b), "--json"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(json.dumps(d.to_dict()))
    proc = subprocess.run([sys.executable, "-m", "presspack", "diff", str(a), str(ds / "nope")], capture_output=True, text=True)
    assert proc.returncode == 2 and "not a release" in proc.stderr and "Traceback" not in proc.stderr


def test_info_prints_provenance(history):
    rd = history[0] / "1.0.0"
    p = provenance(rd)
    m = json.loads((rd / "manifest.json").read_text())
    assert p["model"]["name"] == m["provenance"]["model"]["name"]
    assert p["inputs"]["inputs_sha256"] == m["provenance"]["inputs_sha256"]
    assert p["inputs"]["by_status"] == {"accepted": 1} and p["counts"]["accepted"] == 2
    proc = subprocess.run([sys.executable, "-m", "presspack", "info", str(rd)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert f"presspack {m['provenance']['presspack']}" in out
    assert m["provenance"]["model"]["name"] in out and m["provenance"]["inputs_sha256"] in out
    assert f"spacy {m['provenance']['libraries']['spacy']}" in out
    assert f"{m['files'][0]['sha256']}  news.jsonl (accepted)" in out
    proc = subprocess.run([sys.executable, "-m", "presspack", "info", str(rd), "--json"], capture_output=True, text=True)
    hashes = list(p["inputs"]["hashes"])
    assert proc.stdout == json.dumps({**p, "inputs": {**p["inputs"], "hashes": hashes}}, indent=2) + "\n"


@pytest.mark.parametrize("n", [0, 1, 2, 5])
@pytest.mark.parametrize("after", [1, 2, None])
def test_provenance_json_streams_the_file_hashes_with_the_bytes_of_a_list(history, monkeypatch, n, after):
    from presspack.package import jsonio as package

    if after is not None:
        monkeypatch.setattr(package, "SPOOL_AFTER", after)
    p = provenance(history[0] / "1.0.0")
    hashes = package.Spool()
    items = [{"path": f"dossier-{i}-é.jsonl", "sha256": f"{i:064x}", "status": "accepted"} for i in range(n)]
    for h in items:
        hashes.append(h)
    assert hashes.spilled == (after is not None and n >= after)
    streamed = "".join(provenance_json({**p, "inputs": {**p["inputs"], "hashes": hashes}}))
    assert streamed == json.dumps({**p, "inputs": {**p["inputs"], "hashes": items}}, indent=2)


def test_info_memory_does_not_grow_with_input_files(tmp_path, monkeypatch):
    """`presspack info` on a manifest of many input files: their hashes go to a Spool."""
    import tracemalloc

    from presspack.package import jsonio as package

    monkeypatch.setattr(package, "SPOOL_AFTER", 1000)

    def peak(n: int) -> int:
        rd = tmp_path / f"r{n}"
        rd.mkdir()
        with open(rd / "manifest.json", "w", encoding="utf-8") as fh:
            fh.write('{"version": "1.0.0", "provenance": {}, "counts": {}, "files": [')
            fh.write(",".join(json.dumps({"path": f"in/{i}.txt", "sha256": f"{i:064x}", "status": "accepted", "format": "text",
                                          "article_ids": [f"a{i}"]}) for i in range(n)))
            fh.write("]}")
        tracemalloc.start()
        p = provenance(rd)
        for _ in provenance_json(p):
            pass
        top = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert p["inputs"]["files"] == n
        return top

    small, big = peak(5_000), peak(50_000)
    assert big < 1.5 * small, (small, big)  # a list of the 50,000 hashes alone would be about 10x


def test_versions_index_adopts_older_releases_and_forgets_deleted_ones(copy_of, history):
    out = copy_of("1.0.0", "1.1.0")
    (out / "versions.json").unlink()
    index = record_release(out, out / "1.1.0")
    assert [v["version"] for v in index["versions"]] == ["1.0.0", "1.1.0"] and index["latest"] == "1.1.0"
    assert index["versions"] == [v for v in read_versions(history[0])["versions"] if v["version"] in ("1.0.0", "1.1.0")]
    shutil.rmtree(out / "1.1.0")
    index = record_release(out, out / "1.0.0")
    assert [v["version"] for v in index["versions"]] == ["1.0.0"] and index["latest"] == "1.0.0"


def test_extras_are_regenerated_from_the_release_alone(history, tmp_path):
    """No NLP: the extras are functions of the release directory (and the previous release)."""
    src = history[0] / "1.1.0"
    d = tmp_path / "loose" / "1.1.0"
    shutil.copytree(src, d)
    extras = [".zenodo.json", "CHANGELOG.md", "CITATION.cff", "README.md", "croissant.json", "report.html"]
    for n in extras:
        (d / n).unlink()
    write_extras(d, history[0] / "1.0.0")
    for n in extras:
        assert (d / n).read_bytes() == (src / n).read_bytes(), n


def test_release_cli(copy_of, tmp_path, capsys):
    from presspack.cli import main

    out = copy_of("1.0.0", "1.1.0", "1.2.0")
    src = write_inputs(tmp_path / "cli-in", ART_B, ART_C)
    cfg = str(Path(__file__).resolve().parent.parent / "examples" / "presspack.toml")
    assert main(["release", str(src), "--out", str(out), "--config", cfg, "--quiet"]) == 1
    assert "nothing changed since 1.2.0" in capsys.readouterr().err
    assert main(["release", str(src), "--out", str(out), "--config", cfg, "--bump", "patch", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert (res["version"], res["previous"], res["bump"]) == ("1.2.1", "1.2.0", "patch")
    assert read_versions(out)["latest"] == "1.2.1"
