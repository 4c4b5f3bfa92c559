"""Handler of `presspack train claims`: read the gold, train, print the summary."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from presspack.cli.options import EXIT_OK
from presspack.cli.progress import progress_for

SHOWN = ("content", "content_exact", "source", "cue", "triple", "tokens_content")


def _summary(model: Any) -> list[str]:
    t = model.meta["training"]
    lines = [f"trained claims model {model.name!r} on {t['articles']} articles ({t['claims']} claims, "
             f"{t['tokens']} tokens, seed {t['seed']}) into {model.path}"]
    dev = t.get("dev")
    if not dev:
        lines.append("no dev scores (pass --dev PATH: gold the model did not learn from)")
        return lines
    lines.append(f"dev: {dev['articles']} articles, {dev['claims']} claims (95% bootstrap CI over articles)")
    lines.append(f"{'':16} {'P':>6} {'R':>6} {'F1':>6}  F1 95% CI")
    for name in SHOWN:
        f = dev["scores"].get(name)
        if f:
            ci = "[{:.3f}, {:.3f}]".format(*f["ci"]["f1"]) if f["ci"]["f1"] else "n/a"
            lines.append(f"{name:16} {f['precision']:6.3f} {f['recall']:6.3f} {f['f1']:6.3f}  {ci}")
    return lines


def train_cli(args: argparse.Namespace) -> int:
    from presspack.audit.load import load_gold
    from presspack.audit.training import dev_scores, gold_articles, gold_digest
    from presspack.config import load_config
    from presspack.learn import train_claims
    from presspack.learn.train import check_gold
    from presspack.nlp.pipeline import load_pipeline

    config = load_config(args.config, model=args.model)
    def show(line: str) -> None:
        print(f"presspack train: {line}", file=sys.stderr, flush=True)

    progress = None if args.quiet else show

    def say(line: str) -> None:
        if progress is not None:
            progress(line)

    train, described = [], []
    for path in args.gold:
        gold = load_gold(path, None, args.format, config=config)
        for note in gold.notes:
            say(f"{path}: {note}")
        train += gold_articles(gold)
        described.append({"name": Path(path).name, "format": gold.format, "articles": len(gold.docs), "sha256": gold_digest(path)})
    dev = None
    if args.dev:
        dgold = load_gold(args.dev, None, args.format, config=config)
        for note in dgold.notes:
            say(f"{args.dev}: {note}")
        dev = gold_articles(dgold)
    check_gold(train)
    say(f"{len(train)} articles, {sum(len(g.claims) for g in train)} claims; loading the spaCy pipeline")
    nlp = load_pipeline(config.model)
    with progress_for(args) as stages:
        model = train_claims(train, args.out, nlp=nlp, seed=args.seed, dev=dev, evaluate=dev_scores, progress=progress,
                             gold=described, stages=stages)
    if args.json:
        print(json.dumps(model.meta, indent=2, ensure_ascii=False))
    else:
        print("\n".join(_summary(model)))
    return EXIT_OK
