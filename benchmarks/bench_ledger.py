"""Memory of the build's bookkeeping per article, without spaCy: the ledger (the
manifest's file entries, the article ids seen) and the near-duplicate index, driven
through orchestrate.intake.accept_item with synthetic one-article files, then the manifest's `files`
written out as a build does.

    python benchmarks/bench_ledger.py [--articles 2000] [--factor 10] [--spill-after N] [--one-file]
    python benchmarks/bench_ledger.py --entity-keys 20000 [--factor 10] [--spill-after N]

Each size runs in a fresh process, twice: once under tracemalloc (bytes Python and numpy
allocate: peak over the run, minus the baseline after 200 warm-up articles) and once
without it (growth of the peak RSS over the RSS after the warm-up; SQLite's page cache,
which tracemalloc does not see, shows here). Divided by the articles after the warm-up:
bytes per article, and the CPU time per article of the untraced run (signatures
included). `--spill-after` sets build.ledger.SPILL_AFTER and dedup.SPILL_AFTER (default:
the code's own, 200,000: nothing spills at these sizes; try 1000).

`--one-file` makes the articles records of one input file (a JSONL of N records) instead
of N one-article files: that file's manifest entry (its article ids, duplicate records)
is then what could grow, and moves to temporary files past package.SPOOL_AFTER items.

`--entity-keys N` measures the entity index instead (entity_index.EntityIndex), at N and
factor x N distinct keys: a synthetic stream of articles of 40 mentions each (10 new
keys, 30 mentions of earlier ones, some persons by their surname alone) through
`EntityIndex.add`, then the end of a build (`resolve`, `rows`, every row and name
read). Bytes per key under tracemalloc: held after the last article, the peak while
adding, and the peak of the end, each over the baseline after 200 warm-up articles;
the peak RSS growth per key of the untraced run; its CPU µs per article in `add`, and
the seconds of the end. `--spill-after` sets entity_index.SPILL_AFTER (default 200,000
keys: nothing spills up to 200,000; try 1000).
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


def child(n: int, traced: bool, spill_after: int | None, one_file: bool = False) -> dict[str, float]:
    import tracemalloc

    from presspack.config import load_config
    from presspack.ingest.types import InputFile, RawArticle
    from presspack.normalize import dedup
    from presspack.orchestrate import intake
    from presspack.orchestrate import ledger as ledger_mod

    if spill_after is not None:
        ledger_mod.SPILL_AFTER = spill_after
        dedup.SPILL_AFTER = spill_after
    config = load_config(None)

    class NoLanguage:  # language identification is not what is measured
        @staticmethod
        def assign(meta, text):
            meta["language"] = "en"
            return []

    rng = random.Random(1)
    words = [f"w{k}" for k in range(20_000)]
    ledger = ledger_mod.Ledger()
    base = {"rss": 0, "traced": 0}

    feed = InputFile(path=Path("/corpus/feed.jsonl"), rel="feed.jsonl", format="jsonl", size=n * 600, sha256="f" * 64,
                     encoding="utf-8")
    whole = ledger.open_file(feed) if one_file else None

    def one(i: int) -> None:
        if i % 10 == 9:  # now and then an exact copy of an earlier article: a duplicate record
            text = recent[0]
        else:
            text = " ".join(rng.choice(words) for _ in range(80))
        recent.append(text)
        if whole is not None:  # a record of the one input file
            item = RawArticle(origin=f"feed.jsonl:{i + 1}", body=text, meta={"title": f"Title {i}", "id": str(i)})
            intake.accept_item(item, config, whole, ledger, NoLanguage)
            return
        f = InputFile(path=where, rel=f"section-{i % 7}/{i:08d}.txt", format="txt", size=len(text) + 20,
                      sha256=f"{i:064x}", encoding="utf-8")
        entry = ledger.open_file(f)
        item = RawArticle(origin=f.rel, body=f"Title {i}\n\n{text}\n", meta={"title": f"Title {i}"}, from_txt=True)
        intake.accept_item(item, config, entry, ledger, NoLanguage)
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
    if whole is not None:
        ledger.close_file(whole, feed)
    out = Path(tempfile.mkdtemp()) / "manifest.json"
    if hasattr(ledger, "entries"):
        from presspack.package.jsonio import STREAMED, write_json_streamed

        write_json_streamed(out, {"files": STREAMED}, "files", ledger.entries())
    else:  # the code before the ledger spilled (for comparisons)
        from presspack.package.jsonio import write_json

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


ENTITY_MENTIONS, ENTITY_NEW = 40, 10  # mentions per article, of which new keys
FIRST = ["Anna", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca"]
LABELS = ["PERSON", "ORG", "GPE", "NORP"]


def entity_child(n_keys: int, traced: bool, spill_after: int | None) -> dict[str, float]:
    """The entity index fed a synthetic stream with n_keys distinct keys; the driver keeps
    nothing per key (each key's names are a function of its number)."""
    import tracemalloc

    from presspack.entities import index as entity_index
    from presspack.entities.mentions import entity_key

    if spill_after is not None:
        entity_index.SPILL_AFTER = spill_after
    rng = random.Random(1)
    index = entity_index.EntityIndex()

    def mention(k: int, aid: str) -> dict[str, str]:
        label = LABELS[k % 4]
        name = f"{FIRST[k % 12]} Surname{k:07d}" if label == "PERSON" else f"Name{k:07d} {label.title()}"
        if label == "PERSON" and k % 5 == 0 and rng.random() < 0.3:
            name = name.split()[1]  # the surname alone: resolve() merges it with the full name
        return {"entity_key": entity_key(label, name), "label": label, "canonical": name, "article_id": aid,
                "text": name, "start": 0, "end": len(name)}

    created = 0
    in_add = [0.0]  # CPU seconds in EntityIndex.add

    def one(i: int) -> None:
        nonlocal created
        aid = f"a{i:016x}"
        ks = list(range(created, created + ENTITY_NEW))
        created += ENTITY_NEW
        ks += [min(int(rng.paretovariate(0.7)) - 1, created - 1) if rng.random() < 0.5 else rng.randrange(created)
               for _ in range(ENTITY_MENTIONS - ENTITY_NEW)]
        article, mentions = {"article_id": aid, "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}, [mention(k, aid) for k in ks]
        t0 = time.process_time()
        index.add(article, mentions)
        in_add[0] += time.process_time() - t0

    n_articles = n_keys // ENTITY_NEW
    for i in range(WARMUP):
        one(i)
    base = {"traced": 0, "rss": _rss_kb()}
    if traced:
        tracemalloc.start()
        base["traced"] = tracemalloc.get_traced_memory()[0]
    in_add[0] = 0.0
    for i in range(WARMUP, n_articles):
        one(i)
    cpu = in_add[0]
    db = getattr(index, "db", None)  # None also in the code before the index spilled (for comparisons)
    keys = len(index.stats) if db is None else db.execute("SELECT count(*) FROM stats").fetchone()[0]
    per = keys - WARMUP * ENTITY_NEW  # the keys that came after the warm-up, about
    res: dict[str, float] = {"keys": keys, "articles": n_articles, "spilled": db is not None}
    if traced:
        held, peak = tracemalloc.get_traced_memory()
        res["held_per_key"] = (held - base["traced"]) / per
        res["add_peak_per_key"] = (peak - base["traced"]) / per
        tracemalloc.reset_peak()
    t0 = time.perf_counter()
    remap = index.resolve()
    rows, names = index.rows(remap)
    n_rows = 0
    if hasattr(entity_index, "in_chunks"):
        from presspack.entities.finish import names_of

        for chunk in entity_index.in_chunks(rows, 5000):  # as finish() writes them, and looks their names up
            names_of(names, [r["entity_key"] for r in chunk])
            n_rows += len(chunk)
    else:  # the code before the index spilled: a list of rows and a dict of names
        n_rows = sum(r["entity_key"] in names for r in rows)
    res["end_seconds"] = time.perf_counter() - t0
    res["rows"], res["merged"] = n_rows, len(remap)
    if traced:
        res["end_peak_per_key"] = (tracemalloc.get_traced_memory()[1] - base["traced"]) / per
    else:
        res["rss_growth_per_key"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base["rss"]) * 1024 / per
        res["cpu_us_per_article"] = cpu / (n_articles - WARMUP) * 1e6
    if hasattr(index, "close"):
        index.close()
    return res


def _measure(flag: str, n: int, spill_after: int | None, one_file: bool = False) -> dict[str, float]:
    """The figures of a child process (`flag`: --child or --entity-child) at size n: one
    run under tracemalloc, one without it (RSS and CPU), each in a fresh process."""
    got: dict[str, float] = {}
    for traced in ("1", "0"):
        cmd = [sys.executable, __file__, flag, str(n), traced, "-" if spill_after is None else str(spill_after)]
        if flag == "--child":
            cmd.append("1" if one_file else "0")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        got.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    return got


def entity_main(args: argparse.Namespace) -> None:
    if args.entity_keys <= WARMUP * ENTITY_NEW:
        raise SystemExit(f"--entity-keys: more than the {WARMUP * ENTITY_NEW:,} keys of the warm-up")
    rows = []
    for n in (args.entity_keys, args.entity_keys * args.factor):
        got = _measure("--entity-child", n, args.spill_after)
        rows.append(got)
        print(f"  {int(got['keys']):>9,} keys ({int(got['articles']):,} articles, {int(got['merged']):,} merged, "
              f"{'on disk' if got['spilled'] else 'in memory'}): held {got['held_per_key']:7.1f} B/key after add "
              f"(peak {got['add_peak_per_key']:7.1f}), end peak {got['end_peak_per_key']:7.1f} B/key, "
              f"peak RSS growth {got['rss_growth_per_key']:7.1f} B/key; add {got['cpu_us_per_article']:.0f} us/article, "
              f"end {got['end_seconds']:.2f} s", flush=True)
    spill = "default" if args.spill_after is None else str(args.spill_after)
    print(f"entity index, spill_after {spill}: held per key {rows[1]['held_per_key'] / max(rows[0]['held_per_key'], 1e-9):.2f}x "
          f"from {int(rows[0]['keys']):,} to {int(rows[1]['keys']):,} keys")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--spill-after", type=int)
    ap.add_argument("--entity-keys", type=int, help="measure the entity index at N and factor x N distinct keys")
    ap.add_argument("--one-file", action="store_true", help="the articles are records of one input file")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    ap.add_argument("--entity-child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.entity_child:
        n, traced, spill = int(args.entity_child[0]), args.entity_child[1] == "1", args.entity_child[2]
        print(json.dumps(entity_child(n, traced, None if spill == "-" else int(spill))))
        return
    if args.entity_keys:
        entity_main(args)
        return
    if args.child:
        n, traced, spill = int(args.child[0]), args.child[1] == "1", args.child[2]
        print(json.dumps(child(n, traced, None if spill == "-" else int(spill), args.child[3] == "1")))
        return
    rows = []
    for n in (args.articles, args.articles * args.factor):
        got = _measure("--child", n, args.spill_after, args.one_file)
        rows.append(got)
        print(f"  {n:>9,} articles ({int(got['accepted']):,} accepted): tracemalloc peak {got['traced_peak_per_article']:7.1f} B/article "
              f"(held at the end {got['traced_end_per_article']:7.1f}), peak RSS growth {got['rss_growth_per_article']:7.1f} B/article; "
              f"CPU {got.get('cpu_us_per_article', float('nan')):.0f} us/article",
              flush=True)
    spill = "default" if args.spill_after is None else str(args.spill_after)
    print(f"{'one input file, ' if args.one_file else ''}spill_after {spill}: tracemalloc peak per article {rows[1]['traced_peak_per_article'] / max(rows[0]['traced_peak_per_article'], 1e-9):.2f}x "
          f"from {args.articles:,} to {args.articles * args.factor:,} articles")


if __name__ == "__main__":
    main()
