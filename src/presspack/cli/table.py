"""COMMANDS: every command with its handler, help, example and table of options."""

from __future__ import annotations

from presspack.cli.init_command import init_cli
from presspack.cli.options import (
    CACHE_DIR,
    CONFIG,
    JSON,
    PIPELINE,
    QUIET,
    RELEASE_ARG,
    SOURCES,
    Command,
    opt,
)
from presspack.cli.release_commands import (
    build_cli,
    cache_cli,
    cite_cli,
    diff_cli,
    info_cli,
    release_cli,
    validate_cli,
)
from presspack.cli.tool_commands import (
    export_cli,
    sample_cli,
    score_cli,
    serve_cli,
    show_cli,
)
from presspack.cli.train_commands import train_cli

# The order `presspack --help` lists the commands in: a researcher's workflow.
WORKFLOW = ("init", "build", "release", "validate", "info", "diff", "cite", "sample", "score", "train", "show", "serve", "export", "cache")
HELP_EPILOG = """Example (a first release of your articles):
  presspack init          # writes presspack.toml: fill in title, authors and license
  presspack build articles/ --out mydata/ --version 1.0.0
  presspack validate mydata/1.0.0

presspack COMMAND --help shows a command's options and examples. Documentation: docs/cli.md
(every command and option, exit codes) and docs/ in the presspack source; README.md lists them."""

COMMANDS: dict[str, Command] = {
    "init": Command(
        init_cli,
        "Write a commented presspack.toml to fill in: the title, authors and licence of your dataset, and build options.",
        "Example:\n  presspack init\n  presspack init articles/",
        (opt("directory", nargs="?", default=".", metavar="DIR",
             help="where to write presspack.toml (default: the current directory); an existing one is never overwritten"),),
    ),
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
         opt("--no-frictionless", action="store_true", group="fl", help="never run frictionless"),
         QUIET),
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
    "train": Command(
        train_cli,
        "Train a claims model from gold annotations (Label Studio export, BRAT directory, presspack JSONL with its text), "
        "for build --claims-model (needs presspack[train]).",
        "Example:\n  presspack train claims --gold audit/brat --dev audit/dev.jsonl --out models/claims-v1",
        (opt("what", choices=["claims"], help="what to train (claims: a tagger of source, cue and content spans)"),
         opt("--gold", required=True, nargs="+", metavar="PATH", help="gold annotations to learn from, each in a format presspack score reads"),
         opt("--format", choices=["labelstudio", "brat", "jsonl"], help="gold format (default: from each PATH, as in score)"),
         opt("--dev", metavar="PATH", help="gold to measure the model on (not learned from): dev scores with 95%% bootstrap CIs in the summary"),
         opt("--out", required=True, metavar="MODEL_DIR", help="directory for the model (model.json and claims.crfsuite)"),
         opt("--seed", type=int, default=0, metavar="N", help="seed of the training order (default 0): the same gold, seed and versions give the same bytes"),
         opt("--model", metavar="NAME", help="spaCy pipeline whose parses the model learns from (default: as build)"),
         CONFIG, JSON, QUIET),
    ),
    "show": Command(
        show_cli,
        "Print one article with its sentences, entities and claims highlighted.",
        "Example:\n  presspack show dataset/1.0.0 a80dcb2715ca975ef",
        (RELEASE_ARG, opt("article_id", metavar="ARTICLE_ID", help="the article's id (articles.article_id)"),
         opt("--width", type=int, metavar="N", help="line width (default: the terminal's)")),
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
         opt("out", metavar="OUT", help="database file to write (replaced if it exists)"),
         QUIET),
    ),
}
