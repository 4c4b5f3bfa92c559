"""Errors that say why, with the exit codes of docs/cli.md ("Exit codes"): every case is
run through the command line and must end in one line on stderr and its exit code."""

from __future__ import annotations

import errno
import functools
import socket
from pathlib import Path

import pytest

from presspack import cli
from presspack.cli.options import EXIT_BUG, EXIT_FAIL, EXIT_OK, EXIT_USAGE
from presspack.orchestrate.run import build as real_build
from presspack.package.seal import SEAL_NAME

ARTICLE = "Bridge to reopen\n\nThe mayor said on Monday that the bridge would reopen in May. \"We are ready,\" she said.\n"


@pytest.fixture
def run(capsys):
    def _run(*argv: str) -> tuple[int, str, str]:
        code = cli.main([str(a) for a in argv])
        out, err = capsys.readouterr()
        # the config a build uses, and a warning when its citation metadata is missing, are
        # their own lines before the build starts; what is checked here is the error's line
        err = "".join(line for line in err.splitlines(True) if ": warning: no " not in line and ": using config " not in line)
        return code, out, err

    return _run


@pytest.fixture
def with_nlp(monkeypatch, nlp, config):
    """The CLI's build with the session's pipeline and configuration (no model load)."""
    monkeypatch.setattr("presspack.orchestrate.build", functools.partial(real_build, nlp=nlp))
    monkeypatch.setattr("presspack.cli.release_commands._config", lambda args: config)


@pytest.fixture
def news(tmp_path):
    src = tmp_path / "news"
    src.mkdir()
    (src / "bridge.txt").write_text(ARTICLE, encoding="utf-8")
    return src


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "please report" not in err
    return lines[0]


def test_a_missing_input_is_an_error_before_anything_is_built(run, news, tmp_path):
    code, _, err = run("build", news, tmp_path / "typo", "--out", tmp_path / "out", "--version", "1.0.0", "--quiet")
    assert code == EXIT_USAGE
    assert "typo: no such file or directory; nothing was built" in one_line(err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "sample"])
def test_out_that_is_a_file_is_one_line(run, example_release, news, tmp_path, command):
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    argv = {"build": ["build", news, "--version", "1.0.0"],
            "sample": ["sample", example_release, "--n", "1"]}[command]
    code, _, err = run(*argv, "--out", tmp_path / "taken")
    assert code == EXIT_USAGE
    assert one_line(err).endswith("taken is a file, not a directory: choose another --out")


@pytest.mark.parametrize("inside", ["", "sub/dir"])
def test_out_inside_a_release_is_refused(run, example_release, news, inside):
    seal = (example_release / SEAL_NAME).read_bytes()
    before = sorted(p.name for p in example_release.iterdir())
    code, _, err = run("build", news, "--out", example_release / inside, "--version", "1.0.0")
    assert code == EXIT_USAGE
    assert "releases are never written into: choose another --out" in one_line(err)
    assert sorted(p.name for p in example_release.iterdir()) == before and (example_release / SEAL_NAME).read_bytes() == seal


def test_nothing_accepted_lists_the_reasons_with_counts(run, tmp_path):
    src = tmp_path / "junk"
    src.mkdir()
    for name in ("a.png", "b.png", "c.gif"):
        (src / name).write_bytes(b"\x89PNG\r\n")
    (src / "empty.txt").write_text("", encoding="utf-8")
    code, _, err = run("build", src, "--out", tmp_path / "out", "--version", "1.0.0")
    assert code == EXIT_FAIL
    line = one_line(err)
    assert "no article was accepted (4 rejected, 0 duplicate)" in line
    assert "reasons: unsupported file type '.png' (2); " in line  # the most frequent first, with its count
    assert "; empty file (no text) (1); unsupported file type '.gif' (1)" in line  # ties in alphabetical order
    assert not (tmp_path / "out" / "1.0.0").exists()


def test_validate_on_a_folder_that_is_not_a_release(run, news):
    code, out, err = run("validate", news)
    assert code == EXIT_USAGE and out == ""
    assert one_line(err).endswith("is not a release: it has no datapackage.json, manifest.json or SHA256SUMS")


