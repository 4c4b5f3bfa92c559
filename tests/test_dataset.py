"""The committed sample dataset is exactly what the current code builds: its latest
release rebuilds byte-identical (earlier releases were built by earlier versions of the
toolkit and stay as they were: releases are immutable)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from presspack.extras.versions import version_key
from presspack.orchestrate import build

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "dataset"


def test_rebuild_of_the_latest_release_is_byte_identical(tmp_path, nlp, config):
    latest = json.loads((DATASET / "versions.json").read_text(encoding="utf-8"))["latest"]
    for p in DATASET.iterdir():  # the earlier releases: the new one's changelog and citation refer to them
        if p.is_dir() and version_key(p.name) < version_key(latest):
            shutil.copytree(p, tmp_path / p.name)
    committed = DATASET / latest
    fresh = build([ROOT / "examples"], tmp_path, latest, config, nlp=nlp).release_dir
    names = sorted(p.name for p in committed.iterdir())
    assert names == sorted(p.name for p in fresh.iterdir())
    for n in names:
        assert (fresh / n).read_bytes() == (committed / n).read_bytes(), f"{n} differs: rebuild dataset/ (make dataset)"
