"""Every option of every command reaches the library: the CLI is run with each option
and the library function it calls (replaced by a recorder) must see its value. A table
row per option; a test checks the table covers every option in cli.COMMANDS."""

from __future__ import annotations

import argparse

import pytest

from presspack import cli
from presspack.errors import PresspackError


class Called(PresspackError):
    """Raised by a recorder after noting its call (the CLI turns it into exit 1)."""


@pytest.fixture
def calls(monkeypatch):
    seen: list[tuple[str, tuple, dict]] = []

    def recorder(name, returns=None):
        def record(*args, **kwargs):
            seen.append((name, args, kwargs))
            if returns is None:
                raise Called(name)
            return returns
        return record

    class Gold:
        notes: list[str] = []
        format = "jsonl"
        docs: dict = {}

    class Printer:
        def __init__(self, **kwargs):
            seen.append(("Console", (), kwargs))

        def print(self, *args):
            raise Called("print")

    targets = {
        "presspack.orchestrate.build": "build", "presspack.release.release": "release", "presspack.validate.validate": "validate",
        "presspack.annotate.cache.cache_info": "cache_info", "presspack.annotate.cache.clear_cache": "clear_cache",
        "presspack.extras.diff.diff_releases": "diff", "presspack.release.provenance": "provenance",
        "presspack.extras.cite.cite": "cite",
    }
    for target, name in targets.items():
        monkeypatch.setattr(target, recorder(name))
    monkeypatch.setattr("presspack.audit.sample.draw", recorder("draw", returns=object()))
    monkeypatch.setattr("presspack.audit.sample.export", recorder("export"))
    monkeypatch.setattr("presspack.audit.load.load_gold", recorder("load_gold", returns=Gold()))
    monkeypatch.setattr("presspack.audit.score.score_report", recorder("score_report"))
    monkeypatch.setattr("presspack.audit.quality.load_quality", recorder("load_quality", returns={"measured": True}))
    monkeypatch.setattr("presspack.audit.show.render", recorder("render", returns="text"))
    monkeypatch.setattr("rich.console.Console", Printer)
    monkeypatch.setattr("presspack.explore.serve.make_datasette", recorder("make_datasette", returns=("app", "x.db", False)))
    monkeypatch.setattr("presspack.explore.serve.run", recorder("run"))
    monkeypatch.setattr("presspack.explore.serve.check_port", lambda host, port: None)
    monkeypatch.setattr("presspack.explore.sqlite.export_sqlite", recorder("export_sqlite"))
    monkeypatch.setattr("presspack.explore.duckdb.export_duckdb", recorder("export_duckdb"))
    monkeypatch.setattr("presspack.audit.training.gold_articles", lambda gold: [])
    monkeypatch.setattr("presspack.audit.training.gold_digest", lambda path: "0" * 64)
    monkeypatch.setattr("presspack.learn.train.check_gold", lambda train: 5)
    monkeypatch.setattr("presspack.nlp.pipeline.load_pipeline", recorder("load_pipeline", returns="nlp"))
    monkeypatch.setattr("presspack.learn.train_claims", recorder("train_claims"))
    return seen


def config_of(calls):
    call = next(c for c in calls if c[0] in ("build", "release"))
    args, kwargs = call[1], call[2]
    return kwargs.get("config") or next(a for a in args if hasattr(a, "batch_size"))


PIPELINE = [
    ("--config", ["--config", "presspack.toml"], lambda c: config_of(c).source_path == "presspack.toml"),
    ("--model", ["--model", "my_pipeline"], lambda c: config_of(c).model == "my_pipeline"),
    ("--jobs", ["--jobs", "3"], lambda c: config_of(c).jobs == 3),
    ("--batch-size", ["--batch-size", "7"], lambda c: config_of(c).batch_size == 7),
    ("--profile", ["--profile", "fast"], lambda c: config_of(c).profile == "fast"),
    ("--executor", ["--executor", "dask"], lambda c: config_of(c).executor == "dask"),
    ("--scheduler", ["--scheduler", "tcp://127.0.0.1:8786"], lambda c: config_of(c).scheduler == "tcp://127.0.0.1:8786"),
    ("--cache-dir", ["--cache-dir", "/tmp/pp-cache"], lambda c: config_of(c).cache_dir == "/tmp/pp-cache"),
    ("--no-cache", ["--no-cache"], lambda c: config_of(c).cache is False),
    ("--exclude", ["--exclude", "README.TXT", "--exclude", "*.md"], lambda c: config_of(c).exclude == ("README.TXT", "*.md")),
    ("--claims-model", ["--claims-model", "models/m1"], lambda c: config_of(c).claims_model == "models/m1"),
    ("--quiet", ["--quiet"], lambda c: c[-1][2].get("progress") is None),
    ("--json", ["--json"], lambda c: True),  # the output format: checked by the CLI tests on real releases
]

