"""The NLP stage in batches: ordered, bounded, and the same output for any --jobs."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from presspack.annotate import executors
from presspack.annotate.batch import AnnotatedArticle, annotate_batch
from presspack.nlp.pipeline import deferred_components as nlp_deferred
from presspack.normalize.text import Article
from presspack.orchestrate.run import build

NEWS = Path(__file__).resolve().parent / "data" / "news"
FILES = ["bridge.txt", "harvest.txt", "museum.txt", "startup.txt", "storm.txt", "strike.txt"]


def release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


def _article(i: int) -> Article:
    text = f"Article number {i} says hello."
    return Article(article_id=f"a{i:016x}", origin=f"f{i}.txt", text=text, paragraphs=[(0, len(text), False)])


class FakeExecutor:
    """Records what it is asked to annotate; results carry the article id only."""

    inflight = 2

    def __init__(self) -> None:
        self.batches: list[list[str]] = []

    def submit(self, articles):
        self.batches.append([a.article_id for a in articles])
        rows = [AnnotatedArticle(article={"article_id": a.article_id}) for a in articles]
        return executors._Lazy(lambda: rows)


class FakeCache:
    """Hits on articles with an even number (or on those `hit` says); remembers what was
    stored; entries of the articles in `damaged` do not decode."""

    def __init__(self, hit=lambda n: n % 2 == 0, damaged=()) -> None:
        self.stored: list[str] = []
        self.hit, self.damaged = hit, set(damaged)

    def lookup_many(self, articles):
        return {i: b"entry" for i, a in enumerate(articles) if self.hit(int(a.article_id[1:], 16))}

    def decode_hit(self, blob, a):
        if a.article_id in self.damaged:
            return None
        return AnnotatedArticle(article={"article_id": a.article_id, "cached": True})

    def put_many(self, pairs):
        self.stored.extend(a.article_id for a, _ in pairs)


def test_annotate_stream_keeps_input_order_with_cache_hits():
    arts = [_article(i) for i in range(23)]
    ex, cache = FakeExecutor(), FakeCache()
    out = list(executors.annotate_stream(iter(arts), ex, batch_size=5, cache=cache))
    assert [o.article["article_id"] for o in out] == [a.article_id for a in arts]
    assert [bool(o.article.get("cached")) for o in out] == [i % 2 == 0 for i in range(23)]
    odd = [a.article_id for i, a in enumerate(arts) if i % 2]
    assert sum(ex.batches, []) == odd  # only misses reach the executor
    assert cache.stored == odd  # and only fresh results are stored


def test_with_a_cache_misses_reach_the_executor_before_the_cached_articles_are_written():
    """New articles often come last: they are submitted while the cached ones ahead of them
    are still to be decoded and written (within the look-ahead window), in input order."""
    arts = [_article(i) for i in range(100)]
    ex, cache = FakeExecutor(), FakeCache(hit=lambda n: n < 95, damaged={arts[3].article_id})
    gen = executors.annotate_stream(iter(arts), ex, batch_size=10, cache=cache, lookahead=200)
    first = next(gen)
    assert first.article == {"article_id": arts[0].article_id, "cached": True}
    new = [a.article_id for a in arts[95:]]
    assert ex.batches == [new[:1], new[1:4], new[4:]]  # already at the executor (the last batch in parts of 3)
    out = [first, *gen]
    assert [o.article["article_id"] for o in out] == [a.article_id for a in arts]
    assert ex.batches[3:] == [[arts[3].article_id]]  # a damaged entry is annotated afresh
    assert cache.stored == [arts[3].article_id] + [a.article_id for a in arts[95:]]
    # a small window bounds what is read ahead of the first result
    consumed = []
    gen = executors.annotate_stream((consumed.append(a) or a for a in arts), FakeExecutor(), batch_size=10,
                                    cache=FakeCache(hit=lambda n: True), lookahead=30)
    next(gen)
    assert len(consumed) == 41  # and one article more, to know whether a batch is the last


def test_the_last_batch_goes_out_in_parts():
    arts = [_article(i) for i in range(23)]
    ex = FakeExecutor()
    list(executors.annotate_stream(iter(arts), ex, batch_size=10))
    assert [len(b) for b in ex.batches] == [10, 10, 1, 1, 1]
    ex = FakeExecutor()
    list(executors.annotate_stream(iter(arts[:20]), ex, batch_size=10))
    assert [len(b) for b in ex.batches] == [10, 3, 3, 3, 1]
    assert sum(ex.batches, []) == [a.article_id for a in arts[:20]]


def test_annotate_stream_reads_ahead_only_a_bounded_window():
    consumed = 0

    def stream():
        nonlocal consumed
        for i in range(1000):
            consumed += 1
            yield _article(i)

    ex = FakeExecutor()
    gen = executors.annotate_stream(stream(), ex, batch_size=10)
    next(gen)
    # at most inflight + 1 batches (and one article) are read before the first result is handed out
    assert consumed <= (ex.inflight + 1) * 10 + 1
    assert sum(1 for _ in gen) == 999


def test_rows_do_not_depend_on_batch_size(nlp, config):
    from presspack.orchestrate.intake import accepted_articles
    from presspack.orchestrate.ledger import Ledger

    arts = list(accepted_articles([NEWS], config, Ledger(), None))
    one = annotate_batch(arts, nlp, batch_size=1)
    many = annotate_batch(arts, nlp, batch_size=32)
    assert [dataclasses.asdict(a) for a in one] == [dataclasses.asdict(a) for a in many]
    assert all(a.sentences for a in one)


def test_a_batch_runs_in_parts_of_bounded_text_with_the_same_rows(nlp, config, monkeypatch):
    from presspack.annotate import batch as nlp_mod
    from presspack.orchestrate.intake import accepted_articles
    from presspack.orchestrate.ledger import Ledger

    arts = [_article(i) for i in range(5)]  # 30 or 31 characters each
    assert [len(p) for p in nlp_mod._bounded(arts, 65)] == [2, 2, 1]
    assert [len(p) for p in nlp_mod._bounded(arts, 10)] == [1] * 5  # an article longer than the bound goes alone
    news = list(accepted_articles([NEWS], config, Ledger(), None))
    whole = annotate_batch(news, nlp, batch_size=32)
    parts = []
    real = nlp_mod.annotate
    monkeypatch.setattr(nlp_mod, "annotate", lambda part, *a, **k: parts.append(len(part)) or real(part, *a, **k))
    monkeypatch.setattr(nlp_mod, "MAX_BATCH_CHARS", max(len(a.text) for a in news))
    split = annotate_batch(news, nlp, batch_size=32)
    assert len(parts) > 1 and sum(parts) == len(news)
    assert [dataclasses.asdict(a) for a in split] == [dataclasses.asdict(a) for a in whole]


def test_a_batch_leaves_no_new_strings_in_the_vocabulary(nlp, monkeypatch):
    from presspack.annotate import batch as nlp_mod

    def article(text):
        return [Article(article_id="a" + "f" * 16, origin="z.txt", text=text, paragraphs=[(0, len(text), False)])]

    monkeypatch.setattr(nlp_mod, "_WARMED", {})
    monkeypatch.setattr(nlp_mod, "WARM_CHARS", 60)
    annotate_batch(article("Grelvin Mostrapol said the Quarnish ferry was late again today."), nlp)  # warming up
    assert "Grelvin" in nlp.vocab.strings  # outside a memory zone: the tokenizer's cache fills
    before = len(nlp.vocab.strings)
    (row,) = annotate_batch(article("Zorblax Quintavenue told Vrelnik Osterhaug that the flimbrook treaty was dead."), nlp)
    assert row.article["n_tokens"] == 12
    assert len(nlp.vocab.strings) == before  # spaCy's memory zone dropped the batch's new words
    assert "Zorblax" not in nlp.vocab.strings


def test_jobs_2_is_byte_identical_to_jobs_1(tmp_path, nlp, config):
    base = dataclasses.replace(config, cache=False, batch_size=2)
    one = build([NEWS], tmp_path / "one", "1.0.0", dataclasses.replace(base, jobs=1), nlp=nlp)
    two = build([NEWS], tmp_path / "two", "1.0.0", dataclasses.replace(base, jobs=2), nlp=nlp)
    assert one.counts["accepted"] == len(FILES)
    assert release_bytes(one.release_dir) == release_bytes(two.release_dir)


def test_unknown_executor_is_a_config_error(config):
    from presspack.errors import ConfigError

    with pytest.raises(ConfigError):
        executors.make_executor(dataclasses.replace(config, executor="spark"))
    with pytest.raises(ConfigError):
        executors.make_executor(dataclasses.replace(config, jobs=0))


def test_process_pool_is_terminated_when_results_are_abandoned(nlp, config):
    ex = executors.ProcessExecutor(executors.PipelineSpec(config.model, config.profile, 2), 2, nlp)
    arts = [_article(i) for i in range(4)]
    assert [a.article["article_id"] for a in ex.submit(arts[:2]).result()] == [arts[0].article_id, arts[1].article_id]
    ex.submit(arts[2:])  # never collected, as when the build stops on an error
    ex.close()
    assert ex.pool is None


def test_jobs_n_uses_n_cores(config, nlp):
    base = dataclasses.replace(config, cache=False, batch_size=2, jobs=1)
    assert isinstance(executors.make_executor(base), executors.InlineExecutor)  # one core: no worker process
    assert isinstance(executors.make_executor(base, nlp), executors.InlineExecutor)
    two = executors.make_executor(dataclasses.replace(base, jobs=2))
    assert isinstance(two, executors.ProcessExecutor) and two.jobs == 2 and two.pool is None  # started when needed


def test_a_pipeline_that_fails_to_load_in_the_worker_is_an_error_not_a_hang(monkeypatch, config):
    from presspack.errors import ModelNotFound

    def broken(*a, **k):
        raise ModelNotFound("cannot load spaCy pipeline 'x'")

    monkeypatch.setattr(executors, "load_pipeline", broken)
    spec = executors.PipelineSpec("no-such-model-for-this-test", config.profile, 2)
    ex = executors.ProcessExecutor(spec, 1)
    ex.start()
    with pytest.raises(ModelNotFound):
        ex.submit([_article(1)]).result()
    ex.close()
    assert ex.pool is None


def test_only_rule_components_followed_by_statistical_ones_are_deferred():
    import spacy

    blank = spacy.blank("en")
    blank.add_pipe("attribute_ruler")
    blank.add_pipe("ner")
    assert nlp_deferred(blank) == ("attribute_ruler",)
    fresh = spacy.blank("en")
    fresh.add_pipe("attribute_ruler").add([[{"LOWER": "gov."}]], {"NORM": "government"})
    fresh.add_pipe("ner")
    assert nlp_deferred(fresh) == ()  # the NER reads NORM: the ruler must run before it
    ruled = spacy.blank("en")
    ruled.add_pipe("attribute_ruler")
    ruled.add_pipe("entity_ruler")  # a rule component after it might match on POS or lemmas
    assert nlp_deferred(ruled) == ()


def test_pipelines_multiply_on_numpys_blas_one_thread_per_batch(nlp, monkeypatch):
    """Thinc's ops use numpy's BLAS (not BLIS), and each batch runs with one BLAS thread:
    OpenBLAS's last bits depend on its thread count."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_info, threadpool_limits

    from presspack.annotate import batch as nlp_mod
    from presspack.nlp import pipeline

    for name in ("tok2vec", "parser", "ner"):
        ops = nlp.get_pipe(name).model.ops
        assert type(ops) is NumpyOps and not ops.use_blis
    assert pipeline.model_info(nlp)["matmul"] == "numpy-blas-1"

    def blas_threads():
        return {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}

    seen = []
    real = nlp_mod.annotate

    def spy(*args, **kwargs):
        seen.append(blas_threads())
        yield from real(*args, **kwargs)

    monkeypatch.setattr(nlp_mod, "annotate", spy)
    with threadpool_limits(limits=2, user_api="blas"):
        assert annotate_batch([_article(1), _article(2)], nlp)[0].sentences
        assert seen == [{1}]
        assert blas_threads() == {2}  # given back after the batch
