"""Handlers of the commands that build, check and describe releases (build, release,
validate, cache, diff, info, cite): parse, call one library function, print."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from presspack.cli.options import EXIT_FAIL, EXIT_OK
from presspack.cli.progress import progress_for


def _config(args: argparse.Namespace) -> Any:
    """The Config of a pipeline command: presspack.toml overridden by the PIPELINE options."""
    from presspack.config import load_config

    config = load_config(args.config, sources=args.sources, model=args.model, jobs=args.jobs, batch_size=args.batch_size,
                         profile=args.profile, executor=args.executor, scheduler=args.scheduler, cache_dir=args.cache_dir,
                         cache=False if args.no_cache else None, exclude=args.exclude,
                         claims_model=args.claims_model)
    _announce_config(args.command, config, args.sources)
    return config


def _announce_config(command: str, config: Any, sources: list[str]) -> None:
    """Name the presspack.toml a build uses (and one beside the inputs it does not use),
    and warn when its citation metadata is missing."""
    from dataclasses import asdict
    from pathlib import Path

    from presspack.config import CONFIG_NAME, missing_citation_fields

    where = f"[dataset] of {config.source_path}" if config.source_path else "[dataset]: no presspack.toml found"
    if config.source_path:
        print(f"presspack {command}: using config {config.source_path}", file=sys.stderr)
        beside = Path(sources[0]) / CONFIG_NAME if len(sources) == 1 else None
        if beside is not None and beside.is_file() and beside.resolve() != Path(config.source_path).resolve():
            print(f"presspack {command}: note: {beside} is not used (--config {beside} would use it)", file=sys.stderr)
    missing = missing_citation_fields(asdict(config.dataset))
    if missing:
        licence = " and carry no licence" if "license" in missing else ""
        print(f"presspack {command}: warning: no {', '.join(missing)} in {where}; the release's dataset card, CITATION.cff "
              f"and datapackage.json will say \"not specified\"{licence}. `presspack init` writes a presspack.toml to fill "
              "in (or pass --config FILE).", file=sys.stderr)




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

    with progress_for(args) as progress:
        result = build(args.sources, args.out, args.version, _config(args), progress=progress)
    if args.json:
        print(json.dumps({"release": str(result.release_dir), "counts": result.counts, "rows": result.rows, "cache": result.cache}))
    else:
        print(result.summary())
        _print_problems(result)
    return EXIT_OK



def validate_cli(args: argparse.Namespace) -> int:
    from presspack.validate import validate

    fl = True if args.frictionless else False if args.no_frictionless else None
    with progress_for(args) as progress:
        report = validate(args.release, frictionless=fl, progress=progress)
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
    with progress_for(args) as progress:
        result = release(args.sources, args.out, bump=args.bump, version=args.version, config=_config(args), progress=progress,
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
