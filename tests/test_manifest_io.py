"""Reading manifest.json without holding its file entries (a release of millions of files)."""

import json
import tracemalloc

import pytest

from presspack.errors import ReleaseNotFound
from presspack.package.jsonio import STREAMED, write_json_streamed
from presspack.package.manifest import manifest_files, manifest_files_streamed, read_manifest

N_FILES = 30_000


def _entry(i: int) -> dict:
    return {"path": f"feeds/{i:06d}.txt", "sha256": f"{i:064x}", "bytes": 1000 + i, "format": "text",
            "encoding": "utf-8", "status": "accepted" if i % 7 else "duplicate", "reason": None if i % 7 else "same text",
            "article_ids": [f"a{i:015x}"], "records": []}


@pytest.fixture(scope="module")
def big_release(tmp_path_factory):
    d = tmp_path_factory.mktemp("big")
    head = {"presspack_manifest": 1, "version": "1.0.0", "created": "2026-12-02",
            "counts": {"accepted": N_FILES, "ratio": 0.5}, "provenance": {"model": {"name": "m", "pipeline": ["ner"]}},
            "files": STREAMED, "checksums": "SHA256SUMS"}
    write_json_streamed(d / "manifest.json", head, "files", (_entry(i) for i in range(N_FILES)))
    return d


def _peak(fn):
    tracemalloc.start()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_head_is_read_past_the_file_entries_in_bounded_memory(big_release):
    whole, whole_peak = _peak(lambda: json.loads((big_release / "manifest.json").read_text(encoding="utf-8")))
    head, peak = _peak(lambda: read_manifest(big_release))
    del whole["files"]
    assert head == whole
    assert list(head) == ["presspack_manifest", "version", "created", "counts", "provenance", "checksums"]
    assert isinstance(head["counts"]["ratio"], float)
    assert whole_peak > 20_000_000 and peak < 1_000_000  # ~1 kB per entry as objects; none held here


def test_file_entries_stream_one_at_a_time(big_release):
    def count():
        n = 0
        for i, f in enumerate(manifest_files(big_release)):
            assert f == _entry(i)
            n += 1
        return n

    n, peak = _peak(count)
    assert n == N_FILES and peak < 1_000_000


def test_a_missing_or_broken_manifest_is_a_release_error(tmp_path):
    with pytest.raises(ReleaseNotFound, match="no manifest.json"):
        read_manifest(tmp_path)
    (tmp_path / "manifest.json").write_text('{"version": "1.0.0", "files": [{"path": ', encoding="utf-8")
    with pytest.raises(ReleaseNotFound, match="not valid JSON"):
        read_manifest(tmp_path)
    with pytest.raises(ReleaseNotFound, match="not valid JSON"):
        list(manifest_files(tmp_path))
    (tmp_path / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ReleaseNotFound, match="not a JSON object"):
        read_manifest(tmp_path)


