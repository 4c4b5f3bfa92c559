"""Citation files in every release, each checked by its real validator or parser:
CITATION.cff against the CFF 1.2.0 JSON schema (jsonschema), BibTeX from `presspack cite`
parsed back with bibtexparser, .zenodo.json and APA checked field by field."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import bibtexparser
import pytest
import yaml
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts

from presspack.config import load_config
from presspack.extras.cite import apa, bibtex, cite, validate_cff
from presspack.release.publish import release

CONFIG = """
[dataset]
name = "harbour-news"
title = "Harbour & city news: a 100% test corpus"
description = "Short news items about a city council and its harbour."
license = "CC-BY-4.0"
date = "2025-06-30"
doi = "{doi}"
concept_doi = "10.5281/zenodo.1234567"
publisher = "Zenodo"
homepage = "https://example.org/harbour-news"
keywords = ["news", "harbour", "claims"]
authors = [
  {{ name = "Ana María Pérez", given_names = "Ana María", family_names = "Pérez", orcid = "0000-0002-1825-0097", affiliation = "Example University" }},
  {{ name = "The Harbour Lab" }},
]
"""
ARTICLES = [
    {"id": "1", "title": "Harbour reopens", "url": "https://news.example.org/harbour?utm_source=x", "published": "2025-03-05",
     "text": "The harbour reopened after the storm, port director Samuel Okafor said on Wednesday."},
    {"id": "2", "title": "Council vote", "url": "https://city.example.net/vote", "published": "2025-03-06",
     "text": "“The budget is fair,” Mayor Lena Park told the council on Thursday."},
]


@pytest.fixture(scope="module")
def releases(tmp_path_factory, nlp):
    """1.0.0 with version DOI ...568, then 1.1.0 (one article more) with version DOI ...569."""
    base = tmp_path_factory.mktemp("cite")
    out = base / "ds"
    for i, doi in enumerate(("10.5281/zenodo.1234568", "10.5281/zenodo.1234569")):
        (base / "presspack.toml").write_text(CONFIG.format(doi=doi), encoding="utf-8")
        src = base / "in"
        src.mkdir(exist_ok=True)
        (src / "news.jsonl").write_text("".join(json.dumps(a) + "\n" for a in ARTICLES[: i + 1]), encoding="utf-8")
        release([src], out, config=load_config(base / "presspack.toml"), nlp=nlp)
    return out / "1.0.0", out / "1.1.0"


def test_citation_cff_is_valid_cff_1_2_0(releases):
    text = (releases[1] / "CITATION.cff").read_text(encoding="utf-8")
    assert validate_cff(text) == []
    cff = yaml.safe_load(text)
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert cff["version"] == "1.1.0" and str(cff["date-released"]) == "2025-06-30"
    assert cff["authors"][0] == {"family-names": "Pérez", "given-names": "Ana María",
                                 "orcid": "https://orcid.org/0000-0002-1825-0097", "affiliation": "Example University"}
    assert cff["authors"][1] == {"name": "The Harbour Lab"}
    assert cff["license"] == "CC-BY-4.0" and cff["abstract"].startswith("Short news items")
    assert cff["keywords"] == ["news", "harbour", "claims"]
    assert {i["value"] for i in cff["identifiers"] if i["type"] == "doi"} == {"10.5281/zenodo.1234569", "10.5281/zenodo.1234567"}
    ref = cff["references"][0]
    assert ref["type"] == "software" and ref["title"].startswith("presspack")


def test_cff_validator_catches_errors(releases):
    cff = yaml.safe_load((releases[1] / "CITATION.cff").read_text(encoding="utf-8"))
    cff["authors"][0]["orcid"] = "0000-0002-1825-0097"  # not a URL
    del cff["title"]
    cff["type"] = "data"
    problems = validate_cff(yaml.safe_dump(cff))
    assert any("title" in p for p in problems)
    assert any(p.startswith("authors/0") for p in problems)
    assert any(p.startswith("type") for p in problems)


def test_missing_cff_schema_is_one_clear_problem(releases, monkeypatch):
    import importlib.util

    from presspack.extras import cite
    from presspack.extras.finish import release_problems

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    cite.cff_schema.cache_clear()
    try:
        problems = [p for p in release_problems(releases[1]) if p[0] == "citation"]
    finally:
        cite.cff_schema.cache_clear()
    assert len(problems) == 1
    assert problems[0][2].startswith("cannot check: the CFF 1.2.0 JSON schema is not installed")
    assert "requirements-data.txt" in problems[0][2]


def test_sample_config_cff_is_valid(example_release):
    text = (example_release / "CITATION.cff").read_text(encoding="utf-8")
    assert validate_cff(text) == []
    assert "identifiers" not in yaml.safe_load(text)  # no DOI configured: none invented


def test_zenodo_json(releases):
    z = json.loads((releases[1] / ".zenodo.json").read_text(encoding="utf-8"))
    assert z["upload_type"] == "dataset" and z["version"] == "1.1.0" and z["publication_date"] == "2025-06-30"
    assert z["creators"][0] == {"name": "Pérez, Ana María", "orcid": "0000-0002-1825-0097", "affiliation": "Example University"}
    assert z["license"] == "cc-by-4.0" and z["doi"] == "10.5281/zenodo.1234569"
    rel = {(r["relation"], r["identifier"]) for r in z["related_identifiers"]}
    assert ("isNewVersionOf", "10.5281/zenodo.1234568") in rel
    assert ("isVersionOf", "10.5281/zenodo.1234567") in rel
    assert {i for r, i in rel if r == "isDerivedFrom"} == {"https://city.example.net/", "https://news.example.org/"}
    first = json.loads((releases[0] / ".zenodo.json").read_text(encoding="utf-8"))
    assert not any(r["relation"] == "isNewVersionOf" for r in first["related_identifiers"])


def _parse(text: str):
    lib = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    assert not lib.failed_blocks and len(lib.entries) == 1
    return lib.entries[0]


def test_cite_bibtex_parses_back(releases):
    proc = subprocess.run([sys.executable, "-m", "presspack", "cite", str(releases[1])], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == bibtex(releases[1])
    e = _parse(proc.stdout)
    f = {x.key: x.value for x in e.fields}
    assert e.entry_type in ("misc", "dataset")
    assert f["version"] == "1.1.0" and f["year"] == "2025"
    assert f["doi"] == "10.5281/zenodo.1234569" and f["url"] == "https://doi.org/10.5281/zenodo.1234569"
    assert f["title"] == r"{Harbour \& city news: a 100\% test corpus}"
    assert f["publisher"] == "Zenodo"
    names = f["author"]
    assert (names[0].last, names[0].first) == (["Pérez"], ["Ana", "María"])
    assert names[1].last == ["{The Harbour Lab}"] and not names[1].first
    assert e.key != _parse(bibtex(releases[0])).key  # one key per version


def test_cite_without_doi_uses_year_and_no_invented_url(example_release):
    e = _parse(cite(example_release, "bibtex"))
    f = {x.key: x.value for x in e.fields}
    assert f["version"] == "1.0.0" and f["year"] == "2026" and "doi" not in f and "url" not in f


def test_cite_apa_and_cff(releases):
    assert apa(releases[1]) == (
        "Pérez, A. M., & The Harbour Lab. (2025). Harbour & city news: a 100% test corpus (Version 1.1.0) [Data set]. "
        "Zenodo. https://doi.org/10.5281/zenodo.1234569\n"
    )
    proc = subprocess.run([sys.executable, "-m", "presspack", "cite", str(releases[1]), "--format", "cff"], capture_output=True, text=True)
    assert proc.stdout == (releases[1] / "CITATION.cff").read_text(encoding="utf-8")


def test_croissant_cites_the_version(releases):
    doc = json.loads((releases[1] / "croissant.json").read_text(encoding="utf-8"))
    assert _parse(doc["citeAs"]).key == _parse(bibtex(releases[1])).key
    assert doc["version"] == "1.1.0" and doc["url"] == "https://doi.org/10.5281/zenodo.1234569"


def test_bad_doi_is_a_config_error(tmp_path, nlp):
    from presspack.errors import ConfigError
    from presspack.orchestrate.run import build

    (tmp_path / "p.toml").write_text('[dataset]\ndoi = "not-a-doi"\n', encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not a DOI"):
        build([src], tmp_path / "out", "1.0.0", load_config(tmp_path / "p.toml"), nlp=nlp)
    assert not (tmp_path / "out" / "1.0.0").exists()
    assert Path(tmp_path / "out").is_dir() and not list((tmp_path / "out").iterdir())


def test_zenodo_derived_from_configured_sources(releases, tmp_path):
    import shutil

    from presspack.extras.cite import zenodo_json
    from presspack.package.jsonio import write_json

    d = tmp_path / "1.1.0"
    shutil.copytree(releases[1], d)
    m = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    m["provenance"]["config"]["dataset"]["sources"] = ["https://doi.org/10.1234/corpus.v2", "https://archive.example.org/feed"]
    m["provenance"]["config"]["dataset"]["previous_doi"] = "10.5281/zenodo.1111111"
    write_json(d / "manifest.json", m)
    rel = [(r["relation"], r["identifier"], r["scheme"]) for r in zenodo_json(d, releases[0])["related_identifiers"]]
    assert ("isNewVersionOf", "10.5281/zenodo.1111111", "doi") in rel  # configured previous DOI wins
    assert [r for r in rel if r[0] == "isDerivedFrom"] == [
        ("isDerivedFrom", "10.1234/corpus.v2", "doi"), ("isDerivedFrom", "https://archive.example.org/feed", "url")]


# -- a release whose builder gave no title, authors or licence ------------------------------


@pytest.fixture(scope="module")
def unspecified(tmp_path_factory, nlp):
    """(release built from a presspack.toml without [dataset], release whose [dataset] has a title and authors only)."""
    from presspack.orchestrate.run import build

    base = tmp_path_factory.mktemp("unspecified")
    src = base / "in"
    src.mkdir()
    (src / "news.jsonl").write_text(json.dumps(ARTICLES[0]) + "\n", encoding="utf-8")
    (base / "empty.toml").write_text("[build]\nbatch_size = 8\n", encoding="utf-8")
    (base / "partial.toml").write_text('[dataset]\ntitle = "Port notes"\nauthors = [{ name = "Dock Desk" }]\n', encoding="utf-8")
    return tuple(build([src], base / name, "1.0.0", load_config(base / f"{name}.toml"), nlp=nlp).release_dir
                 for name in ("empty", "partial"))


def test_unspecified_metadata_is_said_never_invented(unspecified):
    from presspack.config import NO_AUTHORS, UNTITLED

    rel = unspecified[0]
    note = "Not specified when this release was built: title, authors, licence"
    cff_text = (rel / "CITATION.cff").read_text(encoding="utf-8")
    assert validate_cff(cff_text) == []
    cff = yaml.safe_load(cff_text)
    assert "license" not in cff and cff["title"] == UNTITLED and cff["authors"] == [{"name": NO_AUTHORS}]
    assert note in cff["message"]
    dp = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    assert "licenses" not in dp and "contributors" not in dp and dp["title"] == UNTITLED and note in dp["description"]
    z = json.loads((rel / ".zenodo.json").read_text(encoding="utf-8"))
    assert "license" not in z and z["creators"] == [{"name": NO_AUTHORS}] and note in z["notes"]
    cr = json.loads((rel / "croissant.json").read_text(encoding="utf-8"))
    assert "license" not in cr and "creator" not in cr and note in cr["description"]
    card = (rel / "README.md").read_text(encoding="utf-8")
    front = yaml.safe_load(card.split("---\n")[1])
    assert front["license"] == "unknown" and front["pretty_name"] == UNTITLED
    assert note in card and "licence not specified" in card and "- Licence: not specified." in card
    f = {x.key: x.value for x in _parse(bibtex(rel)).fields}
    assert f["author"][0].last == [f"{{{NO_AUTHORS}}}"]
    assert apa(rel).startswith(f"{NO_AUTHORS}. (")
    for p in rel.iterdir():  # no default licence or author anywhere
        if p.suffix in {".cff", ".json", ".md", ".html"} or p.name == ".zenodo.json":
            text = p.read_text(encoding="utf-8")
            assert "CC-BY" not in text and "Unknown" not in text, p.name


def test_unspecified_release_still_validates(unspecified):
    from presspack.validate import validate

    for rel in unspecified:
        report = validate(rel, frictionless=True)
        assert report.valid, [p.line() for p in report.problems]
        assert {"citation", "croissant", "frictionless"} <= set(report.checks)


def test_unspecified_croissant_loads(unspecified):
    mlc = pytest.importorskip("mlcroissant")
    ds = mlc.Dataset(jsonld=str(unspecified[0] / "croissant.json"))
    issues = ds.metadata.ctx.issues
    assert not issues.errors, issues.errors
    assert all("license" in w for w in issues.warnings), issues.warnings  # recommended, and rightly absent
    assert len(list(ds.records(record_set="articles"))) == 1


def test_only_the_missing_field_is_not_specified(unspecified):
    rel = unspecified[1]
    cff = yaml.safe_load((rel / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == "Port notes" and cff["authors"] == [{"name": "Dock Desk"}] and "license" not in cff
    assert cff["message"].endswith("Not specified when this release was built: licence (not set under [dataset] in presspack.toml). "
                                   "No licence is implied.")
    dp = json.loads((rel / "datapackage.json").read_text(encoding="utf-8"))
    assert dp["title"] == "Port notes" and dp["contributors"] == [{"title": "Dock Desk", "roles": ["creator"]}]
    assert "licenses" not in dp
    card = (rel / "README.md").read_text(encoding="utf-8")
    assert "# Port notes (version 1.0.0)" in card and "not specified" in card and "title not specified" not in card
