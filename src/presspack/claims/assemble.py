"""The assembler: the candidates of one article in, its claims rows out.

Every finder (the rule families in verbs, predicates, phrases and layouts, or a learned
model) proposes `Candidate`s; `assemble` alone turns them into rows, in four explicit
passes, each in text order, so that the rows do not depend on the order the finders ran:

1. continuations: a quote with no speaker of its own (`continues`) goes on with the claim
   before it in the text (one content when only a cue or a few words come between, or the
   same speaker and cue in a paragraph of its own), else it has no speaker;
2. the last filter: reports nested in someone's direct quote or inside another claim's
   content are not claims of their own (but a hedge or an appearance gives way to the
   report inside it: "X appeared tired, saying: “...”"); of candidates with the same
   content, the best-ranked finder's wins;
3. speakers: each speaker as written is resolved (claims/resolve.py) in text order, so a
   pronoun looks back only at what the text said before it;
4. rows: each row is built once, with every column of schemas/claims.schema.json; a
   content takes in the complementizer "that" before it (syntax.with_complementizer).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from presspack.claims.candidates import Candidate, Span
from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN
from presspack.claims.resolve import Speaker, SpeakerResolver
from presspack.claims.rows import build_row, claim_kind
from presspack.claims.syntax import with_complementizer
from presspack.normalize.text import Article

# Of two candidates with the same content, the finder listed first wins (then the higher
# score); any other finder (a model) ranks after these.
FINDER_RANK = ("model", "cue_verb", "raising", "cue_adjective", "cue_noun", "transcript", "block_quote", "according_to",
               "evidential", "in_source", "quote", "quote_continued")

_WORD = re.compile(r"\w+")
_APPEARING = re.compile(r"(?i)(appear|seem|look|sound)\w*\b")


@dataclass
class Draft:
    """A claim being assembled (mutable until its row is built)."""

    content: Span
    method: str
    kind: str
    cue: Span | None = None
    source: Span | None = None
    score: float = 1.0
    continues: bool = False
    speaker: Speaker = field(default_factory=Speaker)

    @property
    def start(self) -> int:
        return self.content[0]

    @property
    def end(self) -> int:
        return self.content[1]

    def rank(self) -> tuple[Any, ...]:
        r = FINDER_RANK.index(self.method) if self.method in FINDER_RANK else len(FINDER_RANK)
        return (self.content, self.cue[0] if self.cue else -1, r, -self.score, self.source or (-1, -1), self.cue or (-1, -1))


def assemble(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]],
             candidates: list[Candidate], quotes: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The claims rows of one article from its candidates (any order), in content order."""
    text = article.text
    drafts = [Draft(content=c.content, method=c.finder, kind=c.kind or claim_kind(text, *c.content), cue=c.cue,
                    source=c.source, score=c.score, continues=c.continues) for c in candidates]
    drafts.sort(key=Draft.rank)
    unclaimed = [d.content for d in drafts if d.continues]  # quotes whose speaker the text may not say
    drafts = _continuations(doc, text, drafts)
    drafts = _last_filter(drafts, quotes, text, unclaimed)
    resolver = SpeakerResolver(doc, article, mentions, quotes)
    for d in sorted(drafts, key=lambda d: (d.source[0] if d.source else d.start, d.rank())):
        d.speaker = resolver.resolve(d.source, method=d.method)
    return [build_row(article, sentences, with_complementizer(doc, d.content), d.kind, d.method, d.cue, d.source, d.speaker) for d in drafts]


