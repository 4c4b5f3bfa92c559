"""Sentence splitting cost: presspack's sentences vs bare spaCy, measured in one run.

    python benchmarks/bench_sentences.py [TEXTS.jsonl | DIR] [--docs N] [--runs K]

Baseline: the same spaCy pipeline, bare (`spacy.load`, parser sentences), over the same
texts with `nlp.pipe`, reading `doc.sents`. presspack: `load_pipeline()` (paragraph
boundaries preset) + `nlp.pipe` + `sentences.sentence_rows` (the rules). Each is timed K
times, alternating; the medians and their ratio are printed. Input: a JSONL file with a
"text" field per line, or a directory of .txt files (default: examples/, repeated).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import spacy

from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.nlp.pipeline import load_pipeline, resolve_model_name
from presspack.nlp.sentences import sentence_rows
from presspack.normalize.text import normalize

ROOT = Path(__file__).resolve().parent.parent


def load_texts(src: Path, n: int) -> list[str]:
    if src.is_file():
        with src.open(encoding="utf-8") as f:
            texts = [json.loads(line)["text"] for line in f if line.strip()]
    else:
        texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(src.rglob("*.txt"))]
    out = []
    while len(out) < n:
        out.extend(texts)
    return out[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", nargs="?", type=Path, default=ROOT / "examples")
    ap.add_argument("--docs", type=int, default=100)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    rules = load_config(None).text
    arts = [normalize(RawArticle(origin=str(i), body=t), rules, max_chars=2_000_000) for i, t in enumerate(load_texts(a.source, a.docs))]
    texts = [x.text for x in arts]
    bare = spacy.load(resolve_model_name(None), exclude=["senter"])
    ours = load_pipeline()

    def run_bare() -> int:
        return sum(len(list(d.sents)) for d in bare.pipe(texts, batch_size=32))

    rules_time = [0.0]

    def rows(d, art) -> int:
        t0 = time.perf_counter()
        n = len(sentence_rows(d, art))
        rules_time[0] += time.perf_counter() - t0
        return n

    def run_ours() -> int:
        def docs():
            for art in arts:
                d = ours.make_doc(art.text)
                d.user_data["presspack_paragraphs"] = art.paragraphs
                yield d

        return sum(rows(d, art) for d, art in zip(ours.pipe(docs(), batch_size=32), arts, strict=True))

    run_bare(), run_ours()  # warm up
    rules_time[0] = 0.0
    tb, to = [], []
    nb = no = 0
    for i in range(a.runs):  # alternate which goes first: the machine is shared and noisy
        for which in ("bare", "ours") if i % 2 == 0 else ("ours", "bare"):
            t0 = time.perf_counter()
            if which == "bare":
                nb = run_bare()
                tb.append(time.perf_counter() - t0)
            else:
                no = run_ours()
                to.append(time.perf_counter() - t0)
    mb, mo = statistics.median(tb), statistics.median(to)
    pair = statistics.median(o / b for o, b in zip(to, tb, strict=True))
    words = sum(len(t.split()) for t in texts)
    print(f"{len(texts)} docs, {words} words, {a.runs} runs each")
    print(f"bare spaCy nlp.pipe + doc.sents : median {mb:.3f}s ({words / mb:,.0f} words/s), {nb} sentences")
    print(f"presspack sentences             : median {mo:.3f}s ({words / mo:,.0f} words/s), {no} sentences")
    print(f"ratio presspack / bare          : {mo / mb:.3f} (median of per-run ratios {pair:.3f})")
    print(f"of which sentence rules (sentence_rows): {rules_time[0] / a.runs:.3f}s per run ({rules_time[0] / a.runs / mb:.1%} of bare)")


if __name__ == "__main__":
    main()
