"""Peak memory and time of `presspack build` on hostile sizes, with the default limits.

Builds, in a child process each: the 400,000-word article without punctuation (truncated
to max_article_chars), and a JSONL file of SIZE MB (streamed), and prints wall time and
the child's peak RSS. `--readers-only` instead compares, in child processes, the peak RSS
of presspack's JSONL/CSV readers with a whole-file baseline (read_bytes, decode, split,
parse: what the readers did before streaming) on the same 100 MB files.

    .venv/bin/python benchmarks/bench_limits.py [--jsonl-mb 200]
    .venv/bin/python benchmarks/bench_limits.py --readers-only
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = "council river harbour minister budget school railway energy market weather".split()


def run(label: str, src: Path, out: Path) -> None:
    exe = Path(sys.executable).parent / "presspack"
    code = (
        "import resource, subprocess, sys, json; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "print(json.dumps({'rc': p.returncode, 'out': p.stdout[-300:], 'err': p.stderr[-300:], "
        "'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))"
    )
    t = time.perf_counter()
    res = subprocess.run([sys.executable, "-c", code, str(exe), "build", str(src), "--out", str(out), "--version", "1.0.0", "--quiet"],
                         capture_output=True, text=True, check=True)
    info = json.loads(res.stdout)
    print(f"{label}: {time.perf_counter() - t:.1f} s, peak RSS {info['rss_mb']:.0f} MB, exit {info['rc']}: {info['out'].strip()[-160:]}", flush=True)


READER = r"""
import csv, io, json, resource, sys, time
from pathlib import Path
from presspack.config import load_config
from presspack.ingest import InputFile, reader_for
which, path = sys.argv[1], Path(sys.argv[2])
fmt = "jsonl" if path.suffix == ".jsonl" else "csv"
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
if which == "whole-file":
    text = path.read_bytes().decode("utf-8")
    rows = (json.loads(x) for x in io.StringIO(text)) if fmt == "jsonl" else csv.DictReader(io.StringIO(text, newline=""))
    n = sum(1 for _ in rows)
else:
    f = InputFile(path=path, rel=path.name, format=fmt, size=path.stat().st_size)
    n = sum(1 for _ in reader_for(fmt)(f, load_config(None)))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"  {which:10} {fmt:5}: {n} records, {time.perf_counter() - t:.1f} s, peak RSS {peak:.0f} MB (+{peak - base:.0f} MB while reading)", flush=True)
"""


def readers_only(base: Path) -> None:
    rec = "The harbour authority said the ferry would run again next week. " * 40
    with open(base / "big.jsonl", "w", encoding="utf-8") as fh, open(base / "big.csv", "w", encoding="utf-8") as fc:
        fc.write("id,text\n")
        for i in range(40_000):
            fh.write(json.dumps({"id": i, "text": rec}) + "\n")
            fc.write(f'{i},"{rec}"\n')
    for name in ("big.jsonl", "big.csv"):
        print(f"{name}: {(base / name).stat().st_size / 1e6:.0f} MB", flush=True)
        for which in ("whole-file", "presspack"):
            subprocess.run([sys.executable, "-c", READER, which, str(base / name)], check=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl-mb", type=int, default=200)
    ap.add_argument("--readers-only", action="store_true")
    args = ap.parse_args()
    if args.readers_only:
        with tempfile.TemporaryDirectory() as tmp:
            readers_only(Path(tmp))
        return 0
    rnd = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        a = base / "a"
        a.mkdir()
        (a / "no_punct.txt").write_text("Endless\n\n" + " ".join(rnd.choice(WORDS) for _ in range(400_000)), encoding="utf-8")
        run("400,000-word article, no punctuation", a, base / "out-a")
        b = base / "b"
        b.mkdir()
        rec = "The harbour authority said the ferry would run again next week. " * 40
        with open(b / "big.jsonl", "w", encoding="utf-8") as fh:
            i = 0
            while fh.tell() < args.jsonl_mb * 1_000_000:
                fh.write(json.dumps({"id": i, "text": rec if i else rec + " first"}) + "\n")
                i += 1
        (b / "skip.txt").write_text("x", encoding="utf-8")
        print(f"JSONL: {i} records", flush=True)
        run(f"{args.jsonl_mb} MB JSONL (records duplicate by text after the first two)", b, base / "out-b")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