def _continuations(doc: Any, text: str, drafts: list[Draft]) -> list[Draft]:
    """Pass 1, in text order: each quote with no speaker of its own goes on with the claim
    before it, or stands without a speaker; a quote with nothing said before it (within
    600 characters) is not a claim."""
    done: list[Draft] = []
    for d in drafts:
        if not d.continues:
            done.append(d)
            continue
        qs, qe = d.content
        prev = [r for r in done if r.end <= qs and r.source is not None and qs - r.end < 600]
        if not prev:
            continue
        span = doc.char_span(qs, qe, alignment_mode="expand")
        lead = _reported_before(doc, text, prev, span[0].sent, qs) if span is not None else None
        if lead is not None:
            # "X said that A. “B.”" / "“A,” said X, the head of Y. “B.”": a quote in the
            # sentence after a report of the same paragraph goes on with what X said: one
            # content when what comes between is short, else B with X's speaker and cue
            said = len(_WORD.findall(text, lead.start, lead.end)) + len(_WORD.findall(text, qs, qe))
            if lead.kind != "indirect" and len(_WORD.findall(text, lead.end, qs)) <= said or lead.kind in ("direct", "mixed") and qs - lead.end < 150:
                lead.kind = claim_kind(text, lead.start, qe) if lead.kind != "direct" else "direct"
                lead.content = (lead.start, qe)
                continue
            d.source, d.cue = lead.source, lead.cue
            done.append(d)
            continue
        near = max(prev, key=lambda r: (r.end, r.start))
        gap = text[near.end:qs]
        quoted = _quote_last(text, near)
        if quoted and len(gap) < 150 and "\n\n" not in gap:
            # the same speaker's quote goes on after an interruption ("“A,” she said on
            # the show “B”. “C.”"): one content
            near.content = (near.start, qe)
            continue
        if quoted and len(gap) < 150 and _paragraph_on(gap) and near.cue is not None:
            d.source, d.cue = near.source, near.cue  # the speaker's next paragraph
        elif not quoted and (said := _said_around(text, prev, near, qs)) is not None:
            d.source, d.cue = said.source, said.cue
        done.append(d)  # else: narration came between; whose quote it is the text does not say
    return done


def _quote_last(text: str, near: Draft) -> bool:
    """The claim's content ends with a quote (direct speech, or a report that closes
    with one), not with narration around a quoted word ("referring to the “cross-sell”
    drive"): a quote after it can go on with it."""
    return near.kind == "direct" or near.kind == "mixed" and any(ch in QUOTE_CLOSE for ch in text[near.end:near.end + 2])


def _said_around(text: str, prev: list[Draft], near: Draft, qs: int) -> Draft | None:
    """The direct quote a speaker's report goes on from, when a quote follows both in the
    same paragraph: "“A,” she said, adding that B. “C.”": C is hers too, with the cue
    of A; also after a report with a quoted word in it ("referring to the “cross-sell”
    drive")."""
    if near.source is None or "\n\n" in text[near.end:qs] or qs - near.end > 150:
        return None
    rows = [r for r in prev if r.kind in ("direct", "mixed", "partial") and r.source == near.source and r.cue is not None
            and r.end <= near.start and "\n\n" not in text[r.start:qs]]
    return max(rows, key=lambda r: r.end) if rows else None


def _paragraph_on(gap: str) -> bool:
    """The gap between a quote and the next is the end of the quote's paragraph and the
    next paragraph opens with the quote (a speaker's quote going on in a paragraph of
    its own)."""
    head, _, tail = gap.rpartition("\n\n")
    return "\n\n" not in head and not tail.strip(" \n" + QUOTE_OPEN)


def _reported_before(doc: Any, text: str, prev: list[Draft], sent: Any, qs: int) -> Draft | None:
    """The report a quote goes on with: a claim with a speaker and a cue in the sentence
    before the quote's (or earlier in the same sentence), in the same paragraph; of
    several, the one whose content starts first (not a report inside its speaker's
    description)."""
    if sent.start == 0 or text[sent.start_char:qs].strip(" \n" + QUOTE_OPEN):
        return None  # not at the start of its sentence ("As X put it, Y is “...”")
    lo = doc[sent.start - 1].sent.start_char
    rows = [r for r in prev if r.cue is not None and lo <= r.cue[0] < qs and (r.start >= lo - 1 or r.kind == "direct")
            and "\n\n" not in text[r.end:qs] and (r.kind == "direct" or len(_WORD.findall(text, r.start, r.end)) >= 4)]
    if not rows:
        return None
    lead = min(rows, key=lambda r: (r.start, -r.end))
    if any(r is not lead and r.start >= lead.end and r.source == lead.source and (lead.kind != "direct" or _states(doc, r)) for r in prev):
        return None  # "“A,” she said, adding that B. “C.”": her second report comes in between
    return lead


