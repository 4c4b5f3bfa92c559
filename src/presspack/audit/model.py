"""The annotations of one article, as the audit compares them: plain offsets.

A span is a tuple of (start, end) pieces (end-exclusive code points into the article
text); most spans have one piece, a discontinuous span (BRAT `s e;s e`) has several.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from presspack.package import schemas

Piece = tuple[int, int]
Span = tuple[Piece, ...]

SENTENCES, ENTITIES, CLAIMS = "sentences", "entities", "claims"
LAYERS = (SENTENCES, ENTITIES, CLAIMS)
SENTENCE = "Sentence"
ROLES = ("Source", "Cue", "Content")  # the parts of a claim, as annotators label them
ATTRIBUTION = "Attribution"


@dataclass(frozen=True)
class Claim:
    source: Span | None
    cue: Span | None
    content: Span | None


@dataclass
class Annotations:
    """Sentences (start, end), entities (start, end, label) and claims of one article."""

    sentences: list[Piece] = field(default_factory=list)
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Article:
    """An article of the release as the audit needs it."""

    article_id: str
    text: str
    sha256: str


def entity_labels() -> tuple[str, ...]:
    """The entity labels a release may hold (the enum of entities.label in schemas/)."""
    for f in schemas.fields(ENTITIES):
        if f["name"] == "label":
            return tuple(f.get("constraints", {}).get("enum", ()))
    return ()


def span_text(text: str, span: Span) -> str:
    """The text of a span, its pieces joined by one space (BRAT's convention)."""
    return " ".join(text[s:e] for s, e in span)


def one(start: int, end: int) -> Span:
    return ((start, end),)


def hull(span: Span) -> Piece:
    """The smallest single (start, end) covering every piece."""
    return (min(s for s, _ in span), max(e for _, e in span))
