"""Predicted BIO tags -> Candidates: one per content span, with the nearest predicted
cue of its paragraph and the source nearest that cue (or none).

Spans of a role are runs of its tags: B- starts one, I- goes on (an I- after another
role or O starts one too). The two parts of a quote interrupted by its cue ("X," she
said, "Y.") are one content running over the cue, as PolNeAR and PARC annotate them. A content's cue is the cue span of the same paragraph
nearest to it in characters (a cue inside the content counts, "That, he said, is why
..."); its source is the source span nearest the cue (nearest the content when there is
no cue). A cue or source can serve several contents (a quote in two parts).
"""

from __future__ import annotations

from presspack.claims.candidates import Candidate
from presspack.learn.features import Sequence

FINDER = "model"
Span = tuple[int, int]


def role_spans(seq: Sequence, tags: list[str], scores: list[float]) -> dict[str, list[tuple[Span, float, int, int]]]:
    """The spans of each role in one sequence: (start, end), the mean score of their
    tokens, their first and last token index."""
    out: dict[str, list[tuple[Span, float, int, int]]] = {"SRC": [], "CUE": [], "CON": []}
    cur: tuple[str, int, int, list[float]] | None = None  # role, first token, last token, scores

    def close() -> None:
        if cur is not None:
            role, a, b, sc = cur
            out[role].append(((seq.spans[a][0], seq.spans[b][1]), sum(sc) / len(sc), a, b))

    for i, (tag, sc) in enumerate(zip(tags, scores)):
        if tag == "O":
            close()
            cur = None
            continue
        bio, role = tag.split("-", 1)
        if cur is not None and bio == "I" and cur[0] == role:
            cur = (role, cur[1], i, [*cur[3], sc])
        else:
            close()
            cur = (role, i, i, [sc])
    close()
    return out


def _quote_mark(seq: Sequence, i: int) -> bool:
    return "qmark" in seq.features[i]


def _interrupted(seq: Sequence, tags: list[str], a: tuple[Span, float, int, int], b: tuple[Span, float, int, int]) -> bool:
    """Whether contents A and B are the two parts of one quote around its cue:
    "X," she said, "Y." (A ends and B starts with a quotation mark, and between them are
    at most MAX_GAP tokens, a cue among them)."""
    gap = range(a[3] + 1, b[2])
    return (_quote_mark(seq, a[3]) and _quote_mark(seq, b[2]) and len(gap) <= MAX_GAP
            and any(tags[i].endswith("CUE") for i in gap))


MAX_GAP = 30


def _contents(seq: Sequence, tags: list[str], found: list[tuple[Span, float, int, int]]) -> list[tuple[Span, float]]:
    """The content spans, the two parts of an interrupted quote joined into one (the
    annotation convention of PolNeAR and PARC: the content runs over the cue)."""
    out: list[tuple[Span, float, int, int]] = []
    for x in found:
        if out and _interrupted(seq, tags, out[-1], x):
            prev = out.pop()
            x = ((prev[0][0], x[0][1]), min(prev[1], x[1]), prev[2], x[3])
        out.append(x)
    return [(x[0], x[1]) for x in out]


def _distance(a: Span, b: Span) -> int:
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _nearest(spans: list[tuple[Span, float, int, int]], to: Span) -> Span | None:
    if not spans:
        return None
    return min(spans, key=lambda x: (_distance(x[0], to), x[0]))[0]


def candidates(seq: Sequence, tags: list[str], scores: list[float]) -> list[Candidate]:
    """The candidates of one sequence (paragraph), in text order."""
    spans = role_spans(seq, tags, scores)
    out = []
    for content, score in _contents(seq, tags, spans["CON"]):
        inside = [x for x in spans["CUE"] if content[0] <= x[0][0] and x[0][1] <= content[1]]
        cue = _nearest(inside or spans["CUE"], content)
        source = _nearest(spans["SRC"], cue or content)
        out.append(Candidate(content=content, finder=FINDER, cue=cue, source=source, score=round(score, 4)))
    return out
