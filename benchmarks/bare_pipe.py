"""The baseline: bare spaCy over the same texts, same model and batch size.

    python benchmarks/bare_pipe.py TEXTS.json --model NAME --batch-size 32

Loads the model as spaCy ships it (spacy.load, default components) and runs nlp.pipe
over the texts, consuming every Doc. bench_speed.py times this whole process.
"""

from __future__ import annotations

import argparse
import json

import spacy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts")
    ap.add_argument("--model", required=True)
    ap.add_argument("--batch-size", type=int, default=32)
    args = ap.parse_args()
    with open(args.texts, encoding="utf-8") as fh:
        texts = json.load(fh)
    nlp = spacy.load(args.model)
    n = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    print(n)


if __name__ == "__main__":
    main()
