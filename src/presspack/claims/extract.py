"""The engine's flow: the finders' candidates (rule_candidates) and the assembler's rows
(claim_rows; quote_claim_rows: quotes only, for pipelines without a parser)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from presspack.claims.assemble import assemble
from presspack.claims.candidates import Candidate
from presspack.claims.cues import VERB_PHRASE_HEADS, is_cue_verb, lexicon
from presspack.claims.layouts import (
    block_quote_candidates,
    is_title,
    quote_claim,
    short_speech,
    transcript_candidates,
)
from presspack.claims.phrases import according_to_candidates, evidential_candidates, in_source_candidates
from presspack.claims.predicates import SEEM, adjective_claim, noun_claim, raised_claim
from presspack.claims.quotes import quote_spans
from presspack.claims.verbs import verb_claim
from presspack.normalize.text import Article


# The rule families, each a finder: (doc, article, quotes) -> candidates. Their order does
# not matter (the assembler puts candidates in text order); the quote finder runs last
# because it proposes only the quotes no other candidate's content covers.
def _cue_words(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    """The claims of the tokens a rule can start from, in text order: a raising or passive
    verb's, else a cue verb's; an attitude adjective's; a cue noun's."""
    tokens = _start_tokens(doc)  # Token objects are costly: only for lemmas a rule can start from
    is_cue = [is_cue_verb(t) for t in tokens]
    cue_starts = [t.idx for t, c in zip(tokens, is_cue) if c]
    lex = lexicon()
    out: list[Candidate] = []
    for tok, tok_is_cue in zip(tokens, is_cue):
        found = None
        if tok_is_cue or tok.lemma_ in SEEM:
            found = raised_claim(tok, article)
        if found is None:
            if tok_is_cue:
                found = verb_claim(tok, article, quotes, cue_starts)
            elif tok.pos_ == "ADJ":
                found = adjective_claim(tok, article)
            elif tok.pos_ == "NOUN" and any(tok.lemma_.lower() in lex[k] for k in ("nouns", "noun_preps", "noun_infinitives")):
                found = noun_claim(tok, article)
        if found is not None:
            out.append(found)
    return out


def _transcripts(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    return transcript_candidates(doc, article)


def _block_quotes(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    return block_quote_candidates(doc, article)


def _according_to(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    return according_to_candidates(doc, article)


def _evidential(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    return evidential_candidates(doc, article)


def _in_source(doc: Any, article: Article, quotes: list[tuple[int, int]]) -> list[Candidate]:
    return in_source_candidates(doc, article)


FINDERS: tuple[Callable[[Any, Article, list[tuple[int, int]]], list[Candidate]], ...] = (
    _cue_words, _transcripts, _block_quotes, _according_to, _evidential, _in_source)


def rule_candidates(doc: Any, article: Article, quotes: list[tuple[int, int]],
                    finders: Iterable[Callable[[Any, Article, list[tuple[int, int]]], list[Candidate]]] = FINDERS) -> list[Candidate]:
    """Every rule family's candidates, then the quotes none of them covers."""
    found = [c for finder in finders for c in finder(doc, article, quotes)]
    return found + quote_candidates(doc, article, quotes, found)


def quote_candidates(doc: Any, article: Article, quotes: list[tuple[int, int]], found: list[Candidate]) -> list[Candidate]:
    """The quotes that no candidate's content covers (a title or a scare quote of a few
    words is not speech unless a speaker and cue follow it)."""
    text = article.text
    covered = sorted(c.content for c in found)
    out: list[Candidate] = []
    for qs, qe in quotes:
        if any(s <= qs and qe <= e for s, e in covered):
            continue
        if len(text[qs:qe].split()) < 4 and not short_speech(doc, text, qe):
            continue
        span = doc.char_span(qs, qe, alignment_mode="expand")
        if span is not None and is_title(doc, span):
            continue
        c = quote_claim(doc, article, qs, qe)
        if c is not None:
            out.append(c)
    return out


def claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]],
               refine: Callable[[list[Candidate]], list[Candidate]] | None = None) -> list[dict[str, Any]]:
    """Every claim of one article: the rules' candidates (passed through `refine`, e.g. a
    model drawing their boundaries), assembled into rows."""
    quotes = quote_spans(article.text)
    candidates = rule_candidates(doc, article, quotes)
    if refine is not None:
        candidates = refine(candidates)
    return assemble(doc, article, sentences, mentions, candidates, quotes)


def quote_claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reduced claims for pipelines without a parser: quotes with a nearby speaker."""
    quotes = quote_spans(article.text)
    found = [c for qs, qe in quotes if len(article.text[qs:qe].split()) >= 4
             for c in [quote_claim(doc, article, qs, qe)] if c is not None]
    return assemble(doc, article, sentences, mentions, found, quotes)


def _start_tokens(doc: Any) -> list[Any]:
    """The tokens whose lemma is in the lexicon (cue verbs, cue nouns, seem/appear), in order."""
    from spacy.attrs import (
        LEMMA,  # (heavy: spaCy is loaded only once there is a Doc, see the package docstring)
    )

    strings = doc.vocab.strings
    lemmas = doc.to_array([LEMMA]).ravel().tolist()
    starts = _rule_lemmas()
    wanted = {h for h in set(lemmas) if strings[h].lower() in starts}
    return [doc[i] for i, h in enumerate(lemmas) if h in wanted]


@functools.cache
def _rule_lemmas() -> frozenset[str]:
    """Every lemma a rule can start from (lower case)."""
    lex = lexicon()
    return (lex["all_verbs"] | lex["all_adjectives"] | lex["nouns"] | frozenset(lex["noun_preps"]) | lex["noun_infinitives"] | frozenset(SEEM)
            | VERB_PHRASE_HEADS | frozenset(lex["giving_verbs"]))
