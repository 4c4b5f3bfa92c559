"""Candidates: what a finder proposes, before the assembler builds any row.

A finder (a rule family, or a learned model) looks at one parsed article and returns
`Candidate`s: character spans into `article.text` for the content, the cue and the
source (the speaker as written), the claim's kind if the finder knows it, the finder's
name (the claims table's `method`) and a score. Candidates hold plain offsets only, so
they are picklable and independent of the finder that made them; the assembler
(claims/assemble.py) turns the candidates of one article into rows, in text order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from presspack.claims.syntax import token_span, trim

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed claim of an article.

    `content` is required; `cue` and `source` are None when the finder found none.
    `continues` marks a quote with no speaker of its own: the assembler gives it the
    speaker of the claim before it in text order (a quote paragraph going on), or none
    (or merges it into that claim's content). `score` ranks candidates for the same content (higher
    wins); rules give 1.0, a model its probability."""

    content: Span
    finder: str
    cue: Span | None = None
    source: Span | None = None
    kind: str | None = None
    score: float = 1.0
    continues: bool = False

    def __post_init__(self) -> None:
        for name in ("content", "cue", "source"):
            span = getattr(self, name)
            if span is not None and not (0 <= span[0] < span[1]):
                raise ValueError(f"candidate {name} span {span} is empty or negative")


def propose(finder: str, text: str, speaker: list[Any] | None, cue: Span | None, content: Span, kind: str | None = None) -> Candidate:
    """A rule's Candidate: the speaker tokens (as the parse gives them) become a trimmed
    character span; nothing is resolved here (the assembler does that, in text order)."""
    source = None
    if speaker:
        ss, se = trim(text, *token_span(speaker))
        source = (ss, se) if ss < se else None
    return Candidate(content=content, finder=finder, cue=cue, source=source, kind=kind)
