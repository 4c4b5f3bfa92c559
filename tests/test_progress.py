"""Progress: the library reports stages and items through presspack.progress.Progress and
never prints; the CLI draws it (plain lines when stderr is not a terminal, a live display
on one, nothing with --quiet)."""

from __future__ import annotations

import functools
import io

import pytest

from presspack import cli
from presspack.cli import progress as cli_progress
from presspack.cli.progress import PlainProgress, RichProgress
from presspack.orchestrate.run import build as real_build
from presspack.validate import validate

ARTICLES = {
    "a.txt": "Bridge to reopen\n\nThe mayor said on Monday that the bridge would reopen in May.\n",
    "b.txt": "Library hours\n\nThe council said the library would open on Sundays from June.\n",
}


class Recorder:
    def __init__(self):
        self.events: list[tuple] = []

    def stage(self, name, total=None, unit="items"):
        self.events.append(("stage", name, total, unit))

    def advance(self, n=1):
        self.events.append(("advance", n))

    def done(self):
        self.events.append(("done",))

    def stages(self):
        return [e[1:] for e in self.events if e[0] == "stage"]

    def advanced(self, stage):
        i = next(i for i, e in enumerate(self.events) if e[:2] == ("stage", stage))
        total = 0
        for e in self.events[i + 1:]:
            if e[0] == "stage":
                break
            total += e[1]
        return total


@pytest.fixture
def news(tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text, encoding="utf-8")
    (src / "logo.png").write_bytes(b"\x89PNG\r\n")
    return src


def test_build_reports_its_stages_and_never_prints(news, tmp_path, nlp, config, capsys):
    rec = Recorder()
    real_build([news], tmp_path / "out", "1.0.0", config, nlp=nlp, progress=rec)
    assert capsys.readouterr() == ("", "")
    assert rec.stages() == [("read and annotate", 3, "files"), ("entity index", None, "items"), ("quotations", None, "items"), ("manifest", 3, "files"),
                            ("extras", None, "items"), ("seal", None, "items")]
    assert rec.advanced("read and annotate") == 3 and rec.advanced("manifest") == 3
    assert ("done",) not in rec.events  # the caller ends it (a release goes on after its build)


def test_validate_reports_its_stages(example_release):
    rec = Recorder()
    assert validate(example_release, frictionless=False, progress=rec).valid
    assert [s[0] for s in rec.stages()] == ["files and hashes", "tables", "extras"]
    assert rec.stages()[1] == ("tables", 5, "checks") and rec.advanced("tables") == 5


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_plain_progress_prints_total_rate_and_time_left_periodically():
    out, clock = io.StringIO(), Clock()
    p = PlainProgress("build", out, every=10, now=clock)
    p.stage("read and annotate", 300, "files")
    for _ in range(96):
        clock.t += 0.125  # 12 s for 96 files: one line after 10 s
        p.advance()
    p.stage("seal")  # the first stage printed, so it gets a closing line; "seal" is quick: none
    clock.t += 0.5
    p.done()
    assert out.getvalue().splitlines() == [
        "presspack build: read and annotate: 80/300 files (26%), 8.0 files/s, 0:00:27 left",
        "presspack build: read and annotate: 96/300 files in 0:00:12 (8.0 files/s)",
    ]


def test_plain_progress_is_silent_for_quick_work():
    out, clock = io.StringIO(), Clock()
    p = PlainProgress("validate", out, every=10, now=clock)
    p.stage("files and hashes")
    clock.t += 2
    p.stage("tables", 5, "checks")
    p.advance(5)
    p.done()
    assert out.getvalue() == ""


def test_plain_progress_a_long_stage_without_items_says_how_long():
    out, clock = io.StringIO(), Clock()
    p = PlainProgress("export", out, every=10, now=clock)
    p.stage("export to sqlite")
    clock.t += 75
    p.done()
    assert out.getvalue() == "presspack export: export to sqlite: done in 0:01:15\n"


@pytest.fixture
def cli_build(monkeypatch, nlp, config):
    monkeypatch.setattr("presspack.orchestrate.build", functools.partial(real_build, nlp=nlp))
    monkeypatch.setattr("presspack.cli.release_commands._config", lambda args: config)


def test_cli_plain_lines_end_before_the_summary_and_quiet_prints_none(cli_build, news, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli_progress, "PLAIN_EVERY", 0.0)  # a line at every file
    assert cli.main(["build", str(news), "--out", str(tmp_path / "a"), "--version", "1.0.0"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote ") and out.count("\n") == 1  # the summary alone on stdout, on its own line
    lines = err.splitlines()
    assert "presspack build: read and annotate: 1/3 files (33%)" in lines[0]
    assert any(line.startswith("presspack build: manifest: 3/3 files in ") for line in lines)
    assert "  rejected: logo.png: unsupported file type '.png'" in lines  # the problems after the progress

    assert cli.main(["build", str(news), "--out", str(tmp_path / "b"), "--version", "1.0.0", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote ")
    assert err.splitlines() == ["  rejected: logo.png: unsupported file type '.png'"]  # no progress at all


def test_rich_progress_draws_every_stage():
    from rich.console import Console

    buf = io.StringIO()
    p = RichProgress("build", Console(file=buf, force_terminal=True, width=120))
    p.stage("read and annotate", 2, "files")
    p.advance()
    p.advance()
    p.stage("seal")
    p.done()
    text = buf.getvalue()
    assert "read and annotate" in text and "2/2 files" in text and "seal" in text
