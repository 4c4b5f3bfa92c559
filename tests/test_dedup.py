"""De-duplication: exact and near copies, first kept, configurable threshold, lean memory."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest

from presspack.config import load_config
from presspack.normalize import dedup
from presspack.normalize.dedup import Deduplicator, bands_for

ORIGINAL = (
    "The regional water board announced on Thursday that households in the northern districts must cut their use by a fifth "
    "until the end of August, after the driest spring since records began more than a century ago.\n\n"
    "Reservoir levels have fallen to 38 percent of capacity, the board said, and further restrictions could follow if the "
    "weather stays dry through July. Garden sprinklers and car washing at home are banned with immediate effect.\n\n"
    "Farmers' associations criticised the decision, saying that the board had ignored repeated warnings about leaking pipes "
    "that lose almost a quarter of the treated water before it reaches any customer.\n\n"
    "The board's chairwoman said a repair programme worth 120 million would begin in the autumn and that fines for breaking "
    "the new rules would be modest at first."
)
# A syndicated copy: one word changed, a sentence reworded, a credit line added.
SYNDICATED = (
    ORIGINAL.replace("on Thursday", "on Thursday evening")
    .replace("would be modest at first.", "would stay modest at first.")
    + "\n\nThis story was first published by a partner newspaper."
)
OTHER = (
    "A new cycling bridge over the river opened to the public on Saturday, two years later than planned and well over its "
    "original budget, city officials confirmed at a short ceremony attended by several hundred residents.\n\n"
    "The bridge links the old harbour with the university campus and is expected to carry about 8,000 cyclists a day. "
    "Engineers had to redesign its foundations after finding unstable clay beneath the riverbed."
)


def ids(n: int) -> list[str]:
    return [f"a{k:016x}" for k in range(1, n + 1)]


def test_bands_fit_the_permutations():
    for threshold in (0.5, 0.8, 0.9):
        b, r = bands_for(threshold, 64)
        assert b * r <= 64 and b > 1 and r > 1
    assert bands_for(0.9, 64)[1] > bands_for(0.5, 64)[1]  # a higher threshold needs longer bands


def test_exact_and_near_duplicates_point_to_the_first():
    d = Deduplicator()
    a, b, c, e = ids(4)
    assert d.check(a, ORIGINAL) is None
    assert d.check(b, OTHER) is None
    same = d.check(c, ORIGINAL)
    assert same is not None and same.kept == a and same.kind == "text" and same.reason() == f"same text as {a}"
    near = d.check(e, SYNDICATED)
    assert near is not None and near.kept == a and near.kind == "near" and near.similarity >= 0.8
    assert near.reason().startswith(f"near-duplicate of {a} (estimated similarity 0.")


def test_different_articles_are_kept():
    d = Deduplicator()
    a, b, c = ids(3)
    half = ORIGINAL.split("\n\n")[:2] + OTHER.split("\n\n")
    assert d.check(a, ORIGINAL) is None
    assert d.check(b, OTHER) is None
    assert d.check(c, "\n\n".join(half)) is None  # shares half its text: related, not a copy


def test_threshold_is_configurable(tmp_path):
    strict = Deduplicator(threshold=0.99)
    a, b = ids(2)
    assert strict.check(a, ORIGINAL) is None
    assert strict.check(b, SYNDICATED) is None
    cfg = tmp_path / "p.toml"
    cfg.write_text("[dedup]\nthreshold = 0.95\nnum_perm = 32\n")
    settings = load_config(cfg).dedup
    assert (settings.threshold, settings.num_perm, settings.enabled) == (0.95, 32, True)


def test_short_texts_only_exact():
    d = Deduplicator()
    a, b, c = ids(3)
    assert d.check(a, "Markets closed higher on Friday.") is None
    assert d.check(b, "Markets closed lower on Friday.") is None
    dup = d.check(c, "Markets closed higher on Friday.")
    assert dup is not None and dup.kept == a


def test_lookups_survive_merges_and_memory_stays_small(monkeypatch):
    monkeypatch.setattr(dedup, "MERGE_EVERY", 50)
    rng = random.Random(7)
    words = [f"w{k}" for k in range(5000)]
    texts = [" ".join(rng.choice(words) for _ in range(120)) for _ in range(400)]
    d = Deduplicator()
    names = ids(800)
    for name, t in zip(names, texts):
        assert d.check(name, t) is None
    assert len(d._exact.keys) > 0  # merged into the sorted arrays
    found = 0
    for k, t in enumerate(texts):
        w = t.split()
        w[k % 120] = "changed"
        dup = d.check(names[400 + k], " ".join(w))
        found += dup is not None and dup.kept == names[k]
    assert found >= 390
    per_article = (d.nbytes() - len(d._ids) * dedup.SIG_BLOCK * (8 + d.num_perm)) / d.kept + 8 + d.num_perm
    assert per_article < 200


def test_deterministic():
    runs = []
    for _ in range(2):
        d = Deduplicator()
        a, b = ids(2)
        d.check(a, ORIGINAL)
        runs.append(d.check(b, SYNDICATED))
    assert runs[0] == runs[1]


@pytest.fixture
def records():
    return "\n".join(
        json.dumps(r)
        for r in [
            {"id": "orig", "text": ORIGINAL, "url": "https://paper-one.example/water"},
            {"id": "other", "text": OTHER, "url": "https://paper-one.example/bridge"},
            {"id": "synd", "text": SYNDICATED, "url": "https://paper-two.example/water-cuts"},
            {"id": "copy", "text": ORIGINAL, "url": "https://paper-three.example/w"},
            {"id": "again", "text": OTHER, "url": "https://PAPER-ONE.example/bridge?utm_source=feed"},
        ]
    )


def test_build_reports_duplicates(make_release, records):
    result = make_release({"feed.jsonl": records})
    arts = pd.read_parquet(result.release_dir / "articles.parquet")
    assert list(arts["external_id"]) == ["orig", "other"]
    kept = dict(zip(arts["external_id"], arts["article_id"]))
    manifest = json.loads((result.release_dir / "manifest.json").read_text())
    recs = {r["origin"]: r for r in manifest["files"][0]["records"]}
    assert recs["feed.jsonl#synd"]["status"] == "duplicate" and recs["feed.jsonl#synd"]["duplicate_of"] == kept["orig"]
    assert "near-duplicate" in recs["feed.jsonl#synd"]["reason"]
    assert recs["feed.jsonl#copy"]["duplicate_of"] == kept["orig"] and "same text" in recs["feed.jsonl#copy"]["reason"]
    assert recs["feed.jsonl#again"]["duplicate_of"] == kept["other"] and "same URL" in recs["feed.jsonl#again"]["reason"]
    assert result.counts["duplicate"] == 3


def test_build_threshold_from_config(make_release, records, tmp_path):
    cfg = tmp_path / "strict.toml"
    cfg.write_text("[dedup]\nthreshold = 0.99\n")
    result = make_release({"feed.jsonl": records}, config=load_config(cfg))
    arts = pd.read_parquet(result.release_dir / "articles.parquet")
    assert list(arts["external_id"]) == ["orig", "other", "synd"]


def test_signatures_remembered_by_the_cache_give_the_same_answers_without_hashing(tmp_path):
    from presspack.annotate import cache as cache_mod

    def run(store):
        d = Deduplicator(signatures=store)
        a, b, c = ids(3)
        out = [d.check(a, ORIGINAL), d.check(b, OTHER), d.check(c, SYNDICATED), d.check("a" + "f" * 16, "too short")]
        return d, out

    first = cache_mod.CachedSignatures(cache_mod._connect(tmp_path))
    _, fresh = run(first)
    first.flush()
    again, cached = run(cache_mod.CachedSignatures(cache_mod._connect(tmp_path)))
    assert cached == fresh == run(None)[1]
    assert fresh[2] is not None and fresh[2].kind == "near"
    assert again.signed == 0  # every signature came from the store: no MinHash was made


def test_minhash_equals_datasketch():
    from datasketch import MinHash

    from presspack.normalize.dedup import minhash

    words = (ORIGINAL + " " + OTHER).split()
    sets = [{" ".join(words[i : i + 3]).encode() for i in range(n, len(words) - 2)} for n in (0, 7, 40)]
    sets.append({"ünïcödé 語 shingle".encode(), b""})
    for shingles in sets:
        for num_perm, seed in ((64, 1), (128, 1), (16, 7)):
            ref = MinHash(num_perm=num_perm, seed=seed, scheme="legacy")  # classic universal hashing mod 2^61 - 1
            ref.update_batch(sorted(shingles))
            assert minhash(shingles, num_perm, seed).tolist() == ref.hashvalues.tolist()
    assert minhash(set(), 8).tolist() == MinHash(num_perm=8, scheme="legacy").hashvalues.tolist()  # nothing hashed: all maxima