CASES = [
    *[("build", ["build", "in/", "--out", "o", "--version", "1.0.0", *argv], flag, check) for flag, argv, check in PIPELINE],
    ("build", ["build", "in/", "--out", "o", "--version", "2.1.0"], "--version", lambda c: c[-1][1][2] == "2.1.0"),
    ("build", ["build", "in/", "--out", "o", "--version", "1.0.0"], "--out", lambda c: c[-1][1][1] == "o"),
    *[("release", ["release", "in/", "--out", "o", *argv], flag, check) for flag, argv, check in PIPELINE],
    ("release", ["release", "in/", "--out", "o", "--bump", "minor"], "--bump", lambda c: c[-1][2]["bump"] == "minor"),
    ("release", ["release", "in/", "--out", "o", "--version", "3.0.0"], "--version", lambda c: c[-1][2]["version"] == "3.0.0"),
    ("release", ["release", "in/", "--out", "o"], "--out", lambda c: c[-1][1][1] == "o"),
    ("validate", ["validate", "r", "--frictionless"], "--frictionless", lambda c: c[-1][2]["frictionless"] is True),
    ("validate", ["validate", "r", "--no-frictionless"], "--no-frictionless", lambda c: c[-1][2]["frictionless"] is False),
    ("validate", ["validate", "r", "--json"], "--json", lambda c: c[-1][1][0] == "r"),
    ("cache", ["cache", "clear", "--cache-dir", "/tmp/pp-c2"], "--cache-dir", lambda c: c[-1][0] == "clear_cache" and c[-1][1][0] == "/tmp/pp-c2"),
    ("cache", ["cache", "info", "--config", "presspack.toml"], "--config", lambda c: c[-1][0] == "cache_info"),
    ("cache", ["cache", "info", "--json"], "--json", lambda c: c[-1][0] == "cache_info"),
    ("diff", ["diff", "a", "b", "--json"], "--json", lambda c: c[-1][1] == ("a", "b")),
    ("info", ["info", "r", "--json"], "--json", lambda c: c[-1][1] == ("r",)),
    ("cite", ["cite", "r", "--format", "apa"], "--format", lambda c: c[-1][1] == ("r", "apa")),
    ("release", ["release", "in/", "--out", "o", "--quality", "score.json"], "--quality",
     lambda c: c[0][1] == ("score.json",) and c[-1][2]["quality"] == {"measured": True}),
    ("sample", ["sample", "r", "--n", "5", "--out", "a/"], "--n", lambda c: c[0][1][:2] == ("r", 5)),
    ("sample", ["sample", "r", "--n", "5", "--seed", "7", "--out", "a/"], "--seed", lambda c: c[0][1][2] == 7),
    ("sample", ["sample", "r", "--n", "5", "--by", "month", "--out", "a/"], "--by", lambda c: c[0][1][3] == "month"),
    ("sample", ["sample", "r", "--n", "5", "--out", "a/"], "--out", lambda c: c[-1][0] == "export" and c[-1][1][2] == "a/"),
    ("sample", ["sample", "r", "--n", "5", "--out", "a/", "--json"], "--json", lambda c: c[0][0] == "draw"),
    ("score", ["score", "r", "--gold", "g.json"], "--gold", lambda c: c[0][1][:2] == ("g.json", "r")),
    ("score", ["score", "r", "--gold", "g", "--format", "brat"], "--format", lambda c: c[0][1][2] == "brat"),
    ("score", ["score", "r", "--gold", "g", "--label-map", "map.json"], "--label-map",
     lambda c: c[0][1][3] == {"PERSON": "PER"} and c[-1][2]["label_map"] == {"PERSON": "PER"}),
    ("score", ["score", "r", "--gold", "g", "--layers", "claims"], "--layers", lambda c: c[-1][2]["layers"] == ("claims",)),
    ("score", ["score", "r", "--gold", "g", "--annotator", "Ann"], "--annotator", lambda c: c[-1][2]["annotator"] == "Ann"),
    ("score", ["score", "r", "--gold", "g", "--date", "2026-01-02"], "--date", lambda c: c[-1][2]["date"] == "2026-01-02"),
    ("score", ["score", "r", "--gold", "g", "--samples", "50"], "--samples", lambda c: c[-1][2]["samples"] == 50),
    ("score", ["score", "r", "--gold", "g", "--seed", "3"], "--seed", lambda c: c[-1][2]["seed"] == 3),
    ("score", ["score", "r", "--gold", "g", "--json"], "--json", lambda c: c[-1][0] == "score_report"),
    ("show", ["show", "r", "a0123456789abcdef", "--width", "72"], "--width",
     lambda c: ("Console", (), {"width": 72}) in c and ("render", ("r", "a0123456789abcdef"), {}) in c),
    ("serve", ["serve", "r", "--port", "8123"], "--port", lambda c: c[-1] == ("run", ("app", "127.0.0.1", 8123), {})),
    ("serve", ["serve", "r", "--host", "0.0.0.0"], "--host", lambda c: c[-1] == ("run", ("app", "0.0.0.0", 8001), {})),
    ("serve", ["serve", "r", "--db", "my.db"], "--db", lambda c: c[0] == ("make_datasette", ("r",), {"db": "my.db"})),
    ("train", ["train", "claims", "--gold", "g.jsonl", "b/", "--out", "m"], "--gold",
     lambda c: [x[1][:2] for x in c if x[0] == "load_gold"] == [("g.jsonl", None), ("b/", None)]),
    ("train", ["train", "claims", "--gold", "g", "--format", "brat", "--out", "m"], "--format", lambda c: c[0][1][2] == "brat"),
    ("train", ["train", "claims", "--gold", "g", "--dev", "d.jsonl", "--out", "m"], "--dev",
     lambda c: c[1][1][:2] == ("d.jsonl", None) and c[-1][2]["dev"] == []),
    ("train", ["train", "claims", "--gold", "g", "--out", "m"], "--out", lambda c: c[-1][0] == "train_claims" and c[-1][1][1] == "m"),
    ("train", ["train", "claims", "--gold", "g", "--out", "m", "--seed", "4"], "--seed", lambda c: c[-1][2]["seed"] == 4),
    ("train", ["train", "claims", "--gold", "g", "--out", "m", "--model", "my_pipe"], "--model",
     lambda c: ("load_pipeline", ("my_pipe",), {}) in c),
    ("train", ["train", "claims", "--gold", "g", "--out", "m", "--config", "presspack.toml"], "--config",
     lambda c: c[0][2]["config"].source_path == "presspack.toml"),
    ("train", ["train", "claims", "--gold", "g", "--out", "m", "--quiet"], "--quiet", lambda c: c[-1][2]["progress"] is None),
    ("train", ["train", "claims", "--gold", "g", "--out", "m", "--json"], "--json", lambda c: True),
    ("export", ["export", "r", "--to", "duckdb", "o.duckdb"], "--to", lambda c: c[-1] == ("export_duckdb", ("r", "o.duckdb"), {})),
    ("validate", ["validate", "r", "--quiet"], "--quiet", lambda c: c[-1][2]["progress"] is None),
    ("export", ["export", "r", "--to", "duckdb", "o.duckdb", "--quiet"], "--quiet", lambda c: c[-1][0] == "export_duckdb"),
]


