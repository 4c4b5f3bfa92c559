"""Claims whose cue is not a reporting verb with its content: raising and passive
reporting verbs ("Sales seem to have peaked", "He is said to be ill"), attitude adjectives
("The union is confident that ...") and cue nouns ("his claim that ...", "criticism of
...")."""

from __future__ import annotations

from typing import Any

from presspack.claims.candidates import Candidate, propose
from presspack.claims.cues import is_cue_verb, lexicon
from presspack.claims.speakers import speaker_tokens, subject
from presspack.claims.syntax import agent, clause_tokens, token_span, trim
from presspack.normalize.text import Article

# raising verbs: the clause they govern is the content ("Sales seem to have peaked")
SEEM = ("seem", "appear")
# (all of them cue verbs in the lexicon)
_PASSIVE_CUES = ("say", "believe", "expect", "think", "report", "rumor", "rumour", "know", "consider", "allege",
                 "understand", "suppose", "estimate", "predict", "project", "fear", "see", "describe", "regard")


def raised_claim(verb: Any, article: Article) -> Candidate | None:
    """Evidential and passive reporting ("Sales seem to have peaked", "He is said to be
    ill", "It appears that ..."): the whole clause is the content and the cue is the verb;
    the source is the agent of a passive ("is believed by X to ..."), else unnamed."""
    lemma = verb.lemma_.lower()
    if lemma not in SEEM and lemma not in _PASSIVE_CUES or verb.pos_ not in ("VERB", "AUX"):
        return None
    kids = list(verb.children)
    passive = lemma in _PASSIVE_CUES and any(c.dep_ == "auxpass" for c in kids) and verb.tag_ == "VBN"
    if not (lemma in SEEM or passive):
        return None
    if lemma == "suppose" and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "to":
        return None  # "was supposed to arrive": an obligation, not a report
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    comp = next((c for c in kids if c.dep_ in ("xcomp", "acomp", "attr", "oprd", "ccomp") and c.i > verb.i), None)
    if comp is None and passive:  # "is seen as the favourite"
        comp = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i), None)
    if comp is None or subj is None:
        return None
    if lemma in SEEM and comp.dep_ == "xcomp" and is_cue_verb(comp):
        return None  # "Investors seemed to feel that ...": their view, the cue verb's claim
    if subj.lower_ == "it" and comp.dep_ == "ccomp":
        toks = [t for t in comp.subtree if not (t.dep_ == "mark" and t.head.i == comp.i)]
    else:
        if comp.dep_ == "ccomp":
            return None
        drop = set()
        for c in kids:
            if c.dep_ in ("cc", "conj", "mark", "advcl", "punct", "prep", "npadvmod", "agent") and c.i != comp.i and not (c.dep_ == "advcl" and c.i > comp.i):
                drop.update(t.i for t in c.subtree)
        toks = [t for t in verb.subtree if t.i not in drop]
        lo, hi = subj.left_edge.i, max(t.i for t in comp.subtree)
        toks = [t for t in toks if lo <= t.i <= hi]
    if not toks:
        return None
    text = article.text
    cs, ce = trim(text, *token_span(toks))
    if ce - cs < 3:
        return None
    by = agent(verb)
    speaker = speaker_tokens(by) if by is not None else None
    return propose("raising", article.text, speaker, (verb.idx, verb.idx + len(verb.text)), (cs, ce))


_COPULAS = frozenset({"be", "seem", "remain", "become", "appear", "sound", "look", "feel", "grow", "stay"})


def adjective_claim(adj: Any, article: Article) -> Candidate | None:
    """An attitude adjective after a copula: "The union is confident that ...", "She is
    eager to ...", "Voters are critical of ...". The subject of the copula is the source."""
    lex = lexicon()
    lemma = adj.lemma_.lower()
    verb = adj.head
    if adj.dep_ != "acomp" or verb.lemma_.lower() not in _COPULAS:
        return None
    subj = subject(verb)
    if subj is None or subj.lower_ in ("it", "there", "this", "that"):
        return None  # "it is certain that ...": nobody's belief
    content, cue_end = None, adj.idx + len(adj.text)
    for c in adj.children:
        if c.i < adj.i:
            continue
        if lemma in lex["adjectives"] and c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
            if c.dep_ == "xcomp" and lemma not in lex["adjective_infinitives"]:
                continue
            content = clause_tokens(c)
            break
        if c.dep_ == "prep" and c.lower_ in lex["adjective_preps"].get(lemma, ()):
            obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                content = list(obj.subtree)
                if c.i == adj.i + 1:
                    cue_end = c.idx + len(c.text)
                break
    if not content:
        return None
    cs, ce = trim(article.text, *token_span(content))
    if ce - cs < 3:
        return None
    return propose("cue_adjective", article.text, speaker_tokens(subj), (adj.idx, cue_end), (cs, ce))