def test_validate_on_a_path_that_does_not_exist(run, tmp_path):
    code, out, err = run("validate", tmp_path / "nope")
    assert code == EXIT_USAGE and out == ""
    assert one_line(err) == f"presspack validate: error: {tmp_path / 'nope'}: no such directory"


@pytest.mark.parametrize("command", ["info", "cite", "show", "diff"])
def test_the_other_commands_that_read_a_release_say_not_a_release(run, news, example_release, command):
    argv = {"show": ["show", news, "a0123456789abcdef"], "diff": ["diff", news, example_release]}.get(command, [command, news])
    code, out, err = run(*argv)
    assert code == EXIT_USAGE and out == ""
    assert f"{news} is not a release: no " in one_line(err)


def test_serve_on_a_port_in_use_says_nothing_of_serving(run, example_release, monkeypatch):
    pytest.importorskip("datasette")
    monkeypatch.setattr("presspack.explore.serve.make_datasette", lambda *a, **k: pytest.fail("built a database first"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        code, out, err = run("serve", example_release, "--port", s.getsockname()[1])
    assert code == EXIT_FAIL
    assert "cannot listen on 127.0.0.1" in one_line(err) and "serving" not in err


@pytest.mark.parametrize(("target", "file"), [
    ("presspack.package.tables.TableWriter.write", "articles.parquet"),
    ("presspack.orchestrate.run.write_json", "datapackage.json"),
])
def test_a_full_disk_says_which_file_and_that_nothing_was_released(run, with_nlp, news, tmp_path, monkeypatch, target, file):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(target, full)
    out = tmp_path / "out"
    code, _, err = run("build", news, "--out", out, "--version", "1.0.0", "--quiet")
    assert code == EXIT_FAIL
    assert one_line(err) == (f"presspack build: error: cannot write {out / '1.0.0' / file}: No space left on device; "
                             "nothing was released")
    assert [p.name for p in out.iterdir()] == []  # no release, no temporary directory


def test_a_version_that_exists_names_the_option(run, with_nlp, news, tmp_path):
    assert run("build", news, "--out", tmp_path, "--version", "1.0.0", "--quiet")[0] == EXIT_OK
    code, _, err = run("build", news, "--out", tmp_path, "--version", "1.0.0", "--quiet")
    assert code == EXIT_FAIL
    assert one_line(err).endswith("already exists; releases are immutable: choose a new --version")


def test_usage_errors_and_bugs_have_their_own_codes(run, monkeypatch, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["build", "--version", "1.0.0"])  # no --out: argparse
    assert e.value.code == EXIT_USAGE
    assert "the following arguments are required" in capsys.readouterr().err

    def bug(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("presspack.orchestrate.build", bug)
    code, _, err = run("build", tmp_path, "--out", tmp_path / "o", "--version", "1.0.0")
    assert code == EXIT_BUG
    assert err.strip() == "presspack build: unexpected error: ZeroDivisionError: division by zero (please report this)"


def test_exit_codes_are_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    table = doc.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    for code in (EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_BUG, 130):
        assert f"| {code} |" in table


def test_a_full_disk_while_a_release_is_promoted(run, monkeypatch, nlp, config, news, tmp_path):
    from presspack.release import release as real_release

    monkeypatch.setattr("presspack.release.release", functools.partial(real_release, nlp=nlp))
    monkeypatch.setattr("presspack.cli.release_commands._config", lambda args: config)
    out = tmp_path / "ds"
    assert run("release", news, "--out", out, "--quiet")[0] == EXIT_OK
    (news / "more.txt").write_text("Ferry resumes\n\nThe operator said the ferry would sail again on Friday.\n", encoding="utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("presspack.release.publish.write_json", full)  # the candidate's new version number
    code, _, err = run("release", news, "--out", out, "--quiet")
    assert code == EXIT_FAIL
    assert one_line(err) == (f"presspack release: error: cannot write {out / '1.1.0' / 'manifest.json'}: No space left on device; "
                             "nothing was released")
    assert sorted(p.name for p in out.iterdir()) == ["1.0.0", "versions.json"]
