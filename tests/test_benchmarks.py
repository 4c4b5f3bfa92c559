"""The benchmark scripts run (on a tiny corpus, once): they are measurements, not tests,
so only their ability to run and report is checked here."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWS = Path(__file__).resolve().parent / "data" / "news"


def test_benchmark_scripts_run_on_a_tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted(NEWS.glob("*.txt"))[:3]:
        shutil.copy(p, corpus / p.name)
    scripts = {
        "bench_speed.py": ["--repeat", "1", "--batch-size", "2"],
        "bench_memory.py": ["--factor", "2"],
        "bench_incremental.py": ["--repeat", "1"],
        "bench_components.py": ["--profile", "fast"],
    }
    procs = {
        name: subprocess.Popen([sys.executable, str(ROOT / "benchmarks" / name), str(corpus), *args, "--work", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, args in scripts.items()
    }
    out = {}
    for name, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=600)
        assert proc.returncode == 0, f"{name}: {stderr[-3000:]}"
        out[name] = stdout
    assert "build --jobs 1 / bare nlp.pipe" in out["bench_speed.py"]
    assert "output byte-identical: True" in out["bench_speed.py"]
    assert "speed-up --profile fast vs default" in out["bench_speed.py"]
    assert "peak RSS 2x / 1x" in out["bench_memory.py"]
    assert "rebuild / full build" in out["bench_incremental.py"]
    assert "byte-identical to a build without cache: True" in out["bench_incremental.py"]
    assert "| ner |" in out["bench_components.py"] and "| **total (build() in this process)** |" in out["bench_components.py"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("presspack-bench-")]  # scratch removed


def test_bench_ledger_runs_and_spills():
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_ledger.py"), "--articles", "260", "--factor", "2",
                           "--spill-after", "250"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "B/article" in proc.stdout and "spill_after 250:" in proc.stdout
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_ledger.py"), "--entity-keys", "2500", "--factor", "2",
                           "--spill-after", "1000"], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "B/key" in proc.stdout and "on disk" in proc.stdout and "entity index, spill_after 1000:" in proc.stdout
