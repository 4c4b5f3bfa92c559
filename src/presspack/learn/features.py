"""Token features for the claims tagger, from the spaCy Doc the build makes, and the
BIO labels of gold claims.

A sequence is one paragraph of the article (`article.paragraphs`): a quote that runs
over several sentences stays in one sequence. Each token (whitespace tokens left out)
gets string features: its word, lemma, part of speech, dependency and head; its shape
and suffix; its entity type; whether its lemma is in the cue lexicon
(presspack.claims.cues.lexicon()) and how it hangs from the nearest cue above it in the
parse (the dependency of the child of that cue on the path: `ccomp` for a reported
clause, `nsubj` for a speaker); whether it is inside quotation marks or is one; its
position in the sentence and the paragraph; the words and tags of its neighbours; and
what the rules (presspack.claims) found there: the role of the rule claim the token is
in (content, cue, source), so the model learns where to trust and where to correct them.

FEATURES_VERSION changes whenever the features do: a model records the version it was
trained with, and loading refuses another.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from presspack.claims import claim_rows, lexicon, quote_claim_rows, quote_spans
from presspack.claims.candidates import Candidate
from presspack.entities.mentions import mention_rows
from presspack.nlp.sentences import sentence_rows
from presspack.normalize.text import Article

FEATURES_VERSION = 2
ROLES = ("SRC", "CUE", "CON")  # source, cue, content: the tags are O, B-ROLE, I-ROLE
QUOTE_CHARS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
Pieces = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class GoldClaim:
    """A gold claim as the learner needs it: pieces of (start, end) into article.text."""

    content: Pieces
    cue: Pieces | None = None
    source: Pieces | None = None


@dataclass
class Sequence:
    """The tokens of one paragraph: their (start, end) in article.text and features."""

    spans: list[tuple[int, int]]
    features: list[list[str]]


RuleSpans = list[tuple[str, tuple[int, int]]]  # (role, (start, end)) of the rules' claims


def rule_spans(doc: Any, article: Article, rules: list[Any] | None = None) -> RuleSpans:
    """The spans of the rules' claims of an article: from RULES (claims rows or
    Candidates the build already has), else found here with presspack.claims."""
    if rules is None:
        sents = sentence_rows(doc, article)
        ments = mention_rows(doc, article, sents)
        rules = (claim_rows if doc.has_annotation("DEP") else quote_claim_rows)(doc, article, sents, ments)
    out: RuleSpans = []
    for r in rules:
        if isinstance(r, Candidate):
            parts = (("CON", r.content), ("CUE", r.cue), ("SRC", r.source))
        else:
            parts = tuple((role, (r.get(f"{p}_start"), r.get(f"{p}_end"))) for role, p in (("CON", "content"), ("CUE", "cue"), ("SRC", "speaker")))
        out += [(role, span) for role, span in parts if span is not None and span[0] is not None and span[1] is not None]
    return out


def _rule_tags(spans: list[tuple[int, int]], found: RuleSpans) -> list[list[str]]:
    tags: list[list[str]] = [[] for _ in spans]
    for role, (s, e) in found:
        first = True
        for ti, (ts, te) in enumerate(spans):
            if ts < e and s < te:
                tags[ti].append(f"r{'B' if first else 'I'}={role}")
                tags[ti].append(f"r={role}")
                first = False
    return tags


def _cue_words() -> tuple[frozenset[str], frozenset[str]]:
    lex = lexicon()
    nouns = frozenset(lex["nouns"]) | frozenset(lex["source_nouns"])
    return frozenset(lex["all_verbs"]), nouns | frozenset(lex["all_adjectives"]) | frozenset(lex["evidential_adverbs"])


def _shape(text: str) -> str:
    out: list[str] = []
    for ch in text[:6]:
        c = "X" if ch.isupper() else "x" if ch.islower() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _cue_path(tok: Any, verbs: frozenset[str]) -> tuple[str, int]:
    """(dependency of the child of the nearest cue-verb ancestor on the path, depth), or ('-', 0)."""
    child, depth = tok, 0
    for anc in tok.ancestors:
        depth += 1
        if anc.pos_ in ("VERB", "AUX") and anc.lemma_.lower() in verbs:
            return child.dep_, min(depth, 4)
        child = anc
        if depth > 12:
            break
    return "-", 0


def _token_features(tok: Any, verbs: frozenset[str], other_cues: frozenset[str], in_quote: bool) -> list[str]:
    lemma = tok.lemma_.lower()
    head = tok.head
    path, depth = _cue_path(tok, verbs)
    sent = tok.sent
    rel = (tok.i - sent.start) * 4 // max(1, len(sent))
    f = [
        "b", f"w={tok.lower_}", f"l={lemma}", f"p={tok.pos_}", f"t={tok.tag_}", f"d={tok.dep_}",
        f"sh={_shape(tok.text)}", f"s3={tok.lower_[-3:]}", f"e={tok.ent_iob_}{tok.ent_type_}",
        f"hl={head.lemma_.lower()}", f"hp={head.pos_}", f"dh={tok.dep_}|{head.pos_}",
        f"q={int(in_quote)}", f"path={path}", f"path={path}|{depth}", f"path={path}|{tok.pos_}", f"rel={rel}",
    ]
    if lemma in verbs:
        f.append("cuev" if tok.pos_ in ("VERB", "AUX") else "cuew")
    if lemma in other_cues:
        f.append("cuen")
    if head.lemma_.lower() in verbs:
        f.append(f"hcue|{tok.dep_}")
    if tok.text in QUOTE_CHARS or tok.text in ("'", "\u2018", "\u2019") and tok.is_punct:
        f.append("qmark")
    if tok.is_sent_start:
        f.append("sstart")
    if tok.i == sent.end - 1:
        f.append("send")
    return f


def _with_neighbours(own: list[list[str]], toks: list[Any], in_q: list[bool]) -> list[list[str]]:
    n = len(own)
    out = []
    for i in range(n):
        f = list(own[i])
        for k in (-2, -1, 1, 2):
            j = i + k
            if 0 <= j < n:
                t = toks[j]
                f.append(f"{k}p={t.pos_}")
                if abs(k) == 1:
                    f += [f"{k}w={t.lower_}", f"{k}d={t.dep_}", f"{k}q={int(in_q[j])}"]
                    f += [f"{k}{x}" for x in own[j] if x.startswith(("cue", "r=")) or x == "qmark"]
            else:
                f.append(f"{k}=edge")
        out.append(f)
    return out


def sequences(doc: Any, article: Article, rules: list[Any] | None = None) -> Iterator[Sequence]:
    """One Sequence per paragraph of ARTICLE (tokens of DOC, whose text is article.text);
    RULES: the rules' claims of the article, when the caller has them (rule_spans)."""
    verbs, other = _cue_words()
    found = rule_spans(doc, article, rules)
    quotes = quote_spans(article.text)
    q_starts = [s for s, _ in quotes]
    tokens = [t for t in doc if not t.is_space]
    starts = [t.idx for t in tokens]

    def inside(pos: int) -> bool:
        k = bisect.bisect_right(q_starts, pos) - 1
        return k >= 0 and pos < quotes[k][1]

    for ps, pe, _heading in article.paragraphs:
        lo, hi = bisect.bisect_left(starts, ps), bisect.bisect_left(starts, pe)
        toks = tokens[lo:hi]
        if not toks:
            continue
        in_q = [inside(t.idx) for t in toks]
        spans = [(t.idx, t.idx + len(t.text)) for t in toks]
        own = [_token_features(t, verbs, other, q) + r for t, q, r in zip(toks, in_q, _rule_tags(spans, found))]
        own[0].append("pstart")
        own[-1].append("pend")
        yield Sequence(spans, _with_neighbours(own, toks, in_q))


def labels(seq: Sequence, claims: list[GoldClaim]) -> list[str]:
    """The BIO tags of a sequence's tokens. Where roles overlap (a claim inside another
    claim's content) the cue wins over the source, the source over the content."""
    tags = ["O"] * len(seq.spans)
    owner: list[tuple[int, int] | None] = [None] * len(seq.spans)  # (priority, claim) of each tag
    for ci, c in enumerate(claims):
        for prio, role, pieces in ((0, "CON", c.content), (1, "SRC", c.source), (2, "CUE", c.cue)):
            for s, e in pieces or ():
                for ti, (ts, te) in enumerate(seq.spans):
                    if ts < e and s < te and (owner[ti] is None or owner[ti][0] < prio):  # type: ignore[index]
                        owner[ti] = (prio, ci * 3 + prio)
                        tags[ti] = role
    out = []
    for ti, tag in enumerate(tags):
        if tag == "O":
            out.append("O")
            continue
        cont = ti > 0 and tags[ti - 1] == tag and owner[ti - 1] == owner[ti]
        out.append(f"{'I' if cont else 'B'}-{tag}")
    return out
