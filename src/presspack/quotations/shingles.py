"""Shared shingles without an index over all of them: the (shingle hash, node) pairs of
every long form are spilled to files on disk, partitioned by hash, and each partition is
then read and sorted alone (numpy), so a shingle's nodes meet in one partition. Time is
linear in the pairs (each written once, read once, sorted within a bounded partition);
memory is one partition, at most PART_ROWS pairs of 16 bytes while the number of
partitions stays under MAX_PARTS (beyond, about 40 million shingles, partitions grow).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

PART_ROWS = 1_000_000  # pairs sorted in memory at once (16 bytes each, and the sort's temporaries)
MAX_PARTS = 256  # partition files open at once
PAIR = np.dtype([("h", "<u8"), ("n", "<i8")])


class HashPartitions:
    """(hash, node) pairs in, (node, first node with the same hash) edges out."""

    def __init__(self, total: int) -> None:
        """`total`: about how many pairs will be added (it sets the number of partitions)."""
        self.parts = min(MAX_PARTS, max(1, -(-total // PART_ROWS)))
        self.dir = tempfile.TemporaryDirectory(prefix="presspack-shingles-")
        self.paths = [Path(self.dir.name) / f"{i}.bin" for i in range(self.parts)]
        self.files: list[BinaryIO] = [p.open("wb") for p in self.paths]

    def add(self, h: np.ndarray, node: np.ndarray) -> None:
        rec = np.empty(len(h), dtype=PAIR)
        rec["h"], rec["n"] = h, node
        if self.parts == 1:
            rec.tofile(self.files[0])
            return
        part = (rec["h"] % np.uint64(self.parts)).astype(np.int64)
        order = np.argsort(part, kind="stable")
        rec, part = rec[order], part[order]
        bounds = np.searchsorted(part, np.arange(self.parts + 1))
        for i in np.flatnonzero(bounds[1:] > bounds[:-1]).tolist():
            rec[bounds[i]:bounds[i + 1]].tofile(self.files[i])

    def edges(self) -> Iterator[tuple[list[int], list[int]]]:
        """Per partition: (nodes, the smallest node sharing a hash with each), distinct
        pairs, each node other than that smallest one."""
        for f in self.files:
            f.close()
        for path in self.paths:
            rec = np.fromfile(path, dtype=PAIR)
            path.unlink()
            if len(rec) < 2:
                continue
            rec.sort(order=["h", "n"])
            h, n = rec["h"], rec["n"]
            start = np.empty(len(h), dtype=bool)
            start[0], start[1:] = True, h[1:] != h[:-1]
            first = n[np.maximum.accumulate(np.where(start, np.arange(len(h)), 0))]
            keep = n != first
            if keep.any():
                pairs = np.unique(np.stack([n[keep], first[keep]], axis=1), axis=0)
                yield pairs[:, 0].tolist(), pairs[:, 1].tolist()

    def close(self) -> None:
        for f in self.files:
            f.close()
        self.dir.cleanup()
