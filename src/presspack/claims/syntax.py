"""Small helpers over the dependency parse and character spans, shared by the rules:
a token list's character span, trimming a span of punctuation, a verb's own subject or
passive agent, the subjects of the sentences before, a reported clause's tokens, and a
content with its complementizer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN


def token_span(tokens: list[Any]) -> tuple[int, int]:
    """The character span from the first token's start to the last one's end."""
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def trim(text: str, s: int, e: int, *, strip_quotes: bool = False) -> tuple[int, int]:
    """The span without spaces, commas, semicolons, colons and dashes at its ends, nor a
    closing . ! or ? that is not one of a run ("..." stays); with `strip_quotes`, without
    quote marks at its ends either, but with its closing . ! or ?."""
    junk = " \n,;:–—-" + (QUOTE_OPEN + QUOTE_CLOSE if strip_quotes else "")
    while s < e and text[s] in junk:
        s += 1
    while e > s and (text[e - 1] in junk or text[e - 1] in ".!?" and strip_quotes is False and e - 1 > s and text[e - 2] not in ".!?"):
        if text[e - 1] in ".!?" and not strip_quotes:
            e -= 1
            continue
        e -= 1
    return s, e


def own_subject(v: Any) -> Any | None:
    """The verb's own (active or passive) subject, not one it inherits. Of two before the
    verb, the first, unless a quote it is in closes, a colon or a paragraph break comes between
    them, or the first is a dateline: then the first is the parser's misreading of a quote,
    a heading or a dateline ("''That,'' he said", "The Latest: Trump urges ...", "LONDON
    (Reuters) - Ana Ruiz said") and the nearest is the subject."""
    subjects = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
    before = [c for c in subjects if c.i < v.i]
    if len(before) > 1:
        between = v.doc[before[0].right_edge.i + 1:before[-1].left_edge.i]
        closes = sum(1 for t in between if t.tag_ == "''") > sum(1 for t in between if t.tag_ == "``")
        if closes or any(t.text == ":" or "\n\n" in t.text_with_ws for t in between) or dateline_dash(before[0]) is not None:
            return before[-1]
    return subjects[0] if subjects else None


def subjects_before(tok: Any, n: int) -> Iterator[Any | None]:
    """The subject of each of the `n` sentences before `tok`'s, nearest first: the first
    nsubj or nsubjpass of the sentence's root, None for a sentence with none; stops at the
    text's first sentence."""
    sent = tok.sent
    for _ in range(n):
        if sent.start == 0:
            return
        sent = tok.doc[sent.start - 1].sent
        yield next((c for c in sent.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)


DASHES = ("—", "–", "―", "--", "-")


def dateline_dash(t: Any) -> int | None:
    """The index of the dash after a dateline that `t` heads ("LONDON (Reuters) -", "New
    York (AFP) –": a place in capitals or a GPE name opening its sentence or line, the
    dash within a few words of it); None when `t` is no dateline."""
    doc = t.doc
    lo = t.left_edge.i
    if not (lo == t.sent.start or doc[lo - 1].is_space):
        return None
    if not (t.is_upper and len(t.text) > 1 or t.ent_type_ == "GPE" and all(w.ent_type_ == "GPE" for w in doc[lo:t.i + 1])):
        return None
    return next((w.i for w in doc[t.i + 1:t.i + 8] if w.text in DASHES), None)


def list_items(head: Any) -> list[Any]:
    """The other items of a list of names or nouns `head` opens ("Anna Berg, Tom Reyes and
    Ali Khan": Tom Reyes, Ali Khan), also where the parser took the second name for an
    apposition, or a name and a list before `head` for its modifier ("Donald Trump and
    House Speaker Paul Ryan": Donald Trump); [] when `head` is no list ("Hugh Hill, a doctor,")."""
    before = [c for c in head.subtree if c.i < head.i and c.dep_ in ("nmod", "compound") and c.ent_type_ == head.ent_type_ == "PERSON"
              and any(g.lower_ == "and" for g in c.children) and any(g.dep_ == "conj" for g in c.children)]
    if before:
        return before  # "Donald Trump and House Speaker Paul Ryan", read as one name with a list inside
    items = [c for c in head.children if c.i > head.i and c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON")]
    if items and any(c.dep_ == "prep" and c.i < items[0].i for c in head.children):
        return []  # "a spokesman for the Department for Culture, Media and Sport": a list inside its object, misparsed
    if items and any(c.dep_ == "cc" for c in [*head.children, *items[-1].children]):
        return items
    named = [c for c in head.children if c.i > head.i and c.dep_ == "appos" and c.pos_ == "PROPN" and head.pos_ == "PROPN"
             and any(g.dep_ == "cc" for g in c.children) and any(g.dep_ == "conj" for g in c.children)]
    return [*named, *[g for c in named for g in c.children if g.dep_ == "conj"]]


def agent(verb: Any) -> Any | None:
    """X of a passive verb's "by X"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


COMPLEMENTIZERS = ("that", "whether", "if")


def clause_tokens(head: Any) -> list[Any]:
    """A reported clause without its complementizer (COMPLEMENTIZERS)."""
    return [t for t in head.subtree if not (t.dep_ == "mark" and t.head.i == head.i and t.lower_ in COMPLEMENTIZERS)]


def with_complementizer(doc: Any, content: tuple[int, int]) -> tuple[int, int]:
    """CONTENT with the complementizer (COMPLEMENTIZERS) right before it when it belongs
    to the content's clause (its head is inside the content): "said *that the bridge
    would reopen*", as PARC 3.0 and PolNeAR draw a content. Any other span is returned
    as it is."""
    s, e = content
    span = doc.char_span(s, e, alignment_mode="contract")
    if span is None or span.start == 0 or span[0].idx != s:
        return content
    prev = doc[span.start - 1]
    if prev.lower_ in COMPLEMENTIZERS and span.start <= prev.head.i < span.end and prev.whitespace_.isspace():
        return prev.idx, e
    return content


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
WH_TAGS = frozenset({"WDT", "WP", "WP$", "WRB"})


def finite_clause(clause: Any) -> bool:
    """A finite clause with a subject of its own that is no relative pronoun."""
    subj = own_subject(clause)
    if subj is None or subj.tag_ in WH_TAGS or subj.lower_ == "that":
        return False
    return clause.tag_ in FINITE_TAGS or any(c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in clause.children)


def whole_clause(clause: Any) -> bool:
    """A clause with no gap a relative pronoun would fill: no relative word but a
    complementizer "that", and its object or complement in place."""
    if any(t.tag_ in WH_TAGS and not (t.dep_ == "mark" and t.lower_ == "that") for t in clause.children):
        return False
    if any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
        return True
    return any(c.dep_ in ("dobj", "ccomp", "xcomp", "acomp", "attr", "oprd") for c in clause.children) or own_subject(clause).dep_ == "nsubjpass"