@pytest.mark.parametrize(("files", "message"), [
    ({"a.txt": "accepted"}, "'files' is not a list"),
    (["a.txt"], "entry is not an object"),
])
def test_validate_streams_the_file_entries_and_reports_bad_ones(example_release, tmp_path, files, message):
    import shutil

    from presspack.validate.run import validate

    release = tmp_path / "r"
    shutil.copytree(example_release, release)
    assert not [p for p in validate(release, frictionless=False).problems if p.type == "manifest"]
    m = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    m["files"] = files
    (release / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    problems = [p for p in validate(release, frictionless=False).problems if p.type == "manifest"]
    assert any(message in p.message for p in problems), problems


def test_entries_read_without_their_big_lists(big_release):
    slim = list(manifest_files(big_release, skip=("article_ids", "records")))
    full = list(manifest_files(big_release))
    assert len(slim) == N_FILES
    assert slim == [{k: v for k, v in e.items() if k not in ("article_ids", "records")} for e in full]
    assert slim[7]["status"] == "duplicate" and "article_ids" not in slim[7]


def test_a_file_with_more_records_than_a_spool_holds_gives_the_same_release(tmp_path, nlp, config, monkeypatch):
    """One input file's manifest lists (article ids, rejected and duplicate records, notes)
    move to temporary files past SPOOL_AFTER items: the release is byte-identical."""
    import dataclasses

    from presspack.orchestrate.run import build
    from presspack.package import jsonio as package

    src = tmp_path / "in"
    src.mkdir()
    lines = []
    for i in range(9):
        text = f"Harbour official number {i} said on Monday that ferry line {i} would reopen after repairs to quay {i}."
        lines.append(json.dumps({"id": f"r{i}", "title": f"Ferry {i}", "text": text, "url": f"https://port.example.org/n/{i}"}))
    lines.insert(3, "{not json")  # rejected records
    lines.insert(6, json.dumps({"id": "empty", "text": ""}))
    lines.append(lines[1])  # a duplicate (same URL)
    (src / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    base = dataclasses.replace(config, cache=False, batch_size=4)
    plain = build([src], tmp_path / "plain", "1.0.0", base, nlp=nlp)
    monkeypatch.setattr(package, "SPOOL_AFTER", 2)
    spilled = []
    append = package.Spool.append
    monkeypatch.setattr(package.Spool, "append", lambda self, item: (append(self, item), spilled.append(self.spilled)))
    spooled = build([src], tmp_path / "spooled", "1.0.0", base, nlp=nlp)
    (entry,) = list(manifest_files(spooled.release_dir))
    assert len(entry["article_ids"]) == 9 and len(entry["records"]) == 3 and entry["status"] == "partial"
    assert {p.name: p.read_bytes() for p in plain.release_dir.iterdir()} == {p.name: p.read_bytes() for p in spooled.release_dir.iterdir()}
    assert [f["path"] for f in spooled.problem_files] == ["feed.jsonl"] and len(spooled.problem_files[0]["records"]) == 3
    assert spilled.count(True) >= 8  # the lists did move to disk


@pytest.mark.parametrize("after", [1, 2, 3, 1000])
@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_a_spool_is_written_as_the_list_it_stands_for(after, n):
    import io

    from presspack.package.jsonio import Spool, json_chunks

    ids, recs = Spool(after=after), Spool(after=after)
    for i in range(n):
        ids.append(f"id{i}é")
        recs.append({"origin": f"f.jsonl:{i}", "status": "rejected", "reason": 'bad "x"\n'})
    out = io.StringIO()
    out.writelines(json_chunks({"path": "f.jsonl", "article_ids": ids, "records": recs, "notes": Spool(after=after), "status": "partial"}, 2))
    plain = {"path": "f.jsonl", "article_ids": list(ids), "records": list(recs), "notes": [], "status": "partial"}
    assert out.getvalue() == json.dumps(plain, indent=2, ensure_ascii=False).replace("\n", "\n    ")
    assert len(ids) == n and ids.spilled == (n >= after) and ids[:2] == [f"id{i}é" for i in range(min(n, 2))]
    if n:
        assert ids[n - 1] == f"id{n - 1}é"


@pytest.mark.parametrize("files", [
    [{"path": "a.jsonl", "article_ids": ["x", "y"], "records": [{"status": "rejected", "reason": "r"}, "s", [1, [2]]], "notes": ["n"]},
     {"article_ids": [], "status": "accepted", "path": "b"},  # a path after the ids
     {"article_ids": [1, None, True, 1.5, {"a": [1, {"b": None}]}, ["x", []], "é✓\u2028"], "records": None},
     {"article_ids": "abc", "records": {"k": [1]}, "notes": {"deep": [[{}]]}},  # not arrays: they stay in the entry
     {"meta": {"article_ids": ["nested"], "records": [1]}, "article_ids.item": "dotted", "records.item": {"r": 1}},
     "a.txt", 5, None, [1, [2, {"c": 3}]], {}, []],
    [],
])
def test_streamed_entries_pass_their_list_items_one_by_one(tmp_path, files):
    (tmp_path / "manifest.json").write_text(json.dumps({"version": "1.0.0", "files": files, "z": [1]}), encoding="utf-8")
    got, items = [], []
    for f in manifest_files_streamed(tmp_path, {"article_ids": lambda a: items.append(("id", a)),
                                                "records": lambda r: items.append(("record", r))}, skip=("notes",)):
        got.append((f, items[:]))
        items.clear()
    want = []
    for f in manifest_files(tmp_path):
        lists = []
        if isinstance(f, dict):
            f = dict(f)
            f.pop("notes", None)
            for key, kind in (("article_ids", "id"), ("records", "record")):
                if isinstance(f.get(key), list):
                    lists += [(kind, x) for x in f.pop(key)]
        want.append((f, lists))
    assert got == want
    if files:
        assert got[3][0] == {"article_ids": "abc", "records": {"k": [1]}} and got[2][1][4] == ("id", {"a": [1, {"b": None}]})


def test_streamed_entries_and_broken_manifests(tmp_path):
    def entries():
        return list(manifest_files_streamed(tmp_path, {"article_ids": lambda a: None}))

    for files in ({"a.txt": "accepted"}, "x", None, 3):
        (tmp_path / "manifest.json").write_text(json.dumps({"files": files}), encoding="utf-8")
        with pytest.raises(ReleaseNotFound, match="'files' is not a list"):
            entries()
    (tmp_path / "manifest.json").write_text('{"files": [{"path": "a", "article_ids": ["x", "y"', encoding="utf-8")
    with pytest.raises(ReleaseNotFound, match="not valid JSON"):
        entries()
    (tmp_path / "manifest.json").write_text('{"version": "1.0.0"}', encoding="utf-8")
    assert entries() == []
    # as ijson.items has it: every value at files.item, also in a second "files" key
    (tmp_path / "manifest.json").write_text('{"files": [{"path": "a"}], "files": [{"path": "b"}]}', encoding="utf-8")
    assert entries() == [{"path": "a"}, {"path": "b"}] == list(manifest_files(tmp_path))
