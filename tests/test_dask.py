"""Distributed builds: the NLP stage on a Dask LocalCluster of 2 workers."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from presspack.orchestrate.run import build

try:
    import dask
    import distributed
except ImportError:  # the tests that need a cluster are skipped; the missing-extra message is still tested
    dask = distributed = None

needs_dask = pytest.mark.skipif(distributed is None, reason="needs the extra presspack[dask]")

NEWS = Path(__file__).resolve().parent / "data" / "news"


def release_bytes(release: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(release.iterdir())}


@needs_dask
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


@needs_dask
def test_unreachable_scheduler_is_one_clear_error(tmp_path, config):
    from presspack.errors import ExecutorError

    cfg = dataclasses.replace(config, cache=False, executor="dask", scheduler="tcp://127.0.0.1:9")
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}), pytest.raises(ExecutorError, match="Dask scheduler"):
        build([NEWS], tmp_path / "o", "1.0.0", cfg)
    assert not (tmp_path / "o" / "1.0.0").exists()


# `presspack build --executor dask` in a Python where dask cannot be imported (a None in
# sys.modules makes `import distributed` raise ImportError, as when it is not installed).
WITHOUT_DASK = (
    "import sys; sys.modules['dask'] = sys.modules['distributed'] = None; "
    "from presspack.cli import main; sys.exit(main(sys.argv[1:]))"
)


def test_dask_executor_without_dask_is_one_line_naming_the_extra(tmp_path):
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_DASK, "build", str(NEWS), "--out", str(tmp_path / "o"), "--version", "1.0.0",
         "--executor", "dask", "--no-cache"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert proc.returncode == 1
    assert [line for line in proc.stderr.strip().splitlines() if ": warning: " not in line] == [  # no presspack.toml: a warning
        "presspack build: error: the dask executor needs dask.distributed: pip install 'presspack[dask]'"
    ]
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not (tmp_path / "o" / "1.0.0").exists()
