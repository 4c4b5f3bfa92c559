"""Where the NLP stage runs: inline, in worker processes, or on a Dask cluster.

Every executor runs the same unit of work, `run_batch(spec, articles)`: load the pipeline
named by `spec` once per process (or per Dask worker), then `nlp.annotate_batch()`,
which returns plain picklable rows. `annotate_stream()` cuts the article stream into
batches, answers what it can from the cache, sends the rest to the executor with a
bounded number of batches in flight (memory does not grow with the corpus) and yields the
results in input order, so the output does not depend on the executor or on --jobs.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any, Protocol

from presspack.annotate.batch import AnnotatedArticle, annotate_batch
from presspack.entities.gazetteer import load_gazetteers
from presspack.errors import ConfigError, ExecutorError
from presspack.learn import load_claims_model
from presspack.nlp.heap import keep_arrays_in_heap
from presspack.nlp.pipeline import language_pipelines, load_pipeline, model_identity, model_info
from presspack.normalize.text import Article

EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build the pipeline itself: small, picklable."""

    model: str | None
    profile: str = "full"
    batch_size: int = 32
    gazetteers: tuple[str, ...] = ()  # absolute paths of the user's gazetteer files
    models: tuple[tuple[str, str], ...] = ()  # other languages: (language code, pipeline)
    claims_model: str | None = None  # absolute path of a claims model directory (presspack train claims)


# One loaded pipeline per spec and process (worker processes inherit the parent's by fork).
_PIPELINES: dict[PipelineSpec, Any] = {}
_EXTRAS: dict[PipelineSpec, tuple[Any, dict[str, Any], Any]] = {}
_LOAD_LOCK = threading.Lock()


def extras_for(spec: PipelineSpec, nlp: Any) -> tuple[Any, dict[str, Any], Any]:
    """The gazetteer, the other languages' pipelines and the claims model for `spec`,
    loaded once per process."""

    with _LOAD_LOCK:
        got = _EXTRAS.get(spec)
        if got is None:
            got = _EXTRAS[spec] = (load_gazetteers(list(spec.gazetteers)), language_pipelines(dict(spec.models), nlp, profile=spec.profile),
                                   _claims_model(spec.claims_model))
        return got


def _claims_model(path: str | None) -> Any:
    return None if path is None else load_claims_model(path)


def _annotate(spec: PipelineSpec, nlp: Any, articles: list[Article]) -> list[AnnotatedArticle]:
    gazetteer, pipelines, claims_model = extras_for(spec, nlp)
    return annotate_batch(articles, nlp, batch_size=spec.batch_size, gazetteer=gazetteer, pipelines=pipelines,
                          claims_model=claims_model)


def pipeline_for(spec: PipelineSpec) -> Any:
    """The pipeline for `spec`, loaded once per process."""
    with _LOAD_LOCK:
        nlp = _PIPELINES.get(spec)
        if nlp is None:
            keep_arrays_in_heap()
            nlp = _PIPELINES[spec] = load_pipeline(spec.model, profile=spec.profile)
        return nlp


def run_batch(spec: PipelineSpec, articles: list[Article]) -> list[AnnotatedArticle]:
    """The unit of work: rows for a batch of articles (same result wherever it runs)."""
    return _annotate(spec, pipeline_for(spec), articles)


class Handle(Protocol):
    def result(self) -> list[AnnotatedArticle]: ...


class Executor(Protocol):
    inflight: int

    def start(self) -> None: ...
    def submit(self, articles: list[Article]) -> Handle: ...
    def model_info(self) -> dict[str, Any]: ...
    def close(self) -> None: ...


class _Lazy:
    def __init__(self, fn: Any, *args: Any) -> None:
        self.fn, self.args = fn, args

    def result(self) -> list[AnnotatedArticle]:
        return self.fn(*self.args)


class InlineExecutor:
    """In this process, one batch at a time (--jobs 1: one core). The pipeline loads at
    the first batch that needs it."""

    inflight = 0

    def __init__(self, spec: PipelineSpec, nlp: Any = None) -> None:
        self.spec = spec
        self.nlp = nlp

    def start(self) -> None:
        return None

    def _nlp(self) -> Any:
        if self.nlp is None:
            self.nlp = pipeline_for(self.spec)
        return self.nlp

    def submit(self, articles: list[Article]) -> Handle:
        return _Lazy(lambda: _annotate(self.spec, self._nlp(), articles))

    def model_info(self) -> dict[str, Any]:
        return model_info(self._nlp())

    def close(self) -> None:
        return None


class _Async:
    def __init__(self, res: Any, owner: ProcessExecutor) -> None:
        self.res = res
        self.owner = owner

    def result(self) -> list[AnnotatedArticle]:
        out: list[AnnotatedArticle] = self.res.get()
        self.owner.collected += 1
        return out


