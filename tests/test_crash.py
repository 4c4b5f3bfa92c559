"""Crash safety: a build killed with SIGKILL at any moment leaves no partial release,
and the next run cleans up and succeeds."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from presspack.build import TMP_PREFIX, build
from presspack.validate import validate

# A child that builds with a blank spaCy pipeline (sentencizer only): it starts in about a
# second, so the test can kill it at many points, including the very end of a build.
CHILD = """
import sys, spacy
from presspack.build import build
from presspack.config import load_config
from presspack.nlp import add_boundary_component
nlp = spacy.blank("en")
add_boundary_component(nlp)
build([sys.argv[1]], sys.argv[2], "1.0.0", load_config(None), nlp=nlp)
"""
TOPICS = "harbour council railway budget school energy river market bridge hospital".split()


def _inputs(root: Path, n: int) -> Path:
    root.mkdir()
    with open(root / "many.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            t = TOPICS[i % len(TOPICS)]
            text = (f"Officials said on Monday that the {t} plan number {i} would be reviewed. " * 6
                    + f"\n\n“We will decide soon,” said spokesperson {i}.")
            fh.write(json.dumps({"id": f"r{i}", "title": f"{t.title()} plan {i}", "text": text}) + "\n")
    return root


def _wait_for(pred, proc: subprocess.Popen, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.005)
    return False


def _tmp_dirs(out: Path) -> list[Path]:
    return sorted(out.glob(TMP_PREFIX + "*")) if out.exists() else []


def _assert_no_partial_release(out: Path) -> None:
    final = out / "1.0.0"
    if final.exists():  # the build won the race: then the release must be complete and valid
        report = validate(final)
        assert report.valid, [p.line() for p in report.problems][:5]
        assert (final / "SHA256SUMS").is_file()


def _start_and_kill(src: Path, out: Path, moment: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(src), str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        known = set(_tmp_dirs(out))
        started = _wait_for(lambda: bool(set(_tmp_dirs(out)) - known), proc)
        assert started, proc.stderr.read().decode() if proc.stderr else ""
        tmp = sorted(set(_tmp_dirs(out)) - known)[0]
        if moment == "mid":
            _wait_for(lambda: (tmp / "articles.parquet").exists() and (tmp / "articles.parquet").stat().st_size > 0, proc)
        elif moment == "late":
            _wait_for(lambda: (tmp / "manifest.json").exists(), proc)
        elif moment == "at-seal":
            _wait_for(lambda: (tmp / "datapackage.json").exists(), proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_kill_at_any_moment_leaves_no_partial_release(tmp_path):
    src = _inputs(tmp_path / "in", 150)
    out = tmp_path / "out"
    for moment in ("mid", "late", "at-seal"):
        _start_and_kill(src, out, moment)
        _assert_no_partial_release(out)
        if (out / "1.0.0").exists():  # the build finished before the signal: start over
            shutil.rmtree(out / "1.0.0")
    # the next run succeeds and removes every dead build's temporary directory
    rerun = subprocess.run([sys.executable, "-c", CHILD, str(src), str(out)], capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert _tmp_dirs(out) == []
    report = validate(out / "1.0.0")
    assert report.valid, [p.line() for p in report.problems][:5]
    counts = json.loads((out / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert report.rows["articles"] == counts["accepted"]
    assert counts["accepted"] + counts["duplicate"] == 150  # near-copies among the generated texts are duplicates


def test_cli_build_killed_then_rerun(tmp_path, nlp, config):
    """The real command with the real model, killed mid-build; the next build succeeds."""
    src = _inputs(tmp_path / "in", 60)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "presspack", "build", str(src), "--out", str(out), "--version", "1.0.0", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: any((d / "sentences.parquet").exists() for d in _tmp_dirs(out)), proc, timeout=120)
        time.sleep(0.3)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert not (out / "1.0.0").exists()
    assert len(_tmp_dirs(out)) == 1  # the dead build's leftovers, never a release
    result = build([src], out, "1.0.0", config, nlp=nlp)
    assert _tmp_dirs(out) == []
    assert validate(result.release_dir).valid
