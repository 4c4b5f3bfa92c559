"""Claims (who said what): rules over the dependency parse of the Doc the build made.

Patterns (the lexicon is data, in data/cues.toml): reporting verbs with a clausal
complement, a direct object, an infinitive, an object predicate or a prepositional
object as content (also in conjunction and participial form, "..., stressing that ...");
cues inserted in their content ("That, he argued, is why ...") or in an 'as' clause ("As
the mayor said, ..."); "according to X"; evidential adverbs ("reportedly"); findings "in
a new poll"; quoted speech with a nearby speaker, colon and dash layouts, headlines and
transcripts (`NAME: ...`), block quotes after "X added:"; runs of quotes around an
interrupting cue, also across paragraphs. Speakers are resolved to entities
(speakers.py); quote marks are paired in quotes.py.
"""

from __future__ import annotations

import bisect
import functools
import re
from typing import Any

from presspack.claims.cues import (
    _agent,
    _described_speaker,
    _content_child,
    _own_subject,
    _cue_tokens,
    _host_clause,
    _is_cue_verb,
    _noun_before,
    _span,
    _speaker_tokens,
    _subject,
    _trim,
    lexicon,
)
from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN, _group_quotes, _open_at, quote_spans
from presspack.claims.speakers import SpeakerResolver
from presspack.normalize.text import Article
from presspack.nlp.sentences import sentence_at

__all__ = ["SpeakerResolver", "claim_rows", "lexicon", "quote_claim_rows", "quote_spans"]


def claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = article.text
    resolver = SpeakerResolver(doc, article, mentions)
    found: list[dict[str, Any]] = []
    covered: list[tuple[int, int]] = []
    quotes = quote_spans(text)
    tokens = _candidates(doc)  # Token objects are costly: only for lemmas a rule can start from
    is_cue = [_is_cue_verb(t) for t in tokens]
    cue_starts = [t.idx for t, c in zip(tokens, is_cue) if c]

    for tok, tok_is_cue in zip(tokens, is_cue):
        if tok_is_cue or tok.lemma_ in _SEEM:
            row = _raised(tok, article, sentences, resolver)
            if row is not None:
                found.append(row)
                covered.append((row["content_start"], row["content_end"]))
                continue
        if not tok_is_cue:
            if tok.pos_ == "ADJ":
                row = _adjective_claim(tok, article, sentences, resolver)
                if row is not None:
                    found.append(row)
                    covered.append((row["content_start"], row["content_end"]))
                continue
            if tok.pos_ == "NOUN" and (tok.lemma_.lower() in lexicon()["nouns"] or tok.lemma_.lower() in lexicon()["noun_preps"]):
                row = _noun_claim(tok, article, sentences, resolver)
                if row is not None:
                    found.append(row)
                    covered.append((row["content_start"], row["content_end"]))
            continue
        found_content = _content_child(tok)
        if found_content is not None and found_content[0].dep_ == "xcomp" and found_content[0].i > tok.i:
            # "A, he said, on condition of anonymity to speak freely": an inserted cue reports its host clause
            found_content = _host_clause(tok) or found_content
        if found_content is None:
            found_content = _host_clause(tok) or _as_report(tok)
            if found_content is None:
                row = _trailing_cue(tok, article, sentences, resolver, quotes, cue_starts)
                if row is not None:
                    found.append(row)
                    covered.append((row["content_start"], row["content_end"]))
                continue
        content, extra_cue = found_content
        hosted = bool(extra_cue) and extra_cue[0].dep_ in ("parataxis", "advcl") and extra_cue[0].i == tok.i
        if hosted:
            inner = {t.i for t in tok.subtree}
            ctoks = [t for t in content.subtree if t.i not in inner or t.i == content.i]
            ctoks = [t for t in ctoks if not (t.i < tok.i and t.head.i == content.i and t.dep_ in ("cc", "punct"))]  # "But as X said, A"
            extra_cue = []
        elif extra_cue and (extra_cue[0].dep_ == "oprd" or extra_cue[0].i > content.i and extra_cue[0].left_edge.lower_ == "as"):
            ctoks = list(content.subtree) + list(extra_cue[0].subtree)
            extra_cue = []
        else:
            ctoks = _clause_tokens(content)
            ctoks = _cut_second_report(tok, content, ctoks)
            if ctoks:
                ctoks = ctoks + _tail(tok, content, ctoks)
                ctoks = ctoks + _reported_conjunct(tok, ctoks)
                if content.dep_ == "xcomp":  # "urged voters to stay home": the addressee is part of it
                    obj = next((c for c in tok.children if c.dep_ == "dobj" and tok.i < c.i < content.i), None)
                    if obj is not None:
                        ctoks = list(obj.subtree) + ctoks
        if not ctoks:
            continue
        ctoks = _cut_trailing_aside(ctoks)
        cs, ce = _trim(text, *_span(ctoks))
        if ce - cs < 3:
            continue
        subj = _subject(tok)
        if subj is None and not hosted:
            subj = _described_speaker(tok, content)
        if subj is not None and not hosted and any(a.i == content.i for a in subj.ancestors):
            subj = None
        speaker = _speaker_tokens(subj) if subj is not None else None if hosted else _noun_before(tok)
        cue = _span(_cue_tokens(tok) + [t for t in extra_cue if t.i == tok.i + 1])
        cs, ce, run = _group_quotes(text, quotes, cs, ce, cue, cue_starts)
        if not run and not hosted and ce <= tok.idx:
            ce = max(ce, _inserted_rest(tok, subj, content, ce, text))
        found.append(_row(article, sentences, resolver, speaker, cue, (cs, ce), tok, kind="direct" if run else None))
        covered.append((cs, ce))

    for row in [*_transcript(doc, article, sentences, resolver), *_block_quotes(doc, article, sentences, resolver)]:
        found.append(row)
        covered.append((row["content_start"], row["content_end"]))

    for row in [*_according_to(doc, article, sentences, resolver), *_evidential(doc, article, sentences, resolver),
                *_in_source(doc, article, sentences, resolver)]:
        found.append(row)
        covered.append((row["content_start"], row["content_end"]))

    for qs, qe in quotes:
        if any(s <= qs and qe <= e for s, e in covered):
            continue
        if len(text[qs:qe].split()) < 4 and not _short_speech(doc, text, qe):
            continue
        row = _quote_claim(doc, article, sentences, resolver, qs, qe, found)
        if row:
            found.append(row)

    return _finish(article, found, quotes)


