"""Attributions by a phrase rather than a cue verb: "according to X", an evidential adverb
("reportedly") and a finding "in a new poll"; the content is the clause the phrase
modifies."""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from presspack.claims.candidates import Candidate, propose
from presspack.claims.cues import content_child, is_cue_verb, lexicon
from presspack.claims.speakers import speaker_tokens
from presspack.claims.syntax import token_span, trim
from presspack.normalize.text import Article

_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)


def according_to_candidates(doc: Any, article: Article) -> list[Candidate]:
    """"according to X": X is the speaker; the content is the clause the phrase
    modifies (or the rest of the sentence when it modifies the whole sentence)."""
    out: list[Candidate] = []
    text = article.text
    for m in _ACCORDING.finditer(text):
        tok = doc.char_span(m.start(), m.start() + 9)
        if tok is None or tok.end >= len(doc) or doc[tok.end].lower_ != "to":
            continue
        tok = tok[0]
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
        if not objs:
            continue
        src = objs[0]
        speaker = speaker_tokens(src)
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
        clause = _modified_clause(tok)
        if src.pos_ == "PRON" and any(is_cue_verb(t) for t in tok.sent if t.i < tok.i):
            continue  # "X noted that A, according to him, B": X's report already says who
        if is_cue_verb(clause) and content_child(clause) is not None and any(
                t.i > max(phrase) and not (t.is_punct or t.is_space) for t in clause.sent) and tok.i > clause.sent.start:
            continue  # inserted on a cue verb ("X said ..., according to him, ..."): X's claim already says who
        part = _clause_without(clause, phrase)
        lo, hi = min(phrase), max(phrase)
        before = [t for t in part if t.i < lo]
        after = [t for t in part if t.i > hi]
        words_before = [t for t in before if not t.is_punct and not (t.dep_ in ("cc", "advmod") and t.i == clause.sent.start)]
        if not any(not t.is_punct for t in after):
            part = before
            sent = tok.sent
            if lo > sent.start and doc[lo - 1].text == "," and not any(not (t.is_punct or t.is_space) for t in doc[hi + 1:sent.end]):
                # "A, while B, according to X." closing its sentence: the sentence before it is reported
                part = [t for t in doc[sent.start:lo - 1] if not t.is_space]
        elif not words_before:  # "But, according to the poll, most voters ..."
            part = after
        elif len(words_before) >= 4 and lo > 0 and doc[lo - 1].text == "," and hi + 1 < len(doc) and doc[hi + 1].text in ("—", "–", "-", "--"):
            part = before  # "A, according to X - an aside": the aside is not reported

        if len(part) < 3:
            continue
        cs, ce = trim(text, *token_span(part))
        if ce - cs < 3:
            continue
        out.append(propose("according_to", article.text, speaker, (tok.idx, to.idx + len(to.text)), (cs, ce)))
    return out


def _modified_clause(tok: Any) -> Any:
    """The verb of the clause that a phrase headed by `tok` ("according to", "in a poll")
    modifies (the sentence's root when there is no verb above it)."""
    clause = tok.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    return clause


def _clause_without(clause: Any, phrase: set[int]) -> list[Any]:
    """The tokens of `clause` without those of `phrase`, spaces and the clause's own
    complementizer; the whole sentence's when the clause is its root or a conjunct of it
    (the phrase covers the whole sentence, conjuncts too)."""
    if clause.dep_ == "ROOT" or clause.head.dep_ == "ROOT" and clause.dep_ == "conj":
        clause = clause.sent.root
    return [t for t in clause.subtree if t.i not in phrase and not t.is_space and not (t.dep_ == "mark" and t.head.i == clause.i)]


@functools.cache
def _evidential_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(lexicon()["evidential_adverbs"])) + r")\b", re.IGNORECASE)


def evidential_candidates(doc: Any, article: Article) -> list[Candidate]:
    """"The mayor reportedly left the city", "Reportedly, he had been warned": an evidential
    adverb (cues.toml evidential_adverbs) is the cue of the clause it modifies, whose
    source is unnamed."""
    out: list[Candidate] = []
    text = article.text
    for m in _evidential_pattern().finditer(text):
        span = doc.char_span(m.start(), m.end())
        if span is None or span[0].pos_ != "ADV" or span[0].head.pos_ not in ("VERB", "AUX"):
            continue
        adv, head = span[0], span[0].head
        toks = [t for t in head.subtree if not t.is_space]
        if toks and toks[0].i == adv.i:  # "Reportedly, he ...": the clause after it
            toks = [t for t in toks[1:] if not (t.i == adv.i + 1 and t.is_punct)]
        if len(toks) < 3:
            continue
        cs, ce = trim(text, *token_span(toks))
        out.append(propose("evidential", article.text, None, (adv.idx, adv.idx + len(adv.text)), (cs, ce)))
    return out


_FINDINGS = frozenset({"poll", "survey"})


def in_source_candidates(doc: Any, article: Article) -> list[Candidate]:
    """"In a new poll, the mayor leads by ten points" / "... leads by ten points in the
    latest survey": a finding reported in a poll, survey, study or report (the source), the
    clause the phrase modifies being the content."""
    from spacy.attrs import (
        LEMMA,  # (heavy: spaCy is loaded only once there is a Doc, see the package docstring)
    )

    out: list[Candidate] = []
    text = article.text
    hashes = [doc.vocab.strings[w] for f in _FINDINGS for w in (f, f.capitalize())]
    for i in np.flatnonzero(np.isin(doc.to_array([LEMMA]).ravel(), hashes)).tolist():
        obj = doc[i]
        tok = obj.head
        if obj.dep_ != "pobj" or tok.lower_ != "in" or tok.dep_ != "prep" or tok.head.pos_ not in ("VERB", "AUX"):
            continue  # (not "his lead in the polls")
        if not any(c.dep_ in ("amod", "compound", "nmod", "nummod", "poss") or c.dep_ == "det" and c.lower_ != "the" for c in obj.children):
            continue  # a poll of its own ("a new poll", "the latest CNN poll"), not "in the polls" at large
        clause = _modified_clause(tok)
        if clause.pos_ not in ("VERB", "AUX") or is_cue_verb(clause):
            continue  # "said in a report": the cue verb's claim
        phrase = {t.i for t in tok.subtree}
        part = _clause_without(clause, phrase)
        before = [t for t in part if t.i < tok.i and not t.is_punct]
        after = [t for t in part if t.i > max(phrase) and not t.is_punct]
        part = [t for t in part if t.i > max(phrase)] if not before else [t for t in part if t.i < tok.i] if not after else part
        if len([t for t in part if not t.is_punct]) < 3:
            continue
        cs, ce = trim(text, *token_span(part))
        out.append(propose("in_source", article.text, speaker_tokens(obj), (tok.idx, tok.idx + 2), (cs, ce)))
    return out
