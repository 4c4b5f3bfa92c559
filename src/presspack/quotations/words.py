"""The words of a quotation: the quoted passages of a claim's content, normalized to a
word sequence (quote marks, case, punctuation and ellipses gone), their hashes, the
8-word shingles the index joins on, and the word-level difference of a variant.

Hashes: each word is the first 8 bytes of its BLAKE2b digest; a word sequence (a form,
a shingle, a fragment) is the polynomial hash of its word hashes modulo 2**64, so the
hash of every window of a longer form is one vectorized numpy expression (`windows`)
and equals the hash of the same words quoted on their own.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN, quote_spans

SHINGLE = 8  # words: mentions sharing a run of this many consecutive words are one quotation
MIN_FRAGMENT = 5  # words: a shorter quote ("a disaster") is a quotation of its article, never merged into a longer one
MIN_SHORT = 2  # words: a quote of 2 to MIN_FRAGMENT - 1 words may be a fragment of (quotations.fragment_of) the one longer quotation of its speaker that holds it
MAX_WORDS = 20_000  # words of one mention kept (longer quoted passages are cut: docs/quotations.md)
PIECE_GAP = " […] "  # joins the quoted pieces of one mention in its display text
MAX_VARIANT_CHARS = 200
END_WORDS = 3  # words of its own at an end of a mention still count as a change (more: another passage)
_WORD = re.compile(r"\w+")
_BASE = np.uint64(0x100000001B3)  # odd multiplier of the polynomial hash (the FNV prime)
_MASK = (1 << 64) - 1


def quoted_pieces(content: str, kind: str) -> list[str]:
    """The quoted passages of a claim's content, as written. A direct claim's content is
    the quotation itself (its marks are outside the span); a quote run ("A," he said.
    "B.") keeps its quoted parts only. Other kinds: the passages between quote marks,
    the last one possibly closed only after the content's end."""
    if kind == "direct":
        spans = quote_spans(QUOTE_OPEN[0] + content + QUOTE_CLOSE[0])
        inner = sum(e - s for s, e in spans)
        if spans and inner * 2 >= len(content):
            return [content[s - 1:e - 1] for s, e in spans]
        return [content.strip()] if content.strip() else []
    return [content[s:e] for s, e in quote_spans(content + QUOTE_CLOSE[0])]  # a content may end inside its quote


def normalize(pieces: Sequence[str]) -> list[str]:
    """The words of the pieces: lower-cased (casefold) runs of letters and digits, so
    quote marks, punctuation, case and ellipses ("...", "[...]") do not count."""
    out: list[str] = []
    for p in pieces:
        out.extend(_WORD.findall(p.casefold()))
        if len(out) >= MAX_WORDS:
            return out[:MAX_WORDS]
    return out


class WordHasher:
    """Word -> uint64 hash, with a bounded memo (the frequent words of a corpus)."""

    def __init__(self, memo: int = 200_000) -> None:
        self.memo: dict[str, int] = {}
        self.limit = memo

    def __call__(self, words: Sequence[str]) -> np.ndarray:
        memo = self.memo
        try:
            return np.array([memo[w] for w in words], dtype=np.uint64)
        except KeyError:
            pass
        fresh = {w: int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little") for w in set(words) - memo.keys()}
        if len(memo) + len(fresh) <= self.limit:
            memo.update(fresh)
        return np.array([memo[w] if w in memo else fresh[w] for w in words], dtype=np.uint64)


def seq_hash(h: np.ndarray) -> int:
    """The hash of a whole word sequence (its word hashes `h`): the window of its length."""
    acc = 0
    base = int(_BASE)
    for x in h.tolist():
        acc = (acc * base + x) & _MASK
    return acc


def windows(h: np.ndarray, k: int) -> np.ndarray:
    """The hashes of every run of `k` consecutive words (uint64, len(h) - k + 1 of them):
    sum of h[i + j] * BASE**(k - 1 - j), wrapping modulo 2**64."""
    n = len(h) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc = acc * _BASE + h[j:j + n]
    return acc


def batch_windows(arrays: list[np.ndarray], k: int) -> tuple[np.ndarray, np.ndarray]:
    """The `windows` of k words of every array of word hashes at once: (hashes, index of
    the array each comes from), without the windows that would cross two arrays."""
    lens = np.fromiter((len(a) for a in arrays), dtype=np.int64, count=len(arrays))
    if not len(arrays) or int(lens.max()) < k:
        return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.int64)
    win = windows(np.concatenate(arrays), k)
    owner = np.repeat(np.arange(len(arrays)), lens)[: len(win)]
    starts = np.cumsum(lens) - lens
    ok = np.arange(len(win)) - starts[owner] <= lens[owner] - k
    return win[ok], owner[ok]


