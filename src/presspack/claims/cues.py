"""Cues: the reporting-verb lexicon and where a cue's speaker and content sit in the parse."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN


@cache
def lexicon() -> dict[str, Any]:
    data = tomllib.loads(resources.files("presspack").joinpath("data/cues.toml").read_text(encoding="utf-8"))
    for key in ("verbs", "object_verbs", "infinitive_verbs", "predicate_verbs", "as_verbs", "nouns", "speaking_verbs", "source_nouns", "question_verbs", "giving_verbs", "said_objects", "evidential_adverbs"):
        data[key] = frozenset(data.get(key, ()))
    data["verb_phrases"] = {tuple(p.split()) for p in data["verb_phrases"]}
    preps: dict[str, set[str]] = {}
    for phrase in data.get("verb_preps", ()):
        verb, prep = phrase.split(" ", 1)
        preps.setdefault(verb, set()).add(prep.split()[-1])
    data["verb_preps"] = preps
    noun_preps: dict[str, set[str]] = {}
    for phrase in data.get("noun_preps", ()):
        noun, prep = phrase.split(" ", 1)
        noun_preps.setdefault(noun, set()).add(prep)
    data["noun_preps"] = noun_preps
    data["adjectives"] = frozenset(data.get("adjectives", ())) | frozenset(data.get("adjective_infinitives", ()))
    data["adjective_infinitives"] = frozenset(data.get("adjective_infinitives", ()))
    adj_preps: dict[str, set[str]] = {}
    for phrase in data.get("adjective_preps", ()):
        adj, prep = phrase.split(" ", 1)
        adj_preps.setdefault(adj, set()).add(prep)
    data["adjective_preps"] = adj_preps
    data["all_adjectives"] = data["adjectives"] | frozenset(adj_preps)
    data["all_verbs"] = (data["verbs"] | data["object_verbs"] | data["infinitive_verbs"] | data["predicate_verbs"]
                         | data["as_verbs"] | frozenset(preps))
    return data


def _span(tokens: list[Any]) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _trim(text: str, s: int, e: int, *, strip_quotes: bool = False) -> tuple[int, int]:
    junk = " \n,;:–—-" + (QUOTE_OPEN + QUOTE_CLOSE if strip_quotes else "")
    while s < e and text[s] in junk:
        s += 1
    while e > s and (text[e - 1] in junk or text[e - 1] in ".!?" and strip_quotes is False and e - 1 > s and text[e - 2] not in ".!?"):
        if text[e - 1] in ".!?" and not strip_quotes:
            e -= 1
            continue
        e -= 1
    return s, e


def _own_subject(v: Any) -> Any | None:
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def _agent(verb: Any) -> Any | None:
    """X of a passive verb's "by X"."""
    agent = next((c for c in verb.children if c.dep_ == "agent"), None)
    return next((g for g in agent.children if g.dep_ == "pobj"), None) if agent is not None else None


def _subject(verb: Any) -> Any | None:
    """The subject of a cue verb. A participial cue ("..., stressing that ...") takes the
    subject of the nearest governing cue verb, else of its clause; conjoined verbs
    inherit their head's subject, an infinitive that of the verb or the adjective it
    completes ("X is quick to point out that ..."); a relative clause's subject is its
    head noun. A passive cue's speaker is its agent ("when asked by a reporter whether ...")."""
    by = _agent(verb)
    if by is not None:
        return by
    own = _own_subject(verb)
    if own is not None:
        return _named_apposition(own) or own
    if verb.dep_ == "relcl" or verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return verb.head  # "officials who said", "groups backing the senator", "letters urging ..."
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod", "ccomp", "pcomp"):
        fallback = None
        for anc in verb.ancestors:
            subj = _own_subject(anc)
            if subj is not None and _is_cue_verb(anc):
                return subj
            if subj is not None and fallback is None and anc.dep_ not in ("ccomp", "xcomp"):
                fallback = subj
        return fallback
    if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and _is_cue_verb(verb.head.head) and verb.tag_ == verb.head.head.tag_:
        subj = _own_subject(verb.head.head)  # "She said she admires X and praised Y": praised is hers
        if subj is not None:
            return subj
    v = verb
    for _ in range(6):
        if v.dep_ not in ("conj", "xcomp", "advcl", "acomp") or v.head.i == v.i:
            return None
        v = v.head
        subj = _own_subject(v)
        if subj is not None:
            return subj
    return None


