"""De-duplication across a whole build: exact copies and near-duplicates.

- Exact: the same normalized text (an 8-byte prefix of its SHA-256). Same canonical URL
  is caught earlier, by the article_id (derived from the URL).
- Near: MinHash signatures of word shingles (`minhash`: classic universal hashing, the
  values of datasketch's MinHash with scheme="legacy", in a few numpy operations without
  importing datasketch and scipy, half a second), banded for LSH, so a new article is
  only compared with the few earlier ones that share a band: never pairwise.
  Candidates are verified with a compact 8-bit sketch of each kept signature (b-bit
  minwise hashing), and the threshold applies to that estimated Jaccard similarity.

Memory is about 8 + num_perm + 12 x (bands + 1) bytes per kept article in arrays (about
170 bytes with the defaults; about 300 bytes of process growth measured at 100,000
articles, benchmarks/bench_dedup.py): no texts, shingles or full signatures are kept.
Lookups go to sorted numpy arrays plus a small dict of recent entries, merged in batches.
Past `spill_after` kept articles (SPILL_AFTER, 200,000: about 60 MB) everything moves to
a temporary SQLite database on disk (deleted when closed; its page cache is bounded),
so memory stops growing with the corpus; the answers are the same either way.

The first article in input order is kept; later copies are reported with the kept
article's id. Everything is deterministic (fixed hash functions and permutations).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from presspack.package.spill import ScratchDB, SpillToDisk

_WORD = re.compile(r"\w+")
MERGE_EVERY = 8_192  # entries buffered in a dict before merging into the sorted arrays
SIG_BLOCK = 65_536  # signatures are stored in blocks of this many rows
SPILL_AFTER = 200_000  # kept articles held in memory before the index moves to disk


@dataclass(frozen=True)
class Duplicate:
    """An article found to duplicate an earlier, kept one."""

    kept: str  # the kept article's article_id
    kind: str  # "text" (identical normalized text) or "near"
    similarity: float  # estimated Jaccard similarity of word shingles (1.0 for "text")

    def reason(self) -> str:
        if self.kind == "text":
            return f"same text as {self.kept}"
        return f"near-duplicate of {self.kept} (estimated similarity {self.similarity:.2f})"


class _MultiIndex:
    """uint64 key -> int slots: sorted numpy arrays plus a small dict of recent entries
    (one slot per key; the rare second slot for a key goes to `extra`)."""

    def __init__(self) -> None:
        self.keys = np.empty(0, dtype=np.uint64)
        self.vals = np.empty(0, dtype=np.uint32)
        self.recent: dict[int, int] = {}
        self.extra: list[tuple[int, int]] = []

    def get(self, key: int) -> list[int]:
        out = []
        if key in self.recent:
            out.append(self.recent[key])
            out.extend(v for k, v in self.extra if k == key)
        if len(self.keys):
            k = np.uint64(key)
            i = int(np.searchsorted(self.keys, k, side="left"))
            if i < len(self.keys) and self.keys[i] == k:
                j = int(np.searchsorted(self.keys, k, side="right"))
                out.extend(int(v) for v in self.vals[i:j])
        return out

    def add(self, key: int, slot: int) -> None:
        if key in self.recent:
            self.extra.append((key, slot))
        else:
            self.recent[key] = slot
        if len(self.recent) + len(self.extra) >= MERGE_EVERY:
            self._merge()

    def _merge(self) -> None:
        pairs = [*self.recent.items(), *self.extra]
        keys = np.concatenate([self.keys, np.fromiter((k for k, _ in pairs), dtype=np.uint64, count=len(pairs))])
        vals = np.concatenate([self.vals, np.fromiter((v for _, v in pairs), dtype=np.uint32, count=len(pairs))])
        order = np.argsort(keys, kind="stable")
        self.keys, self.vals = keys[order], vals[order]
        self.recent = {}
        self.extra = []

    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.vals.nbytes)

    def items(self) -> Iterator[tuple[int, int]]:
        """Every (key, slot) pair."""
        yield from zip(self.keys.tolist(), self.vals.tolist(), strict=True)
        yield from self.recent.items()
        yield from self.extra


def _signed(x: int) -> int:
    """A uint64 as SQLite's signed 64-bit INTEGER."""
    return x - (1 << 64) if x >= 1 << 63 else x