class ProcessExecutor:
    """N worker processes (--jobs N, N >= 2), each with its own copy of the pipeline, which
    run spaCy and derive the rows, while this process reads, identifies languages,
    de-duplicates and writes. With a pipeline passed in, the workers are forked after it
    was loaded (copy-on-write); otherwise each worker loads it itself, in parallel with
    this process's own work (spawned where fork is not available). Started by `start()` or
    at the first batch that needs NLP; this process never loads the pipeline unless asked
    for model_info before any worker ran."""

    def __init__(self, spec: PipelineSpec, jobs: int, nlp: Any = None) -> None:
        self.spec = spec
        self.jobs = jobs
        self.nlp = nlp
        self.pool: Any = None
        self.inflight = 2 * jobs
        self.submitted = self.collected = 0
        self._info: dict[str, Any] | None = None

    def start(self) -> None:
        if self.pool is not None:
            return
        if "fork" in multiprocessing.get_all_start_methods():
            if self.nlp is not None:
                _PIPELINES[self.spec] = self.nlp  # inherited by the forked workers
            ctx = multiprocessing.get_context("fork")
        else:  # pragma: no cover - not on Linux
            ctx = multiprocessing.get_context("spawn")
        self.pool = ctx.Pool(self.jobs, initializer=_init_worker, initargs=(self.spec,))

    def submit(self, articles: list[Article]) -> Handle:
        self.start()
        self.submitted += 1
        return _Async(self.pool.apply_async(run_batch, (self.spec, articles)), self)

    def model_info(self) -> dict[str, Any]:
        if self._info is None:
            if self.nlp is not None:
                self._info = model_info(self.nlp)
            elif self.pool is not None:  # the workers have the pipeline: ask one
                self._info = self.pool.apply(_worker_model_info, (self.spec,))
            else:
                self._info = model_info(pipeline_for(self.spec))
        return self._info

    def close(self) -> None:
        if self.pool is not None:
            if self.collected < self.submitted:  # the build failed or was interrupted
                self.pool.terminate()
            else:
                self.pool.close()
            self.pool.join()
            self.pool = None


def _init_worker(spec: PipelineSpec) -> None:
    """Load the pipeline when the worker starts. A failure is left to the first batch,
    which raises it again where the build sees it (an initializer that raises would make
    the pool restart the worker forever)."""
    try:
        extras_for(spec, pipeline_for(spec))
    except Exception:  # noqa: BLE001 - reported by run_batch
        return


def _worker_model_info(spec: PipelineSpec) -> dict[str, Any]:
    return model_info(pipeline_for(spec))


