"""The learning curve of the claims model: dev scores after training on the first N of
the training articles (in the seed's order), for several N, and the CPU time and peak
memory of each training.

    python benchmarks/bench_train.py --train TRAIN_GOLD --dev DEV_GOLD [--sizes 25,50,100,200,400,all]
        [--seed 0] [--work DIR] [--json OUT]

The gold files are read as `presspack train claims` reads them (any format `presspack
score` reads, each article with its text). Every article is parsed once, its sequences
(features and tags) pickled into --work; each size then trains a CRF from those files
(the same `presspack.learn.train.fit` as `train claims`, the same parameters) and scores
the dev articles (presspack.audit.training.dev_scores: content with 50% token overlap,
content exact, source, cue, triple, token-level content/source/cue, 95% bootstrap CIs).
Times are process CPU seconds (user + sys) of this process, so they do not depend on
what else the machine runs; peak RSS is this process's (`ru_maxrss`), parsing included.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from presspack.audit.load import load_gold
from presspack.audit.training import dev_scores, gold_articles
from presspack.learn.decode import candidates as decode_candidates
from presspack.learn.features import Sequence, labels, sequences
from presspack.learn.model import crfsuite
from presspack.learn.train import PARAMS, fit, parsed
from presspack.nlp.pipeline import load_pipeline

SHOWN = ("content", "content_exact", "source", "cue", "triple", "tokens_content", "tokens_source", "tokens_cue")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _cache(items, nlp, work: Path, tag: str) -> list[Path]:
    paths = []
    for k, (doc, g) in enumerate(parsed(items, nlp)):
        seqs = [(s.spans, s.features, labels(s, g.claims)) for s in sequences(doc, g.article)]
        p = work / f"{tag}-{k:05d}.pkl.gz"
        with gzip.open(p, "wb", compresslevel=1) as fh:
            pickle.dump(seqs, fh, protocol=pickle.HIGHEST_PROTOCOL)
        paths.append(p)
    return paths


def _load(p: Path):
    with gzip.open(p, "rb") as fh:
        return pickle.load(fh)  # noqa: S301 - our own scratch files


def _predict(model: Path, dev, paths: list[Path]):
    tagger = crfsuite().Tagger()
    tagger.open(str(model))
    out = []
    for g, p in zip(dev, paths):
        cands = []
        for spans, feats, _ in _load(p):
            tags = list(tagger.tag(feats))
            cands += decode_candidates(Sequence(spans, feats), tags, [tagger.marginal(t, i) for i, t in enumerate(tags)])
        out.append((g.article, g.claims, cands))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--sizes", default="25,50,100,200,400,all")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work")
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="bench-train-"))
    work.mkdir(parents=True, exist_ok=True)
    train = sorted(gold_articles(load_gold(args.train, None)), key=lambda g: g.article.article_id)
    random.Random(args.seed).shuffle(train)
    dev = gold_articles(load_gold(args.dev, None))
    nlp = load_pipeline()
    t0 = _cpu()
    train_paths = _cache(train, nlp, work, "train")
    dev_paths = _cache(dev, nlp, work, "dev")
    parse_cpu = _cpu() - t0
    print(f"parsed {len(train)} train and {len(dev)} dev articles: {parse_cpu:.0f} CPU s", file=sys.stderr, flush=True)
    results = []
    for size in args.sizes.split(","):
        n = len(train) if size == "all" else min(int(size), len(train))
        t1 = _cpu()
        model = work / f"model-{n}.crfsuite"
        fit(((f, y) for p in train_paths[:n] for _, f, y in _load(p)), model, dict(PARAMS))
        fit_cpu = _cpu() - t1
        scores = dev_scores(_predict(model, dev, dev_paths))
        row = {"articles": n, "claims": sum(len(g.claims) for g in train[:n]), "fit_cpu_s": round(fit_cpu, 1),
               "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
               **{m: {k: scores[m][k] for k in ("precision", "recall", "f1", "ci")} for m in SHOWN}}
        results.append(row)
        print(json.dumps({"articles": n, "fit_cpu_s": row["fit_cpu_s"], **{m: scores[m]["f1"] for m in SHOWN}}), flush=True)
    out = {"params": PARAMS, "seed": args.seed, "parse_cpu_s": round(parse_cpu, 1), "dev_articles": len(dev),
           "dev_claims": sum(len(g.claims) for g in dev), "curve": results}
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB; total {time.process_time():.0f} CPU s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