def noun_claim(noun: Any, article: Article) -> Candidate | None:
    """A cue noun with a "that" clause: "his claim that taxes will fall"."""
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp") and c.i > noun.i and any(g.dep_ == "mark" and g.lower_ == "that" and g.i < c.i for g in c.children):
            cs, ce = trim(article.text, *token_span(_without_that(c)))
            if ce - cs < 3:
                return None
            speaker = _noun_speaker(noun)
            cue = (noun.idx, noun.idx + len(noun.text))
            verb = _verb_in_noun(noun)
            if speaker is None and verb is not None and verb.i < noun.i:
                speaker = subject(verb)
                speaker = speaker_tokens(speaker) if speaker is not None else None
                cue = (verb.idx, cue[1])  # "said in a statement"
            return propose("cue_noun", article.text, speaker, cue, (cs, ce))
    speaker = _noun_speaker(noun)
    found = _copular_clause(noun) or (_noun_infinitive(noun) if speaker is not None else None)
    if found is not None:  # "His argument was that ...", "the firm's promise to move ..." (whose promise: said)
        cs, ce = trim(article.text, *token_span(found))
        return propose("cue_noun", article.text, speaker, (noun.idx, noun.idx + len(noun.text)), (cs, ce)) if ce - cs >= 3 else None
    preps = lexicon()["noun_preps"].get(noun.lemma_.lower())
    if preps:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in preps and c.i == noun.i + 1:
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is None or obj.ent_type_ in ("DATE", "TIME"):
                    continue  # "the comments on Tuesday": when, not what about
                cs, ce = trim(article.text, *token_span(list(obj.subtree)))
                if ce - cs < 3:
                    return None
                return propose("cue_noun", article.text, speaker, (noun.idx, c.idx + len(c.text)), (cs, ce))
    return None


# verbs whose subject voices the cue noun they take ("made the claim", "expressed hope")
_VOICING = frozenset({"make", "express", "voice", "repeat", "reiterate", "issue", "offer", "give", "share", "raise",
                      "have", "hold", "state", "renew", "air", "lodge", "file", "deliver", "release", "publish", "send",
                      "signal", "show", "level", "add", "echo", "stress", "underline", "maintain"})


def _copular_clause(noun: Any) -> list[Any] | None:
    """"The government's argument was that Yukos owed taxes": a cue noun as the subject of
    "be" with a that-clause; the clause without its "that"."""
    verb = noun.head
    if noun.dep_ != "nsubj" or verb.lemma_ != "be" or verb.i < noun.i:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and c.i > verb.i and any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children):
            return _without_that(c)
    return None


def _without_that(clause: Any) -> list[Any]:
    """A that-clause's tokens without its "that" (the complementizer is put back later)."""
    return [t for t in clause.subtree if not (t.dep_ == "mark" and t.head.i == clause.i)]


def _noun_infinitive(noun: Any) -> list[Any] | None:
    """"the market operator's promise to move its headquarters": a promise, threat, call
    or decision (cues.toml noun_infinitives) and its infinitive."""
    if noun.lemma_.lower() not in lexicon()["noun_infinitives"]:
        return None
    for c in noun.children:
        if c.dep_ == "acl" and c.i == noun.i + 2 and c.tag_ == "VB" and noun.nbor(1).lower_ == "to":
            return list(c.subtree)
    return None


def _noun_speaker(noun: Any) -> list[Any] | None:
    """Whose statement a cue noun is: "Smith's criticism", "criticism by Smith", or the
    subject of a verb that voices it ("Smith voiced support for ...")."""
    for g in noun.children:
        if g.dep_ == "poss":
            return speaker_tokens(g)
        if g.dep_ == "nsubj" and g.i < noun.i:  # "Trump claims that ...", with the verb read as a noun
            return speaker_tokens(g)
        if g.dep_ == "prep" and g.lower_ == "by":
            obj = next((x for x in g.children if x.dep_ == "pobj"), None)
            if obj is not None:
                return speaker_tokens(obj)
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _VOICING:
        subj = subject(noun.head)
        if subj is not None:
            return speaker_tokens(subj)
    return None


def _verb_in_noun(noun: Any) -> Any:
    """The verb of "said in a statement", "wrote in a letter", "told him in an interview":
    the speaking happens in the cue noun."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("in", "through", "via") and prep.head.pos_ in ("VERB", "AUX"):
        return prep.head
    return None
