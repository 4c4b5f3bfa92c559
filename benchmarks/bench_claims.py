"""How much claims extraction adds to the spaCy pipeline (target: at most 5%).

    python benchmarks/bench_claims.py [SOURCE ...] [--runs 5] [--batch-size 32]

Runs, in the same process and in alternation, (a) bare `nlp.pipe` over the articles and
(b) the same `nlp.pipe` followed by claims extraction on each Doc (sentence and entity
rows, which claims consume, are built outside the timed claims part). Prints the median
of each and the ratio (b)/(a). SOURCE defaults to examples/ repeated to a few hundred
articles; pass any presspack input (files or directories) for a realistic corpus.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from presspack import claims as claims_mod
from presspack.config import load_config
from presspack.entities import mentions as ent_mod
from presspack.ingest import discover, reader_for
from presspack.ingest.types import Reject
from presspack.nlp import sentences as sent_mod
from presspack.nlp.pipeline import load_pipeline
from presspack.normalize.text import normalize

ROOT = Path(__file__).resolve().parent.parent


def load_articles(sources: list[str], limit: int) -> list:
    config = load_config(None)
    arts = []
    for f in discover(sources):
        reader = reader_for(f.format)
        if reader is None:
            continue
        for item in reader(f, config):
            if not isinstance(item, Reject):
                arts.append(normalize(item, config.text, max_chars=config.limits.max_article_chars))
    if not arts:
        sys.exit("no articles in the sources")
    while len(arts) < limit:
        arts = arts + arts
    return arts[:limit]


def docs_in(nlp, arts):
    for a in arts:
        doc = nlp.make_doc(a.text)
        doc.user_data["presspack_paragraphs"] = a.paragraphs
        yield doc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("sources", nargs="*", default=[str(ROOT / "examples")])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    arts = load_articles(args.sources, args.articles)
    nlp = load_pipeline()
    pipe_times, claim_times = [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(docs_in(nlp, arts), batch_size=args.batch_size))
        pipe_times.append(time.perf_counter() - t0)
        rows = []
        for doc, a in zip(docs, arts):
            sents = sent_mod.sentence_rows(doc, a)
            rows.append((doc, a, sents, ent_mod.mention_rows(doc, a, sents)))
        t0 = time.perf_counter()
        n = 0
        for doc, a, sents, ments in rows:
            n += len(claims_mod.claim_rows(doc, a, sents, ments))
        claim_times.append(time.perf_counter() - t0)
    pipe, claims = statistics.median(pipe_times), statistics.median(claim_times)
    words = sum(len(a.text.split()) for a in arts)
    print(f"articles {len(arts)}, words {words}, runs {args.runs}, claims per run {n}")
    print(f"nlp.pipe median {pipe:.3f}s; claims median {claims:.3f}s")
    print(f"ratio (nlp.pipe + claims) / nlp.pipe = {(pipe + claims) / pipe:.4f}  (claims add {100 * claims / pipe:.2f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
