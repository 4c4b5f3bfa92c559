"""Cues: the lexicon (data/cues.toml), which tokens are cue verbs, the tokens that make up
a cue ("pointed out", "made clear") and where a cue verb's content sits in the parse."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.claims.syntax import WH_TAGS, finite_clause, own_subject, whole_clause


@cache
def lexicon() -> dict[str, Any]:
    """data/cues.toml, with its lists as sets and its phrases ("call for", "critical of")
    as word -> prepositions maps; all_verbs and all_adjectives: every word a cue starts from."""
    data = tomllib.loads(resources.files("presspack").joinpath("data/cues.toml").read_text(encoding="utf-8"))
    for key in ("verbs", "object_verbs", "infinitive_verbs", "gerund_verbs", "predicate_verbs", "as_verbs", "nouns", "speaking_verbs", "source_nouns", "question_verbs", "giving_verbs", "said_objects", "issuing_verbs", "occasion_nouns", "evidential_adverbs", "noun_infinitives"):
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
    data["all_verbs"] = (data["verbs"] | data["object_verbs"] | data["infinitive_verbs"] | data["gerund_verbs"] | data["predicate_verbs"]
                         | data["as_verbs"] | frozenset(preps))
    return data


def is_cue_verb(tok: Any) -> bool:
    """A verb of the lexicon, or a verb that is a cue in a phrase ("as X put it", "pointed
    out", "made clear") or with a said object ("offered his thoughts")."""
    if tok.pos_ not in ("VERB", "AUX") or _hortative(tok):
        return False
    lemma = tok.lemma_.lower()
    if lemma == "put":  # "as X put it"
        return any(c.dep_ == "dobj" and c.lower_ == "it" for c in tok.children) and any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)
    if lemma in ("point", "make", "go", "lay", "spell"):
        preps = lexicon()["verb_preps"].get(lemma, ())
        return any((lemma, c.lower_) in lexicon()["verb_phrases"] or c.dep_ == "prep" and c.lower_ in preps for c in tok.children)
    if lemma in lexicon()["giving_verbs"] and lemma not in lexicon()["all_verbs"]:
        return _said_object(tok) is not None
    if lemma in _PERCEPTION_OR_OUTCOME:
        return _states_something(tok, lemma)
    return lemma in lexicon()["all_verbs"]


def _hortative(tok: Any) -> bool:
    """"Let's say you earn ...", "let us focus on ...": a supposition or an exhortation, nobody's report."""
    return (tok.head.lemma_.lower() == "let" and tok.head.i < tok.i and tok.dep_ in ("ccomp", "xcomp")
            and any(c.dep_ == "nsubj" and c.lower_ in ("'s", "’s", "us") for c in tok.children))


# verbs that report speech, writing or a stated opinion only in some uses: perception
# ("saw profits slump"), outcome ("figures showed", but "the company showed profits"),
# forecast ("analysts expected a rise", "the deal is expected to close")
_PERCEPTION_OR_OUTCOME = frozenset({"see", "show", "expect", "prove", "demonstrate"})


def _states_something(tok: Any, lemma: str) -> bool:
    """Whether a perception, outcome or forecast verb is a cue here: "see" only as an
    opinion ("voters see the plan as a tax", active, with its 'as'); "show" only with a
    document speaking ("the survey showed that ...", "figures show a fall", "a poll which
    showed ...", not "it shows"), "prove" and "demonstrate" also with a name or a personal
    pronoun ("the emails prove", "she proved", not "the win proves"); "expect"
    only as what someone expects ("she expects that ...", "analysts expect a rise"), not
    as a forecast nobody states ("the deal is expected to close", "the expected rise")."""
    kids = list(tok.children)
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in kids)
    if lemma == "see":
        has_as = any(t.lower_ == "as" and t.i > tok.i and not (t.dep_ == "mark" and any(g.dep_ in ("nsubj", "nsubjpass") for g in t.head.children))
                     for c in kids if c.dep_ in ("prep", "dobj", "oprd", "advcl", "ccomp") for t in c.subtree)  # not "as the game went on"
        return has_as and not passive
    if lemma in ("show", "prove", "demonstrate"):
        subj = next((c for c in kids if c.dep_ == "nsubj"), None)
        if subj is None and tok.dep_ == "acl":
            subj = tok.head  # "a poll showing that ..."
        elif subj is None and tok.dep_ in ("advcl", "xcomp", "conj", "relcl"):
            subj = tok.head if tok.dep_ == "relcl" else next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
        if subj is not None and subj.lower_ in ("that", "which") and tok.dep_ == "relcl":
            subj = tok.head  # "a survey which showed that ...": the document the clause is about
        if subj is None:
            return False
        if subj.lemma_.lower() in _document_nouns() or subj.lower_ in _document_nouns():
            return True
        # "prove" also with someone arguing it ("the lawyers proved that ..."), not an outcome ("the win proves ...")
        return lemma != "show" and (subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                                    or subj.pos_ == "PRON" and subj.lower_ not in ("it", "this", "that", "which"))
    return not passive and tok.dep_ != "amod" and any(c.dep_ in ("nsubj", "csubj") for c in kids)


