"""The baseline: bare spaCy over the same texts, same model and batch size.

    python benchmarks/bare_pipe.py TEXTS.json --model NAME --batch-size 32 [--matmul numpy]

Loads the model as spaCy ships it (spacy.load, default components) and runs nlp.pipe
over the texts, consuming every Doc. bench_speed.py times this whole process. With
--matmul numpy, thinc's ops multiply matrices with numpy's BLAS on one thread instead of
BLIS, as presspack's pipelines do (presspack.nlp.matmul_ops): the same spaCy, on the
same matrix library as the build.
"""

from __future__ import annotations

import argparse
import json
from contextlib import nullcontext

import spacy
from thinc.api import use_ops
from threadpoolctl import threadpool_limits


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts")
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--matmul", choices=("default", "numpy"), default="default")
    args = ap.parse_args()
    with open(args.texts, encoding="utf-8") as fh:
        texts = json.load(fh)
    numpy_blas = args.matmul == "numpy"
    with use_ops("numpy", use_blis=False) if numpy_blas else nullcontext():
        nlp = spacy.load(args.model)
    with threadpool_limits(limits=1, user_api="blas") if numpy_blas else nullcontext():
        n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    print(n)


if __name__ == "__main__":
    main()
