"""Where a build's CPU time goes, component by component: the spaCy components, the rule
components, the row derivation (sentences, entities, claims) and the build's own stages.

    python benchmarks/bench_components.py CORPUS_DIR [--profile full|fast] [--articles N] [--work DIR]

One `presspack build --jobs 1 --no-cache` run in this process (no interpreter start-up),
timed with exclusive CPU spans: a span's time excludes the spans it calls (a spaCy
component's `pipe` pulls its Docs from the component before it, which is timed as that
component). "other" is the rest of the process's CPU time (reading, normalizing, imports
after this script's own, the manifest). Run once per profile, on the same texts, and
compare the two tables.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_corpus, machine, write_corpus  # noqa: E402

from presspack.annotate import batch, executors  # noqa: E402
from presspack.config import load_config  # noqa: E402
from presspack.nlp import pipeline  # noqa: E402
from presspack.normalize import dedup, language  # noqa: E402
from presspack.orchestrate import run as build_run  # noqa: E402
from presspack.package import tables  # noqa: E402

SPENT: dict[str, float] = defaultdict(float)
_LOCAL = threading.local()


class span:
    """CPU time of a block, less that of the spans inside it (per thread)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        stack = _LOCAL.__dict__.setdefault("stack", [])
        stack.append([time.thread_time(), 0.0])

    def __exit__(self, *exc: Any) -> None:
        start, inner = _LOCAL.stack.pop()
        took = time.thread_time() - start
        SPENT[self.name] += took - inner
        if _LOCAL.stack:
            _LOCAL.stack[-1][1] += took


def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with span(name):
            return fn(*args, **kwargs)

    return wrapper


class TimedComponent:
    """A pipeline component whose __call__ and pipe() are timed under its name."""

    def __init__(self, name: str, proc: Any) -> None:
        self._name, self._proc = name, proc

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._proc, attr)

    def __call__(self, doc: Any) -> Any:
        with span(self._name):
            return self._proc(doc)

    def pipe(self, docs: Any, **kwargs: Any) -> Iterator[Any]:
        if not hasattr(self._proc, "pipe"):  # a function component: spaCy calls it per Doc
            yield from (self(doc) for doc in docs)
            return
        gen = self._proc.pipe(docs, **kwargs)
        while True:
            with span(self._name):
                try:
                    doc = next(gen)
                except StopIteration:
                    return
            yield doc


def instrumented_load(name: str | None = None, *, profile: str = "full") -> Any:
    with span("model load"):
        nlp = pipeline.load_pipeline(name, profile=profile)
    deferred = set(pipeline.deferred_components(nlp))
    nlp.tokenizer = TimedComponent("tokenizer", nlp.tokenizer)
    nlp._components = [(n, p if n in deferred else TimedComponent(n, p)) for n, p in nlp._components]
    return nlp


def instrument() -> None:
    executors.load_pipeline = instrumented_load
    rules = pipeline.run_rules
    pipeline.run_rules = lambda comp, doc: timed(f"{comp.__class__.__name__} (presspack.nlp.rules)", rules)(comp, doc)
    batch.sent_mod.sentence_rows = timed("rows: sentences", batch.sent_mod.sentence_rows)
    batch.ent_mod.mention_rows = timed("rows: entities", batch.ent_mod.mention_rows)
    batch.claims_mod.claim_rows = timed("rows: claims (dependency rules)", batch.claims_mod.claim_rows)
    batch.claims_mod.quote_claim_rows = timed("rows: claims (quotes only)", batch.claims_mod.quote_claim_rows)
    language.language_shares = timed("language identification", language.language_shares)
    dedup.Deduplicator.check = timed("duplicate check", dedup.Deduplicator.check)
    tables.TableWriter.write = timed("Parquet tables", tables.TableWriter.write)
    tables.TableWriter.close = timed("Parquet tables", tables.TableWriter.close)
    build_run.finish_entity_index = timed("entity index", build_run.finish_entity_index)
    build_run.finish_release = timed("extras (card, report, citation, croissant)", build_run.finish_release)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--profile", choices=("full", "fast"), default="full")
    ap.add_argument("--articles", type=int)
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=args.work))
    try:
        arts = load_corpus(args.corpus)
        corpus = write_corpus(arts, work / "corpus", args.articles or len(arts))
        config = load_config()
        config = dataclasses.replace(config, cache=False, jobs=1, profile=args.profile)
        instrument()
        t0 = time.process_time()
        result = build_run.build([corpus], work / "out", "1.0.0", config)
        total = time.process_time() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}; profile {args.profile}; {result.counts['accepted']} articles")
    print(f"| component | CPU s ({args.profile}) |\n|---|---|")
    for name, s in sorted(SPENT.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {s:.2f} |")
    print(f"| other (reading, normalizing, manifest, ...) | {total - sum(SPENT.values()):.2f} |")
    print(f"| **total (build() in this process)** | **{total:.2f}** |")
    print(json.dumps({"profile": args.profile, "total": total, **SPENT}))


if __name__ == "__main__":
    main()
