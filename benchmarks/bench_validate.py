"""Benchmark: `presspack validate` against `frictionless validate` on the same release.

Writes a synthetic, schema-valid release (no spaCy: rows are generated with offsets
computed from the text and written with presspack's own TableWriter, manifest and
datapackage code, then sealed), then times both validators in child processes and
reports medians, rows/s, the speed ratio and each child's peak RSS.

    .venv/bin/python benchmarks/bench_validate.py                      # 100,000 sentences
    .venv/bin/python benchmarks/bench_validate.py --sentences 1000000 --frictionless-runs 0
    .venv/bin/python benchmarks/bench_validate.py --listed 100000  # memory at 100,000 and 1,000,000 listed articles

--listed N measures instead how validate's memory grows with the articles the manifest
lists: releases of N and 10N one-sentence articles, all listed in one manifest entry (an
input file with that many records), each validated twice in a child process: the first
run is timed, the second measures the peak of the Python heap (tracemalloc; DuckDB's and
Arrow's own memory is not in it, and is bounded by PRESSPACK_VALIDATE_MEMORY); the peak
RSS is the child's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from presspack.config import DatasetMeta
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import write_json
from presspack.package.seal import write_seal
from presspack.package.tables import TableWriter, datapackage, resource_descriptor

WORDS = "the council said on Monday that new rules for river transport would take effect next year".split()
NAMES = ["Anna Berg", "Jonas Weber", "Maria Lopez", "Kofi Mensah", "Élodie Durand", "Łukasz Nowak"]

CHILD = r"""
import json, resource, sys, time
t = time.perf_counter()
py_peak = None
if sys.argv[1] == "presspack-memory":
    import tracemalloc
    from presspack.validate.run import validate
    rep = validate(sys.argv[2], frictionless=False)  # timed; its imports and caches are not measured below
    dt = time.perf_counter() - t
    tracemalloc.start()
    rep = validate(sys.argv[2], frictionless=False)
    py_peak = tracemalloc.get_traced_memory()[1] / 1e6
    ok, n = rep.valid, len(rep.problems)
elif sys.argv[1] == "presspack":
    from presspack.validate.run import validate
    rep = validate(sys.argv[2], frictionless=False)
    ok, n = rep.valid, len(rep.problems)
else:
    import frictionless
    rep = frictionless.validate(sys.argv[2] + "/datapackage.json")
    ok, n = rep.valid, sum(len(t.errors) for t in rep.tasks)
if py_peak is None:
    dt = time.perf_counter() - t
