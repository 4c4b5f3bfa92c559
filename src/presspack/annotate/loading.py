"""The pipeline a batch runs on: what a worker needs to build it (PipelineSpec), loaded
once per process, and the unit of work every executor runs (run_batch)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from presspack.annotate.batch import AnnotatedArticle, annotate_batch
from presspack.entities.gazetteer import load_gazetteers
from presspack.nlp.pipeline import language_pipelines, load_pipeline
from presspack.normalize.text import Article


@dataclass(frozen=True)
class PipelineSpec:
    """What a worker needs to build the pipeline itself: small, picklable."""

    model: str | None
    profile: str = "full"
    batch_size: int = 32
    gazetteers: tuple[str, ...] = ()  # absolute paths of the user's gazetteer files
    models: tuple[tuple[str, str], ...] = ()  # other languages: (language code, pipeline)


# One loaded pipeline per spec and process (worker processes inherit the parent's by fork).
PIPELINES: dict[PipelineSpec, Any] = {}
_EXTRAS: dict[PipelineSpec, tuple[Any, dict[str, Any]]] = {}
LOAD_LOCK = threading.Lock()


def extras_for(spec: PipelineSpec, nlp: Any) -> tuple[Any, dict[str, Any]]:
    """The gazetteer and the other languages' pipelines for `spec`, loaded once per process."""

    with LOAD_LOCK:
        got = _EXTRAS.get(spec)
        if got is None:
            got = _EXTRAS[spec] = (load_gazetteers(list(spec.gazetteers)), language_pipelines(dict(spec.models), nlp, profile=spec.profile))
        return got


def annotate_with(spec: PipelineSpec, nlp: Any, articles: list[Article]) -> list[AnnotatedArticle]:
    gazetteer, pipelines = extras_for(spec, nlp)
    return annotate_batch(articles, nlp, batch_size=spec.batch_size, gazetteer=gazetteer, pipelines=pipelines)


def pipeline_for(spec: PipelineSpec) -> Any:
    """The pipeline for `spec`, loaded once per process."""
    with LOAD_LOCK:
        nlp = PIPELINES.get(spec)
        if nlp is None:
            nlp = PIPELINES[spec] = load_pipeline(spec.model, profile=spec.profile)
        return nlp


def run_batch(spec: PipelineSpec, articles: list[Article]) -> list[AnnotatedArticle]:
    """The unit of work: rows for a batch of articles (same result wherever it runs)."""
    return annotate_with(spec, pipeline_for(spec), articles)


class Loader:
    """pipeline_for(spec) and its extras, loaded in a thread; result() waits for them and
    raises what the loading raised, where the build sees it."""

    def __init__(self, spec: PipelineSpec) -> None:
        self.spec = spec
        self.nlp: Any = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="presspack-load", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            self.nlp = pipeline_for(self.spec)
            extras_for(self.spec, self.nlp)
        except BaseException as e:  # noqa: BLE001 - raised again by result()
            self.error = e

    def result(self) -> Any:
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.nlp
