"""Memory that does not grow with the corpus: the ledger (file entries, article ids), the
near-duplicate index and the entity index move to disk, and the release stays
byte-identical."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest

from presspack.annotate import cache as cache_mod
from presspack.config import EntityOptions
from presspack.entities import finish as entity_finish
from presspack.entities import index as entity_index
from presspack.normalize import dedup
from presspack.normalize.dedup import Deduplicator
from presspack.orchestrate import build
from presspack.orchestrate import ledger as build_ledger  # noqa: E402
from presspack.orchestrate import prescan as build_prescan  # noqa: E402
from presspack.orchestrate.ledger import FileLog, SeenIds
from presspack.orchestrate.prescan import Prescan
from presspack.package.jsonio import STREAMED, write_json, write_json_streamed

WATER = (
    "The regional water board announced on Thursday that households in the northern districts must cut their use by a fifth "
    "until the end of August, after the driest spring since records began more than a century ago.\n\n"
    "Reservoir levels have fallen to 38 percent of capacity, the board said, and further restrictions could follow if the "
    "weather stays dry through July."
)
BRIDGE = (
    "A new cycling bridge over the river opened to the public on Saturday, two years later than planned and well over its "
    "original budget, city officials confirmed at a short ceremony attended by several hundred residents."
)
FILES = {
    "a-water.txt": "Water use must fall\n\n" + WATER + "\n",
    "b-feed.jsonl": "\n".join(json.dumps(r) for r in [
        {"id": "w2", "title": "Water cuts", "text": WATER.replace("on Thursday", "on Thursday evening"), "url": "https://two.example/w"},
        {"id": "br", "title": "Bridge opens", "text": BRIDGE, "url": "https://one.example/bridge"},
        {"id": "again", "title": "Bridge opens", "text": BRIDGE, "url": "https://ONE.example/bridge?utm_source=x"},
        {"id": "copy", "title": "Water", "text": WATER, "url": "https://three.example/w"},
        {"id": "bad"},
    ]),
    "c-empty.txt": "  \n",
    "d-bridge-copy.txt": "Bridge\n\n" + BRIDGE + "\n",
    "e-städte ✓.txt": "Städte wachsen\n\nDie Bürgermeisterin sagte am Montag, die Stadt werde bis 2030 zehntausend Wohnungen bauen.\n",
}


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_write_json_streamed_writes_the_same_bytes():
    cases = [
        [],
        [{}],
        [{"path": "ä ✓\u2028", "n": 1, "x": None, "l": [], "d": {}, "nested": [{"a": [1, 2]}, "s"]}],
        [{"i": i, "records": [{"origin": f"f#{k}"} for k in range(i)]} for i in range(4)],
    ]
    for items in cases:
        data = {"a": 1, "files": items, "z": {"k": [1]}}
        expected = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        import pathlib
        import tempfile

        with tempfile.TemporaryDirectory() as d:
            p = pathlib.Path(d)
            write_json(p / "a.json", data)
            write_json_streamed(p / "b.json", {**data, "files": STREAMED}, "files", iter(items))
            assert (p / "a.json").read_text(encoding="utf-8") == expected
            assert (p / "b.json").read_bytes() == (p / "a.json").read_bytes()
    with pytest.raises(ValueError, match="top-level"):
        write_json_streamed(pathlib.Path("/nonexistent/x.json"), {"a": {"files": STREAMED}}, "files", [])


def test_seen_ids_spill_to_disk():
    seen = SeenIds(spill_after=2)
    for k in range(6):
        seen[f"a{k:016x}"] = f"f{k}.txt"
    assert seen.db is not None and seen.mem == {}
    assert [seen.get(f"a{k:016x}") for k in range(7)] == [f"f{k}.txt" for k in range(6)] + [None]
    assert len(seen) == 6
    seen.close()


def test_file_log_round_trips_entries_in_order():
    log = FileLog()
    entries = [{"path": f"dir/ä ✓\u2028-{k}.txt", "sha256": f"{k:064x}", "article_ids": [f"a{k:016x}"], "n": None} for k in range(5)]
    for e in entries:
        log.append(e)
    assert list(log) == entries == list(log)  # read back, twice
    log.append({"path": "late", "sha256": None})
    assert len(log) == 6 and list(log)[-1] == {"path": "late", "sha256": None}
    log.close()


def _texts(n, seed=7):
    rng = random.Random(seed)
    words = [f"w{k}" for k in range(5000)]
    return [" ".join(rng.choice(words) for _ in range(120)) for _ in range(n)]


@pytest.mark.parametrize("spill_after", [0, 150])
def test_deduplicator_gives_the_same_answers_spilled(spill_after, monkeypatch):
    monkeypatch.setattr(dedup, "MERGE_EVERY", 50)
    texts = _texts(300)
    stream = []
    for k, t in enumerate(texts):
        stream.append((f"a{k + 1:016x}", t))
        if k % 3 == 0:  # a near copy, an exact copy and a too-short text now and then
            w = t.split()
            w[k % 120] = "changed"
            stream.append((f"a{10_000 + k:016x}", " ".join(w)))
            stream.append((f"a{20_000 + k:016x}", t))
            stream.append((f"a{30_000 + k:016x}", f"short text {k % 7}"))
    stream.append((f"a{'f' * 16}", texts[5]))  # an id above 2**63: stored as a signed integer

    def answers(d):
        return [d.check(aid, t) for aid, t in stream]

    mem, disk = Deduplicator(), Deduplicator(spill_after=spill_after)
    assert answers(disk) == answers(mem)
    assert disk._disk is not None and mem._disk is None and disk.kept == mem.kept
    assert disk.nbytes() == 0  # nothing left in the arrays
    got = answers(disk)  # everything is a duplicate of a kept article now
    assert all(a is not None for a in got)
    disk.close()


def _plain_and_spilled(tmp_path_factory, nlp, cfg, files, name, spills, record):
    """`files` built as they are, and again with `spills` ((module, class) pairs) moving
    to disk from the first entry on; each _spill call is recorded as record(class, self),
    taken when it is called."""
    src = tmp_path_factory.mktemp(f"{name}-src")
    for fname, text in files.items():
        (src / fname).write_text(text, encoding="utf-8")
    plain = build([src], tmp_path_factory.mktemp(f"{name}-plain"), "1.0.0", cfg, nlp=nlp)
    mp = pytest.MonkeyPatch()
    calls = []
    try:
        for module, cls in spills:
            mp.setattr(module, "SPILL_AFTER", 1)
            orig = cls._spill

            def spy(self, _orig=orig, _cls=cls):
                calls.append(record(_cls, self))
                return _orig(self)

            mp.setattr(cls, "_spill", spy)
        spilled = build([src], tmp_path_factory.mktemp(f"{name}-spilled"), "1.0.0", cfg, nlp=nlp)
    finally:
        mp.undo()
    return plain, spilled, calls


@pytest.fixture(scope="module")
def default_and_spilled(tmp_path_factory, nlp, config):
    plain, spilled, calls = _plain_and_spilled(tmp_path_factory, nlp, dataclasses.replace(config, cache=False), FILES, "spill",
                                               ((build_ledger, SeenIds), (dedup, Deduplicator)), lambda cls, _: cls.__name__)
    return plain, spilled, calls


def test_spilled_build_is_byte_identical(default_and_spilled):
    plain, spilled, calls = default_and_spilled
    assert sorted(calls) == ["Deduplicator", "SeenIds"]  # both moved to disk during the build
    assert _tree(spilled.release_dir) == _tree(plain.release_dir)


def test_streamed_manifest_accounts_for_every_file(default_and_spilled):
    plain, _, _ = default_and_spilled
    manifest = json.loads((plain.release_dir / "manifest.json").read_text(encoding="utf-8"))
    files = {f["path"]: f for f in manifest["files"]}
    assert list(files) == sorted(FILES)
    assert manifest["counts"]["files"] == 5
    assert {k: manifest["counts"][k] for k in ("accepted", "rejected", "duplicate")} == {"accepted": 3, "rejected": 2, "duplicate": 4}
    recs = {r["origin"]: r for r in files["b-feed.jsonl"]["records"]}
    water = files["a-water.txt"]["article_ids"][0]
    bridge = files["b-feed.jsonl"]["article_ids"][0]
    assert files["b-feed.jsonl"]["status"] == "partial"
    assert recs["b-feed.jsonl#w2"]["duplicate_of"] == water and recs["b-feed.jsonl#w2"]["reason"].startswith("near-duplicate of")
    assert recs["b-feed.jsonl#again"] == {"origin": "b-feed.jsonl#again", "status": "duplicate",
                                          "reason": "same URL as b-feed.jsonl#br", "duplicate_of": bridge}
    assert recs["b-feed.jsonl#copy"]["reason"] == f"same text as {water}"
    assert files["d-bridge-copy.txt"]["status"] == "duplicate" and files["d-bridge-copy.txt"]["duplicate_of"] == bridge
    assert files["c-empty.txt"]["status"] == "rejected"
    # BuildResult: the manifest without the file entries, and the problem files for the CLI
    assert "files" not in plain.manifest and plain.manifest["counts"] == manifest["counts"]
    assert [f["path"] for f in plain.problem_files] == ["b-feed.jsonl", "c-empty.txt"]


# Invented news: one person under three spellings of a listed variant, and another known
# by her full name in one article and by her surname alone in two others.
ENTITY_FILES = {
    "a-tallinn.txt": (
        "Ministers meet in Tallinn\n\nVolodymyr Zelensky met Marta Kowalczyk, the Polish foreign minister, in Tallinn on "
        "Monday. Kowalczyk said the talks had been useful and that a second meeting would follow in Warsaw next month.\n"
    ),
    "b-wires.jsonl": "\n".join(json.dumps(r) for r in [
        {"id": "z2", "published": "2024-05-02", "title": "Back in Kyiv",
         "text": "Volodymyr Zelenskyy returned to Kyiv on Tuesday. Zelenskyy said the visit to Tallinn had gone well, "
                 "according to a statement from his office."},
        {"id": "k3", "published": "2024-04-30", "title": "Aid budget",
         "text": "Kowalczyk told reporters in Warsaw on Wednesday that the government would raise its aid budget. "
                 "The European Commission welcomed the plan, a spokesman said."},
        {"id": "z4", "published": "2024-05-09", "title": "Talks in Riga",
         "text": "Volodymyr Zelenskiy flew to Riga on Thursday, where Kowalczyk joined him for talks with Baltic leaders "
                 "about air defence and grain exports."},
    ]) + "\n",
}


@pytest.fixture(scope="module")
def entity_builds(tmp_path_factory, nlp, config):
    """The same invented articles built with the entity index in memory and with it on
    disk from the first article on."""
    cfg = dataclasses.replace(config, cache=False, entities=EntityOptions(variants=(("Zelensky", "Zelenskyy", "Zelenskiy"),)))
    plain, spilled, calls = _plain_and_spilled(tmp_path_factory, nlp, cfg, ENTITY_FILES, "entity",
                                               ((entity_index, entity_index.EntityIndex),), lambda _, index: len(index.stats))
    return plain, spilled, calls


def test_spilled_entity_index_gives_the_same_release(entity_builds):
    import pandas as pd

    plain, spilled, spills = entity_builds
    assert len(spills) == 1 and spills[0] > 1  # on disk after the first article with two keys
    # both of resolve()'s merges happen: the variants and the lone surname
    index = pd.read_parquet(plain.release_dir / "entity_index.parquet").set_index("entity_key")
    ents = pd.read_parquet(plain.release_dir / "entities.parquet")
    zel = ents[ents["text"].str.contains("Zelensk") & (ents["label"] == "PERSON")]  # en_core_web_sm: "Zelenskiy" an ORG
    assert set(zel["text"]) == {"Volodymyr Zelensky", "Volodymyr Zelenskyy", "Zelenskyy"}
    assert set(zel["entity_key"]) == {"person:volodymyr-zelenskyy"} and set(zel["canonical"]) == {"Volodymyr Zelenskyy"}
    assert index.loc["person:volodymyr-zelenskyy", "n_articles"] == 2
    kow = ents[ents["text"].str.contains("Kowalczyk")]
    assert len(kow) == 4 and set(kow["entity_key"]) == {"person:marta-kowalczyk"} and set(kow["canonical"]) == {"Marta Kowalczyk"}
    row = index.loc["person:marta-kowalczyk"]
    assert (row["n_mentions"], row["n_articles"], row["first_seen"], row["last_seen"]) == (4, 3, "2024-04-30", "2024-05-09")
    assert {"person:volodymyr-zelensky", "person:kowalczyk"}.isdisjoint(index.index)
    claims = pd.read_parquet(plain.release_dir / "claims.parquet")
    assert "person:kowalczyk" not in set(claims["speaker_key"].dropna())
    # and every file of the release is the same, to the byte
    assert _tree(spilled.release_dir) == _tree(plain.release_dir)


class _Gazetteer:
    @staticmethod
    def index_fields(key):
        return {"canonical": "Kyiv", "label": "GPE", "wikidata": "Q1899"} if key == "kyiv" else None


def _mention_stream(seed):
    """Articles of random mentions: persons with shared and unique surnames, variant
    spellings, a gazetteer key, empty names; articles that come back, split over two
    calls, or mixed within one; dates missing, earlier and later."""
    from presspack.entities.mentions import entity_key

    rng = random.Random(seed)
    first, last = ["Vladimir", "John", "Mary", "José", "Jose", "Volodymyr"], ["Putin", "Smith", "Núñez", "Nunez", "Zelensky", "Zelenskyy"]
    names = ["Uniq", "Fix Uniq", "Lone", "Fix Zelenskiy", "", " ", "Ann Lee Ng", "Big Org"]
    stream = []
    for i in range(300):
        aid = f"a{rng.randrange(50):016x}" if rng.random() < 0.1 else f"a{i:016x}"
        ms = []
        for _ in range(rng.randrange(12)):
            r = rng.random()
            name = rng.choice(last) if r < 0.3 else f"{rng.choice(first)} {rng.choice(last)}" if r < 0.8 else rng.choice(names)
            label = rng.choice(["PERSON", "PERSON", "PER", "ORG", "GPE"])
            ms.append({"entity_key": "kyiv" if rng.random() < 0.05 else entity_key(label, name), "label": label,
                       "canonical": name, "article_id": aid})
        if len(ms) > 2 and rng.random() < 0.1:
            ms[1] = {**ms[1], "article_id": "another"}  # A, another, A
        published = rng.choice([None, "", "2024-01-02", "2023-05-06", "2024-11-30"])
        stream.append(({"published": published}, ms))
        if rng.random() < 0.05:  # the same article again, in a second call
            stream.append(({"published": published}, [dict(m) for m in ms[:3]]))
    return stream


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_entity_index_gives_the_same_answers_on_disk(seed):
    """add(), resolve(), rows() and the names: the same in memory and on disk, whether the
    index moves to disk at once or midway."""
    stream = _mention_stream(seed)
    for gazetteer in (None, _Gazetteer()):
        for variants in ((), (("Zelensky", "Zelenskyy", "Zelenskiy"), ("Nunez", "Núñez"))):
            got = []
            for spill_after in (None, 0, 40):
                idx = entity_index.EntityIndex(gazetteer, variants, spill_after=spill_after)
                for art, ms in stream:
                    idx.add(art, ms)
                assert (idx.db is None) == (spill_after is None)
                remap = idx.resolve()
                rows, names = idx.rows(remap)
                rows = list(rows)
                got.append((remap, rows, entity_finish.names_of(names, [r["entity_key"] for r in rows] + ["person:nobody"])))
                idx.close()
            assert got[0][1] and got[1] == got[0] and got[2] == got[0]
            remap = got[0][0]
            assert remap["person:uniq"] == "person:fix-uniq" and "person:smith" not in remap  # one full name, several
            assert ("person:volodymyr-zelensky" in remap or "person:volodymyr-zelenskyy" in remap) == bool(variants)


def test_prescan_knows_whether_a_build_needs_the_nlp(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for k in range(3):
        (src / f"{k}.txt").write_text(f"Title {k}\n\nBody {k}.\n", encoding="utf-8")
    store = cache_mod.NLPCache(tmp_path / "cache", "f" * 64)

    def need():
        p = Prescan([src], store, "c" * 64)
        p.thread.join()
        return p.need.is_set()

    assert need()  # nothing known yet
    store.remember_inputs(store.input_key("c" * 64, cache_mod.hashlib.sha256(p.read_bytes()).hexdigest())
                          for p in sorted(src.iterdir()))
    assert not need()
    (src / "9-new.txt").write_text("New\n\nA new article.\n", encoding="utf-8")
    assert need()
    assert cache_mod.NLPCache(tmp_path / "cache", "0" * 64).input_key("c" * 64, "x") != store.input_key("c" * 64, "x")
    store.close()


def test_prescan_looks_at_the_last_files_first(tmp_path, monkeypatch):
    build_mod = build_prescan

    src = tmp_path / "src"
    src.mkdir()
    for k in range(6):
        (src / f"{k}.txt").write_text(f"Title {k}\n\nBody {k}.\n", encoding="utf-8")
    store = cache_mod.NLPCache(tmp_path / "cache", "f" * 64)
    store.remember_inputs(store.input_key("c" * 64, cache_mod.hashlib.sha256(p.read_bytes()).hexdigest())
                          for p in sorted(src.iterdir()))
    hashed = []
    real = build_mod.sha256_file
    monkeypatch.setattr(build_mod, "sha256_file", lambda path: hashed.append(path.name) or real(path))
    monkeypatch.setattr(build_mod, "PRESCAN_TAIL", 2)

    def need():
        hashed.clear()
        p = Prescan([src], store, "c" * 64)
        p.thread.join()
        return p.need.is_set()

    assert not need()
    assert hashed == ["5.txt", "4.txt", "0.txt", "1.txt", "2.txt", "3.txt"]  # each file once, the last two first
    (src / "9-new.txt").write_text("New\n\nA new article.\n", encoding="utf-8")
    assert need()
    assert hashed == ["9-new.txt"]  # found at once, nothing else hashed
    store.close()


def test_write_behind_inserts_in_batches_and_at_flush():
    import sqlite3

    from presspack.package.spill import WRITE_BEHIND, WriteBehind

    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    w = WriteBehind(db, "INSERT OR REPLACE INTO t VALUES (?, ?)")
    for i in range(WRITE_BEHIND - 1):
        w.add((f"k{i}", i))
    assert db.execute("SELECT count(*) FROM t").fetchone() == (0,)  # held back
    w.add(("last", -1))
    assert db.execute("SELECT count(*) FROM t").fetchone() == (WRITE_BEHIND,) and w.pending == []
    w.add(("k0", 100))
    w.flush()
    w.flush()  # nothing pending: no write
    assert db.execute("SELECT count(*) FROM t").fetchone() == (WRITE_BEHIND,)
    assert db.execute("SELECT v FROM t WHERE k = 'k0'").fetchone() == (100,)


def test_a_bug_in_the_prescan_is_raised_in_the_build_not_lost_in_its_thread(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Title\n\nAn article.\n", encoding="utf-8")

    store = cache_mod.NLPCache(tmp_path / "cache", "f" * 64)

    def broken(config_sha256, sha256):
        raise RuntimeError("a bug")

    store.input_key = broken
    p = Prescan([src], store, "c" * 64)
    p.thread.join()
    p.stop(check=False)  # while another error is on its way: it is not masked
    with pytest.raises(RuntimeError, match="a bug"):
        p.stop()
    store.close()