def _as_report(verb: Any) -> tuple[Any, list[Any]] | None:
    """"As the mayor said, the bridge will reopen", "as one official put it, ...": a cue in
    an 'as' clause with no content of its own reports the clause it modifies."""
    if (verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX") and _own_subject(verb) is not None
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)):
        return verb.head, [verb]
    return None


def _clause_tokens(head: Any) -> list[Any]:
    """A reported clause without its complementizer ("that", "whether", "if")."""
    return [t for t in head.subtree if not (t.dep_ == "mark" and t.head.i == head.i and t.lower_ in ("that", "whether", "if"))]


def _inserted_rest(verb: Any, subj: Any, content: Any, ce: int, text: str) -> int:
    """"It is no secret, the coach said, that ..." / "A, police said on Friday, and B":
    a cue set off by commas inside the sentence it reports; the content goes on after it
    to the end of the sentence. Returns the new end (or `ce` when the cue is not inserted)."""
    sent = verb.sent
    doc = verb.doc
    speaker = {t.i for t in subj.subtree} if subj is not None else set()
    core = {verb.i} | speaker
    # between the content and the cue: only the speaker and punctuation
    for t in sent:
        if t.idx >= ce and t.i < verb.i and t.i not in core and not (t.is_punct or t.is_space):
            return ce
    k = max(core) + 1
    while k < sent.end and doc[k].text != ",":  # the cue's own modifiers: "said on Friday", "said in a statement"
        t = doc[k]
        if t.is_punct or not any(a.i == verb.i for a in t.ancestors) or t.dep_ in ("ccomp", "xcomp", "dobj", "conj"):
            return ce
        k += 1
    rest = [t for t in sent if t.i > k and not (t.is_punct or t.is_space)]
    if len(rest) < 3 or rest[0].lower_ == "according" or rest[0].tag_ == "VBG" or any(t.text in QUOTE_OPEN for t in sent if t.i > k):
        return ce
    if any(_is_cue_verb(t) for t in rest):
        return ce  # "..., adding that ...", "while other voters said ...": another report
    ids = {t.i for t in rest}
    for t in rest:
        if t.head.i not in ids and not (t.head.i == content.i or t.head.i == verb.i and t.dep_ in ("ccomp", "conj", "advcl", "cc")):
            return ce
    return _trim(text, ce, rest[-1].idx + len(rest[-1].text))[1]


def _cut_second_report(verb: Any, content: Any, ctoks: list[Any]) -> list[Any]:
    """"She said she admires X and praised Y": the parser hung the speaker's second cue
    verb on the reported clause; it is a report of its own (same tense as the first cue,
    no subject), not part of the content."""
    if content.dep_ != "ccomp" or _own_subject(content) is None:
        return ctoks
    for c in content.children:
        if c.dep_ == "conj" and c.i > content.i and c.tag_ == verb.tag_ and _is_cue_verb(c) and _own_subject(c) is None:
            cut = c.left_edge.i
            doc = c.doc
            while cut - 1 > content.i and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                cut -= 1  # and the "and" / comma before it
            return [t for t in ctoks if t.i < cut]
    return ctoks


_TAIL_DEPS = ("npadvmod", "prep", "advmod", "advcl", "dative", "dobj", "ccomp", "xcomp", "oprd", "acomp", "agent", "attr")


def _tail(verb: Any, content: Any, ctoks: list[Any]) -> list[Any]:
    """Modifiers of the cue verb after its content ("complained about X [the morning after]")."""
    end = max(t.i for t in ctoks)
    out = []
    for c in verb.children:
        if c.i <= end or c.i == content.i:
            continue
        if c.dep_ not in _TAIL_DEPS or _is_cue_verb(c):
            break
        if c.dep_ == "advcl" and c.tag_ == "VBG":
            break
        if _occasion(c):
            break
        out.extend(c.subtree)
    return out


def _reported_conjunct(verb: Any, ctoks: list[Any]) -> list[Any]:
    """"She said she hoped to win, and then would run again": a verb phrase the parser
    conjoined to the cue verb after its content, with a modal and no subject of its own,
    is more of what was said (the tokens from the content's end to the phrase's end)."""
    end = max(t.i for t in ctoks)
    for c in verb.children:
        if (c.dep_ == "conj" and c.i > end and _own_subject(c) is None and not _is_cue_verb(c)
                and any(a.dep_ == "aux" and a.tag_ == "MD" and a.i < c.i for a in c.children)):
            return [t for t in verb.doc[end + 1:c.right_edge.i + 1] if not t.is_space]
    return []


