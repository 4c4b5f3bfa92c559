"""Handlers of the commands that measure and explore a release (sample, score, show,
serve, export): parse, call one library function, print."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from presspack.cli.options import EXIT_OK
from presspack.cli.progress import progress_for


def sample_cli(args: argparse.Namespace) -> int:
    from presspack.audit.sample import draw, export
    from presspack.package.seal import check_output_dir

    check_output_dir(args.out)  # a file, or inside a release: one line, before the sample is drawn
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


def serve_cli(args: argparse.Namespace) -> int:
    from presspack.explore import require_extra

    require_extra("datasette", "sqlite_utils")
    from presspack.explore.serve import check_port, make_datasette, run

    check_port(args.host, args.port)  # before anything says "serving"
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
    with progress_for(args) as progress:
        if progress is not None:
            progress.stage(f"export to {args.to}")
        written = export(args.release, args.out)
    print(written)
    return EXIT_OK
