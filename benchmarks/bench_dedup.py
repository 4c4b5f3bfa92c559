"""De-duplication at scale: presspack's Deduplicator against datasketch's MinHashLSH
(insert + query, the textbook setup), same synthetic stream, same run.

    python benchmarks/bench_dedup.py [--articles 20000] [--runs 3]

The stream: news-like texts of 150-600 words drawn from a 30,000-word vocabulary; every
tenth article is a copy of an earlier one with a few words changed. Prints articles per
second and the process's memory growth (RSS) per kept article, medians of --runs runs
in fresh processes,
duplicates found, and ratios. Extrapolate memory linearly to a million articles.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time


def stream(n: int, seed: int = 1):
    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(30_000)]
    kept: list[str] = []
    for i in range(n):
        if i % 10 == 9 and kept:
            w = rng.choice(kept[-2000:]).split()
            for _ in range(3):
                w[rng.randrange(len(w))] = rng.choice(vocab)
            yield f"a{i:016x}", " ".join(w)
        else:
            t = " ".join(rng.choice(vocab) for _ in range(rng.randint(150, 600)))
            kept.append(t)
            yield f"a{i:016x}", t


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def run_presspack(items: list[tuple[str, str]]) -> tuple[float, int, int]:
    from presspack.normalize.dedup import Deduplicator

    d = Deduplicator()
    before = rss()
    t0 = time.perf_counter()
    dups = sum(d.check(aid, text) is not None for aid, text in items)
    dt = time.perf_counter() - t0
    return len(items) / dt, rss() - before, dups


def run_datasketch(items: list[tuple[str, str]]) -> tuple[float, int, int]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.8, num_perm=64)
    template = MinHash(num_perm=64, seed=1)
    word = re.compile(r"\w+")
    before = rss()
    t0 = time.perf_counter()
    dups = 0
    for aid, text in items:
        words = word.findall(text.casefold())
        m = template.copy()
        m.update_batch(sorted({" ".join(words[i : i + 3]).encode() for i in range(len(words) - 2)}))
        if lsh.query(m):
            dups += 1
        else:
            lsh.insert(aid, m)
    dt = time.perf_counter() - t0
    return len(items) / dt, rss() - before, dups


SYSTEMS = {"datasketch MinHashLSH": run_datasketch, "presspack Deduplicator": run_presspack}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one system in this process
    a = ap.parse_args()
    if a.one:
        items = list(stream(a.articles))
        import gc

        gc.collect()
        print(json.dumps(SYSTEMS[a.one](items)))
        return
    res = {}
    for name in SYSTEMS:  # each run in a fresh process, so memory growth is the index's own
        runs = []
        for _ in range(a.runs):
            out = subprocess.run([sys.executable, __file__, "--articles", str(a.articles), "--one", name], capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        speed = statistics.median(r[0] for r in runs)
        mem = statistics.median(r[1] for r in runs)
        dups = runs[0][2]
        kept = a.articles - dups
        res[name] = (speed, mem / kept)
        print(f"{name:24} {speed:8.0f} articles/s  {mem / kept:7.0f} bytes of process growth per kept article  {dups} duplicates")
    (s0, m0), (s1, m1) = res.values()
    print(f"ratio presspack/datasketch: speed {s1 / s0:.2f}, memory per article {m1 / m0:.2f}")


if __name__ == "__main__":
    main()
