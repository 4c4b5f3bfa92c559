"""Incremental builds: a rebuild after adding 1% new articles, with the NLP cache,
against a full build without it.

    python benchmarks/bench_incremental.py CORPUS_DIR [--articles N] [--repeat 3]

Each repetition: a full build filling a fresh cache, then a rebuild of the corpus plus
1% new articles (at least one) from that cache. Both are whole `presspack build`
processes (interpreter start, imports and the final packaging included).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PRESSPACK, env_without_cache, load_corpus, machine, median, run, same_files, write_corpus  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, help="replicate the corpus to this many articles (default: as is)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=args.work))
    try:
        arts = load_corpus(args.corpus)
        n = args.articles or len(arts)
        extra = max(1, round(n / 100))
        base = write_corpus(arts, work / "corpus", n)
        grown = work / "grown"
        shutil.copytree(base, grown)
        write_corpus(arts, grown, extra, first_copy=900)  # new texts, in the same folder
        full_t: list[float] = []
        inc_t: list[float] = []
        identical = True
        for r in range(args.repeat):
            cache = work / f"cache-{r}"
            env = env_without_cache(cache)
            opts = ["--quiet", "--cache-dir", str(cache)]
            wall, _ = run([*PRESSPACK, "build", str(base), "--out", str(work / f"full-{r}"), "--version", "1.0.0", *opts], env=env)
            full_t.append(wall)
            wall, _ = run([*PRESSPACK, "build", str(grown), "--out", str(work / f"inc-{r}"), "--version", "1.1.0", *opts], env=env)
            inc_t.append(wall)
            print(f"  run {r + 1}/{args.repeat} full {full_t[-1]:7.2f} s  +{extra} new {inc_t[-1]:6.2f} s", file=sys.stderr, flush=True)
            if r == 0:  # the incremental release equals a build from scratch
                run([*PRESSPACK, "build", str(grown), "--out", str(work / "scratch"), "--version", "1.1.0", "--quiet", "--no-cache"], env=env)
                identical = same_files(work / "inc-0" / "1.1.0", work / "scratch" / "1.1.0")
            shutil.rmtree(cache, ignore_errors=True)
        info = subprocess.run([*PRESSPACK, "--version"], capture_output=True, text=True).stdout.strip()
        print(f"machine: {machine()}; {info}")
        print(f"corpus: {args.corpus}: {n} articles, then +{extra} new; default model and profile; {args.repeat} repetition(s), medians")
        print(f"  full build (empty cache)      {median(full_t):7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in full_t)})")
        print(f"  rebuild with +{extra} new articles {median(inc_t):7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in inc_t)})")
        print(f"rebuild / full build = {median(inc_t) / median(full_t):.3f}   (target <= 0.05); "
              f"byte-identical to a build without cache: {identical}")
        print(json.dumps({"full_s": median(full_t), "incremental_s": median(inc_t)}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
