"""The docs are true: every shell example in README.md and docs/*.md runs, every option
of every command is in docs/cli.md (and only those), the data dictionary is the one
generated from schemas/, and every relative link points at a file and heading that exist.

Examples are fenced blocks: ```sh and ```bash (every line is a command) and ```console
(lines starting with `$ `); ```text blocks (make, network, long runs) are not run. Each
page runs its commands in order in one temporary copy of the project files they need, so
a page's later examples can use what its earlier ones built. The pages share one NLP
cache (never the user's), so only the first build of examples/ runs spaCy.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from presspack.cli import COMMANDS
from presspack.package import schemas

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
# Pages other sessions write: skipped until they exist, run like the others once they do.
LATER_PAGES = ("docs/accuracy.md", "docs/explore.md")
PAGES = sorted({"README.md", *(f"docs/{p.name}" for p in DOCS.glob("*.md")), *LATER_PAGES})
# What an example may use, copied into its page's temporary directory.
COPIED = ("examples", "dataset", "schemas", "scripts", "docs")  # examples/ holds the sample's presspack.toml
RUN_LANGS = ("sh", "bash", "console")
FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)


def _logical_lines(body: str) -> list[str]:
    """Lines with backslash continuations joined."""
    out: list[str] = []
    pending = ""
    for line in body.splitlines():
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        out.append(pending + line)
        pending = ""
    if pending:
        out.append(pending)
    return out


def shell_commands(markdown: str) -> list[str]:
    """The commands of the runnable fenced blocks of one page, in order."""
    commands = []
    for lang, body in FENCE.findall(markdown):
        if lang not in RUN_LANGS:
            continue
        for line in _logical_lines(body):
            if lang == "console":
                if line.startswith("$ "):
                    commands.append(line[2:].strip())
            elif line.strip() and not line.lstrip().startswith("#"):
                commands.append(line.strip())
    return commands


def test_shell_commands_extraction():
    page = ("x\n```sh\n# a comment\npresspack info d \\\n  --json\n\necho two\n```\n"
            "```console\n$ presspack cite d\n@misc{...}\n```\n```text\nmake dataset\n```\n"
            "```python\nprint(1)\n```\n")
    assert shell_commands(page) == ["presspack info d    --json", "echo two", "presspack cite d"]


def _page_dir(tmp_path: Path) -> Path:
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, tmp_path / name, symlinks=True)
        elif src.is_file():
            shutil.copy2(src, tmp_path / name)
    return tmp_path


@pytest.fixture(scope="module")
def docs_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("docs-nlp-cache")


@pytest.mark.parametrize("page", PAGES)
def test_page_examples_run(page, tmp_path, docs_cache):
    path = ROOT / page
    if page in LATER_PAGES and not path.exists():
        pytest.skip(f"{page} is not written yet")
    commands = shell_commands(path.read_text(encoding="utf-8"))
    work = _page_dir(tmp_path)
    env = dict(os.environ, PRESSPACK_CACHE_DIR=str(docs_cache),
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    for cmd in commands:
        proc = subprocess.run(["bash", "-c", cmd], cwd=work, env=env, capture_output=True, text=True,
                              timeout=600, check=False)
        assert proc.returncode == 0, (f"{page}: `{cmd}` exited {proc.returncode}\n"
                                      f"stdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}")


def _cli_sections() -> dict[str, str]:
    """docs/cli.md's sections headed "## `presspack NAME`", by NAME."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    parts = re.split(r"^## ", text, flags=re.M)[1:]
    out = {}
    for part in parts:
        m = re.match(r"`presspack ([\w-]+)`", part)
        if m:
            out[m.group(1)] = part
    return out


def _documented(section: str) -> set[str]:
    """The first word of the first cell of each row of a section's option tables."""
    rows = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    return {row.split()[0].replace("\\|", "|") for row in rows}


def _expected(command: str) -> set[str]:
    """Every option of a command, as its row in docs/cli.md names it: the flags, and a
    positional by its metavar (`SOURCE...`) or its choices (`info|clear`)."""
    out = set()
    for o in COMMANDS[command].options:
        if o.flags[0].startswith("-"):
            out.update(o.flags)
            continue
        kw = o.kwargs
        name = kw.get("metavar") or ("|".join(kw["choices"]) if "choices" in kw else o.flags[0].upper())
        out.add(name + ("..." if kw.get("nargs") in ("+", "*") else ""))
    return out


def test_cli_doc_lists_every_command():
    assert set(_cli_sections()) == set(COMMANDS), "docs/cli.md needs one '## `presspack NAME`' section per command"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_cli_doc_lists_every_option(command):
    section = _cli_sections().get(command)
    assert section is not None, f"docs/cli.md has no section '## `presspack {command}`'"
    documented, expected = _documented(section), _expected(command)
    assert expected - documented == set(), f"options of `presspack {command}` missing from docs/cli.md"
    assert documented - expected == set(), f"docs/cli.md documents options `presspack {command}` does not have"


def _load_script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_dictionary_is_generated_from_schemas():
    gen = _load_script("docs_dictionary")
    page = (DOCS / "dataset.md").read_text(encoding="utf-8")
    assert gen.render(page) == page, "docs/dataset.md is stale: run python scripts/docs_dictionary.py"
    for table in ("articles", "claims", "claim_entities", "entity_index"):
        for column in schemas.column_names(table):
            assert f"| `{column}` |" in page


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("page", ["README.md", *(f"docs/{p.name}" for p in sorted(DOCS.glob("*.md")))])
def test_relative_links_resolve(page):
    path = ROOT / page
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / file_part).resolve() if file_part else path
        rel = dest.relative_to(ROOT).as_posix() if dest.is_relative_to(ROOT) else str(dest)
        if rel in LATER_PAGES and not dest.exists():
            continue
        assert dest.exists(), f"{page}: link to {target}: no such file"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", FENCE.sub("", dest.read_text(encoding="utf-8")), flags=re.M)
            assert anchor in {_slug(h) for h in headings}, f"{page}: link to {target}: no such heading"


def test_readme_is_short_and_lists_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    for command in COMMANDS:
        assert re.search(rf"^\| `presspack {command}\b", readme, flags=re.M), f"README's command table lacks {command}"
