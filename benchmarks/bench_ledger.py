"""Memory of the build's bookkeeping per article, without spaCy: the ledger (the
manifest's file entries, the article ids seen) and the near-duplicate index, driven
through build._accept with synthetic one-article files, then the manifest's `files`
written out as a build does.

    python benchmarks/bench_ledger.py [--articles 2000] [--factor 10] [--spill-after N]

Each size runs in a fresh process, twice: once under tracemalloc (bytes Python and numpy
allocate: peak over the run, minus the baseline after 200 warm-up articles) and once
without it (growth of the peak RSS over the RSS after the warm-up; SQLite's page cache,
which tracemalloc does not see, shows here). Divided by the articles after the warm-up:
bytes per article, and the CPU time per article of the untraced run (signatures
included). `--spill-after` sets build.SPILL_AFTER and dedup.SPILL_AFTER (default:
the code's own, 200,000: nothing spills at these sizes; try 1000).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

WARMUP = 200


def _rss_kb() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def child(n: int, traced: bool, spill_after: int | None) -> dict[str, float]:
    import tracemalloc

    import presspack.build  # noqa: F401 - the module, not the function presspack.build
    from presspack import dedup
    from presspack.config import load_config
    from presspack.ingest import InputFile, RawArticle

    b = sys.modules["presspack.build"]
    if spill_after is not None:
        b.SPILL_AFTER = spill_after
        dedup.SPILL_AFTER = spill_after
    config = load_config(None)

    class NoLanguage:  # language identification is not what is measured
        @staticmethod
        def assign(meta, text):
            meta["language"] = "en"
            return []

    rng = random.Random(1)
    words = [f"w{k}" for k in range(20_000)]
    ledger = b._Ledger()
    base = {"rss": 0, "traced": 0}

    def one(i: int) -> None:
        if i % 10 == 9:  # now and then an exact copy of an earlier article: a duplicate record
            text = recent[0]
        else:
            text = " ".join(rng.choice(words) for _ in range(80))
        recent.append(text)
        f = InputFile(path=where, rel=f"section-{i % 7}/{i:08d}.txt", format="txt", size=len(text) + 20,
                      sha256=f"{i:064x}", encoding="utf-8")
        entry = ledger.open_file(f)
        item = RawArticle(origin=f.rel, body=f"Title {i}\n\n{text}\n", meta={"title": f"Title {i}"}, from_txt=True)
        b._accept(item, config, entry, ledger, NoLanguage)
        ledger.close_file(entry, f)

    # One Path for all: Python 3.11's pathlib interns every path part it parses (about 100
    # bytes per distinct file name, for the whole process: a real build pays that in
    # ingest.discover). The ledger does not need the path.
    where = Path("/corpus/article.txt")
    recent: deque[str] = deque(maxlen=50)  # the driver's own memory stays bounded
    for i in range(WARMUP):
        one(i)
    if traced:
        tracemalloc.start()
        base["traced"] = tracemalloc.get_traced_memory()[0]
    base["rss"] = _rss_kb()
    t0 = time.process_time()
    for i in range(WARMUP, n):
        one(i)
    cpu = time.process_time() - t0
    out = Path(tempfile.mkdtemp()) / "manifest.json"
    if hasattr(ledger, "entries"):
        from presspack.package import STREAMED, write_json_streamed

        write_json_streamed(out, {"files": STREAMED}, "files", ledger.entries())
    else:  # the code before the ledger spilled (for comparisons)
        from presspack.package import write_json

        write_json(out, {"files": ledger.files})
    size = out.stat().st_size
    res: dict[str, float] = {"articles": n, "accepted": ledger.counts["accepted"], "manifest_bytes": size}
    if traced:
        cur, peak = tracemalloc.get_traced_memory()
        res["traced_peak_per_article"] = (peak - base["traced"]) / (n - WARMUP)
        res["traced_end_per_article"] = (cur - base["traced"]) / (n - WARMUP)
    else:
        res["rss_growth_per_article"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base["rss"]) * 1024 / (n - WARMUP)
        res["cpu_us_per_article"] = cpu / (n - WARMUP) * 1e6
    out.unlink()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--spill-after", type=int)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        n, traced, spill = int(args.child[0]), args.child[1] == "1", args.child[2]
        print(json.dumps(child(n, traced, None if spill == "-" else int(spill))))
        return
    rows = []
    for n in (args.articles, args.articles * args.factor):
        got: dict[str, float] = {}
        for traced in ("1", "0"):
            cmd = [sys.executable, __file__, "--child", str(n), traced, "-" if args.spill_after is None else str(args.spill_after)]
            proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
            got.update(json.loads(proc.stdout.strip().splitlines()[-1]))
        rows.append(got)
        print(f"  {n:>9,} articles ({int(got['accepted']):,} accepted): tracemalloc peak {got['traced_peak_per_article']:7.1f} B/article "
              f"(held at the end {got['traced_end_per_article']:7.1f}), peak RSS growth {got['rss_growth_per_article']:7.1f} B/article; "
              f"CPU {got.get('cpu_us_per_article', float('nan')):.0f} us/article",
              flush=True)
    spill = "default" if args.spill_after is None else str(args.spill_after)
    print(f"spill_after {spill}: tracemalloc peak per article {rows[1]['traced_peak_per_article'] / max(rows[0]['traced_peak_per_article'], 1e-9):.2f}x "
          f"from {args.articles:,} to {args.articles * args.factor:,} articles")


if __name__ == "__main__":
    main()