# nouns of the occasion on which something was said ("said at a rally", "in an interview")
_OCCASIONS = frozenset({"rally", "interview", "speech", "statement", "debate", "conference", "meeting", "hearing", "event",
                        "briefing", "appearance", "email", "letter", "tweet", "post", "show", "broadcast", "call",
                        "session", "forum", "address", "remarks", "report", "visit", "trip", "stop", "dinner", "luncheon",
                        "gathering", "summit", "convention", "ceremony", "testimony", "op-ed", "column", "memo",
                        "release", "program", "programme", "podcast", "radio", "television", "video"})


def _occasion(c: Any) -> bool:
    """A modifier saying when or where something was said: "on Tuesday", "at a rally",
    "in an interview", "last week" (not part of what was said)."""
    if c.dep_ == "npadvmod" or c.dep_ == "advmod":
        return False
    if c.dep_ != "prep" or c.lower_ not in ("on", "at", "in", "during", "before", "after", "since", "to", "from", "via", "through", "with", "while"):
        return False
    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
    if obj is None:
        return False
    return obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in _OCCASIONS


_SEEM = ("seem", "appear")
# (all of them cue verbs in the lexicon)
_PASSIVE_CUES = ("say", "believe", "expect", "think", "report", "rumor", "rumour", "know", "consider", "allege",
                 "understand", "suppose", "estimate", "predict", "project", "fear", "see", "describe", "regard")