class _DiskIndex:
    """The de-duplication index in a private temporary SQLite database (ScratchDB)."""

    DDL = ("CREATE TABLE kept (slot INTEGER PRIMARY KEY, id INTEGER NOT NULL, sig BLOB)",
           "CREATE TABLE exact (key INTEGER NOT NULL, slot INTEGER NOT NULL)",
           "CREATE TABLE lsh (band INTEGER NOT NULL, key INTEGER NOT NULL, slot INTEGER NOT NULL)")

    def __init__(self, num_perm: int, db: ScratchDB) -> None:
        self.num_perm = num_perm
        self.db = db

    def add_kept(self, first: int, ids: np.ndarray, sigs: np.ndarray) -> None:
        self.db.executemany("INSERT INTO kept VALUES (?, ?, ?)",
                            ((first + i, _signed(int(a)), s.tobytes()) for i, (a, s) in enumerate(zip(ids, sigs, strict=True))))

    def add_keys(self, table: str, band: int | None, pairs: Iterable[tuple[int, int]]) -> None:
        if table == "exact":
            self.db.executemany("INSERT INTO exact VALUES (?, ?)", ((_signed(k), v) for k, v in pairs))
        else:
            self.db.executemany("INSERT INTO lsh VALUES (?, ?, ?)", ((band, _signed(k), v) for k, v in pairs))

    def index(self) -> None:
        self.db.execute("CREATE INDEX exact_key ON exact (key)")
        self.db.execute("CREATE INDEX lsh_key ON lsh (band, key)")
        self.db.commit()

    def add(self, slot: int, article_id: int, small: np.ndarray | None, text_key: int, keys: list[int]) -> None:
        self.db.execute("INSERT INTO kept VALUES (?, ?, ?)", (slot, _signed(article_id), None if small is None else small.tobytes()))
        self.db.execute("INSERT INTO exact VALUES (?, ?)", (_signed(text_key), slot))
        self.db.executemany("INSERT INTO lsh VALUES (?, ?, ?)", ((band, _signed(k), slot) for band, k in enumerate(keys)))
        self.db.wrote()

    def exact(self, key: int) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT slot FROM exact WHERE key = ? ORDER BY slot", (_signed(key),))]

    def candidates(self, keys: list[int]) -> set[int]:
        out: set[int] = set()
        for band, key in enumerate(keys):
            out.update(r[0] for r in self.db.execute("SELECT slot FROM lsh WHERE band = ? AND key = ?", (band, _signed(key))))
        return out

    def small_sigs(self, slots: Iterable[int]) -> dict[int, np.ndarray]:
        out: dict[int, np.ndarray] = {}
        zero = bytes(self.num_perm)
        for slot in slots:
            row = self.db.execute("SELECT sig FROM kept WHERE slot = ?", (slot,)).fetchone()
            out[slot] = np.frombuffer(row[0] or zero, dtype=np.uint8)
        return out

    def article_id(self, slot: int) -> int:
        (a,) = self.db.execute("SELECT id FROM kept WHERE slot = ?", (slot,)).fetchone()
        return a + (1 << 64) if a < 0 else a

@cache
def bands_for(threshold: float, num_perm: int, *, fp_weight: float = 0.3, fn_weight: float = 0.7) -> tuple[int, int]:
    """(bands, rows) with bands * rows <= num_perm minimizing the weighted areas of false
    positives below and false negatives above the threshold. False negatives weigh more:
    candidates are verified afterwards, missed pairs are lost for good."""
    xs = np.linspace(0.0, 1.0, 501)
    lo, hi = xs <= threshold, xs >= threshold
    best: tuple[float, int, int] | None = None
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            p = 1.0 - (1.0 - xs**r) ** b
            err = fp_weight * np.trapezoid(p[lo], xs[lo]) + fn_weight * np.trapezoid(1.0 - p[hi], xs[hi])
            if best is None or err < best[0]:
                best = (float(err), b, r)
    assert best is not None
    return best[1], best[2]