@cache
def _document_nouns() -> frozenset[str]:
    return frozenset(lexicon()["speakers"]["document"])


# the verbs that are cues only in a phrase (is_cue_verb)
VERB_PHRASE_HEADS = frozenset({"point", "make", "go", "lay", "spell", "put"})


def _said_object(verb: Any) -> Any | None:
    """The direct object of a giving verb (cues.toml giving_verbs) when it is something said
    or thought (said_objects): "offered his thoughts on the race"."""
    lex = lexicon()
    if verb.lemma_.lower() not in lex["giving_verbs"]:
        return None
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.lemma_.lower() not in lex["said_objects"] or any(c.dep_ == "acl" and c.tag_ == "VBG" and is_cue_verb(c) for c in obj.children):
        return None  # "issued a statement saying it would appeal": the participle reports, for the issuer
    return obj


def cue_tokens(verb: Any) -> list[Any]:
    """The cue: the verb with its particle ("pointed out") or the rest of its phrase ("made clear")."""
    toks = [verb]
    for c in verb.children:
        if c.dep_ == "prt" or _phrase_part(verb, c):
            toks.append(c)
    return toks


def _phrase_part(verb: Any, c: Any) -> bool:
    """`c` completes a multi-word cue with `verb` ("made clear", "pointed out")."""
    if c.dep_ not in ("acomp", "dobj", "oprd", "ccomp", "prt", "advmod") or (verb.lemma_.lower(), c.lower_) not in lexicon()["verb_phrases"]:
        return False
    return c.i == verb.i + 1 or (c.i == verb.i + 2 and verb.doc[verb.i + 1].lower_ in ("it", "the"))  # "made it clear", "made the case"


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
        if c.i > part.i and (c.dep_ == "ccomp" or c.dep_ in ("csubj", "advcl", "acl") and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)):
            return c
    return None


def content_child(verb: Any) -> tuple[Any, list[Any]] | None:
    """The root of the content under a cue verb and any tokens that extend the cue
    (a preposition in "called for"), by the verb's pattern in the lexicon: the first of
    the _CONTENT_PATTERNS below that finds one."""
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    said = _said_object(verb)
    if said is not None:
        return said, []  # "offered his thoughts on the race"
    if lemma not in lexicon()["all_verbs"]:  # a verb that is a cue only with its phrase ("make clear")
        phrased = _phrase_content(verb, kids)
        return (phrased, []) if phrased is not None else None
    for pattern in _CONTENT_PATTERNS:
        found = pattern(verb, lemma, kids)
        if found is not None:
            return found
    return None


def _clause_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """A speech verb's clausal complement ("said that ...")."""
    if lemma not in lexicon()["verbs"]:
        return None
    # a clause after the verb first: a "ccomp" before it may be a misparsed lead-in
    # ("In a statement released on Monday, she said ...")
    before = next((c for c in kids if c.dep_ == "ccomp" and c.i < verb.i and _inserted_after(verb, c)), None)
    if before is not None and any(c.dep_ == "ccomp" and c.i > verb.i for c in kids) and (
            own_subject(verb) is None or any(t.text == ";" for t in verb.doc[before.right_edge.i + 1:verb.i])):
        # "Ana Ruiz, a local rabbi, said he ...": the speaker's description misparsed as a clause;
        # "A; X says B": A is a sentence of its own
        before = None
    if before is not None:
        return before, []  # "It is no secret, the coach said, that ..."
    for c in kids:
        if c.dep_ in ("ccomp", "parataxis") and not _phrase_part(verb, c) and c.i > verb.i and not _closing_cue(c):
            return c, []
    for c in kids:
        if c.dep_ == "ccomp" and not _phrase_part(verb, c) and not _closing_cue(c):
            return c, []
    return _misparsed_clause(verb, kids)