print(json.dumps({"seconds": dt, "valid": ok, "problems": n, "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "python_peak_mb": py_peak}))
"""


def make_release(root: Path, n_sentences: int, per_article: int = 20) -> dict[str, int]:
    """A schema-valid release with n_sentences sentences, one entity and (every 10th
    sentence) one claim per sentence."""
    root.mkdir(parents=True)
    w = {t: TableWriter(t, root / f"{t}.parquet", 1024 if t == "articles" else 65_536) for t in ("articles", "sentences", "entities", "claims")}
    files = []
    n_articles = (n_sentences + per_article - 1) // per_article
    done = 0
    for i in range(n_articles):
        aid = "a" + hashlib.sha256(f"article {i}".encode()).hexdigest()[:16]
        parts, sents, ents, clms = [], [], [], []
        pos = 0
        k = min(per_article, n_sentences - done)
        for j in range(k):
            name = NAMES[(i + j) % len(NAMES)]
            words = [WORDS[(i * 7 + j * 3 + m) % len(WORDS)] for m in range(12)]
            sent = f"{name} {' '.join(words)} ({i}.{j})."
            if j and j % 5 == 0:
                pos += 2
                parts.append("\n\n")
            elif j:
                pos += 1
                parts.append(" ")
            s, e = pos, pos + len(sent)
            parts.append(sent)
            sid = f"{aid}-s{j}"
            sents.append({"sentence_id": sid, "article_id": aid, "paragraph": j // 5, "position": j, "start": s, "end": e, "text": sent, "is_heading": False})
            ents.append({"mention_id": f"{aid}-e{j}", "article_id": aid, "sentence_id": sid, "start": s, "end": s + len(name), "text": name,
                         "label": "PERSON", "entity_key": name.lower().replace(" ", "_"), "canonical": name})
            if j % 10 == 0:
                c0 = s + len(name) + 1
                clms.append({"claim_id": f"{aid}-c{j}", "article_id": aid, "sentence_id": sid, "speaker_text": name, "speaker_start": s,
                             "speaker_end": s + len(name), "speaker_key": name.lower().replace(" ", "_"), "speaker_name": name,
                             "cue_text": None, "cue_start": None, "cue_end": None, "content_text": sent[len(name) + 1:], "content_start": c0,
                             "content_end": e, "kind": "indirect"})
            pos = e
        done += k
        text = "".join(parts)
        w["articles"].write([{"article_id": aid, "external_id": str(i), "origin": f"synthetic.jsonl#{i}", "title": f"Article {i}", "section": None,
                              "source": "example.org", "url": None, "author": None, "published": "2025-01-02", "language": "en", "text": text,
                              "n_sentences": k, "n_tokens": len(text.split()), "sha256": hashlib.sha256(text.encode()).hexdigest()}])
        w["sentences"].write(sents)
        w["entities"].write(ents)
        w["claims"].write(clms)
        files.append(aid)
    # claim_entities (entities inside a claim's content): none here; the table is part of every release
    w["claim_entities"] = TableWriter("claim_entities", root / "claim_entities.parquet")
    for t in w.values():
        t.close()
    rows = {t: tw.rows for t, tw in w.items()}
    resources = [resource_descriptor(t, f"{t}.parquet", sha256_file(tw.path), tw.rows) for t, tw in w.items()]
    manifest = {"presspack_manifest": 1, "version": "1.0.0", "created": "2026-01-01",
                "counts": {"accepted": n_articles, "rejected": 0, "duplicate": 0, "files": 1, **{f"{t}_rows": n for t, n in rows.items()}},
                "files": [{"path": "synthetic.jsonl", "sha256": "0" * 64, "status": "accepted", "reason": None, "article_ids": files, "records": []}]}
    write_json(root / "manifest.json", manifest)
    write_json(root / "datapackage.json", datapackage(DatasetMeta(), "1.0.0", "2026-01-01", resources, []))
    write_seal(root)
    return rows


def run_child(kind: str, release: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(release)], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{kind} failed:\n{out.stderr[-3000:]}")
    res = json.loads(out.stdout.strip().splitlines()[-1])
    heap = f", Python heap peak {res['python_peak_mb']:.1f} MB" if res.get("python_peak_mb") is not None else ""
    print(f"  {kind}: {res['seconds']:.2f} s, peak RSS {res['max_rss_mb']:.0f} MB{heap}, valid={res['valid']}", flush=True)
    return res


def listed_memory(n: int, keep: Path | None) -> int:
    """validate's memory at n and 10n articles listed in the manifest (see --listed)."""
    got = {}
    with tempfile.TemporaryDirectory() as tmp:
        for k in (n, 10 * n):
            release = (keep or Path(tmp)) / f"listed-{k}"
            t = time.perf_counter()
            make_release(release, k, per_article=1)
            print(f"release of {k:,} articles (one sentence each), all listed in one manifest entry, written in "
                  f"{time.perf_counter() - t:.1f} s", flush=True)
            got[k] = run_child("presspack-memory", release)
            assert got[k]["valid"], got[k]
            if keep is None:
                shutil.rmtree(release)
    a, b = got[n], got[10 * n]
    print(f"{n:,} -> {10 * n:,} listed articles: Python heap peak {a['python_peak_mb']:.1f} -> {b['python_peak_mb']:.1f} MB, "
          f"peak RSS {a['max_rss_mb']:.0f} -> {b['max_rss_mb']:.0f} MB, {a['seconds']:.2f} -> {b['seconds']:.2f} s")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5, help="presspack validate runs (median)")
    ap.add_argument("--frictionless-runs", type=int, default=3, help="frictionless validate runs (median); 0 skips it")
    ap.add_argument("--keep", type=Path, help="write the release here and keep it (default: a temporary directory)")
    ap.add_argument("--listed", type=int, metavar="N", help="measure validate's memory at N and 10N listed articles instead")
    args = ap.parse_args()
    if args.listed:
        return listed_memory(args.listed, args.keep)
    with tempfile.TemporaryDirectory() as tmp:
        release = (args.keep or Path(tmp)) / "1.0.0"
        t = time.perf_counter()
        rows = make_release(release, args.sentences)
        total = sum(rows.values())
        print(f"release: {rows} ({total} rows) written in {time.perf_counter() - t:.1f} s", flush=True)
        pp = [run_child("presspack", release) for _ in range(args.runs)]
        assert all(r["valid"] for r in pp), pp
        pp_s = statistics.median(r["seconds"] for r in pp)
        pp_mem = max(r["max_rss_mb"] for r in pp)
        print(f"presspack validate:    median {pp_s:.2f} s of {args.runs} ({total / pp_s:,.0f} rows/s), peak RSS {pp_mem:.0f} MB", flush=True)
        if args.frictionless_runs:
            fl = [run_child("frictionless", release) for _ in range(args.frictionless_runs)]
            fl_s = statistics.median(r["seconds"] for r in fl)
            fl_mem = max(r["max_rss_mb"] for r in fl)
            print(f"frictionless validate: median {fl_s:.2f} s of {args.frictionless_runs} ({total / fl_s:,.0f} rows/s), peak RSS {fl_mem:.0f} MB, valid={fl[0]['valid']}")
            print(f"ratio: presspack validate is {fl_s / pp_s:.1f}x faster than frictionless validate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