def _raised(verb: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> dict[str, Any] | None:
    """Evidential and passive reporting ("Sales seem to have peaked", "He is said to be
    ill", "It appears that ..."): the whole clause is the content and the cue is the verb;
    the source is the agent of a passive ("is believed by X to ..."), else unnamed."""
    lemma = verb.lemma_.lower()
    if lemma not in _SEEM and lemma not in _PASSIVE_CUES or verb.pos_ not in ("VERB", "AUX"):
        return None
    kids = list(verb.children)
    passive = lemma in _PASSIVE_CUES and any(c.dep_ == "auxpass" for c in kids) and verb.tag_ == "VBN"
    if not (lemma in _SEEM or passive):
        return None
    if lemma == "suppose" and verb.i + 1 < len(verb.doc) and verb.doc[verb.i + 1].lower_ == "to":
        return None  # "was supposed to arrive": an obligation, not a report
    subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
    comp = next((c for c in kids if c.dep_ in ("xcomp", "acomp", "attr", "oprd", "ccomp") and c.i > verb.i), None)
    if comp is None and passive:  # "is seen as the favourite"
        comp = next((c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i), None)
    if comp is None or subj is None:
        return None
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
    cs, ce = _trim(text, *_span(toks))
    if ce - cs < 3:
        return None
    by = _agent(verb)
    speaker = _speaker_tokens(by) if by is not None else None
    return _row(article, sentences, resolver, speaker, (verb.idx, verb.idx + len(verb.text)), (cs, ce), verb)


def _cut_trailing_aside(ctoks: list[Any]) -> list[Any]:
    """Drop a comment set off by a comma or dash at the end of a content: a participle
    (", reversing ..."), a non-restrictive relative clause (", which ...") or an
    apposition (", the father of ...")."""
    idx = {t.i for t in ctoks}
    end, first = max(idx), min(idx)
    cut = end + 1
    for sep in ctoks:
        if sep.text not in (",", "—", "–", "--") or sep.i + 1 not in idx or sep.i + 1 > end:
            continue
        left = sep.doc[sep.i + 1]
        if (left.tag_ == "VBG" and left.dep_ in ("advcl", "xcomp", "conj") and left.i > first + 2
                and left.lemma_.lower() in lexicon()["speaking_verbs"] and _content_child(left) is not None):
            cut = min(cut, sep.i)  # ", telling reporters that ...": a report of its own
            continue
        t = left
        while True:  # the tokens whose phrase starts right after the separator
            if t.i in idx and t.i > first + 2 and t.right_edge.i >= end:
                aside = (t.dep_ in ("advcl", "acl", "xcomp", "conj") and t.tag_ == "VBG" and left.i == t.i
                         or t.dep_ == "relcl" and left.lower_ in ("which", "who", "whom", "whose")
                         or t.dep_ == "appos")
                if aside:
                    cut = min(cut, sep.i)
            h = t.head
            if h.i == t.i or h.left_edge.i != left.i:
                break
            t = h
    return [t for t in ctoks if t.i < cut]


def _candidates(doc: Any) -> list[Any]:
    """The tokens whose lemma is in the lexicon (cue verbs, cue nouns, seem/appear), in order."""
    from spacy.attrs import LEMMA

    strings = doc.vocab.strings
    lemmas = doc.to_array([LEMMA]).ravel().tolist()
    starts = _rule_lemmas()
    wanted = {h for h in set(lemmas) if strings[h].lower() in starts}
    return [doc[i] for i, h in enumerate(lemmas) if h in wanted]


@functools.cache
def _rule_lemmas() -> frozenset[str]:
    """Every lemma a rule can start from (lower case)."""
    lex = lexicon()
    return (lex["all_verbs"] | lex["all_adjectives"] | lex["nouns"] | frozenset(lex["noun_preps"]) | frozenset(_SEEM)
            | _VERB_PHRASE_HEADS | frozenset(lex["giving_verbs"]))


_VERB_PHRASE_HEADS = frozenset({"point", "make", "go", "lay", "spell", "put"})


def _trailing_cue(verb: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver,
                  quotes: list[tuple[int, int]], cue_starts: list[int]) -> dict[str, Any] | None:
    """"A, she said." / "A, said the mayor." when the parser missed that A is what was said:
    a reporting verb and its subject closing the sentence after a comma."""
    if verb.lemma_.lower() not in lexicon()["verbs"]:
        return None
    subj = _own_subject(verb)
    if subj is None:
        return None
    sent = verb.sent
    core = {t.i for t in subj.subtree} | {t.i for t in _cue_tokens(verb)}
    after = [t for t in sent if t.i > max(core) and not t.is_space]
    if any(not t.is_punct for t in after):
        return None
    first = min(core)
    text = article.text
    if all(t.is_punct or t.is_space for t in sent if t.i < first):
        return _after_quote(verb, subj, article, sentences, resolver, quotes, cue_starts, sent.doc[first].idx)
    k = first - 1
    while k >= sent.start and (sent.doc[k].is_punct and sent.doc[k].text not in ",") or k >= sent.start and sent.doc[k].is_space:
        k -= 1
    if k < sent.start or sent.doc[k].text != ",":
        return None
    if k - sent.start < 3:
        return None
    cs, ce = _trim(text, sent.start_char, sent.doc[k].idx)
    if ce - cs < 3:
        return None
    cue = _span(_cue_tokens(verb))
    cs, ce, run = _group_quotes(text, quotes, cs, ce, cue, cue_starts)
    return _row(article, sentences, resolver, _speaker_tokens(subj), cue, (cs, ce), verb, kind="direct" if run else None)


def _after_quote(verb: Any, subj: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver,
                 quotes: list[tuple[int, int]], cue_starts: list[int], at: int) -> dict[str, Any] | None:
    """"“Who pays for it?” the mayor asked." : a quote ending in ? or ! closes a sentence
    of its own, and the cue and speaker follow as the next one."""
    text = article.text
    k = bisect.bisect_left(quotes, (at,)) - 1
    if k < 0:
        return None
    qs, qe = quotes[k]
    if qe > at or text[qe - 1:qe] not in ("?", "!") or text[qe:at].strip(QUOTE_CLOSE + " ") or len(text[qs:qe].split()) < 2:
        return None
    cue = _span(_cue_tokens(verb))
    cs, ce, _ = _group_quotes(text, quotes, qs, qe, cue, cue_starts)
    return _row(article, sentences, resolver, _speaker_tokens(subj), cue, (cs, ce), verb, kind="direct")


_COPULAS = frozenset({"be", "seem", "remain", "become", "appear", "sound", "look", "feel", "grow", "stay"})


def _adjective_claim(adj: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> dict[str, Any] | None:
    """An attitude adjective after a copula: "The union is confident that ...", "She is
    eager to ...", "Voters are critical of ...". The subject of the copula is the source."""
    lex = lexicon()
    lemma = adj.lemma_.lower()
    verb = adj.head
    if adj.dep_ != "acomp" or verb.lemma_.lower() not in _COPULAS:
        return None
    subj = _subject(verb)
    if subj is None or subj.lower_ in ("it", "there", "this", "that"):
        return None  # "it is certain that ...": nobody's belief
    content, cue_end = None, adj.idx + len(adj.text)
    for c in adj.children:
        if c.i < adj.i:
            continue
        if lemma in lex["adjectives"] and c.dep_ in ("ccomp", "xcomp") and c.pos_ in ("VERB", "AUX"):
            if c.dep_ == "xcomp" and lemma not in lex["adjective_infinitives"]:
                continue
            content = _clause_tokens(c)
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
    cs, ce = _trim(article.text, *_span(content))
    if ce - cs < 3:
        return None
    return _row(article, sentences, resolver, _speaker_tokens(subj), (adj.idx, cue_end), (cs, ce), adj)


def _noun_claim(noun: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> dict[str, Any] | None:
    """A cue noun with a "that" clause: "his claim that taxes will fall"."""
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp") and c.i > noun.i and any(g.dep_ == "mark" and g.lower_ == "that" and g.i < c.i for g in c.children):
            ctoks = [t for t in c.subtree if not (t.dep_ == "mark" and t.head.i == c.i)]
            cs, ce = _trim(article.text, *_span(ctoks))
            if ce - cs < 3:
                return None
            speaker = _noun_speaker(noun)
            cue = (noun.idx, noun.idx + len(noun.text))
            verb = _verb_in_noun(noun)
            if speaker is None and verb is not None and verb.i < noun.i:
                speaker = _subject(verb)
                speaker = _speaker_tokens(speaker) if speaker is not None else None
                cue = (verb.idx, cue[1])  # "said in a statement"
            return _row(article, sentences, resolver, speaker, cue, (cs, ce), noun)
    preps = lexicon()["noun_preps"].get(noun.lemma_.lower())
    if preps:
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in preps and c.i == noun.i + 1:
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is None:
                    continue
                cs, ce = _trim(article.text, *_span(list(obj.subtree)))
                if ce - cs < 3:
                    return None
                return _row(article, sentences, resolver, _noun_speaker(noun), (noun.idx, c.idx + len(c.text)), (cs, ce), noun)
    return None


# verbs whose subject voices the cue noun they take ("made the claim", "expressed hope")
_VOICING = frozenset({"make", "express", "voice", "repeat", "reiterate", "issue", "offer", "give", "share", "raise",
                      "have", "hold", "state", "renew", "air", "lodge", "file", "deliver", "release", "publish", "send",
                      "signal", "show", "level", "add", "echo", "stress", "underline", "maintain"})


def _noun_speaker(noun: Any) -> list[Any] | None:
    """Whose statement a cue noun is: "Smith's criticism", "criticism by Smith", or the
    subject of a verb that voices it ("Smith voiced support for ...")."""
    for g in noun.children:
        if g.dep_ == "poss":
            return _speaker_tokens(g)
        if g.dep_ == "nsubj" and g.i < noun.i:  # "Trump claims that ...", with the verb read as a noun
            return _speaker_tokens(g)
        if g.dep_ == "prep" and g.lower_ == "by":
            obj = next((x for x in g.children if x.dep_ == "pobj"), None)
            if obj is not None:
                return _speaker_tokens(obj)
    if noun.dep_ == "dobj" and noun.head.lemma_.lower() in _VOICING:
        subj = _subject(noun.head)
        if subj is not None:
            return _speaker_tokens(subj)
    return None


def _verb_in_noun(noun: Any) -> Any:
    """The verb of "said in a statement", "wrote in a letter", "told him in an interview":
    the speaking happens in the cue noun."""
    prep = noun.head
    if noun.dep_ == "pobj" and prep.dep_ == "prep" and prep.lower_ in ("in", "through", "via") and prep.head.pos_ in ("VERB", "AUX"):
        return prep.head
    return None


_TRANSCRIPT = re.compile(r"([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ ]+(?=\S)")


def _transcript(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """Interview and debate transcripts and headlines: a paragraph opening with `NAME: ...`
    (the name in capitals, a person or organization the parser recognised, a source noun:
    "Poll: ...", or proper nouns opening the article: its headline)."""
    text = article.text
    out = []
    first = article.paragraphs[0][0] if article.paragraphs else -1
    for ps, pe, heading in article.paragraphs:
        m = _TRANSCRIPT.match(text, ps, pe)
        if m is None or heading or _open_at(text, m.end()) is not None:
            continue  # a quote after the colon is left to the quote layouts
        name = m.group(1)
        span = doc.char_span(ps, m.end(1), alignment_mode="expand")
        if span is None:
            continue
        if not (name.isupper() and len(name) > 2 or any(t.ent_type_ in ("PERSON", "ORG") for t in span)
                or name.split()[-1].lower() in lexicon()["source_nouns"]
                or ps == first and all(t.pos_ == "PROPN" for t in span)):  # "Holt: ..." as the headline
            continue
        cs, ce = _trim(text, m.end(), pe)
        if ce - cs < 3:
            continue
        out.append(_row(article, sentences, resolver, list(span), (m.end(1), m.end(1) + 1), (cs, ce), span[0]))
    return out


def _block_quotes(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """A paragraph introduced by a report whose verb ends it with a colon ("The governor
    added:", "Ana Ruiz wrote:") and given without quote marks (a block quote whose marks
    the page did not have): the paragraph is the content, the report's verb the cue."""
    text = article.text
    out = []
    paras = article.paragraphs
    for (_, ple, prev_heading), (ps, pe, heading) in zip(paras, paras[1:]):
        end = ple
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if heading or prev_heading or text[end - 1:end] != ":" or _open_at(text, ps) is not None:
            continue
        colon = doc.char_span(end - 1, end, alignment_mode="expand")
        if colon is None:
            continue
        verb = doc[colon[0].i - 1] if colon[0].i > 0 else None  # "X added:", "X wrote on Monday:" is no block lead-in
        subj = _subject(verb) if verb is not None and _is_cue_verb(verb) else None
        if subj is None:
            continue
        cs, ce = _trim(text, ps, pe)
        if ce - cs >= 3:
            out.append(_row(article, sentences, resolver, _speaker_tokens(subj), _span(_cue_tokens(verb)), (cs, ce), verb, kind="direct"))
    return out


def quote_claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reduced claims for pipelines without a parser: quotes with a nearby speaker."""
    resolver = SpeakerResolver(doc, article, mentions)
    found: list[dict[str, Any]] = []
    quotes = quote_spans(article.text)
    for qs, qe in quotes:
        if len(article.text[qs:qe].split()) >= 4:
            row = _quote_claim(doc, article, sentences, resolver, qs, qe, found)
            if row:
                found.append(row)
    return _finish(article, found, quotes)


def _finish(article: Article, found: list[dict[str, Any]], quotes: list[tuple[int, int]]) -> list[dict[str, Any]]:
    # a cue inside someone's direct quote ("“I think ...”") is part of what they said
    # (the quote itself, not the run of quotes around a cue: that cue is in the gap)
    direct = [(r["content_start"], r["content_end"]) for r in found if r["kind"] == "direct"]
    quoted = [(qs, qe) for qs, qe in quotes if any(s < qe and qs < e for s, e in direct)]

    def nested(r: dict[str, Any]) -> bool:
        c = r["cue_start"]
        return c is not None and any(qs <= c < qe and not (r["content_start"] <= qs and qe <= r["content_end"]) for qs, qe in quoted)

    found = [r for r in found if not nested(r)]
    # a report inside another claim's content ("X said Y believes Z") is part of that
    # content, not a claim of its own (unless each sits inside the other)
    def inside(r: dict[str, Any], q: dict[str, Any]) -> bool:
        return r["cue_start"] is not None and q["content_start"] <= r["cue_start"] < q["content_end"]

    # (a quote that goes on with the same cue is a continuation, not a report inside it)
    by_start = sorted(found, key=lambda q: q["content_start"])
    starts = [q["content_start"] for q in by_start]

    def reported_inside(r: dict[str, Any]) -> bool:  # only claims whose content starts at or before r's cue can hold it
        if r["cue_start"] is None:
            return False
        around = by_start[:bisect.bisect_right(starts, r["cue_start"])]
        return any(q is not r and inside(r, q) and not inside(q, r) and r["cue_start"] != q["cue_start"] for q in around)

    found = [r for r in found if not reported_inside(r)]
    rows: dict[str, dict[str, Any]] = {}
    for r in sorted(found, key=lambda r: (r["content_start"], r["content_end"], r["cue_start"] or -1)):
        cid = f"{article.article_id}-c{r['content_start']}-{r['content_end']}"
        if cid in rows:
            continue
        r["claim_id"] = cid
        rows[cid] = r
    return list(rows.values())


def _kind(text: str, s: int, e: int) -> str:
    span = text[s:e]
    n_q = sum(span.count(q) for q in "“”\"«»")
    if n_q == 0:
        before = text[max(0, s - 2):s]
        after = text[e:e + 2]
        if any(q in before for q in QUOTE_OPEN + "”") and any(q in after for q in QUOTE_CLOSE + ",."):
            return "direct"
        return "indirect"
    stripped = span.strip(" " + QUOTE_OPEN + QUOTE_CLOSE + ".,")
    if span[:1] in QUOTE_OPEN and span.rstrip(".,")[-1:] in QUOTE_CLOSE and not any(q in stripped for q in "“”\""):
        return "direct"
    outside = []
    depth = False
    for c in span:
        if c in "“”\"«»":
            depth = not depth
            continue
        if not depth:
            outside.append(c)
    words_out = len("".join(outside).split())
    return "partial" if words_out >= 3 else "mixed"


def _row(article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver, speaker: list[Any] | None,
         cue: tuple[int, int] | None, content: tuple[int, int], anchor: Any, kind: str | None = None) -> dict[str, Any]:
    text = article.text
    cs, ce = content
    sent = sentence_at(sentences, cue[0] if cue else cs)
    row: dict[str, Any] = {
        "article_id": article.article_id,
        "sentence_id": sent["sentence_id"] if sent else None,
        "speaker_text": None, "speaker_start": None, "speaker_end": None,
        "speaker_key": None, "speaker_name": None,
        "cue_text": None, "cue_start": None, "cue_end": None,
        "content_text": text[cs:ce], "content_start": cs, "content_end": ce,
        "kind": kind or _kind(text, cs, ce),
    }
    if speaker:
        ss, se = _trim(text, *_span(speaker))
        if ss < se:
            row.update(speaker_text=text[ss:se], speaker_start=ss, speaker_end=se)
            key, name = resolver.resolve(speaker, ss, se)
            row.update(speaker_key=key, speaker_name=name)
    if cue:
        row.update(cue_text=text[cue[0]:cue[1]], cue_start=cue[0], cue_end=cue[1])
    return row


_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)


def _according_to(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """"according to X": X is the speaker; the content is the clause the phrase
    modifies (or the rest of the sentence when it modifies the whole sentence)."""
    out = []
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
        speaker = _speaker_tokens(src)
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
        clause = _modified_clause(tok)
        if src.pos_ == "PRON" and any(_is_cue_verb(t) for t in tok.sent if t.i < tok.i):
            continue  # "X noted that A, according to him, B": X's report already says who
        if _is_cue_verb(clause) and _content_child(clause) is not None and any(
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
        cs, ce = _trim(text, *_span(part))
        if ce - cs < 3:
            continue
        out.append(_row(article, sentences, resolver, speaker, (tok.idx, to.idx + len(to.text)), (cs, ce), tok))
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


_FINDINGS = frozenset({"poll", "survey"})


def _in_source(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """"In a new poll, the mayor leads by ten points" / "... leads by ten points in the
    latest survey": a finding reported in a poll, survey, study or report (the source), the
    clause the phrase modifies being the content."""
    import numpy as np
    from spacy.attrs import LEMMA

    out = []
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
        if clause.pos_ not in ("VERB", "AUX") or _is_cue_verb(clause):
            continue  # "said in a report": the cue verb's claim
        phrase = {t.i for t in tok.subtree}
        part = _clause_without(clause, phrase)
        before = [t for t in part if t.i < tok.i and not t.is_punct]
        after = [t for t in part if t.i > max(phrase) and not t.is_punct]
        part = [t for t in part if t.i > max(phrase)] if not before else [t for t in part if t.i < tok.i] if not after else part
        if len([t for t in part if not t.is_punct]) < 3:
            continue
        cs, ce = _trim(text, *_span(part))
        out.append(_row(article, sentences, resolver, _speaker_tokens(obj), (tok.idx, tok.idx + 2), (cs, ce), tok))
    return out


@functools.cache
def _evidential_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(lexicon()["evidential_adverbs"])) + r")\b", re.IGNORECASE)


def _evidential(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """"The mayor reportedly left the city", "Reportedly, he had been warned": an evidential
    adverb (cues.toml evidential_adverbs) is the cue of the clause it modifies, whose
    source is unnamed."""
    out = []
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
        cs, ce = _trim(text, *_span(toks))
        out.append(_row(article, sentences, resolver, None, (adv.idx, adv.idx + len(adv.text)), (cs, ce), adv))
    return out


_WORD = re.compile(r"\w+")
_DASH_NAME = re.compile(r"[–—―][ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})")


def _quote_claim(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver,
                 qs: int, qe: int, found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A quote with a speaker in its sentence (a cue verb with a subject, or a colon
    layout `X: "..."`, or a dash layout `"..." – X`), else the previous claim's speaker."""
    text = article.text
    span = doc.char_span(qs, qe, alignment_mode="expand")
    if span is None:
        return None
    sent = span[0].sent
    # a quote of several sentences: the cue sits in the sentence the quote closes
    # ("“A. B,” said X."), and the parser may have made the quote's end its subject
    last = span[-1].sent
    for tok in doc[sent.start:max(sent.end, last.end)]:
        if (tok.i < span.start or tok.i >= span.end) and _is_cue_verb(tok):
            subj = _subject(tok)
            if subj is not None and span.start <= subj.i < span.end and last.start > sent.start:
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and not span.start <= c.i < span.end), None)
            if subj is not None and not (span.start <= subj.i < span.end):
                return _row(article, sentences, resolver, _speaker_tokens(subj), _span(_cue_tokens(tok)), (qs, qe), tok)
    after = _speaker_after(doc, text, qe)
    if after is not None:
        speaker, verb = after
        return _row(article, sentences, resolver, speaker, _span(_cue_tokens(verb)), (qs, qe), verb)
    pre = text[max(0, qs - 3):qs]
    if ":" in pre:
        head = [t for t in sent if t.i < span.start and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
        if not head:  # "Holt: “...”" opening a paragraph, a name the parser did not recognise
            line = text.rfind("\n", 0, qs) + 1
            m = _TRANSCRIPT.match(text, line, qs)
            name = doc.char_span(line, m.end(1), alignment_mode="expand") if m is not None and m.end() >= qs - 2 else None
            head = list(name) if name is not None and all(t.is_title or t.is_upper for t in name) else []
        if head:
            ent_toks = [t for t in head if t.i >= head[-1].i - 3]
            colon = text.rindex(":", max(0, qs - 3), qs)
            return _row(article, sentences, resolver, ent_toks, (colon, colon + 1), (qs, qe), span[0])
    before = text[max(0, qs - 4):qs].rstrip(" ”" + QUOTE_OPEN)
    if before[-1:] in "–—―":
        # "Ana Ruiz – “...”" at the start of a paragraph (a list of voices)
        dash = max(0, qs - 4) + len(before) - 1
        line = text.rfind("\n", 0, dash) + 1
        name = doc.char_span(line, dash, alignment_mode="contract")
        toks = [t for t in name if not t.is_space] if name is not None else []
        if (toks and len(toks) <= 8 and toks[0].pos_ == "PROPN" and toks[0].is_title
                and all(t.pos_ in ("PROPN", "NUM") or t.text == "," or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in toks)):
            name_toks = toks[:next((k for k, t in enumerate(toks) if t.text == ","), len(toks))]  # "Ana Ruiz, 34"
            return _row(article, sentences, resolver, name_toks, (dash, dash + 1), (qs, qe), span[0])
    lead = text[max(0, qs - 8):qs].rstrip(" \n" + QUOTE_OPEN)
    lead_end = max(0, qs - 8) + len(lead)
    mark = doc.char_span(lead_end - 1, lead_end, alignment_mode="expand") if lead[-1:] in (":", ",") else None
    if lead.endswith(":"):
        # a lead-in sentence ending in a colon, also in the paragraph before: "She added:"
        if mark is not None:
            for tok in reversed(list(mark[0].sent)):
                if tok.pos_ in ("VERB", "AUX") and (_is_cue_verb(tok) or tok.dep_ == "ROOT"):
                    subj = _subject(tok)
                    if subj is not None:
                        return _row(article, sentences, resolver, _speaker_tokens(subj), _span(_cue_tokens(tok)), (qs, qe), tok)
    if lead.endswith(","):
        # "She continued, “...”": the verb right before the comma that opens the quote
        if mark is not None and mark[0].i > 0:
            verb = doc[mark[0].i - 1]
            if verb.pos_ == "ADV" and verb.i > 0:
                verb = doc[verb.i - 1]
            if (verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.dep_ in ("ROOT", "conj")
                    and not any(c.dep_ == "mark" for c in verb.children)):
                subj = _subject(verb)
                if subj is not None and subj.i < verb.i:
                    return _row(article, sentences, resolver, _speaker_tokens(subj), _span(_cue_tokens(verb)), (qs, qe), verb)
    post = text[qe:qe + 4]
    if any(d in post for d in "–—―"):
        dash = qe + next(k for k, ch in enumerate(post) if ch in "–—―")
        tail = [t for t in sent if t.i >= span.end and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
        tail = [t for t in tail if t.i <= tail[0].i + 3 and t.ent_iob_ != "O" and t.is_alpha] if tail else []
        if not tail:  # a name the parser did not recognise or put in another sentence ("...” ― Ana Ruiz")
            m = _DASH_NAME.match(text, dash)
            name = doc.char_span(m.start(1), m.end(1), alignment_mode="expand") if m is not None else None
            tail = list(name) if name is not None else []
        if tail:
            return _row(article, sentences, resolver, tail, (dash, dash + 1), (qs, qe), span[0])
    prev = [r for r in found if r["content_end"] <= qs and r["speaker_start"] is not None and qs - r["content_end"] < 600]
    if prev:
        lead = _reported_before(doc, text, prev, sent, qs)
        if lead is not None:
            # "X said that A. “B.”" / "“A,” said X, the head of Y. “B.”": a quote in the
            # sentence after a report of the same paragraph goes on with what X said: one
            # content when what comes between is short, else B with X's speaker and cue
            cs = lead["content_start"]
            said = len(_WORD.findall(text, cs, lead["content_end"])) + len(_WORD.findall(text, qs, qe))
            if len(_WORD.findall(text, lead["content_end"], qs)) <= said or lead["kind"] in ("direct", "mixed") and qs - lead["content_end"] < 150:
                lead.update(content_end=qe, content_text=text[cs:qe], kind=_kind(text, cs, qe) if lead["kind"] != "direct" else "direct")
                return None
            row = _row(article, sentences, resolver, None, None, (qs, qe), span[0])
            row.update({k: lead[k] for k in ("speaker_text", "speaker_start", "speaker_end", "speaker_key", "speaker_name",
                                             "cue_text", "cue_start", "cue_end")})
            return row
        near = max(prev, key=lambda r: (r["content_end"], r["content_start"]))
        gap = text[near["content_end"]:qs]
        if near["kind"] in ("direct", "mixed") and len(gap) < 150 and "\n\n" not in gap:
            # the same speaker's quote goes on after an interruption ("“A,” she said on
            # the show “B”. “C.”"): one content
            near.update(content_end=qe, content_text=text[near["content_start"]:qe])
            return None
        if near["kind"] in ("direct", "mixed") and len(gap) < 150 and _paragraph_on(gap) and near["cue_start"] is not None:
            row = _row(article, sentences, resolver, None, None, (qs, qe), span[0])
            row.update({k: near[k] for k in ("speaker_text", "speaker_start", "speaker_end", "speaker_key", "speaker_name",
                                             "cue_text", "cue_start", "cue_end")})
            return row
        p = prev[-1]
        row = _row(article, sentences, resolver, None, None, (qs, qe), span[0])
        row.update(speaker_key=p["speaker_key"], speaker_name=p["speaker_name"])
        return row
    return None


def _paragraph_on(gap: str) -> bool:
    """The gap between a quote and the next is the end of the quote's paragraph and the
    next paragraph opens with the quote (a speaker's quote going on in a paragraph of
    its own)."""
    head, _, tail = gap.rpartition("\n\n")
    return "\n\n" not in head and not tail.strip(" \n" + QUOTE_OPEN)


_CLOSED = re.compile(r"([,?!]?)[ ]?(?:''|[”\"»’])[ \t]+")
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_ARTICLES = ("the", "a", "an")


def _short_speech(doc: Any, text: str, qe: int) -> bool:
    """A quote of a few words is speech (not a title or a scare quote) when a speaker and
    a cue verb follow its closing mark: '“Too much hate,” she said.'"""
    after = _speaker_after(doc, text, qe)
    return after is not None and _is_cue_verb(after[1])


def _speaker_after(doc: Any, text: str, qe: int) -> tuple[list[Any], Any] | None:
    """'“A,” Bennett shot back.' / '“A?” the mayor asked on Monday.': a quote closed after a
    comma, ? or ! and followed by a name, pronoun or description and a verb: the verb is
    the cue and the phrase before it the speaker (also when the verb is not in the lexicon
    or the parser linked neither to the quote); or by the verb and then the name or
    description ('“A,” continued the mayor.')."""
    m = _CLOSED.match(text, qe)
    if m is None:
        return None
    ender = m.group(1) or text[qe - 1:qe]
    if ender not in (",", "?", "!"):
        return None
    start = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
    if start is None:
        return None
    k = start[0].i
    first = doc[k]
    if first.pos_ == "VERB" and first.tag_ in ("VBD", "VBZ") and ender == ",":
        return _named_after(doc, first)
    if not (first.pos_ == "PROPN" or first.lower_ in _SUBJECT_PRONOUNS or first.lower_ in _ARTICLES):
        return None
    speaker: list[Any] = []
    done = False
    for t in doc[k:k + 12]:
        if t.pos_ == "VERB":
            return (speaker, t) if speaker and t.tag_ in ("VBD", "VBZ", "VBP") else None
        if speaker and t.dep_ == "ROOT" and t.i + 1 < len(doc) and doc[t.i + 1].text in ".!?" and t.i > k + 1:
            return speaker, t  # '“A,” the email read.': the sentence's last word, its root, is the verb (tagged a noun)
        if t.i > k and t.is_sent_start or t.text in QUOTE_OPEN + QUOTE_CLOSE:
            return None
        if t.text == "," or t.pos_ in ("AUX", "ADV", "PART"):
            done = True  # "Ramos, 58, told", "she later said"
        elif not done:
            if speaker and speaker[0].lower_ in _SUBJECT_PRONOUNS:
                return None
            speaker.append(t)
    return None


def _named_after(doc: Any, verb: Any) -> tuple[list[Any], Any] | None:
    """The name or description after an inverted verb ("continued the mayor", "wrote
    Ana Ruiz"), up to the next punctuation, verb or preposition."""
    speaker: list[Any] = []
    for t in doc[verb.i + 1:verb.i + 8]:
        if t.is_punct or t.is_sent_start or t.pos_ in ("VERB", "AUX", "ADP"):
            break
        speaker.append(t)
    if speaker and (speaker[0].pos_ == "PROPN" or speaker[0].lower_ in _ARTICLES):
        return speaker, verb
    return None


def _reported_before(doc: Any, text: str, prev: list[dict[str, Any]], sent: Any, qs: int) -> dict[str, Any] | None:
    """The report a quote goes on with: a claim with a speaker and a cue in the sentence
    before the quote's (or earlier in the same sentence), in the same paragraph; of
    several, the one whose content starts first (not a report inside its speaker's
    description)."""
    if sent.start == 0 or text[sent.start_char:qs].strip(" \n" + QUOTE_OPEN):
        return None  # not at the start of its sentence ("As X put it, Y is “...”")
    before = doc[sent.start - 1].sent
    lo = before.start_char
    rows = [r for r in prev if r["cue_start"] is not None and lo <= r["cue_start"] < qs and r["content_start"] >= lo - 1
            and "\n\n" not in text[r["content_end"]:qs] and len(_WORD.findall(text, r["content_start"], r["content_end"])) >= 4]
    if not rows:
        return None
    lead = min(rows, key=lambda r: (r["content_start"], -r["content_end"]))
    if any(r is not lead and r["content_start"] >= lead["content_end"] and r["speaker_start"] == lead["speaker_start"] for r in prev):
        return None  # "“A,” she said, adding that B. “C.”": her second report comes in between
    return lead
