"""The engine's flow: claim_rows (every rule, over a parsed Doc) and quote_claim_rows
(quotes only, for pipelines without a parser)."""

from __future__ import annotations

import functools
from typing import Any

from presspack.claims.cues import VERB_PHRASE_HEADS, is_cue_verb, lexicon
from presspack.claims.layouts import (
    block_quote_rows,
    quote_claim,
    short_speech,
    transcript_rows,
)
from presspack.claims.phrases import according_to_rows, evidential_rows, in_source_rows
from presspack.claims.predicates import SEEM, adjective_claim, noun_claim, raised_claim
from presspack.claims.quotes import quote_spans
from presspack.claims.rows import finish_rows
from presspack.claims.speakers import SpeakerResolver
from presspack.claims.verbs import verb_claim
from presspack.normalize.text import Article


def claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every claim of one article, in this order (speakers resolve in it: a pronoun to the
    latest person who spoke): the claims of cue words, transcripts and block quotes, the
    attributing phrases, then the quotes no claim covers; finish_rows makes the last pass."""
    resolver = SpeakerResolver(doc, article, mentions)
    quotes = quote_spans(article.text)
    found = _cue_word_rows(doc, article, sentences, resolver, quotes)
    found += transcript_rows(doc, article, sentences, resolver)
    found += block_quote_rows(doc, article, sentences, resolver)
    found += according_to_rows(doc, article, sentences, resolver)
    found += evidential_rows(doc, article, sentences, resolver)
    found += in_source_rows(doc, article, sentences, resolver)
    text = article.text
    covered = [(r["content_start"], r["content_end"]) for r in found]
    for qs, qe in quotes:
        if any(s <= qs and qe <= e for s, e in covered):
            continue
        if len(text[qs:qe].split()) < 4 and not short_speech(doc, text, qe):
            continue  # a title or a scare quote
        row = quote_claim(doc, article, sentences, resolver, qs, qe, found)
        if row:
            found.append(row)
    return finish_rows(article, found, quotes)


def quote_claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reduced claims for pipelines without a parser: quotes with a nearby speaker."""
    resolver = SpeakerResolver(doc, article, mentions)
    found: list[dict[str, Any]] = []
    quotes = quote_spans(article.text)
    for qs, qe in quotes:
        if len(article.text[qs:qe].split()) >= 4:
            row = quote_claim(doc, article, sentences, resolver, qs, qe, found)
            if row:
                found.append(row)
    return finish_rows(article, found, quotes)


def _cue_word_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver,
                   quotes: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The claims of the tokens a rule can start from, in text order: a raising or passive
    verb's, else a cue verb's; an attitude adjective's; a cue noun's."""
    tokens = _candidates(doc)  # Token objects are costly: only for lemmas a rule can start from
    is_cue = [is_cue_verb(t) for t in tokens]
    cue_starts = [t.idx for t, c in zip(tokens, is_cue) if c]
    lex = lexicon()
    out: list[dict[str, Any]] = []
    for tok, tok_is_cue in zip(tokens, is_cue):
        row = None
        if tok_is_cue or tok.lemma_ in SEEM:
            row = raised_claim(tok, article, sentences, resolver)
        if row is None:
            if tok_is_cue:
                row = verb_claim(tok, article, sentences, resolver, quotes, cue_starts)
            elif tok.pos_ == "ADJ":
                row = adjective_claim(tok, article, sentences, resolver)
            elif tok.pos_ == "NOUN" and (tok.lemma_.lower() in lex["nouns"] or tok.lemma_.lower() in lex["noun_preps"]):
                row = noun_claim(tok, article, sentences, resolver)
        if row is not None:
            out.append(row)
    return out


def _candidates(doc: Any) -> list[Any]:
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
    return (lex["all_verbs"] | lex["all_adjectives"] | lex["nouns"] | frozenset(lex["noun_preps"]) | frozenset(SEEM)
            | VERB_PHRASE_HEADS | frozenset(lex["giving_verbs"]))
