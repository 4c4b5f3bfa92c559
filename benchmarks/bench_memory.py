"""Streaming: peak RSS of `presspack build --jobs 1` on 1x and 10x the articles, with the
default model. The ratio shows memory does not grow with the corpus. --jobs 1 runs
everything, spaCy included, in one process (wait4's ru_maxrss: its peak RSS, or a reaped
child's if larger).

    python benchmarks/bench_memory.py CORPUS_DIR [--articles 320] [--factor 10] [--repeat 1]

The 10x corpus is made of new texts (paragraphs mixed across articles), so nothing is
dropped as a duplicate and every article goes through the NLP.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PRESSPACK, env_without_cache, load_corpus, machine, median, run, write_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, help="articles in the 1x corpus (default: the corpus as is)")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=args.work))
    try:
        arts = load_corpus(args.corpus)
        n = args.articles or len(arts)
        small = write_corpus(arts, work / "x1", n)
        big = write_corpus(arts, work / f"x{args.factor}", n * args.factor)
        env = env_without_cache(work / "cache")
        common = ["--jobs", "1", "--batch-size", str(args.batch_size), "--no-cache", "--quiet"]
        rss: dict[str, list[int]] = {"x1": [], "big": []}
        times: dict[str, list[float]] = {"x1": [], "big": []}
        for r in range(args.repeat):
            for name, src in (("x1", small), ("big", big)):
                out = work / f"out-{name}-{r}"
                wall, peak = run([*PRESSPACK, "build", str(src), "--out", str(out), "--version", "1.0.0", *common], env=env)
                rss[name].append(peak)
                times[name].append(wall)
                print(f"  run {r + 1}/{args.repeat} {name:4s} {wall:8.2f} s  peak RSS {peak} MB", file=sys.stderr, flush=True)
                shutil.rmtree(out, ignore_errors=True)
        print(f"machine: {machine()}")
        print(f"corpus: {args.corpus}: {n} and {n * args.factor} articles; default model; --jobs 1; batch size {args.batch_size}")
        print(f"  1x:  peak RSS {median(rss['x1']):.0f} MB  ({median(times['x1']):.1f} s)")
        print(f"  {args.factor}x: peak RSS {median(rss['big']):.0f} MB  ({median(times['big']):.1f} s)")
        print(f"peak RSS {args.factor}x / 1x = {median(rss['big']) / median(rss['x1']):.3f}   (target <= 1.15; "
              f"and <= 1024 MB: {max(rss['big']) <= 1024})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
