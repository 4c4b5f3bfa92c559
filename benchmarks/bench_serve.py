"""Startup of `presspack serve` on a corpus: `presspack export --to sqlite` alone, and
`presspack serve` from its start until the server answers its first request, once with
no database (export included: a release served for the first time) and once with the
cached database. Whole processes, medians of --repeat runs.

The release is built once (`presspack build --jobs 2`, no NLP cache) from CORPUS
replicated to --articles N (benchmarks/_common.py); with --keep DIR it is kept there and
reused by later runs with the same corpus and N.

Example:
  .venv/bin/python benchmarks/bench_serve.py ../shared/data/corpus/bbc-sample --articles 2225 --keep /tmp/bench-serve
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _common import LAST_CPU, PRESSPACK, env_without_cache, load_corpus, machine, median, run, write_corpus

EXPORT, COLD, WARM = ("export --to sqlite", "serve, first answer, no database (export included)",
                      "serve, first answer, cached database")


def release_for(corpus: Path, n: int, home: Path, jobs: int = 2) -> Path:
    """The release of CORPUS replicated to n articles, built under `home` unless a build
    of the same corpus and n is already there."""
    stamp = {"corpus": str(corpus.resolve()), "articles": n}
    release = home / "dataset" / "1.0.0"
    if release.is_dir() and (home / "stamp.json").is_file() and json.loads((home / "stamp.json").read_text()) == stamp:
        return release
    shutil.rmtree(home / "dataset", ignore_errors=True)
    shutil.rmtree(home / "corpus", ignore_errors=True)
    articles = load_corpus(corpus)
    write_corpus(articles, home / "corpus", n or len(articles))
    wall, _ = run([*PRESSPACK, "build", str(home / "corpus"), "--out", str(home / "dataset"), "--version", "1.0.0",
                   "--jobs", str(jobs), "--no-cache"], env=env_without_cache(home / "nlp-cache"))
    print(f"built {n or len(articles)} articles in {wall:.1f} s (--jobs {jobs})")
    (home / "stamp.json").write_text(json.dumps(stamp))
    return release


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_until_first_answer(release: Path, db: Path, env: dict[str, str]) -> tuple[float, float]:
    """(seconds from starting `presspack serve` to its first 200 on `/`, CPU seconds of
    the server process, its shutdown included)."""
    port = free_port()
    t0 = time.perf_counter()
    proc = subprocess.Popen([*PRESSPACK, "serve", str(release), "--port", str(port), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    wall = None
    try:
        while wall is None:
            if proc.poll() is not None:
                raise SystemExit(f"presspack serve exited: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as r:
                    wall = time.perf_counter() - t0 if r.status == 200 else None
            except OSError:
                time.sleep(0.02)
            if time.perf_counter() - t0 > 300:
                raise SystemExit("presspack serve did not answer within 300 s")
    finally:
        proc.terminate()
    _, _, usage = os.wait4(proc.pid, 0)
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, default=0, help="replicate the corpus to N articles (default: as it is)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="--jobs of the build (default 2)")
    ap.add_argument("--keep", type=Path, help="keep the built release in DIR and reuse it next time")
    ap.add_argument("--work", type=Path, default=None, help="scratch directory (removed at the end)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=args.work))
    try:
        release = release_for(args.corpus, args.articles, args.keep or work / "release", args.jobs)
        env = env_without_cache(work / "cache")
        rows = {r["name"]: r["rows"] for r in json.loads((release / "datapackage.json").read_text())["resources"]}
        times: dict[str, list[tuple[float, float]]] = {EXPORT: [], COLD: [], WARM: []}
        for i in range(args.repeat):
            wall, _ = run([*PRESSPACK, "export", str(release), "--to", "sqlite", str(work / f"export-{i}.db")], env=env)
            times[EXPORT].append((wall, LAST_CPU[0]))
            times[COLD].append(serve_until_first_answer(release, work / f"serve-{i}.db", env))
            times[WARM].append(serve_until_first_answer(release, work / f"serve-{i}.db", env))
        size = (work / "export-0.db").stat().st_size / 1e6
        print(machine())
        print(f"release: {', '.join(f'{n:,} {t}' for t, n in rows.items())}; SQLite export {size:.1f} MB")
        for name, xs in times.items():
            walls, cpus = [w for w, _ in xs], [c for _, c in xs]
            print(f"{name}: median {median(walls):.2f} s ({', '.join(f'{x:.2f}' for x in walls)}), CPU {median(cpus):.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
