"""Which presspack.toml a build reads (and says it reads), `presspack init`'s template,
and the warning when a build has no title, authors or licence to put in the release."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from presspack import cli
from presspack.config import CITATION_FIELDS, ConfigExists, find_config, load_config, write_config_template
from presspack.errors import PresspackError
from presspack.ingest.discover import discover

FULL = '[dataset]\ntitle = "Quay reports"\nlicense = "CC0-1.0"\nauthors = [{ name = "Quay Desk" }]\n'


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty working directory and a SOURCE directory `in/` with one article."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Quay reopens\n\nThe quay reopened on Monday, the harbour master said.\n",
                                            encoding="utf-8")
    return tmp_path


def test_no_config_anywhere(project):
    assert find_config(None, ["in"]) is None
    assert load_config(sources=["in"]).source_path is None


def test_config_beside_the_one_source(project):
    (project / "in" / "presspack.toml").write_text(FULL, encoding="utf-8")
    assert find_config(None, ["in"]) == Path("in/presspack.toml")
    assert load_config(sources=["in"]).dataset.title == "Quay reports"
    assert find_config(None, ["in", "in/a.txt"]) is None  # two SOURCEs: whose would it be?
    assert find_config(None, ["in/a.txt"]) is None


def test_working_directory_then_explicit_config_win(project):
    (project / "in" / "presspack.toml").write_text(FULL, encoding="utf-8")
    (project / "presspack.toml").write_text('[dataset]\ntitle = "Here"\n', encoding="utf-8")
    (project / "other.toml").write_text('[dataset]\ntitle = "Other"\n', encoding="utf-8")
    assert load_config(sources=["in"]).dataset.title == "Here"
    assert load_config("other.toml", sources=["in"]).dataset.title == "Other"


def test_a_source_directorys_config_is_not_an_input(project):
    (project / "in" / "presspack.toml").write_text(FULL, encoding="utf-8")
    (project / "in" / "sub").mkdir()
    (project / "in" / "sub" / "presspack.toml").write_text(FULL, encoding="utf-8")
    assert [f.rel for f in discover(["in"])] == ["a.txt", "sub/presspack.toml"]  # a nested one is an (unsupported) input


def test_config_is_a_directory_is_one_clear_error(project):
    with pytest.raises(PresspackError, match="cannot read config"):
        load_config("in")


def _uncommented(text: str) -> str:
    return re.sub(r"^# (\w+ = )", r"\1", text, flags=re.M)


def test_template_is_empty_until_filled_in(tmp_path):
    path = write_config_template(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert path == tmp_path / "presspack.toml" and "[dataset]" in text
    meta = load_config(path).dataset
    assert (meta.title, meta.authors, meta.license) == (None, (), None)  # nothing pre-filled: still "not specified"
    path.write_text(_uncommented(text), encoding="utf-8")
    filled = load_config(path)  # every example line is a valid setting
    assert filled.dataset.title and filled.dataset.authors and filled.dataset.license and filled.dataset.doi
    assert all(getattr(filled.dataset, k) for k in CITATION_FIELDS)
    assert filled.model == "en_core_web_sm" and filled.text.boilerplate[-1] == "follow us on .*"


def test_template_never_overwrites(tmp_path):
    (tmp_path / "presspack.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigExists, match="already exists"):
        write_config_template(tmp_path)
    assert (tmp_path / "presspack.toml").read_text(encoding="utf-8") == "# mine\n"


def test_init_cli(project, capsys):
    assert cli.main(["init"]) == cli.EXIT_OK
    assert "wrote presspack.toml" in capsys.readouterr().out and (project / "presspack.toml").is_file()
    assert cli.main(["init", "in"]) == cli.EXIT_OK
    assert (project / "in" / "presspack.toml").read_text(encoding="utf-8") == (project / "presspack.toml").read_text(encoding="utf-8")
    before = (project / "presspack.toml").read_bytes()
    assert cli.main(["init"]) == cli.EXIT_FAIL
    err = capsys.readouterr().err
    assert err.startswith("presspack init: error: presspack.toml already exists") and err.count("\n") == 1
    assert (project / "presspack.toml").read_bytes() == before


class Stop(PresspackError):
    """Raised by the stand-in build after noting its config."""


@pytest.fixture
def seen(monkeypatch):
    configs = []

    def stand_in(*args, config=None, **kw):
        configs.append(config or args[3])
        raise Stop("stopped")

    monkeypatch.setattr("presspack.orchestrate.build", stand_in)
    monkeypatch.setattr("presspack.release.release", stand_in)
    return configs


def test_build_without_metadata_warns(project, seen, capsys):
    assert cli.main(["build", "in", "--out", "o", "--version", "1.0.0", "--quiet"]) == cli.EXIT_FAIL
    err = capsys.readouterr().err
    assert "presspack build: warning: no title, authors, license in [dataset]: no presspack.toml found" in err
    assert '"not specified"' in err and "presspack init" in err and "using config" not in err
    assert seen[0].source_path is None


def test_build_names_its_config_and_warns_about_what_is_missing(project, seen, capsys):
    (project / "in" / "presspack.toml").write_text('[dataset]\ntitle = "Quay reports"\n', encoding="utf-8")
    cli.main(["build", "in", "--out", "o", "--version", "1.0.0"])
    err = capsys.readouterr().err
    assert f"presspack build: using config {Path('in') / 'presspack.toml'}\n" in err
    assert f"warning: no authors, license in [dataset] of {Path('in') / 'presspack.toml'}" in err
    (project / "in" / "presspack.toml").write_text(FULL, encoding="utf-8")
    cli.main(["release", "in", "--out", "o"])
    err = capsys.readouterr().err
    assert "presspack release: using config" in err and "warning" not in err
    assert seen[-1].dataset.license == "CC0-1.0"


def test_build_says_which_of_two_configs_it_does_not_use(project, seen, capsys):
    (project / "in" / "presspack.toml").write_text(FULL, encoding="utf-8")
    (project / "presspack.toml").write_text(FULL, encoding="utf-8")
    cli.main(["build", "in", "--out", "o", "--version", "1.0.0"])
    err = capsys.readouterr().err
    beside = Path("in") / "presspack.toml"
    assert "using config presspack.toml\n" in err and f"note: {beside} is not used (--config {beside} would use it)" in err
    cli.main(["build", "in", "--out", "o", "--version", "1.0.0", "--config", str(beside)])
    err = capsys.readouterr().err
    assert f"using config {beside}\n" in err and "not used" not in err


def test_warning_names_only_what_is_missing(project, seen, capsys):
    (project / "in" / "presspack.toml").write_text('[dataset]\nlicense = "CC0-1.0"\n', encoding="utf-8")
    cli.main(["build", "in", "--out", "o", "--version", "1.0.0"])
    err = capsys.readouterr().err
    assert "warning: no title, authors in" in err and "licence" not in err
