"""Every command is documented, has help with an example, and works as `python -m`."""

from __future__ import annotations

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
