"""Quotations across articles at scale: the end-of-build quotation stage
(presspack.quotations.finish) on synthetic claims at N and FACTOR x N mentions, each size
in a fresh process, plus the hostile inputs.

    python benchmarks/bench_quotations.py [--quotations 100000] [--factor 10] [--hostile] [--work DIR]

The synthetic release: articles of 5 claims from 200 outlets over two years; claims by
2,000 speakers. A third of the mentions repeat an earlier quotation: word for word with
other case and punctuation, as an excerpt of 8 words or more, with a changed word, or as
a fragment of 3 to 6 words; the rest are new quotations of 8 to 40 words from a
30,000-word vocabulary. Prints the stage's wall time (and CPU time, the steadier figure
on a shared machine) and the process's peak RSS per size and the ratios FACTOR x / 1x
(targets: time <= 1.1 x FACTOR, peak RSS <= 1.2).

--hostile times three releases: one quotation of 50,000 words (quoted twice), 100,000
mentions of one quotation, 100,000 one-word quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import machine  # noqa: E402

CLAIMS_PER_ARTICLE = 5


def _article(i: int, rng: random.Random) -> dict:
    return {"article_id": f"a{i:016x}", "origin": f"s.jsonl#{i}", "text": "x", "n_sentences": 0, "n_tokens": 0, "sha256": "0",
            "source": f"outlet{rng.randrange(200)}.example", "published": f"20{15 + i * 2 // 10**7:02d}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"}


def _claim(j: int, aid: str, content: str, kind: str, speaker: int) -> dict:
    return {"claim_id": f"{aid}-c{j}", "article_id": aid, "sentence_id": f"{aid}-s{j}", "content_text": content, "content_start": 0,
            "content_end": len(content), "kind": kind, "speaker_key": f"person:p{speaker}", "speaker_name": f"P {speaker}",
            "speaker_type": "person", "method": "quote"}


def mention(rng: random.Random, vocab: list[str], said: list[tuple[list[str], int]]) -> tuple[str, str, int]:
    """(content, kind, speaker) of one synthetic mention."""
    r = rng.random()
    if said and r < 1 / 3:
        words, who = said[rng.randrange(max(0, len(said) - 50_000), len(said))]
        r = rng.random()
        if r < 0.4:
            return " ".join(words).upper() + "!", "direct", who
        if r < 0.6 and len(words) > 10:
            a = rng.randrange(len(words) - 8)
            return " ".join(words[a:a + 8 + rng.randrange(len(words) - a - 7)]), "direct", who
        if r < 0.8:
            w = list(words)
            w[rng.randrange(len(w))] = rng.choice(vocab)
            return ", ".join(w), "direct", who
        a = rng.randrange(max(1, len(words) - 6))
        return f"said it was “{' '.join(words[a:a + 3 + rng.randrange(4)])}” today", "partial", who
    words = [rng.choice(vocab) for _ in range(rng.randint(8, 40))]
    who = rng.randrange(2000)
    said.append((words, who))
    return " ".join(words), "direct", who


def write_release(out: Path, n: int, seed: int = 1) -> None:
    """articles.parquet and claims.parquet with n synthetic mentions."""
    from presspack.package.tables import TableWriter

    rng = random.Random(seed)
    vocab = [f"w{k}" for k in range(30_000)]
    said: list[tuple[list[str], int]] = []
    out.mkdir(parents=True, exist_ok=True)
    arts, claims = TableWriter("articles", out / "articles.parquet"), TableWriter("claims", out / "claims.parquet")
    for i in range((n + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE):
        a = _article(i, rng)
        arts.write([a])
        rows = []
        for j in range(min(CLAIMS_PER_ARTICLE, n - i * CLAIMS_PER_ARTICLE)):
            content, kind, who = mention(rng, vocab, said)
            rows.append(_claim(j, a["article_id"], content, kind, who))
        claims.write(rows)
        if len(said) > 100_000:
            del said[:50_000]
    arts.close()
    claims.close()


def write_hostile(out: Path, case: str) -> None:
    from presspack.package.tables import TableWriter

    out.mkdir(parents=True, exist_ok=True)
    n_arts = 2 if case == "long" else 1000
    arts = TableWriter("articles", out / "articles.parquet")
    rng = random.Random(2)
    arts.write([_article(i, rng) for i in range(n_arts)])
    arts.close()
    claims = TableWriter("claims", out / "claims.parquet")
    if case == "long":
        long = " ".join(f"w{(i * 7919) % 30_000}" for i in range(50_000))
        claims.write([_claim(0, "a" + "0" * 16, long, "direct", 1), _claim(0, f"a{1:016x}", long, "direct", 2)])
    else:
        text = "We are going to win so much that you will be tired of winning" if case == "many" else "“Yes,” he said"
        kind = "direct" if case == "many" else "partial"
        for i in range(0, 100_000, 1000):
            claims.write([_claim(j, f"a{(i + j) % n_arts:016x}", text, kind, j % 7) for j in range(i, i + 1000)])
    claims.close()


def run_one(work: Path) -> None:
    """In this (fresh) process: time finish() on the release in `work`; print JSON."""
    from presspack.quotations.finish import finish

    claims = SimpleNamespace(path=work / "claims.parquet", row_group_size=65_536)
    t0, c0 = time.perf_counter(), time.process_time()
    writer = finish(work, {"claims": claims}, 65_536)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"seconds": wall, "cpu": cpu, "quotations": writer.rows, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def measure(work: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--one", str(work)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quotations", type=int, default=100_000, help="mentions (claims) at 1x")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--hostile", action="store_true")
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.one:
        run_one(a.one)
        return
    tmp = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=a.work))
    try:
        print(machine())
        if a.hostile:
            for case, what in (("long", "a quotation of 50,000 words, twice"), ("many", "100,000 mentions of one quotation"),
                               ("one-word", "100,000 one-word quotes")):
                write_hostile(tmp / case, case)
                r = measure(tmp / case)
                print(f"hostile {what}: {r['seconds']:.1f} s, peak RSS {r['peak_mb']:.0f} MB, {r['quotations']} quotations")
            return
        res = []
        for n in (a.quotations, a.quotations * a.factor):
            write_release(tmp / str(n), n)
            r = measure(tmp / str(n))
            res.append(r)
            print(f"{n:>10} mentions: {r['seconds']:7.1f} s ({n / r['seconds']:,.0f} mentions/s; CPU {r['cpu']:.1f} s), "
                  f"peak RSS {r['peak_mb']:.0f} MB, {r['quotations']} quotations")
            shutil.rmtree(tmp / str(n))
        print(f"time {a.factor}x / 1x: {res[1]['seconds'] / res[0]['seconds']:.2f} (target <= {1.1 * a.factor:.0f}; "
              f"CPU {res[1]['cpu'] / res[0]['cpu']:.2f}); "
              f"peak RSS {a.factor}x / 1x: {res[1]['peak_mb'] / res[0]['peak_mb']:.2f} (target <= 1.2)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if os.environ.get("PYTHONHASHSEED") is None:
        os.environ["PYTHONHASHSEED"] = "0"
    main()
