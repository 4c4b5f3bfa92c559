"""The committed sample dataset is exactly what the current code builds."""

from __future__ import annotations

from pathlib import Path

from presspack.build.run import build

ROOT = Path(__file__).resolve().parent.parent


def test_rebuild_is_byte_identical_to_committed_dataset(tmp_path, nlp, config):
    committed = ROOT / "dataset" / "1.0.0"
    fresh = build([ROOT / "examples"], tmp_path, "1.0.0", config, nlp=nlp).release_dir
    names = sorted(p.name for p in committed.iterdir())
    assert names == sorted(p.name for p in fresh.iterdir())
    for n in names:
        assert (fresh / n).read_bytes() == (committed / n).read_bytes(), f"{n} differs: rebuild dataset/ (make dataset)"
