"""The NLP cache: incremental rebuilds, exact invalidation, identical releases."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presspack.annotate import cache as cache_mod
from presspack.annotate import executors
from presspack.annotate.batch import annotate_batch
from presspack.config import load_config
from presspack.nlp.pipeline import model_identity
from presspack.normalize import language
from presspack.orchestrate import build
from presspack.orchestrate.intake import accepted_articles
from presspack.orchestrate.ledger import Ledger

NEWS = Path(__file__).resolve().parent / "data" / "news"


def release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


@pytest.fixture
def corpus(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(NEWS, src)
    return src


def test_rebuild_hits_the_cache_and_is_byte_identical(tmp_path, corpus, nlp, config):
    cfg = dataclasses.replace(config, cache_dir=str(tmp_path / "cache"))
    first = build([corpus], tmp_path / "o", "1.0.0", cfg, nlp=nlp)
    assert first.cache == {"hits": 0, "misses": 6}
    second = build([corpus], tmp_path / "o2", "1.0.1", cfg, nlp=nlp)  # a first release too: its changelog and citation match the fresh one
    assert second.cache == {"hits": 6, "misses": 0}
    fresh = build([corpus], tmp_path / "fresh", "1.0.1", dataclasses.replace(cfg, cache=False), nlp=nlp)
    assert fresh.cache == {}
    assert release_bytes(second.release_dir) == release_bytes(fresh.release_dir)


def test_only_new_or_changed_articles_miss(tmp_path, corpus, nlp, config):
    cfg = dataclasses.replace(config, cache_dir=str(tmp_path / "cache"))
    build([corpus], tmp_path / "o", "1.0.0", cfg, nlp=nlp)
    (corpus / "new.txt").write_text(
        "Library opens late on Fridays\n\nThe central library will stay open until ten on Fridays, "
        "the librarian, Tom Baker, said.\n", encoding="utf-8")
    assert build([corpus], tmp_path / "o", "1.1.0", cfg, nlp=nlp).cache == {"hits": 6, "misses": 1}
    # A new text rule changes the text of one article only: only that one misses.
    toml = tmp_path / "presspack.toml"
    toml.write_text('[text]\nboilerplate = ["passengers were advised to check timetables before travelling\\\\."]\n', encoding="utf-8")
    cfg2 = dataclasses.replace(load_config(toml), cache_dir=cfg.cache_dir)
    assert cache_mod.pipeline_fingerprint(cfg2, model_identity(None, nlp)) == cache_mod.pipeline_fingerprint(cfg, model_identity(None, nlp))
    assert build([corpus], tmp_path / "o", "1.2.0", cfg2, nlp=nlp).cache == {"hits": 6, "misses": 1}


def test_fingerprint_changes_with_model_and_nlp_config_only(config):
    model = {"name": "en_core_web_sm", "version": "3.8.0"}
    fp = cache_mod.pipeline_fingerprint(config, model)
    same = [dataclasses.replace(config, jobs=4, batch_size=7, cache_dir="/elsewhere", executor="dask"),
            dataclasses.replace(config, dataset=dataclasses.replace(config.dataset, title="Other"))]
    for cfg in same:
        assert cache_mod.pipeline_fingerprint(cfg, model) == fp
    assert cache_mod.pipeline_fingerprint(dataclasses.replace(config, profile="fast"), model) != fp
    assert cache_mod.pipeline_fingerprint(config, {**model, "version": "3.8.1"}) != fp
    assert cache_mod.pipeline_fingerprint(config, {**model, "name": "en_core_web_md"}) != fp


def test_the_matrix_library_is_known_without_importing_thinc():
    """A build whose NLP is all cached needs the fingerprint, not thinc: the same answer
    without importing it as with."""
    import subprocess
    import sys

    code = ("import sys; from presspack.nlp.pipeline import matmul; print(matmul(), 'thinc' in sys.modules); "
            "import thinc.api; print(matmul())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["numpy-blas-1", "False", "numpy-blas-1"]


def test_fingerprint_changes_with_the_matrix_library(config, monkeypatch):
    model = {"name": "en_core_web_sm", "version": "3.8.0"}
    fp = cache_mod.pipeline_fingerprint(config, model)
    monkeypatch.setattr(cache_mod, "matmul", lambda: "apple")  # e.g. thinc-apple-ops installed
    assert cache_mod.pipeline_fingerprint(config, model) != fp


def test_entries_are_rekeyed_to_the_article_id(nlp, config, tmp_path):
    arts = list(accepted_articles([NEWS], config, Ledger(), None))[:2]
    anns = annotate_batch(arts, nlp)
    store = cache_mod.NLPCache(tmp_path, "f" * 64)
    store.put_many(zip(arts, anns, strict=True))
    # The same text under another id (e.g. from a different URL) gets rows with its own ids.
    other = dataclasses.replace(arts[0], article_id="a00000000000000ff", meta={**arts[0].meta, "url": "https://example.org/x"})
    got = store.get_many([other, arts[1]])
    assert got[1] == anns[1]
    row = got[0]
    assert row.article["article_id"] == other.article_id and row.article["url"] == "https://example.org/x"
    assert len(row.sentences) == len(anns[0].sentences) and row.entities
    for r in row.sentences + row.entities + row.claims:
        assert r["article_id"] == other.article_id
        assert not any(isinstance(v, str) and arts[0].article_id in v for v in r.values())
    assert row.sentences[0]["sentence_id"] == anns[0].sentences[0]["sentence_id"].replace(arts[0].article_id, other.article_id)
    assert store.stats.to_dict() == {"hits": 2, "misses": 0}
    assert cache_mod.NLPCache(tmp_path, "0" * 64).get_many([arts[0]]) == {}  # another pipeline: a miss
    store.close()


def test_fully_cached_build_loads_neither_pipeline_nor_language_model(tmp_path, corpus, nlp, config, monkeypatch):
    cfg = dataclasses.replace(config, cache_dir=str(tmp_path / "cache"))
    first = build([corpus], tmp_path / "o", "1.0.0", cfg, nlp=nlp)

    def no_loading(*a, **k):
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr(executors, "pipeline_for", no_loading)
    monkeypatch.setattr(executors, "load_pipeline", no_loading)
    monkeypatch.setattr(language, "identify", no_loading)  # languages are remembered too
    again = build([corpus], tmp_path / "o", "1.0.1", cfg)  # no nlp= given: nothing may load it
    assert again.cache == {"hits": 6, "misses": 0}
    assert (again.release_dir / "manifest.json").read_text() == (first.release_dir / "manifest.json").read_text().replace('"1.0.0"', '"1.0.1"')


def test_cache_clear_cli(tmp_path, corpus, nlp, config):
    cfg = dataclasses.replace(config, cache_dir=str(tmp_path / "cache"))
    build([corpus], tmp_path / "o", "1.0.0", cfg, nlp=nlp)
    assert cache_mod.cache_info(cfg.cache_dir)["entries"] == 6
    cmd = [sys.executable, "-m", "presspack", "cache"]
    proc = subprocess.run([*cmd, "clear", "--cache-dir", cfg.cache_dir], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "6 entries removed" in proc.stdout
    assert cache_mod.cache_info(cfg.cache_dir)["entries"] == 0
    assert build([corpus], tmp_path / "o", "1.0.1", cfg, nlp=nlp).cache == {"hits": 0, "misses": 6}


def test_remembered_language_evidence_keeps_its_order(tmp_path):
    """The best guess comes first in language evidence; a rebuild must see the same order
    (sorted by code it turned an 'en 0.8, de 0.2' article into 'de 0.2': no language)."""
    from presspack.normalize import language

    class Stub:
        assign = staticmethod(language.assign)

        @staticmethod
        def language_shares(text, title):
            return {"en": 0.8, "de": 0.2}

    store = cache_mod.NLPCache(tmp_path, "0" * 64)
    fresh, again = {}, {}
    store.languages(Stub).assign(fresh, "some text")
    store.close()
    store = cache_mod.NLPCache(tmp_path, "0" * 64)
    store.languages(Stub).assign(again, "some text")
    store.close()
    assert fresh["language"] == again["language"] == "en"


def test_a_build_with_a_cache_leaves_the_language_model_unpacked_there(tmp_path, corpus):
    """In a fresh process (the identifier is loaded once per process): the build writes the
    unpacked copy into CACHE/models, `cache info` counts it and `cache clear` removes it."""
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "presspack"]
    proc = subprocess.run([*cmd, "build", str(corpus), "--out", str(tmp_path / "o"), "--version", "1.0.0", "--cache-dir", str(cache)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    (copy,) = (cache / "models").iterdir()
    assert copy.name.startswith("py3langid-") and copy.suffix == ".npz"
    info = cache_mod.cache_info(cache)
    assert info["entries"] == 6 and info["model_bytes"] == copy.stat().st_size > 60_000_000
    proc = subprocess.run([*cmd, "cache", "clear", "--cache-dir", str(cache)], capture_output=True, text=True)
    assert proc.returncode == 0 and f"unpacked language model ({info['model_bytes']} bytes) removed" in proc.stdout
    assert not (cache / "models").exists() and cache_mod.cache_info(cache)["model_bytes"] == 0