def _named_apposition(subj: Any) -> Any | None:
    """A person's name the parser made an apposition of a subject that names nobody: a
    fronted phrase ("With 50 days to go, Ana Ruiz, an adviser, said", "LONDON (AP) — Ana
    Ruiz told") or a clause ("To see it, Judge Ana Ruiz said, ...")."""
    dated = _dateline_name(subj)
    if dated is not None:
        return dated
    if subj.pos_ == "PRON" or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return None
    return next((c for c in subj.children if c.dep_ == "appos" and c.i > subj.i and c.ent_type_ == "PERSON"), None)


def _dateline_name(subj: Any) -> Any | None:
    """"LONDON (AP) — Ana Ruiz said": a dateline the parser made the subject, with the
    speaker's name in apposition after the dash."""
    doc = subj.doc
    if not (subj.is_upper and len(subj.text) > 1 and (subj.i == subj.sent.start or doc[subj.i - 1].is_space)):
        return None
    dash = next((t.i for t in doc[subj.i + 1:subj.i + 8] if t.text in ("—", "–", "―", "--", "-")), None)
    if dash is None:
        return None
    return next((c for c in reversed(list(subj.children)) if c.dep_ == "appos" and c.i > dash and c.pos_ == "PROPN"), None)


def _speaker_tokens(subj: Any) -> list[Any]:
    """The speaker phrase: the subject's subtree without relative clauses, appositions
    or other material after a comma ("Hugh Hill, a doctor, said" -> "Hugh Hill")."""
    drop: set[int] = set()
    for c in subj.children:
        if c.i > subj.i and c.dep_ in ("relcl", "appos", "acl", "punct", "advcl", "cc", "conj", "case"):
            drop.update(t.i for t in c.subtree)
    idx = {t.i for t in subj.subtree} - drop
    lo = hi = subj.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    return [subj.doc[i] for i in range(lo, hi + 1)]


def _cue_tokens(verb: Any) -> list[Any]:
    toks = [verb]
    for c in verb.children:
        if c.dep_ == "prt" or _phrase_part(verb, c):
            toks.append(c)
    return toks


def _phrase_part(verb: Any, c: Any) -> bool:
    """`c` completes a multi-word cue with `verb` ("made clear", "pointed out")."""
    if c.dep_ not in ("acomp", "dobj", "oprd", "ccomp", "prt", "advmod") or (verb.lemma_.lower(), c.lower_) not in lexicon()["verb_phrases"]:
        return False
    return c.i == verb.i + 1 or (c.i == verb.i + 2 and verb.doc[verb.i + 1].lower_ == "it")  # "made it clear"


