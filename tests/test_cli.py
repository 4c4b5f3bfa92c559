"""Every command is documented, has help with an example, and works as `python -m`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from presspack.cli import COMMANDS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_and_docs(command):
    proc = subprocess.run([sys.executable, "-m", "presspack", command, "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    assert "Example:" in proc.stdout
    assert f"presspack {command}" in README


def test_missing_model_message(tmp_path):
    (tmp_path / "a.txt").write_text("T\n\nBody text here.", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "presspack", "build", str(tmp_path), "--out", str(tmp_path / "o"),
                           "--version", "1.0.0", "--model", "no_such_pipeline_xyz"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert "requirements-model.txt" in proc.stderr and "Traceback" not in proc.stderr


def test_top_level_help_lists_commands_in_workflow_order():
    from presspack.cli.table import WORKFLOW

    assert sorted(WORKFLOW) == sorted(COMMANDS), "every command needs its place in cli.table.WORKFLOW"
    assert WORKFLOW[:3] == ("init", "build", "release") and WORKFLOW.index("validate") < WORKFLOW.index("serve")
    proc = subprocess.run([sys.executable, "-m", "presspack", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    listed = [m.group(1) for m in re.finditer(r"^    ([a-z][\w-]*)\s", proc.stdout, flags=re.M)]
    assert listed == list(WORKFLOW)
    example = proc.stdout.split("Example", 1)[1]
    assert "presspack init" in example and "presspack build " in example and "docs/cli.md" in example
    bare = subprocess.run([sys.executable, "-m", "presspack"], capture_output=True, text=True)
    assert bare.returncode == 2 and bare.stdout == proc.stdout
