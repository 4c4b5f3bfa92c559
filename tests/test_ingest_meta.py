"""Metadata beside plain texts: category folders, sidecar NAME.json, metadata.csv (bad
rows rejected with a reason), and --exclude. Every metadata file and excluded file is in
the manifest; none becomes an article."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from presspack.cli import main
from presspack.config import load_config
from presspack.errors import ConfigError
from presspack.ingest import READERS, discover
from presspack.ingest.discover import excluded_by
from presspack.ingest.sidecar import FIELDS
from presspack.ingest.types import RawArticle, Reject
from presspack.validate import validate

CONFIG = load_config(None)

MAPPING = """file,title,published,source,author
politics/001.txt,Minister resigns over ferry contract,2005-03-01,news.example,Cy Journalist
sport/001.txt,Harbour United win the cup,2005-03-05,news.example,
sport/002.txt,Bray sack their manager,yesterday-ish,news.example,
sport/missing.txt,Nothing here,2005-03-06,news.example,
sport/001.txt,A second row for the cup,2005-03-07,news.example,
politics/002.txt,too,few
"""

TREE = {
    "README.TXT": "Consists of 5 documents from a news site in 2 topical areas.\nEach file is one article.\n",
    "metadata.csv": MAPPING,
    "politics/001.txt": "Minister resigns over ferry contract\n\nThe transport minister resigned on Tuesday after an inquiry "
                        "found that the ferry contract had been awarded without a tender, her office said.\n",
    "politics/002.txt": "Council backs new harbour plan | local\n\nThe city council voted on Monday to back a plan for a "
                        "new harbour, the mayor said.\n",
    "politics/002.json": json.dumps({"title": "Council backs new harbour plan", "published": "2005-03-02",
                                     "author": ["Ann Reporter", "Bo Writer"], "url": "https://news.example/politics/002",
                                     "section": "politics", "category": "local news"}),
    "sport/001.txt": "Harbour United win the cup\n\nHarbour United won the county cup on Saturday, beating Bray 2-1 in "
                     "front of a record crowd, the club said.\n",
    "sport/002.txt": "Bray sack their manager\n\nBray sacked their manager on Sunday after the cup final defeat, a club "
                     "statement said.\n",
    "2005/old.txt": "Old pier history\n\nThe pier was built in 1905 with timber from the north, a local historian said.\n",
    "notes.json": '{"title": "not beside any text"}',
}


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def read_all(root: Path, config=CONFIG):
    """rel -> (file, items) for every discovered file, read by its reader."""
    out = {}
    for f in discover([root], config.exclude):
        reader = READERS.get(f.format)
        out[f.rel] = (f, list(reader(f, config)) if reader and f.status is None else [])
    return out


@pytest.fixture
def tree(tmp_path):
    return write_tree(tmp_path / "bbc", TREE)


def test_discover_marks_metadata_files(tree):
    files = {f.rel: f for f in discover([tree])}
    assert files["metadata.csv"].format == "metadata"
    assert files["politics/002.json"].format == "metadata"  # beside politics/002.txt
    assert files["notes.json"].format == "unsupported"  # beside no text: rejected as before
    assert files["sport/001.txt"].base == tree
    assert next(discover([tree / "politics" / "002.json"])).format == "metadata"  # a SOURCE file, too
    assert next(discover([tree / "sport" / "001.txt"])).base is None


@pytest.mark.parametrize(("pattern", "rel", "hit"), [
    ("README.TXT", "README.TXT", True),
    ("README.TXT", "sport/README.TXT", True),
    ("readme.txt", "README.TXT", False),  # case-sensitive, like the file system
    ("*.md", "docs/a.md", True),
    ("drafts", "drafts/2005/a.txt", True),  # a folder name
    ("sport/*.txt", "sport/a.txt", True),
    ("sport/*.txt", "politics/a.txt", False),
    ("politics/old", "politics/old/a.txt", True),
    ("politics/old/", "politics/older/a.txt", False),
    ("old", "politics/older.txt", False),
])
def test_exclude_patterns(pattern, rel, hit):
    assert (excluded_by(rel, [pattern]) == pattern) is hit


def _article(items) -> RawArticle:
    (raw,) = items
    assert isinstance(raw, RawArticle), raw
    return raw


def test_metadata_precedence_and_notes(tree):
    got = read_all(tree)
    # metadata.csv over the text's header; the folder's name as section (the text gives none)
    a = _article(got["politics/001.txt"][1])
    assert a.meta == {"section": "politics", "title": "Minister resigns over ferry contract", "published": "2005-03-01",
                      "source": "news.example", "author": "Cy Journalist"}
    assert "title, published, source, author from metadata.csv line 2" in a.notes
    assert "section 'politics' from the folder name" in a.notes
    # the sidecar over the text's `| local` section; a list of authors joined
    b = _article(got["politics/002.txt"][1])
    assert b.meta["section"] == "politics" and b.meta["author"] == "Ann Reporter; Bo Writer"
    assert b.meta["url"] == "https://news.example/politics/002" and b.meta["published"] == "2005-03-02"
    assert "section 'local' from the text replaced by 'politics' from politics/002.json" in b.notes
    assert b.body.strip().startswith("The city council")  # the title line matched the given title: not text
    # a rejected row gives nothing: the text's own header stays
    c = _article(got["sport/002.txt"][1])
    assert c.meta == {"section": "sport", "title": "Bray sack their manager"}
    # a folder name without a letter is no section
    assert "section" not in _article(got["2005/old.txt"][1]).meta


def test_bad_mapping_rows_are_rejected_with_a_reason(tree):
    f, items = read_all(tree)["metadata.csv"]
    assert f.status == "metadata" and f.reason == "metadata of 2 text file(s); 4 row(s) rejected"
    assert all(isinstance(i, Reject) for i in items)
    assert [(i.origin, i.reason) for i in items] == [
        ("metadata.csv#4", "line 4: bad date in 'published': 'yesterday-ish'"),
        ("metadata.csv#5", "line 5: unknown file 'sport/missing.txt' (no such file beside metadata.csv or below it)"),
        ("metadata.csv#6", "line 6: duplicate file name 'sport/001.txt' (first on line 3)"),
        ("metadata.csv#7", "line 7: 3 field(s), the header has 5"),
    ]
    assert _article(read_all(tree)["sport/001.txt"][1]).meta["title"] == "Harbour United win the cup"  # the first row won


@pytest.mark.parametrize(("csv_text", "reason"), [
    ("name,title\na.txt,A\n", "metadata.csv not used: no 'file' column (columns: name, title)"),
    ("file,title,colour\na.txt,A,red\n", "metadata.csv not used: unknown column(s) 'colour'"),
    ("file,title,title\na.txt,A,B\n", "metadata.csv not used: column(s) 'title' appear more than once"),
    ("", "metadata.csv not used: empty file"),
])
def test_a_mapping_with_wrong_columns_is_rejected_whole(tmp_path, csv_text, reason):
    root = write_tree(tmp_path / "c", {"a.txt": "A title\n\nSome text of the article, the agency said.\n", "metadata.csv": csv_text})
    got = read_all(root)
    f, items = got["metadata.csv"]
    assert f.status is None and len(items) == 1 and items[0].origin == "metadata.csv"
    assert items[0].reason.startswith(reason), items[0].reason
    assert _article(got["a.txt"][1]).meta == {"title": "A title"}  # unused, the text stands


def test_more_mapping_rows(tmp_path):
    root = write_tree(tmp_path / "m", {
        "a.txt": "Alpha\n\nThe first text, the agency said.\n",
        "b.html": "<html><body><p>not a text</p></body></html>",
        "sub/c.txt": "Gamma\n\nThe third text, the agency said.\n",
        "sub/metadata.csv": "file,section,url\nc.txt,near,https://n.example/c\n",
        "metadata.csv": "FILE , Title,url\n./a.txt,A from the mapping,\nb.html,B,\n../x.txt,X,\nsub/c.txt,C far,not a url\n"
                        "sub/c.txt,C far again,\n,,\n",
    })
    got = read_all(root)
    reasons = [i.reason for i in got["metadata.csv"][1]]
    assert reasons == [
        "line 3: file 'b.html' is not a plain text (.txt): metadata.csv describes .txt files only",
        "line 4: file '../x.txt' is outside the folder of metadata.csv",
        "line 5: bad url 'not a url' (not an http(s) URL)",
        "line 7: no file name",
    ]
    a = _article(got["a.txt"][1])
    assert a.meta["title"] == "A from the mapping"
    assert a.body.startswith("Alpha")  # not the given title: the first line is text
    assert "the first line differs from the given title: kept as text" in a.notes
    c = _article(got["sub/c.txt"][1])
    # the farther mapping (line 6, once line 5 was rejected), then the nearer one over it
    assert c.meta["section"] == "near" and c.meta["url"] == "https://n.example/c" and c.meta["title"] == "C far again"
    assert c.notes[-3:] == ["title from metadata.csv line 6",
                            "section 'sub' from the folder name replaced by 'near' from sub/metadata.csv line 2",
                            "section, url from sub/metadata.csv line 2"]


def test_a_metadata_csv_of_articles_is_read_as_articles(tmp_path):
    root = write_tree(tmp_path / "r", {"metadata.csv": "id,title,text\nn1,Harbour,The harbour reopened on Monday.\n"})
    f, items = read_all(root)["metadata.csv"]
    assert f.status is None and _article(items).meta == {"external_id": "n1", "title": "Harbour"}


def test_a_broken_sidecar_is_rejected_and_the_text_kept(tmp_path):
    root = write_tree(tmp_path / "s", {"a.txt": "Alpha\n\nThe first text, the agency said.\n", "a.json": '{"title": "Alpha",',
                                       "b.txt": "Beta\n\nThe second text.\n", "b.json": '["Beta"]'})
    got = read_all(root)
    assert got["a.json"][1][0].reason.startswith("sidecar of a.txt not used: malformed JSON")
    assert got["b.json"][1][0].reason == "sidecar of b.txt not used: a sidecar is a JSON object of fields, not a list"
    a = _article(got["a.txt"][1])
    assert a.meta == {"title": "Alpha"} and any(n.startswith("sidecar a.json not used: malformed JSON") for n in a.notes)


def test_excluded_metadata_is_not_used(tree):
    config = dataclasses.replace(CONFIG, exclude=("metadata.csv", "002.json"))
    got = read_all(tree, config)
    assert got["metadata.csv"][0].status == "excluded" and got["metadata.csv"][0].reason == "matches exclude pattern 'metadata.csv'"
    assert _article(got["politics/001.txt"][1]).meta == {"section": "politics", "title": "Minister resigns over ferry contract"}
    assert _article(got["politics/002.txt"][1]).meta == {"section": "local", "title": "Council backs new harbour plan"}


def test_fields_are_the_schema_input_fields():
    from presspack.package import schemas

    assert FIELDS == {key: column for column, key in schemas.input_fields().items()}
    assert {"title", "published", "source", "url", "section", "author"} <= set(FIELDS)


def test_exclude_config_and_cli(tmp_path):
    toml = tmp_path / "presspack.toml"
    toml.write_text('[build]\nexclude = ["README.TXT"]\n', encoding="utf-8")
    assert load_config(toml).exclude == ("README.TXT",)
    assert load_config(toml, exclude=["*.md"]).exclude == ("README.TXT", "*.md")  # --exclude adds
    assert "exclude" not in load_config(toml).fingerprint_dict()  # the NLP cache does not depend on it
    assert load_config(toml).to_dict()["exclude"] == ("README.TXT",)  # the provenance records it
    toml.write_text('[build]\nexclude = "README.TXT"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="exclude must be a list"):
        load_config(toml)


def test_build_records_every_file(tree, tmp_path, make_release, config, capsys):
    """The whole flow: validate passes, the metadata is in articles.parquet, every file
    in the manifest with its status, and the bad rows shown by the build."""
    files = {str(p.relative_to(tree)): p.read_text(encoding="utf-8") for p in tree.rglob("*") if p.is_file()}
    result = make_release(files, config=dataclasses.replace(config, exclude=("README.TXT",)))
    rel = result.release_dir
    assert validate(rel, frictionless=False).valid
    rows = {r["origin"]: r for r in pq.read_table(rel / "articles.parquet").to_pylist()}
    assert set(rows) == {"2005/old.txt", "politics/001.txt", "politics/002.txt", "sport/001.txt", "sport/002.txt"}
    assert rows["politics/001.txt"]["author"] == "Cy Journalist" and rows["politics/001.txt"]["published"] == "2005-03-01"
    assert rows["politics/002.txt"]["url"] == "https://news.example/politics/002"
    assert rows["sport/002.txt"]["section"] == "sport" and rows["sport/002.txt"]["published"] is None
    manifest = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
    status = {f["path"]: f["status"] for f in manifest["files"]}
    assert status == {"2005/old.txt": "accepted", "README.TXT": "excluded", "metadata.csv": "metadata", "notes.json": "rejected",
                      "politics/001.txt": "accepted", "politics/002.json": "metadata", "politics/002.txt": "accepted",
                      "sport/001.txt": "accepted", "sport/002.txt": "accepted"}
    entry = next(f for f in manifest["files"] if f["path"] == "metadata.csv")
    assert [r["origin"] for r in entry["records"]] == ["metadata.csv#4", "metadata.csv#5", "metadata.csv#6", "metadata.csv#7"]
    assert manifest["provenance"]["config"]["exclude"] == ["README.TXT"]
    assert any(f["path"] == "metadata.csv" for f in result.problem_files)  # the CLI lists its bad rows


def test_cli_exclude_end_to_end(tree, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["build", str(tree), "--out", str(tmp_path / "out"), "--version", "1.0.0", "--exclude", "README.TXT",
                 "--exclude", "notes.json", "--quiet"])
    assert code == 0
    err = capsys.readouterr().err
    assert "metadata.csv#5: line 5: unknown file 'sport/missing.txt'" in err
    manifest = json.loads((tmp_path / "out" / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))
    reasons = {f["path"]: f["reason"] for f in manifest["files"] if f["status"] == "excluded"}
    assert reasons == {"README.TXT": "matches exclude pattern 'README.TXT'", "notes.json": "matches exclude pattern 'notes.json'"}