def _phrase_content(verb: Any, kids: list[Any]) -> Any | None:
    """The clause a multi-word cue reports ("made clear that X", "made it plain that X"):
    a clause of the verb after the phrase's second word, or one the parser hung on that
    word (a complement, or a that-clause parsed as a subject or adverbial)."""
    part = next((c for c in kids if _phrase_part(verb, c)), None)
    if part is None:
        return None
    for c in kids:
        if c.dep_ == "ccomp" and c is not part and c.i > part.i:
            return c
    for c in part.children:
        if c.i > part.i and (c.dep_ == "ccomp" or c.dep_ in ("csubj", "advcl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)):
            return c
    return None


def _is_cue_verb(tok: Any) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma == "put":  # "as X put it"
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children) and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    if lemma in ("point", "make", "go", "lay", "spell"):
        preps = lexicon()["verb_preps"].get(lemma, ())
        return any((lemma, c.lower_) in lexicon()["verb_phrases"] or c.dep_ == "prep" and c.lower_ in preps for c in tok.children)
    if lemma in lexicon()["giving_verbs"] and lemma not in lexicon()["all_verbs"]:
        return _said_object(tok) is not None
    return lemma in lexicon()["all_verbs"]


def _said_object(verb: Any) -> Any | None:
    """The direct object of a giving verb (cues.toml giving_verbs) when it is something said
    or thought (said_objects): "offered his thoughts on the race"."""
    lex = lexicon()
    if verb.lemma_.lower() not in lex["giving_verbs"]:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    return obj if obj is not None and obj.lemma_.lower() in lex["said_objects"] else None


def _content_child(verb: Any) -> tuple[Any, list[Any]] | None:
    """The root of the content under a cue verb and any tokens that extend the cue
    (a preposition in "called for"), by the verb's pattern in the lexicon."""
    lex = lexicon()
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    said = _said_object(verb)
    if said is not None:
        return said, []  # "offered his thoughts on the race"
    if lemma not in lex["all_verbs"]:  # a verb that is a cue only with its phrase ("make clear")
        phrased = _phrase_content(verb, kids)
        return (phrased, []) if phrased is not None else None
    if lemma in lex["verbs"]:
        # a clause after the verb first: a "ccomp" before it may be a misparsed lead-in
        # ("In a statement released on Monday, she said ...")
        before = next((c for c in kids if c.dep_ == "ccomp" and c.i < verb.i and _inserted_after(verb, c)), None)
        if before is not None and any(c.dep_ == "ccomp" and c.i > verb.i for c in kids) and (
                _own_subject(verb) is None or any(t.text == ";" for t in verb.doc[before.right_edge.i + 1:verb.i])):
            # "Ana Ruiz, a local rabbi, said he ...": the speaker's description misparsed as a clause;
            # "A; X says B": A is a sentence of its own
            before = None
        if before is not None:
            return before, []  # "It is no secret, the coach said, that ..."
        for c in kids:
            if c.dep_ in ("ccomp", "parataxis") and not _phrase_part(verb, c) and c.i > verb.i:
                return c, []
        for c in kids:
            if c.dep_ == "ccomp" and not _phrase_part(verb, c):
                return c, []
    if lemma in lex["question_verbs"]:
        for c in kids:
            if c.dep_ == "advcl" and c.i > verb.i and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children):
                return c, []  # "asked the mayor if she would run"
    if lemma in lex["infinitive_verbs"]:
        for c in kids:
            if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
                return c, []
    if lemma in lex["predicate_verbs"]:
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        for c in kids:
            if c.dep_ == "oprd" and obj is not None:
                return obj, [c]
            if c.dep_ == "oprd" and c.i > verb.i and any(k.dep_ == "nsubj" for k in kids):
                return c, []  # "called her “third-rate”" with the object read as its possessive (not "a group called X")
        if obj is not None and obj.i > verb.i and any(k.dep_ == "nsubj" for k in kids):
            last = max((t for t in obj.subtree if not t.is_punct), key=lambda t: t.i)
            if last.pos_ == "ADJ" and last.i > obj.i:
                return obj, []  # "called the plan dangerous" with the predicate parsed inside the object
    if lemma in lex["as_verbs"] or lemma in lex["all_verbs"]:
        # "saw the plan as a mistake", "described him as a liar": the object and its 'as' complement
        obj = next((c for c in kids if c.dep_ == "dobj" and c.i > verb.i), None)
        if obj is not None:
            as_ = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i
                        and any(g.dep_ in ("pobj", "pcomp", "amod", "acomp") for g in c.children)), None)
            if as_ is not None:
                return obj, [as_]
            if lemma in lex["as_verbs"] and any(c.dep_ == "prep" and c.lower_ == "as" for c in obj.children):
                return obj, []  # the parser hung the complement on the object
            if lemma in lex["as_verbs"]:
                # "sees the council as captured by ...", "see the senator as most likely to ...",
                # "see the elections held Sunday as a test": an 'as' the parser hung lower down
                as_ = next((t for t in verb.subtree if t.lower_ == "as" and obj.right_edge.i < t.i <= obj.right_edge.i + 1
                            or t.lower_ == "as" and t.head.i != verb.i and obj.i < t.i and t.head.head.i == obj.i), None)
                top = as_
                while top is not None and top.head.i != verb.i and top.head.i != top.i:
                    top = top.head
                if top is not None and top.i == obj.i:
                    return obj, []  # inside the object's phrase
                if top is not None and top.head.i == verb.i and top.i > obj.i:
                    return obj, [top]
    preps = lex["verb_preps"].get(lemma)
    if preps:
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in preps and not (verb.dep_ == "acl" and verb.tag_ == "VBN" and c.i > verb.i + 1):
                # (not "a charity called Hope for Leeds")
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return obj, [c]
    if lemma in lex["object_verbs"]:
        for c in kids:
            if c.dep_ == "dobj" and c.i > verb.i and (c.pos_ != "PRON" or c.lower_ in ("him", "her", "them")) and c.lower_ not in _NO_CONTENT:
                return c, []
    if lemma == "say":  # "said the same", "said yes", "says so"
        for c in kids:
            if c.i > verb.i and (c.dep_ == "dobj" and c.pos_ in ("NOUN", "ADJ") and c.lower_ not in _NO_CONTENT
                                 or c.lower_ in ("so", "yes", "no") and c.dep_ in ("advmod", "intj", "dobj")):
                return c, []
    return None