def _states(doc: Any, r: Draft) -> bool:
    """The claim says something (its content has a verb), not only what it was about: after
    a direct quote, "“A,” he said, referring to the new law. “B.”": B goes on with A."""
    span = doc.char_span(r.start, r.end, alignment_mode="expand")
    return span is None or any(t.pos_ in ("VERB", "AUX") for t in span)


def _last_filter(drafts: list[Draft], quotes: list[tuple[int, int]], text: str, unclaimed: list[Span]) -> list[Draft]:
    """Pass 2: drop reports nested in a direct quote (also one nobody is said to have
    spoken, among `unclaimed`) or in another claim's content, then duplicates (the same
    content: the best-ranked candidate stays)."""
    # a cue inside someone's direct quote ("“I think ...”") is part of what they said
    # (the quote itself, not the run of quotes around a cue: that cue is in the gap)
    direct = [d.content for d in drafts if d.kind == "direct"] + unclaimed
    quoted = [(qs, qe) for qs, qe in quotes if any(s < qe and qs < e for s, e in direct)]

    def nested(d: Draft) -> bool:
        return d.cue is not None and any(qs <= d.cue[0] < qe and not (d.start <= qs and qe <= d.end) for qs, qe in quoted)

    # a quoted transcript ("Partial transcript follows: “HOLT: ...") is its speakers' turns
    turns = [t.cue[0] for t in drafts if t.method == "transcript" and t.cue is not None]
    drafts = [d for d in drafts if d.method == "transcript" or not nested(d) and not any(d.start <= c < d.end for c in turns)]

    # a report inside another claim's content ("X said Y believes Z") is part of that
    # content, not a claim of its own (unless each sits inside the other); a quote that
    # goes on with the same cue is a continuation, not a report inside it
    def inside(r: Draft, q: Draft) -> bool:
        return r.cue is not None and q.start <= r.cue[0] < q.end

    # "Unions have reportedly expressed fears that ...", "She appeared tired, saying: “...”":
    # the hedge or appearance is about a report the text names; the report is the claim,
    # not the hedged sentence
    def hedging(q: Draft) -> bool:  # not "X is said to ...", "It is understood that ...": reports
        return q.method == "evidential" or q.method == "raising" and q.cue is not None and _APPEARING.match(text, q.cue[0]) is not None

    hedged = {id(q) for q in drafts if hedging(q)
              and any(r is not q and not hedging(r) and r.method != "evidential" and inside(r, q) for r in drafts)}
    drafts = [d for d in drafts if id(d) not in hedged]
    by_start = sorted(drafts, key=lambda q: q.start)
    starts = [q.start for q in by_start]

    def reported_inside(r: Draft) -> bool:  # only claims whose content starts at or before r's cue can hold it
        if r.cue is None:
            return False
        around = by_start[:bisect.bisect_right(starts, r.cue[0])]
        return any(q is not r and inside(r, q) and not inside(q, r) and (q.cue is None or r.cue[0] != q.cue[0]) for q in around)

    def piece_of(r: Draft) -> bool:  # a quote of a report that has it in its content, with the same cue
        around = by_start[:bisect.bisect_right(starts, r.start)]
        return r.cue is not None and any(q is not r and q.cue == r.cue and r.end <= q.end and q.content != r.content for q in around)

    kept = [d for d in drafts if not reported_inside(d) and not piece_of(d)]
    out: dict[Span, Draft] = {}
    for d in sorted(kept, key=Draft.rank):
        out.setdefault(d.content, d)
    return list(out.values())