# MinHash by universal hashing: each shingle's SHA-1 (first 4 bytes, little-endian) goes
# through num_perm random maps h -> ((a * h + b) mod p) & (2^32 - 1), p = 2^61 - 1, in
# uint64 arithmetic (wrapping); the signature is the minimum of each map. The maps are
# drawn once per (num_perm, seed): a in [1, p) and b in [0, p), map by map, from numpy's
# RandomState(seed). These are the values of datasketch's MinHash(num_perm, seed,
# scheme="legacy"), which tests/test_dedup.py checks; they do not depend on which
# datasketch is installed (its default scheme changed in 2.0).
MINHASH = "minhash sha1-32, datasketch's maps"
_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64((1 << 32) - 1)


@cache
def _maps(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.RandomState(seed)
    ab = np.empty((2, num_perm), dtype=np.uint64)
    for i in range(num_perm):
        ab[0, i] = rng.randint(1, _PRIME, dtype=np.uint64)
        ab[1, i] = rng.randint(0, _PRIME, dtype=np.uint64)
    return ab[0], ab[1]


def minhash(shingles: Iterable[bytes], num_perm: int, seed: int = 1) -> np.ndarray:
    """The MinHash signature (num_perm uint64 values) of a set of byte strings."""
    h = np.fromiter((int.from_bytes(hashlib.sha1(x).digest()[:4], "little") for x in shingles), dtype=np.uint64)  # noqa: S324 - a hash, not security
    a, b = _maps(num_perm, seed)
    if not h.size:
        return np.full(num_perm, _MAX32, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return ((h[:, None] * a + b) % _PRIME & _MAX32).min(axis=0)


def _h64(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


class Deduplicator(SpillToDisk):
    """Streaming de-duplicator: call check() for each article in input order. Its index
    is in memory up to `spill_after` kept articles (SPILL_AFTER), then on disk
    (SpillToDisk, with _DiskIndex's tables)."""

    DDL = _DiskIndex.DDL

    def __init__(self, threshold: float = 0.8, num_perm: int = 64, shingle: int = 3, min_words: int = 20,
                 signatures: Any = None, spill_after: int | None = None) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        super().__init__(SPILL_AFTER if spill_after is None else spill_after)
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self.min_words = min_words
        self.bands, self.rows = bands_for(threshold, num_perm)
        self.signed = 0  # signatures computed here (not taken from the store)
        # signatures: an optional store remembering signature() by text (cache.CachedSignatures)
        self.signatures = signatures
        self._exact = _MultiIndex()
        self._lsh = [_MultiIndex() for _ in range(self.bands)]
        self._ids: list[np.ndarray] = []  # blocks of kept article ids (uint64 of the 16 hex digits)
        self._sigs: list[np.ndarray] = []  # blocks of 8-bit signatures, one row per kept article
        self.kept = 0
        self._disk: _DiskIndex | None = None  # the whole index, once it has moved to disk

    @classmethod
    def from_settings(cls, settings: Any, signatures: Any = None) -> Deduplicator:
        return cls(threshold=settings.threshold, num_perm=settings.num_perm, shingle=settings.shingle, min_words=settings.min_words,
                   signatures=signatures)

    def settings_key(self) -> str:
        """What signature() depends on besides the text (for a store of signatures)."""
        return f"{MINHASH}; seed 1; num_perm {self.num_perm}; shingle {self.shingle}; min_words {self.min_words}"

    def check(self, article_id: str, text: str) -> Duplicate | None:
        """The earlier article this one duplicates, else None (and it is kept)."""
        text_key = _h64(text.encode("utf-8"))
        for slot in self._disk.exact(text_key) if self._disk is not None else self._exact.get(text_key):
            return Duplicate(self._id(slot), "text", 1.0)
        sig = self.signatures.get(self, text) if self.signatures is not None else self.signature(text)
        keys: list[int] = []
        if sig is not None:
            keys = [_h64(sig[i * self.rows : (i + 1) * self.rows].tobytes()) for i in range(self.bands)]
            small = (sig & 0xFF).astype(np.uint8)
            candidates: set[int] = set()
            if self._disk is not None:
                candidates = self._disk.candidates(keys)
            else:
                for band, key in enumerate(keys):
                    candidates.update(self._lsh[band].get(key))
            best: tuple[float, int] | None = None
            others = self._disk.small_sigs(candidates) if self._disk is not None else None
            for slot in sorted(candidates):
                sim = self._estimate(small, slot, others)
                if sim >= self.threshold and (best is None or sim > best[0]):
                    best = (sim, slot)
            if best is not None:
                return Duplicate(self._id(best[1]), "near", round(best[0], 4))
        self._keep(article_id, text_key, sig, keys)
        return None

    def signature(self, text: str) -> np.ndarray | None:
        """MinHash of the text's lowercased word shingles; None for texts too short to
        compare by shingles (they are de-duplicated exactly only)."""
        words = _WORD.findall(text.casefold())
        if len(words) < self.min_words:
            return None
        k = self.shingle
        shingles = {" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)}
        self.signed += 1
        return minhash(shingles, self.num_perm)

    def _keep(self, article_id: str, text_key: int, sig: np.ndarray | None, keys: list[int]) -> None:
        self.spill_if_full(self.kept + 1)
        if self._disk is not None:
            small = (sig & 0xFF).astype(np.uint8) if sig is not None else None
            self._disk.add(self.kept, int(article_id[1:], 16), small, text_key, keys)
            self.kept += 1
            return
        slot = self.kept
        row = slot % SIG_BLOCK
        if row == 0:
            self._ids.append(np.zeros(SIG_BLOCK, dtype=np.uint64))
            self._sigs.append(np.zeros((SIG_BLOCK, self.num_perm), dtype=np.uint8))
        self._ids[-1][row] = int(article_id[1:], 16)  # article ids are "a" + 16 hex digits
        if sig is not None:
            self._sigs[-1][row] = (sig & 0xFF).astype(np.uint8)
        self._exact.add(text_key, slot)
        for band, key in enumerate(keys):
            self._lsh[band].add(key, slot)
        self.kept += 1

    def move_to(self, db: ScratchDB) -> None:
        """Move the index to the database on disk and free the arrays."""
        disk = _DiskIndex(self.num_perm, db)
        for block, (ids, sigs) in enumerate(zip(self._ids, self._sigs, strict=True)):
            n = min(SIG_BLOCK, self.kept - block * SIG_BLOCK)
            disk.add_kept(block * SIG_BLOCK, ids[:n], sigs[:n])
        disk.add_keys("exact", None, self._exact.items())
        for band, ix in enumerate(self._lsh):
            disk.add_keys("lsh", band, ix.items())
        disk.index()
        self._disk = disk
        self._exact = _MultiIndex()
        self._lsh = [_MultiIndex() for _ in range(self.bands)]
        self._ids, self._sigs = [], []

    def close(self) -> None:
        """Delete the on-disk index, if any (the Deduplicator is then empty)."""
        super().close()
        self._disk = None

    def _id(self, slot: int) -> str:
        if self._disk is not None:
            return f"a{self._disk.article_id(slot):016x}"
        return f"a{int(self._ids[slot // SIG_BLOCK][slot % SIG_BLOCK]):016x}"

    def _estimate(self, small: np.ndarray, slot: int, others: dict[int, np.ndarray] | None = None) -> float:
        other = others[slot] if others is not None else self._sigs[slot // SIG_BLOCK][slot % SIG_BLOCK]
        match = float(np.count_nonzero(other == small)) / self.num_perm
        return max(0.0, (match - 1 / 256) / (1 - 1 / 256))

    def nbytes(self) -> int:
        """Bytes held in arrays (the recent-entries dicts come on top, bounded by MERGE_EVERY;
        once spilled, only SQLite's bounded page cache)."""
        arrays = sum(a.nbytes for a in self._ids) + sum(a.nbytes for a in self._sigs)
        return arrays + self._exact.nbytes() + sum(ix.nbytes() for ix in self._lsh)
