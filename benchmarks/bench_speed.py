"""Speed on one machine: presspack build against bare nlp.pipe, --jobs 2 against
--jobs 1, --profile fast against the default profile. Ratios are measured in one run,
with the configurations interleaved in each repetition, and reported as medians.

    python benchmarks/bench_speed.py CORPUS_DIR [--articles N] [--repeat 3]

CORPUS_DIR holds .txt articles (first line the title), e.g. ../shared/data/corpus/bbc-sample.
--articles N replicates the corpus to N articles (new texts made by mixing paragraphs).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import LAST_CPU, PRESSPACK, env_without_cache, load_corpus, machine, median, run, same_files, write_corpus  # noqa: E402

from presspack.config import load_config  # noqa: E402
from presspack.nlp.pipeline import resolve_model_name  # noqa: E402
from presspack.orchestrate.intake import accepted_articles  # noqa: E402
from presspack.orchestrate.ledger import Ledger  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--articles", type=int, help="replicate the corpus to this many articles (default: as is)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model", default=None)
    ap.add_argument("--only", default="bare,bare_np,jobs1,jobs2,fast",
                    help="comma-separated subset of bare,bare_np,jobs1,jobs2,fast")
    ap.add_argument("--work", type=Path, help="scratch directory (default: a temporary one)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="presspack-bench-", dir=args.work))
    try:
        arts = load_corpus(args.corpus)
        n = args.articles or len(arts)
        corpus = write_corpus(arts, work / "corpus", n)
        model = resolve_model_name(args.model)
        env = env_without_cache(work / "cache")
        common = ["--model", model, "--batch-size", str(args.batch_size), "--no-cache", "--quiet"]
        # The baseline runs on exactly the texts the build runs the NLP on.
        texts = [a.text for a in accepted_articles([corpus], load_config(), Ledger(), None)]
        (work / "texts.json").write_text(json.dumps(texts), encoding="utf-8")
        words = sum(len(t.split()) for t in texts)

        bare = [sys.executable, str(Path(__file__).with_name("bare_pipe.py")), str(work / "texts.json"),
                "--model", model, "--batch-size", str(args.batch_size)]
        runs = {
            "bare": bare,  # spaCy as it comes: thinc's BLIS
            "bare_np": [*bare, "--matmul", "numpy"],  # spaCy on the matrix library presspack's pipelines use
            "jobs1": [*PRESSPACK, "build", str(corpus), "--version", "1.0.0", "--jobs", "1", *common],
            "jobs2": [*PRESSPACK, "build", str(corpus), "--version", "1.0.0", "--jobs", "2", *common],
            "fast": [*PRESSPACK, "build", str(corpus), "--version", "1.0.0", "--jobs", "1", "--profile", "fast", *common],
        }
        names = [x for x in args.only.split(",") if x in runs]
        times: dict[str, list[float]] = {k: [] for k in names}
        cpu: dict[str, list[float]] = {k: [] for k in names}
        rss: dict[str, list[int]] = {k: [] for k in names}
        identical = True
        for r in range(args.repeat):
            order = names[r % len(names):] + names[: r % len(names)]  # rotate: no configuration always runs first
            for name in order:
                cmd = list(runs[name])
                if not name.startswith("bare"):
                    cmd[cmd.index("--version"):cmd.index("--version")] = ["--out", str(work / f"out-{name}-{r}")]
                wall, peak = run(cmd, env=env)
                times[name].append(wall)
                cpu[name].append(LAST_CPU[0])
                rss[name].append(peak)
                print(f"  run {r + 1}/{args.repeat} {name:6s} {wall:7.2f} s  cpu {LAST_CPU[0]:7.2f} s  peak RSS {peak} MB",
                      file=sys.stderr, flush=True)
            if "jobs1" in names and "jobs2" in names:
                identical &= same_files(work / f"out-jobs1-{r}" / "1.0.0", work / f"out-jobs2-{r}" / "1.0.0")
            for name in names:
                shutil.rmtree(work / f"out-{name}-{r}", ignore_errors=True)

        med = {k: median(v) for k, v in times.items()}
        mcpu = {k: median(v) for k, v in cpu.items()}
        print(f"machine: {machine()}")
        print(f"corpus: {args.corpus} replicated to {len(texts)} articles ({words} words); model {model}; "
              f"batch size {args.batch_size}; {args.repeat} repetition(s), medians")
        for k in names:
            print(f"  {k:6s} median {med[k]:7.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times[k])})  "
                  f"CPU {mcpu[k]:7.2f} s  peak RSS {max(rss[k])} MB")
        def paired(a: str, b: str) -> str:
            """Median over repetitions of the ratio a/b within one repetition (the two ran
            minutes apart at most: robust to a machine whose speed drifts over the run)."""
            return f"{median([x / y for x, y in zip(times[a], times[b], strict=True)]):.3f}"

        print("ratios of median wall-clock times (CPU-time ratios in brackets: steadier on a busy machine; "
              "'paired' = median of the per-repetition ratios)")
        if "bare" in med and "jobs1" in med:
            print(f"build --jobs 1 / bare nlp.pipe     = {med['jobs1'] / med['bare']:.3f}   (target <= 1.05)  "
                  f"[CPU {mcpu['jobs1'] / mcpu['bare']:.3f}]  paired {paired('jobs1', 'bare')}  "
                  "(--jobs 1 = everything in one process, on one core)")
        if "bare_np" in med and "jobs1" in med:
            print(f"build --jobs 1 / bare nlp.pipe on numpy's BLAS = {med['jobs1'] / med['bare_np']:.3f}  "
                  f"[CPU {mcpu['jobs1'] / mcpu['bare_np']:.3f}]  paired {paired('jobs1', 'bare_np')}  "
                  "(the same matrix library as the build's pipelines)")
        if "jobs1" in med and "jobs2" in med:
            print(f"speed-up --jobs 2 vs --jobs 1      = {med['jobs1'] / med['jobs2']:.3f}   (target >= 1.7)  "
                  f"paired {paired('jobs1', 'jobs2')}; output byte-identical: {identical}")
        if "jobs1" in med and "fast" in med:
            print(f"speed-up --profile fast vs default = {med['jobs1'] / med['fast']:.3f}   (target >= 1.8)  "
                  f"[CPU {mcpu['jobs1'] / mcpu['fast']:.3f}]  paired {paired('jobs1', 'fast')}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