def _closing_cue(clause: Any) -> bool:
    """"Police found the trio there, the hearing was told": a cue verb with no content of
    its own closing the sentence after a comma reports the sentence, it is no clause of it."""
    if own_subject(clause) is None or not all(c.dep_ in _CLOSING_DEPS for c in clause.children):  # "the court was told on Monday"
        return False
    doc = clause.doc
    left = next(t.i for t in clause.subtree if not t.is_punct)
    if left == 0 or doc[left - 1].text != ",":
        return False
    rest = [t for t in doc[clause.right_edge.i + 1:clause.sent.end] if not (t.is_punct or t.is_space)]
    return not rest and is_cue_verb(clause) and content_child(clause) is None


_CLOSING_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "advmod", "punct", "prep", "npadvmod", "agent"})


_TIME_NOUNS = frozenset({"day", "time", "moment", "week", "month", "year", "night", "morning", "evening", "hour",
                         "weekend", "occasion", "way", "place", "reason"})


def _misparsed_clause(verb: Any, kids: list[Any]) -> Any | None:
    """A reported clause the parser hung elsewhere after an adverbial or an object: an
    adverbial clause of the verb ("said after the convention he would ..."), or a
    relative clause of a noun after it that is no relative clause ("told reporters after
    the meeting he was confident", "told a meeting of leaders that few people ...":
    "that" marks a complement; a clause of its own, with its own subject and its object
    or complement); or the "that" clause the parser gave to a relative clause of the
    verb's object ("told reporters who had gathered outside that he was ...")."""
    if any(c.dep_ == "auxpass" for c in kids):
        return None  # "were denied a try when ..."
    for c in kids:
        if (c.dep_ == "advcl" and c.i > verb.i + 1 and finite_clause(c)
                and not any(m.dep_ == "mark" or m.tag_ in WH_TAGS for m in c.children) and c.left_edge.tag_ not in WH_TAGS):
            return c, []
    nouns = [c for c in kids if c.dep_ in ("dobj", "dative") and c.i > verb.i]
    nouns += [g for c in kids if c.dep_ == "prep" and c.i > verb.i for g in c.children if g.dep_ == "pobj"]
    for noun in nouns:
        for c in noun.children:
            if c.dep_ == "relcl" and noun.lemma_.lower() not in _TIME_NOUNS and finite_clause(c) and whole_clause(c):
                return c, []
            if c.dep_ == "relcl" and noun.dep_ == "dobj" and not is_cue_verb(c):
                # "told reporters who had gathered outside that he was ...": the clause is the verb's
                that = next((g for g in c.children if g.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)), None)
                if that is not None:
                    return that, []
    return None


def _question_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """An indirect question: "asked the mayor if she would run"."""
    if lemma not in lexicon()["question_verbs"]:
        return None
    for c in kids:
        if c.dep_ == "advcl" and c.i > verb.i and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children):
            return c, []
    return None


def _infinitive_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """An infinitive: "wants to close two factories"."""
    if lemma not in lexicon()["infinitive_verbs"]:
        return None
    for c in kids:
        if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
            return c, []
    return None


def _gerund_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """A gerund: "admitted using the loophole", "denied taking the money"."""
    if lemma not in lexicon()["gerund_verbs"]:
        return None
    for c in kids:
        if c.dep_ == "xcomp" and c.tag_ == "VBG" and c.i > verb.i and own_subject(c) is None:
            return c, []
    return None


def _predicate_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """An object and its predicate: "called the plan a disaster"."""
    if lemma not in lexicon()["predicate_verbs"]:
        return None
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
    return None


