"""Crash safety: a build killed with SIGKILL at any moment leaves no partial release,
and the next run cleans up and succeeds."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from presspack.orchestrate.result import TMP_PREFIX
from presspack.orchestrate.run import build
from presspack.validate.run import validate

# Children that build with a blank spaCy pipeline (sentencizer only), forked from the test
# process so they start at once: the test can kill them at many points, including the very
# end of a build. test_cli_build_killed_then_rerun kills the real command.
FORK = multiprocessing.get_context("fork")


def _child_build(src: str, out: str) -> None:
    import spacy

    from presspack.config import load_config
    from presspack.nlp.pipeline import add_boundary_component

    nlp = spacy.blank("en")
    add_boundary_component(nlp)
    build([src], out, "1.0.0", load_config(None), nlp=nlp)


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


def _wait_for(pred, alive, timeout: float = 60.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        if not alive():
            return False
        time.sleep(0.01)
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
    known = set(_tmp_dirs(out))
    proc = FORK.Process(target=_child_build, args=(str(src), str(out)))
    proc.start()
    alive = lambda: proc.is_alive()  # noqa: E731
    try:
        assert _wait_for(lambda: bool(set(_tmp_dirs(out)) - known), alive), "the build did not start"
        tmp = sorted(set(_tmp_dirs(out)) - known)[0]
        if moment == "mid":
            _wait_for(lambda: (tmp / "articles.parquet").exists() and (tmp / "articles.parquet").stat().st_size > 0, alive)
        elif moment == "late":
            _wait_for(lambda: (tmp / "manifest.json").exists(), alive)
        elif moment == "at-seal":
            _wait_for(lambda: (tmp / "datapackage.json").exists(), alive)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.join(timeout=30)
        if proc.is_alive():
            proc.kill()
            proc.join()
    assert proc.exitcode in (-signal.SIGKILL, 0)


def test_kill_at_any_moment_leaves_no_partial_release(tmp_path):
    import spacy

    from presspack.normalize import language

    spacy.blank("en")
    language.identify("Warm up the language model before forking, so that children start at once.")
    src = _inputs(tmp_path / "in", 120)
    out = tmp_path / "out"
    for moment in ("early", "mid", "late", "at-seal"):
        _start_and_kill(src, out, moment)
        _assert_no_partial_release(out)
        if (out / "1.0.0").exists():  # the build finished before the signal: start over
            shutil.rmtree(out / "1.0.0")
    # the next run succeeds and removes every dead build's temporary directory
    proc = FORK.Process(target=_child_build, args=(str(src), str(out)))
    proc.start()
    proc.join(timeout=300)
    assert proc.exitcode == 0
    assert _tmp_dirs(out) == []
    report = validate(out / "1.0.0")
    assert report.valid, [p.line() for p in report.problems][:5]
    counts = json.loads((out / "1.0.0" / "manifest.json").read_text(encoding="utf-8"))["counts"]
    assert report.rows["articles"] == counts["accepted"]
    assert counts["accepted"] + counts["duplicate"] == 120  # near-copies among the generated texts are duplicates


def test_cli_build_killed_then_rerun(tmp_path, nlp, config):
    """The real command with the real model, killed mid-build; the next build succeeds."""
    src = _inputs(tmp_path / "in", 60)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "presspack", "build", str(src), "--out", str(out), "--version", "1.0.0", "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: any((d / "sentences.parquet").exists() for d in _tmp_dirs(out)), lambda: proc.poll() is None, timeout=120)
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
