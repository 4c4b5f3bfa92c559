"""Training a claims model: gold articles -> a CRF over paragraph token sequences.

The articles are parsed the way the build parses them (one Doc of article.text, the
paragraphs preset as sentence boundaries, the deferred rule components run after), so
the features at training time are the features at build time. Each paragraph becomes a
sequence (features.sequences) with its BIO tags (features.labels); the sequences go to
python-crfsuite's L-BFGS trainer as they are made (the features never pile up in
Python), the articles in an order fixed by the seed. Nothing in training
reads the clock or the machine: the same gold, seed and versions give the same
directory, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack._version import __version__
from presspack.claims.candidates import Candidate
from presspack.errors import TrainingError
from presspack.learn.decode import candidates as decode_candidates
from presspack.learn.features import FEATURES_VERSION, GoldClaim, Sequence, labels, sequences
from presspack.learn.model import FORMAT, META_FILE, MODEL_FILE, ClaimsModel, crfsuite, meta_bytes, spacy_version
from presspack.nlp.pipeline import deferred_components, model_identity, run_deferred
from presspack.normalize.text import Article
from presspack.package.hashing import sha256_file
from presspack.progress import NO_PROGRESS
from presspack.progress import Progress as StageProgress

MIN_CLAIMS = 5
PARAMS: dict[str, Any] = {"c1": 0.05, "c2": 0.01, "max_iterations": 120, "feature.possible_transitions": True,
                          "feature.minfreq": 2}
Progress = Callable[[str], None]
Evaluate = Callable[[list[tuple[Article, list[GoldClaim], list[Candidate]]]], dict[str, Any]]


@dataclass
class GoldArticle:
    """One annotated article: its normalized text and its claims (offsets into it)."""

    article: Article
    claims: list[GoldClaim]


def parsed(items: Iterable[GoldArticle], nlp: Any, batch_size: int = 16) -> Iterator[tuple[Any, GoldArticle]]:
    """(Doc, item) for each item, parsed as annotate() parses an article."""

    def docs_in() -> Iterator[tuple[Any, GoldArticle]]:
        for g in items:
            doc = nlp.make_doc(g.article.text)
            doc.user_data["presspack_paragraphs"] = g.article.paragraphs
            yield doc, g

    longest = max((len(g.article.text) for g in items), default=0) if isinstance(items, list) else 0
    nlp.max_length = max(nlp.max_length, longest + 1)
    for doc, g in nlp.pipe(docs_in(), batch_size=batch_size, as_tuples=True, disable=deferred_components(nlp)):
        yield run_deferred(doc, nlp), g


def check_gold(train: list[GoldArticle]) -> int:
    """The number of claims of TRAIN; TrainingError when it is under MIN_CLAIMS."""
    n = sum(len(g.claims) for g in train)
    if n < MIN_CLAIMS:
        raise TrainingError(f"the gold has {n} claim(s) in {len(train)} article(s): training needs at least {MIN_CLAIMS} "
                            "(annotate more articles)")
    return n


def _tagged(seq: Sequence, tagger: Any) -> tuple[list[str], list[float]]:
    tags = list(tagger.tag(seq.features))
    return tags, [tagger.marginal(t, i) for i, t in enumerate(tags)]


def predict(path: Path, docs: Iterable[tuple[Any, GoldArticle]]) -> list[tuple[Article, list[GoldClaim], list[Candidate]]]:
    """The candidates of the CRF at PATH for parsed gold articles, next to their gold."""
    tagger = crfsuite().Tagger()
    tagger.open(str(path))
    out = []
    for doc, g in docs:
        cands = [c for seq in sequences(doc, g.article) for c in decode_candidates(seq, *_tagged(seq, tagger))]
        out.append((g.article, g.claims, cands))
    return out


def _trainer(progress: Progress | None) -> Any:
    """A crfsuite Trainer that reports each iteration's loss (read off crfsuite's log)."""
    base = crfsuite().Trainer

    class Trainer(base):  # type: ignore[misc, valid-type]
        iteration = 0

        def message(self, text: str) -> None:
            if text.startswith("***** Iteration #"):
                self.iteration = int(text.split("#")[1].split()[0])
            elif text.startswith("Loss:") and progress is not None:
                progress(f"iteration {self.iteration}: loss {float(text.split()[1]):.1f}")

    return Trainer(verbose=False)


def fit(items: Iterable[tuple[list[list[str]], list[str]]], path: Path, params: dict[str, Any],
        progress: Progress | None = None) -> None:
    """Train a CRF on (features, tags) sequences into the file PATH. Each sequence goes
    to the trainer as it comes: the features never pile up in Python."""
    trainer = _trainer(progress)
    trainer.set_params(params)
    for xseq, yseq in items:
        trainer.append(xseq, yseq)
    trainer.train(str(path))


def train_claims(train: list[GoldArticle], out: str | Path, *, nlp: Any, seed: int = 0, dev: list[GoldArticle] | None = None,
                 name: str | None = None, evaluate: Evaluate | None = None, progress: Progress | None = None,
                 gold: Iterable[dict[str, Any]] = (), params: dict[str, Any] | None = None,
                 stages: StageProgress | None = None) -> ClaimsModel:
    """Train a claims model on TRAIN into directory OUT and return it loaded. With DEV and
    EVALUATE, the dev scores (EVALUATE's dict) go into the training summary. GOLD
    describes the gold files (name, format, sha256) for the summary. `progress` hears
    lines (features, each iteration's loss); `stages` (presspack.progress.Progress) the
    stages with their totals (features of N articles, training, dev scores)."""
    stages = stages or NO_PROGRESS
    out = Path(out)
    n_claims = check_gold(train)
    if out.exists() and any(p.name not in (MODEL_FILE, META_FILE) for p in out.iterdir()):
        raise TrainingError(f"{out}: the directory exists and holds other files: choose a new --out")
    out.mkdir(parents=True, exist_ok=True)
    params = {**PARAMS, **(params or {})}
    order = sorted(train, key=lambda g: g.article.article_id)
    random.Random(seed).shuffle(order)  # the seed fixes the order the trainer sees the articles in
    counted = {"tokens": 0}

    stages.stage("features", len(order), "articles")

    def items() -> Iterator[tuple[list[list[str]], list[str]]]:
        for k, (doc, g) in enumerate(parsed(order, nlp), start=1):
            stages.advance()
            for seq in sequences(doc, g.article):
                counted["tokens"] += len(seq.spans)
                yield seq.features, labels(seq, g.claims)
            if progress is not None and (k % 50 == 0 or k == len(order)):
                progress(f"features: {k}/{len(order)} articles, {counted['tokens']} tokens")

    model_path = out / MODEL_FILE
    fit(items(), model_path, params, progress)  # the features stage ends when the trainer has them all
    stages.stage("dev scores" if dev and evaluate is not None else "model")
    tokens = counted["tokens"]
    summary: dict[str, Any] = {"articles": len(train), "claims": n_claims, "tokens": tokens, "seed": seed,
                               "gold": list(gold), "dev": None}
    if dev and evaluate is not None:
        if progress is not None:
            progress(f"scoring on {len(dev)} dev articles")
        summary["dev"] = {"articles": len(dev), "claims": sum(len(g.claims) for g in dev),
                          "scores": evaluate(predict(model_path, parsed(dev, nlp)))}
    meta = {
        "presspack_claims_model": FORMAT, "name": name or out.name, "presspack_version": __version__,
        "spacy_version": spacy_version(), "features_version": FEATURES_VERSION,
        "pipeline": model_identity(nlp=nlp), "algorithm": "crf (python-crfsuite, L-BFGS)",
        "params": {k: params[k] for k in sorted(params)}, "training": summary,
        "files": {MODEL_FILE: sha256_file(model_path)},
    }
    (out / META_FILE).write_bytes(meta_bytes(meta))
    return ClaimsModel(out)
