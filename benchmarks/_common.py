"""Helpers shared by the benchmark scripts: corpus replication, timed subprocesses with
their peak RSS, medians. Benchmarks are measurements, not tests."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PRESSPACK = [sys.executable, "-m", "presspack"]


def read_txt(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def load_corpus(corpus: Path) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of every .txt article under `corpus`, in sorted order."""
    out = []
    for p in sorted(corpus.rglob("*.txt")):
        lines = read_txt(p).replace("\r\n", "\n").split("\n")
        title = next((ln.strip() for ln in lines if ln.strip()), "")
        body = "\n".join(lines[lines.index(next(ln for ln in lines if ln.strip())) + 1 :]) if title else ""
        paras = [x.strip() for x in body.split("\n\n") if x.strip()]
        if title and paras:
            out.append((title, paras))
    return out


def synthetic(articles: list[tuple[str, list[str]]], i: int, k: int) -> tuple[str, list[str]]:
    """Article i of copy k: copy 0 is the original; copy k takes paragraph p from article
    (i + p * k) mod N, so every copy is new text of the same kind and size (neither an
    exact nor a near duplicate of any other article)."""
    n = len(articles)
    title, paras = articles[i]
    if k == 0:
        return title, paras
    mixed = []
    for p in range(len(paras)):
        other = articles[(i + p * k * 7 + k) % n][1]
        mixed.append(other[p % len(other)])
    return f"{title} ({k})", mixed


def write_corpus(articles: list[tuple[str, list[str]]], out: Path, n: int, *, first_copy: int = 0) -> Path:
    """Write n articles (the originals first, then synthetic copies) as .txt files."""
    out.mkdir(parents=True, exist_ok=True)
    per = len(articles)
    for j in range(n):
        k, i = divmod(j, per)
        title, paras = synthetic(articles, i, k + first_copy)
        (out / f"{k + first_copy:03d}-{i:05d}.txt").write_text(title + "\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return out


LAST_CPU: list[float] = [0.0]  # CPU seconds (user + sys) of the last run(), its workers included


def run(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, int]:
    """Run a command; (wall seconds, peak RSS of the process itself in MB). Its CPU time
    goes to LAST_CPU[0]."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return wall, usage.ru_maxrss // 1024


def env_without_cache(cache_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PRESSPACK_CACHE_DIR"] = str(cache_dir)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    return env


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def machine() -> str:
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0, 0, 0)
    return f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load average {load[0]:.1f}"


def same_files(a: Path, b: Path) -> bool:
    names = sorted(p.name for p in a.iterdir())
    return names == sorted(p.name for p in b.iterdir()) and all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