def _inserted_after(verb: Any, clause: Any) -> bool:
    """The cue and its speaker come right after `clause` (a clause with a subject of its
    own), only punctuation between."""
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children) or any(c.dep_ == "mark" for c in clause.children):
        return False  # no subject, or a subordinate clause ("While X hopes ..., polls show ...")
    if any(_is_cue_verb(t) for t in clause.subtree):
        return False  # a report of its own ("A say B; C say D")
    subj = _own_subject(verb)
    speaker = {t.i for t in subj.subtree} if subj is not None else set()
    doc = verb.doc
    return all(doc[k].is_punct or doc[k].is_space or k in speaker for k in range(clause.right_edge.i + 1, verb.i))


def _described_speaker(verb: Any, content: Any) -> Any | None:
    """"Ana Ruiz, a rabbi helping to organize it, said she ...": a cue without a subject whose
    speaker and description the parser made a clause before it; the speaker is that
    clause's subject, a name (only punctuation between the clause and the cue)."""
    if content.i < verb.i:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and c.i < verb.i:
            subj = _own_subject(c)
            doc = verb.doc
            if (subj is not None and subj.ent_type_ in ("PERSON", "ORG") and subj.i < c.i
                    and all(doc[k].is_punct for k in range(c.right_edge.i + 1, verb.i))):
                return subj
    return None


def _noun_before(verb: Any) -> list[Any] | None:
    """"... of the Washington Post Trump said that ...", "the $20 million experts say it
    costs": a finite cue verb the parser gave no subject, right after a name or a plural
    noun it hung elsewhere. That noun speaks: its entity, else it with its compounds."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP") or verb.i == 0:
        return None
    doc = verb.doc
    prev = doc[verb.i - 1]
    if prev.pos_ not in ("PROPN", "NOUN") or prev.tag_ == "NN" or prev.head.i == verb.i:
        return None
    lo = prev.i
    if prev.ent_iob_ in ("B", "I"):
        if prev.ent_type_ not in ("PERSON", "ORG", "NORP", "GPE"):
            return None
        while lo > 0 and doc[lo].ent_iob_ == "I":
            lo -= 1
    else:
        while lo > 0 and doc[lo - 1].dep_ == "compound" and doc[lo - 1].head.i == prev.i:
            lo -= 1
    return list(doc[lo:prev.i + 1])


def _host_clause(verb: Any) -> tuple[Any, list[Any]] | None:
    """An inserted cue ("That, he argued, is why ..." / "... is over, she said"): the
    clause it is inserted in is the content."""
    if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in lexicon()["verbs"] and _own_subject(verb) is not None:
        return verb.head, [verb]
    return None


# objects of a speech verb that are no content ("said goodbye")
_NO_CONTENT = frozenset({"goodbye", "good-bye", "hello", "farewell", "grace", "thanks", "prayer", "prayers", "mass", "amen"})
