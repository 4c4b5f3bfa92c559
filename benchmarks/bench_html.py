"""HTML extraction speed: presspack's page reader against trafilatura's defaults, same run.

    python benchmarks/bench_html.py PAGES_DIR [--runs 3]

PAGES_DIR holds .html or .html.gz pages (e.g. the article-extraction-benchmark pages).
Prints pages per second for each (median of --runs runs) and their ratio. presspack does
more work per page: a precision-first extraction with fallback extractors, a balanced
retry for thin results, heading marks and extra metadata.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import time
from pathlib import Path


def load(d: Path) -> list[tuple[str, bytes]]:
    out = []
    for p in sorted(d.iterdir()):
        if p.name.endswith(".gz"):
            out.append((p.name, gzip.decompress(p.read_bytes())))
        elif p.suffix in (".html", ".htm"):
            out.append((p.name, p.read_bytes()))
    return out


def rate(fn, pages: list[tuple[str, bytes]], runs: int) -> float:
    speeds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for name, data in pages:
            fn(name, data)
        speeds.append(len(pages) / (time.perf_counter() - t0))
    return statistics.median(speeds)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", type=Path)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    import trafilatura

    from presspack.ingest.html import page_item

    pages = load(a.pages)
    for name, data in pages:  # warm up imports and lazily loaded date parsers
        page_item(data, name)
    base = rate(lambda n, d: trafilatura.extract(d), pages, a.runs)
    base_meta = rate(lambda n, d: trafilatura.extract(d, with_metadata=True), pages, a.runs)
    ours = rate(lambda n, d: page_item(d, n), pages, a.runs)
    print(f"{len(pages)} pages, median of {a.runs} runs")
    print(f"trafilatura.extract defaults:               {base:6.1f} pages/s")
    print(f"trafilatura.extract defaults + metadata:    {base_meta:6.1f} pages/s")
    print(f"presspack html reader (body + metadata):    {ours:6.1f} pages/s  "
          f"(ratio {ours / base:.2f} to defaults, {ours / base_meta:.2f} to defaults + metadata)")


if __name__ == "__main__":
    main()
