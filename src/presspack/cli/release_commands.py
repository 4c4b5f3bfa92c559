"""Handlers of the commands that build, check and describe releases (build, release,
validate, cache, diff, info, cite): parse, call one library function, print."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from presspack.cli.options import EXIT_FAIL, EXIT_OK


def _config(args: argparse.Namespace) -> Any:
    """The Config of a pipeline command: presspack.toml overridden by the PIPELINE options."""
    from presspack.config import load_config

    return load_config(args.config, model=args.model, jobs=args.jobs, batch_size=args.batch_size, profile=args.profile,
                       executor=args.executor, scheduler=args.scheduler, cache_dir=args.cache_dir,
                       cache=False if args.no_cache else None, claims_model=args.claims_model)



def _progress(args: argparse.Namespace) -> Callable[[int, str], None] | None:
    """The build's progress callback: one status line on stderr, rewritten for each input
    file read (on a terminal, unless --quiet)."""
    if args.quiet or not sys.stderr.isatty():
        return None

    def report(files_read: int, current: str) -> None:
        print(f"\r\033[Kpresspack: {files_read} files read ({current[-50:]})", end="", file=sys.stderr, flush=True)

    return report



def _print_problems(result: Any) -> None:
    from presspack.orchestrate.result import PROBLEMS_SHOWN

    for f in result.problem_files:
        print(f"  {f['status']}: {f['path']}: {f['reason']}", file=sys.stderr)
        for r in f.get("records", [])[:20]:
            if r["status"] == "rejected":
                print(f"    {r['origin']}: {r['reason']}", file=sys.stderr)
    shown = len(result.problem_files)
    if shown and shown == PROBLEMS_SHOWN:
        print(f"  (only the first {shown} rejected or partial files are listed here: see manifest.json)", file=sys.stderr)



def build_cli(args: argparse.Namespace) -> int:
    from presspack.orchestrate import build

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
    from presspack.explore.exports import clear_exports, exports_info

    cache_dir = args.cache_dir or load_config(args.config).cache_dir
    if args.action == "clear":
        info = {**clear_cache(cache_dir), **clear_exports(cache_dir)}
    else:
        info = {**cache_info(cache_dir), **exports_info(cache_dir)}
    exports = f"{info['exports']} SQLite export(s) for presspack serve, {info['exports_bytes']} bytes"
    if args.json:
        print(json.dumps(info))
    elif args.action == "clear":
        print(f"cleared {info['path']}: {info['entries']} entries removed; {exports} removed; unpacked language model "
              f"({info['model_bytes']} bytes) removed")
    else:
        print(f"{info['path']}: {info['entries']} entries for {info['fingerprints']} pipeline(s), {info['bytes']} bytes; {exports}; "
              f"unpacked language model {info['model_bytes']} bytes")
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
    from presspack.release import format_provenance, provenance, provenance_json

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
