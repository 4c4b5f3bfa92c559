"""Rules and model together: the rules find the claims, the model draws their content
boundaries.

Measured on PolNeAR dev (docs/accuracy.md): the rules find more claims (content F1
with 50% token overlap) and pair cues and speakers better than the CRF, the CRF draws
content boundaries better (exact F1). `refine` keeps every rule candidate and takes the
content span of the model candidate that matches it (the shared characters at least
half of each), so a claim keeps the rules' cue and source; model candidates that match
no rule claim are left out (adding them lowered content F1). A model content that would
take in the claim's own cue or source, or another rule claim's cue, is not taken: the
assembler would drop that other claim as nested (taking them lowered source F1).

The assembler then gives every content, the model's as the rules', the complementizer
before it ("said *that* ...", claims.syntax.with_complementizer).
"""

from __future__ import annotations

import dataclasses

from presspack.claims.candidates import Candidate, Span


def _shared(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _inside(span: Span | None, outer: Span) -> bool:
    return span is not None and outer[0] <= span[0] and span[1] <= outer[1]


def _swallows(content: Span, rule: Candidate, rules: list[Candidate]) -> bool:
    """Whether CONTENT, for RULE, would take in RULE's own cue or source, or the cue of
    another rule claim that RULE's content leaves out (the assembler would then drop
    that claim as nested in this one)."""
    if _inside(rule.cue, content) or _inside(rule.source, content):
        return True
    return any(o is not rule and _inside(o.cue, content) and not _inside(o.cue, rule.content) for o in rules)


def refine(rules: list[Candidate], model: list[Candidate], *, finder: str | None = None) -> list[Candidate]:
    """RULES' candidates, each with the content of the model candidate matching it (if
    any, and unless that content would swallow a cue or source: `_swallows`); FINDER
    renames the refined ones (default: they keep the rule's name)."""
    out = []
    for r in rules:
        best = max(model, key=lambda m: (_shared(r.content, m.content), -m.content[0]), default=None)
        if best is not None and not _swallows(best.content, r, rules):
            ov = _shared(r.content, best.content)
            if 2 * ov >= r.content[1] - r.content[0] and 2 * ov >= best.content[1] - best.content[0]:
                r = dataclasses.replace(r, content=best.content, finder=finder or r.finder)
        out.append(r)
    return out