def _as_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """"saw the plan as a mistake", "described him as a liar": the object and its 'as'
    complement (any cue verb; the as_verbs also when the parser hung the 'as' lower down)."""
    as_verb = lemma in lexicon()["as_verbs"]
    obj = next((c for c in kids if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None:
        return None
    as_ = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > obj.i
                and any(g.dep_ in ("pobj", "pcomp", "amod", "acomp") for g in c.children)), None)
    if as_ is not None:
        return obj, [as_]
    if as_verb and any(c.dep_ == "prep" and c.lower_ == "as" for c in obj.children):
        return obj, []  # the parser hung the complement on the object
    if as_verb:
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
    return None


def _prep_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """A prepositional object, the preposition joining the cue: "called for an inquiry"."""
    preps = lexicon()["verb_preps"].get(lemma)
    if not preps:
        return None
    found = []
    for c in kids:
        if c.dep_ == "prep" and c.lower_ in preps and not (verb.dep_ == "acl" and verb.tag_ == "VBN" and c.i > verb.i + 1):
            # (not "a charity called Hope for Leeds")
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                found.append((obj, [c]))
        elif c.dep_ in ("advcl", "ccomp") and c.i > verb.i and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
            # "called for him to resign": the preposition marks an infinitive clause
            mark = next((m for m in c.children if m.dep_ == "mark" and m.lower_ in preps and m.i == c.left_edge.i), None)
            if mark is not None:
                found.append((c, [mark]))
    # "accused Ana Ruiz, of the Daily Post, of lying": the preposition with a gerund, else the first
    return next((f for f in found if f[0].dep_ == "pcomp"), found[0]) if found else None


def _object_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """A direct object ("proposed a new tax"); for "say" also "said the same", "said
    yes", "says so"."""
    if lemma in lexicon()["object_verbs"]:
        for c in kids:
            if c.dep_ == "dobj" and c.i > verb.i and (c.pos_ != "PRON" or c.lower_ in ("him", "her", "them")) and c.lower_ not in _NO_CONTENT:
                return c, []
    if lemma == "say":
        for c in kids:
            if c.i > verb.i and (c.dep_ == "dobj" and c.pos_ in ("NOUN", "ADJ") and c.lower_ not in _NO_CONTENT
                                 or c.lower_ in ("so", "yes", "no") and c.dep_ in ("advmod", "intj", "dobj")):
                return c, []
    return None


def _passive_content(verb: Any, lemma: str, kids: list[Any]) -> tuple[Any, list[Any]] | None:
    """"The nominee has been endorsed by dozens of papers": a passive object verb with its
    agent; the passive subject is what was endorsed, criticised or proposed."""
    if lemma not in lexicon()["object_verbs"] or verb.tag_ != "VBN" or not any(c.dep_ == "agent" for c in kids):
        return None
    subj = next((c for c in kids if c.dep_ == "nsubjpass" and c.i < verb.i and c.pos_ in ("NOUN", "PROPN")), None)
    return (subj, []) if subj is not None else None


# in this order: the first that finds a content wins
_CONTENT_PATTERNS = (_clause_content, _question_content, _infinitive_content, _gerund_content, _predicate_content, _as_content,
                     _prep_content, _object_content, _passive_content)


def _inserted_after(verb: Any, clause: Any) -> bool:
    """The cue and its speaker come right after `clause` (a clause with a subject of its
    own), only punctuation between."""
    if not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in clause.children) or any(c.dep_ == "mark" for c in clause.children):
        return False  # no subject, or a subordinate clause ("While X hopes ..., polls show ...")
    if clause.pos_ not in ("VERB", "AUX"):
        return False  # "CSI's co-producer, Carol Mendelsohn, said": a noun phrase the parser made a clause
    if any(is_cue_verb(t) for t in clause.subtree):
        return False  # a report of its own ("A say B; C say D")
    subj = own_subject(verb)
    speaker = {t.i for t in subj.subtree} if subj is not None else set()
    doc = verb.doc
    return all(doc[k].is_punct or doc[k].is_space or k in speaker for k in range(clause.right_edge.i + 1, verb.i))


# objects of a speech verb that are no content ("said goodbye")
_NO_CONTENT = frozenset({"goodbye", "good-bye", "hello", "farewell", "grace", "thanks", "prayer", "prayers", "mass", "amen"})