class DaskExecutor:
    """Batches run as tasks on a Dask distributed cluster. Articles go to the workers and
    rows come back; the model is not shipped: each worker loads the pipeline named by the
    spec once (it must be installed there) and keeps it."""

    def __init__(self, spec: PipelineSpec, scheduler: Any = None, jobs: int = 1) -> None:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError:
            raise ExecutorError(
                "the dask executor needs dask.distributed: pip install 'presspack[dask]'"
            ) from None
        self.spec = spec
        self.cluster = None
        try:
            if isinstance(scheduler, Client):
                self.client, self.own_client = scheduler, False
            elif scheduler:
                self.client, self.own_client = Client(scheduler, timeout=dask.config.get("distributed.comm.timeouts.connect")), True
            else:
                self.cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                                            dashboard_address=None, silence_logs=logging.ERROR)
                self.client, self.own_client = Client(self.cluster), True
        except (OSError, TimeoutError, ValueError) as e:
            raise ExecutorError(f"cannot reach the Dask scheduler {scheduler!r}: {e}") from None
        threads = sum(self.client.nthreads().values()) or 1
        self.inflight = 2 * threads
        self._info: dict[str, Any] | None = None

    def start(self) -> None:
        return None

    def submit(self, articles: list[Article]) -> Handle:
        return self.client.submit(_dask_run_batch, self.spec, articles, pure=False)

    def model_info(self) -> dict[str, Any]:
        if self._info is None:
            self._info = self.client.submit(_dask_model_info, self.spec, pure=False).result()
        return self._info

    def check_model(self, expected: dict[str, Any]) -> None:
        """The workers must run the model this process fingerprints (cache, provenance)."""
        info = self.model_info()
        if (info.get("name"), info.get("version")) != (expected.get("name"), expected.get("version")):
            self.close()
            raise ExecutorError(
                f"the Dask workers run {info.get('name')} {info.get('version')} but this machine has "
                f"{expected.get('name')} {expected.get('version')}: install the same model version everywhere"
            )

    def close(self) -> None:
        if self.own_client:
            self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _worker_pipeline(spec: PipelineSpec) -> Any:
    """On a Dask worker: the pipeline kept on the worker object (one per worker, also when
    several workers share a process); elsewhere the per-process one."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return pipeline_for(spec)
    with _LOAD_LOCK:
        store = worker.__dict__.setdefault("_presspack_pipelines", {})
        if spec not in store:
            store[spec] = load_pipeline(spec.model, profile=spec.profile)
        return store[spec]


def _dask_run_batch(spec: PipelineSpec, articles: list[Article]) -> list[AnnotatedArticle]:
    return _annotate(spec, _worker_pipeline(spec), articles)


def _dask_model_info(spec: PipelineSpec) -> dict[str, Any]:
    return model_info(_worker_pipeline(spec))


def make_executor(config: Any, nlp: Any = None, *, scheduler: Any = None) -> Executor:
    """The executor the configuration asks for (`executor`, `scheduler`, `jobs`)."""
    from pathlib import Path

    base = Path(config.source_path).resolve().parent if config.source_path else Path.cwd()
    gazetteers = tuple(str(p if Path(p).is_absolute() else base / p) for p in config.entities.gazetteers)
    claims_model = getattr(config, "claims_model", None)
    if claims_model is not None:
        claims_model = str(Path(claims_model).resolve())
        _claims_model(claims_model)  # a damaged or foreign model is a one-line error before any work
    spec = PipelineSpec(config.model, config.profile, config.batch_size, gazetteers, tuple(sorted(config.models.items())),
                        claims_model)
    kind = getattr(config, "executor", "local") or "local"
    if kind not in EXECUTORS:
        raise ConfigError(f"executor must be one of {', '.join(EXECUTORS)}, not {kind!r}")
    if kind == "dask":

        ex = DaskExecutor(spec, scheduler or getattr(config, "scheduler", None), config.jobs)
        ex.check_model(model_identity(config.model, nlp))
        return ex
    if config.jobs < 1:
        raise ConfigError("jobs must be at least 1")
    if config.jobs == 1:
        # --jobs N uses N cores: with one, everything runs in this process, one step after
        # the other (a pipeline already loaded here, by the API or a test, is used as is)
        return InlineExecutor(spec, nlp)
    return ProcessExecutor(spec, config.jobs, nlp)


# The last batch goes out in this many parts: the workers share it, and this process
# writes one part while they run the next and at the end waits for one part, not a whole
# batch (the rows do not depend on how the articles are batched).
TAIL_PARTS = 4
_END = object()


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    it = iter(items)
    batch = list(islice(it, size))
    while batch:
        nxt = next(it, _END)  # one article ahead: is this batch the last?
        if nxt is _END:
            step = -(-len(batch) // TAIL_PARTS)
            for i in range(0, len(batch), step):
                yield batch[i : i + step]
            return
        yield batch
        batch = [nxt, *islice(it, size - 1)]


# With a cache: articles looked up ahead of the ones being decoded and written, so that
# misses (new articles, often last in input order) reach the NLP workers early and run
# while this process works through the cached ones. Held: the articles and their
# compressed cache entries (a few kB each).
LOOKAHEAD = 2048


def annotate_stream(articles: Iterable[Article], executor: Executor, *, batch_size: int, cache: Any = None,
                    lookahead: int = LOOKAHEAD) -> Iterator[AnnotatedArticle]:
    """AnnotatedArticles in input order: from the cache when there, else from the executor
    (with at most `executor.inflight` batches waiting), storing fresh results."""
    pending: deque[tuple[list[Article], dict[int, bytes], list[Article], Handle | None]] = deque()
    waiting = held = 0  # batches at the executor; articles pending
    for batch in _batches(articles, max(batch_size, 1)):
        hits = cache.lookup_many(batch) if cache is not None else {}
        misses = [a for i, a in enumerate(batch) if i not in hits]
        handle = executor.submit(misses) if misses else None
        pending.append((batch, hits, misses, handle))
        waiting += handle is not None
        held += len(batch)
        while pending and (waiting > executor.inflight or held > lookahead):
            item = pending.popleft()
            waiting -= item[3] is not None
            held -= len(item[0])
            yield from _finish(item, executor, cache)
    while pending:
        yield from _finish(pending.popleft(), executor, cache)


def _finish(item: tuple[list[Article], dict[int, bytes], list[Article], Handle | None], executor: Executor,
            cache: Any) -> Iterator[AnnotatedArticle]:
    batch, hits, misses, handle = item
    fresh = handle.result() if handle is not None else []
    if len(fresh) != len(misses):
        raise ExecutorError(f"a batch of {len(misses)} article(s) came back with {len(fresh)} result(s)")
    if cache is not None and fresh:
        cache.put_many(zip(misses, fresh, strict=True))
    it = iter(fresh)
    for i, art in enumerate(batch):
        if i not in hits:
            yield next(it)
            continue
        got = cache.decode_hit(hits[i], art)
        if got is None:  # a damaged entry: annotate the article now, and replace the entry
            (got,) = executor.submit([art]).result()
            cache.put_many([(art, got)])
        yield got