def signed(a: np.ndarray) -> np.ndarray:
    """uint64 hashes as the int64 SQLite stores (same bits)."""
    return a.view(np.int64)


def to_signed(x: int) -> int:
    return x - (1 << 64) if x >= 1 << 63 else x


def _opcodes(words: Sequence[str], canonical: Sequence[str]) -> list[list[Any]]:
    """difflib's opcodes (canonical -> words), adjacent changes and a one-word match
    between two changes merged into one change (a different passage is not aligned on
    its "the"s)."""
    raw = difflib.SequenceMatcher(None, canonical, words, autojunk=False).get_opcodes()
    ops: list[list[Any]] = []
    for k, (tag, i1, i2, j1, j2) in enumerate(raw):
        changing = bool(ops) and ops[-1][0] != "equal"
        if changing and (tag != "equal" or (i2 - i1 == 1 and k + 1 < len(raw))):
            prev = ops[-1]
            prev[2], prev[4] = i2, j2
            prev[0] = "replace" if prev[2] > prev[1] and prev[4] > prev[3] else ("delete" if prev[2] > prev[1] else "insert")
            continue
        ops.append([tag, i1, i2, j1, j2])
    for end, nxt in ((0, 1), (-1, -2)):  # a one-word match at an end, next to another passage, is part of it
        if len(ops) > 1 and ops[end][0] == "equal" and ops[end][2] - ops[end][1] == 1 and ops[nxt][4] - ops[nxt][3] > END_WORDS:
            a, b = (ops[0], ops[1]) if end == 0 else (ops[-2], ops[-1])
            ops[end] = ["replace", a[1], b[2], a[3], b[4]]
            ops.pop(nxt)
    return ops


def _trim_ends(ops: list[list[Any]]) -> list[list[Any]]:
    """At the ends of a mention: canonical words it leaves out are an excerpt's edge,
    not a change, and more than END_WORDS words of its own are another passage."""
    for end in (0, -1):
        while ops and ops[end][0] != "equal":
            tag, i1, i2, j1, j2 = ops[end]
            if tag == "delete" or j2 - j1 > END_WORDS:
                ops.pop(end)
                continue
            if tag == "replace" and i2 - i1 > j2 - j1:  # keep the canonical words next to the match
                ops[end] = ["replace", i2 - (j2 - j1), i2, j1, j2] if end == 0 else ["replace", i1, i1 + (j2 - j1), j1, j2]
            break
    return ops


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` as `normalize` counts them, on the text as
    written (case kept), for showing a mention's words marked."""
    return [m.span() for m in _WORD.finditer(text)]


def diff_ops(words: Sequence[str], canonical: Sequence[str]) -> list[list[Any]] | None:
    """The changes of `words` against `canonical` inside the part they quote:
    [tag, i1, i2, j1, j2] operations ("equal", "delete", "insert", "replace"; i over
    canonical, j over words) without the excerpt's edges. None when the words match,
    or have nothing in common left (another passage of a longer quotation)."""
    if list(words) == list(canonical):
        return None
    ops = _trim_ends(_opcodes(words, canonical))
    return ops if any(op[0] == "equal" for op in ops) else None


def variant(words: Sequence[str], canonical: Sequence[str]) -> str | None:
    """How `words` differ from `canonical` inside the part they quote, as "-dropped",
    "+added", "~old>new" operations. None when they match, or when `words` is an
    excerpt of `canonical` (only its ends differ)."""
    ops = diff_ops(words, canonical)
    if ops is None:
        return None
    parts = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "delete":
            parts.append("-" + " ".join(canonical[i1:i2]))
        elif tag == "insert":
            parts.append("+" + " ".join(words[j1:j2]))
        elif tag == "replace":
            parts.append("~" + " ".join(canonical[i1:i2]) + ">" + " ".join(words[j1:j2]))
    if not parts:
        return None
    out = "; ".join(parts)
    return out if len(out) <= MAX_VARIANT_CHARS else out[:MAX_VARIANT_CHARS - 1] + "…"
