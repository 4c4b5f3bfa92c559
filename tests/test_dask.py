"""Distributed builds: the NLP stage on a Dask LocalCluster of 2 workers."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from presspack.build.run import build

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")

NEWS = Path(__file__).resolve().parent / "data" / "news"


def release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


def test_dask_build_is_byte_identical_to_local(tmp_path, nlp, config):
    base = dataclasses.replace(config, cache=False, batch_size=2)
    local = build([NEWS], tmp_path / "local", "1.0.0", base, nlp=nlp)
    # Threads instead of processes keep the test fast; each worker still loads its own pipeline.
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        cfg = dataclasses.replace(base, executor="dask", scheduler=cluster.scheduler_address)
        remote = build([NEWS], tmp_path / "dask", "1.0.0", cfg)
        with distributed.Client(cluster.scheduler_address) as client:
            loaded = client.run(lambda dask_worker: len(getattr(dask_worker, "_presspack_pipelines", {})))
            counts = client.run(lambda dask_worker: dask_worker.state.executed_count)
    assert release_bytes(local.release_dir) == release_bytes(remote.release_dir)
    assert len(loaded) == 2
    assert all(n <= 1 for n in loaded.values()) and sum(loaded.values()) >= 1  # one pipeline per worker, kept
    assert sum(counts.values()) >= 3  # 6 articles in batches of 2, plus the provenance task


def test_unreachable_scheduler_is_one_clear_error(tmp_path, config):
    from presspack.errors import ExecutorError

    cfg = dataclasses.replace(config, cache=False, executor="dask", scheduler="tcp://127.0.0.1:9")
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), pytest.raises(ExecutorError, match="Dask scheduler"):
        build([NEWS], tmp_path / "o", "1.0.0", cfg)
    assert not (tmp_path / "o" / "1.0.0").exists()
