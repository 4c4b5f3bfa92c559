"""Gold annotated on the original input text, moved onto the release's text.

Corpora are distributed with the text as it was annotated (non-breaking spaces, hard
line breaks, zero-width characters); a release holds the normalized text. The two are
aligned on their *skeletons*: the characters that are neither whitespace nor
invisible, in order. When the skeletons are equal (normalization changed only spaces,
line breaks and invisible characters, the common case) the alignment is exact and
linear; otherwise the equal stretches are found with difflib's SequenceMatcher on the
skeletons, after the common head and tail are taken off.

A gold text counts as the release's article when the alignment covers the release's
text: every skeleton character of the release's text has a counterpart in the gold's
(normalization only takes away: spaces, invisible characters, dropped lines, the tail
of a truncated text); any other difference (a changed word) is another text.

A span is mapped to the release's text from the counterpart of its first to the
counterpart of its last skeleton character. A span is refused (and counted) when one
of its skeleton characters has no counterpart: the release lost or changed part of it
(a dropped boilerplate line, a truncated text, a changed character).
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from presspack.audit.model import Annotations, Claim, Span
from presspack.package.hashing import sha256_text

# Invisible characters the normalizer removes (and whitespace): not in the skeleton.
_SKIP = re.compile("[\\s\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")


def skeleton(text: str) -> tuple[str, list[int]]:
    """The text's skeleton characters and the offset of each in TEXT. A character with
    combining marks after it that NFC composes into one is one skeleton character (at
    the offset of the first), so a decomposed original meets its composed release."""
    chars: list[str] = []
    keep: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        composed = unicodedata.normalize("NFC", text[i:j]) if j > i + 1 else text[i]
        if len(composed) == 1:
            if not _SKIP.match(composed):
                chars.append(composed)
                keep.append(i)
        else:
            j = i + 1
            if not _SKIP.match(text[i]):
                chars.append(text[i])
                keep.append(i)
        i = j
    return "".join(chars), keep


def skeleton_sha256(text: str) -> str:
    """The sha256 of a text's skeleton: equal for a text and its normalized form when
    normalization changed only whitespace and invisible characters."""
    return sha256_text(skeleton(text)[0])


def _matched(a: str, b: str) -> Iterator[tuple[int, int]]:
    """Pairs (index in A, index in B) of equal characters of two skeletons."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    yield from ((i, i) for i in range(head))
    mid_a, mid_b = a[head:len(a) - tail], b[head:len(b) - tail]
    if mid_a and mid_b:
        for blk in difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False).get_matching_blocks():
            yield from ((head + blk.a + k, head + blk.b + k) for k in range(blk.size))
    yield from ((len(a) - tail + k, len(b) - tail + k) for k in range(tail))


class Alignment:
    """Offsets of a gold text (SOURCE) mapped onto the release's text (TARGET)."""

    def __init__(self, source: str, target: str) -> None:
        self.identical = source == target
        if self.identical:
            return
        sa, ka = skeleton(source)
        sb, kb = skeleton(target)
        self.skeleton_chars, self.target_chars = len(sa), len(sb)
        self.to: dict[int, int] = {}  # source offset -> target offset, for skeleton characters
        if sa == sb:
            self.to = dict(zip(ka, kb))
        else:
            self.to = {ka[i]: kb[j] for i, j in _matched(sa, sb)}
        self.keep = ka  # every skeleton offset of the source, in order

    @property
    def share(self) -> float:
        """The share of the source's skeleton characters that have a counterpart."""
        return 1.0 if self.identical or not self.skeleton_chars else len(self.to) / self.skeleton_chars

    @property
    def covers(self) -> bool:
        """Whether every skeleton character of the target has a counterpart (the same text
        up to what normalization takes away)."""
        return self.identical or 0 < self.target_chars == len(self.to)

    def piece(self, s: int, e: int) -> tuple[int, int] | None:
        """(start, end) in the target, or None when a skeleton character of s..e is lost."""
        if self.identical:
            return (s, e)
        lo, hi = bisect.bisect_left(self.keep, s), bisect.bisect_left(self.keep, e)
        inside = self.keep[lo:hi]
        if not inside or any(i not in self.to for i in inside):
            return None
        return (self.to[inside[0]], self.to[inside[-1]] + 1)

    def span(self, span: Span | None) -> Span | None:
        if span is None or self.identical:
            return span
        pieces = [self.piece(s, e) for s, e in span]
        if any(p is None for p in pieces):
            return None
        return tuple(sorted(p for p in pieces if p is not None))


@dataclass
class AlignStats:
    """What aligning gold to the release's texts did, for the output."""

    articles: int = 0  # gold articles whose text differed from the release's and were aligned
    spans: int = 0  # spans of those articles mapped onto the release's text
    refused: int = 0  # spans that could not be mapped (left out)
    claims_dropped: int = 0  # claims left out because one of their spans was refused
    examples: list[str] = field(default_factory=list)
    target: str = "the release's"  # whose text the spans were aligned to

    def note(self) -> str | None:
        if not self.articles:
            return None
        out = (f"{self.articles} article(s) were annotated on a text that normalization changed: "
               f"{self.spans} span(s) aligned to {self.target} text, {self.refused} refused")
        if self.claims_dropped:
            out += f" ({self.claims_dropped} claim(s) left out)"
        if self.examples:
            out += "; first refused: " + "; ".join(self.examples)
        return out

    def to_dict(self) -> dict[str, int]:
        return {"articles": self.articles, "spans_aligned": self.spans, "spans_refused": self.refused,
                "claims_dropped": self.claims_dropped}


def align_annotations(al: Alignment, ann: Annotations, stats: AlignStats, where: str = "") -> Annotations:
    """ANN (offsets into the gold text) with offsets into the release's text; spans that
    cannot be mapped are left out (a claim with any such span, whole) and counted."""
    if al.identical:
        return ann
    stats.articles += 1
    out = Annotations()

    def move(span: Span) -> Span | None:
        got = al.span(span)
        if got is None:
            stats.refused += 1
            if len(stats.examples) < 3:
                stats.examples.append(f"{where} {span[0][0]}-{span[-1][1]}".strip())
        else:
            stats.spans += 1
        return got

    for s, e in ann.sentences:
        if (m := move(((s, e),))) is not None:
            out.sentences.append((m[0][0], m[-1][1]))
    for s, e, label in ann.entities:
        if (m := move(((s, e),))) is not None:
            out.entities.append((m[0][0], m[-1][1], label))
    for c in ann.claims:
        parts = [move(x) if x is not None else None for x in (c.source, c.cue, c.content)]
        if any(p is None and x is not None for p, x in zip(parts, (c.source, c.cue, c.content))):
            stats.claims_dropped += 1
            continue
        out.claims.append(Claim(*parts))
    out.sentences.sort()
    out.entities.sort()
    return out