@pytest.mark.parametrize(("command", "argv", "flag", "check"), CASES, ids=[f"{c[0]} {c[2]}" for c in CASES])
def test_option_reaches_the_library(calls, command, argv, flag, check, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presspack.toml").write_text("[build]\n", encoding="utf-8")
    (tmp_path / "map.json").write_text('{"PERSON": "PER"}', encoding="utf-8")
    assert cli.main(argv) == cli.EXIT_FAIL  # a recorder stops the command after noting its call
    assert check(calls), (flag, calls)


def test_the_table_covers_every_option():
    documented = set()
    for name, cmd in cli.COMMANDS.items():
        documented |= {(name, f) for o in cmd.options for f in o.flags if f.startswith("--")}
    covered = {(c[0], c[2]) for c in CASES}
    assert documented - covered == set()


def test_an_option_the_library_ignored_would_fail(calls, tmp_path, monkeypatch):
    """The recorder sees what the CLI passes: drop --executor on the way and the check fails."""
    monkeypatch.chdir(tmp_path)
    from presspack.cli import release_commands

    real = release_commands._config

    def forgetful(args: argparse.Namespace):
        args.executor = None
        return real(args)

    monkeypatch.setattr(release_commands, "_config", forgetful)
    cli.main(["release", "in/", "--out", "o", "--executor", "dask"])
    assert config_of(calls).executor != "dask"
