"""Cue verbs: the claim of a reporting verb ("said that ...", "called for ...", "urged X
to ..."), with its content cut to what was said (its own modifiers, a conjoined report or
a trailing aside left out), also when the cue is inserted in its content ("That, he argued,
is why ..."), sits in an 'as' clause ("As the mayor said, ...") or trails the sentence
("A, she said.")."""

from __future__ import annotations

import bisect
import re
from typing import Any

from presspack.claims.candidates import Candidate, propose
from presspack.claims.cues import content_child, cue_tokens, is_cue_verb, lexicon
from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN, group_quotes
from presspack.claims.speakers import (
    described_speaker,
    noun_before,
    speaker_tokens,
    subject,
)
from presspack.claims.syntax import clause_tokens, own_subject, token_span, trim
from presspack.normalize.text import Article


def verb_claim(verb: Any, article: Article,
               quotes: list[tuple[int, int]], cue_starts: list[int]) -> Candidate | None:
    """The claim of a cue verb (is_cue_verb): its content (content_child, else the clause
    it is inserted in or modifies, else the sentence it closes), its speaker and cue; a
    quoted content takes in the run of quotes around it (direct speech)."""
    if verb.tag_ == "VBN" and verb.dep_ == "advcl" and own_subject(verb) is None and not any(c.dep_ == "agent" for c in verb.children):
        return None  # "Asked about the vote, the mayor said ...": the mayor was asked, by nobody named
    found = content_child(verb)
    if found is not None and found[0].dep_ == "xcomp" and found[0].i > verb.i:
        # "A, he said, on condition of anonymity to speak freely": an inserted cue reports its host clause
        found = _host_clause(verb) or found
    if found is None:
        found = _host_clause(verb) or _as_report(verb)
        if found is None:
            return _trailing_cue(verb, article, quotes, cue_starts)
    content, extra_cue = found
    hosted = bool(extra_cue) and extra_cue[0].dep_ in ("parataxis", "advcl") and extra_cue[0].i == verb.i
    ctoks, extra_cue = _content_tokens(verb, content, extra_cue, hosted)
    if not ctoks:
        return None
    text = article.text
    ctoks = _cut_trailing_aside(ctoks, finite=content.dep_ != "xcomp")
    cs, ce = trim(text, *token_span(ctoks))
    if ce - cs < 3:
        return None
    subj = subject(verb)
    if subj is None and not hosted:
        subj = described_speaker(verb, content)
    if subj is not None and not hosted and any(a.i == content.i for a in subj.ancestors):
        subj = None
    speaker = speaker_tokens(subj) if subj is not None else None if hosted else noun_before(verb)
    cue = token_span(cue_tokens(verb) + [t for t in extra_cue if t.i == verb.i + 1])
    ce = _end_at_quote_close(text, quotes, cs, ce, verb.idx)
    cs, ce, run = group_quotes(text, quotes, cs, ce, cue, cue_starts)
    if not run and not hosted and ce <= verb.idx:
        ce = max(ce, _inserted_rest(verb, subj, content, ce, text))
    return propose("cue_verb", article.text, speaker, cue, (cs, ce), kind="direct" if run else None)


def _end_at_quote_close(text: str, quotes: list[tuple[int, int]], cs: int, ce: int, cue_at: int) -> int:
    """A content that opens a quote ends where the quote closes when the cue comes after
    it: the parser's stray words after the close ("“A,” Tulsa police Chief X said") are
    the speaker's, not what was said."""
    k = bisect.bisect_right(quotes, (cs + 2, 1 << 62)) - 1
    if k >= 0 and quotes[k][0] - 1 <= cs < quotes[k][1] and quotes[k][1] < ce <= cue_at:
        stray = _WORDS.findall(text, quotes[k][1], ce)
        if stray and all(w[:1].isupper() for w in stray):  # a name, not "“A” to drive up ..."
            return quotes[k][1]
    return ce


_WORDS = re.compile(r"\w[\w'’.-]*")


def _content_tokens(verb: Any, content: Any, extra_cue: list[Any], hosted: bool) -> tuple[list[Any], list[Any]]:
    """The tokens of a cue verb's content (from its root `content`) and what is left of
    the cue's extra tokens: a host clause without the inserted cue; an object with its
    predicate or 'as' complement; else the reported clause with the verb's modifiers
    after it, less a second report."""
    if hosted:
        # the inserted cue and its speaker; where the parser gave the cue a second subject
        # before its speaker, that and what follows it stay the host's ("''That, sadly,'' he said, ''is ...''")
        subj = own_subject(verb)
        two = sum(1 for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")) > 1
        lo = subj.left_edge.i if two and subj is not None and subj.i < verb.i else verb.left_edge.i
        inner = {t.i for t in verb.subtree if t.i >= lo}
        ctoks = [t for t in content.subtree if t.i not in inner or t.i == content.i]
        ctoks = [t for t in ctoks if not (t.i < verb.i and t.head.i == content.i and t.dep_ in ("cc", "punct"))]  # "But as X said, A"
        return ctoks, []
    if extra_cue and (extra_cue[0].dep_ == "oprd" or extra_cue[0].i > content.i and extra_cue[0].left_edge.lower_ == "as"):
        ctoks = list(content.subtree) + list(extra_cue[0].subtree)
        return ctoks + _tail(verb, content, ctoks), []
    if content.dep_ == "nsubjpass":  # "X was endorsed by Y": X alone
        return list(content.subtree), []
    ctoks = [t for t in clause_tokens(content) if all(t.i != x.i for x in extra_cue)]  # "called for him to resign"
    ctoks = _without_occasion(verb, content, ctoks)
    ctoks = _cut_second_report(verb, content, ctoks)
    if ctoks:
        ctoks = ctoks + _tail(verb, content, ctoks)
        ctoks = ctoks + _reported_conjunct(verb, content, ctoks)
        if content.dep_ == "xcomp":  # "urged voters to stay home": the addressee is part of it
            obj = next((c for c in verb.children if c.dep_ == "dobj" and verb.i < c.i < content.i), None)
            if obj is not None:
                ctoks = list(obj.subtree) + ctoks
    return ctoks, extra_cue


def _as_report(verb: Any) -> tuple[Any, list[Any]] | None:
    """"As the mayor said, the bridge will reopen", "as one official put it, ...": a cue in
    an 'as' clause with no content of its own reports the clause it modifies."""
    if (verb.dep_ == "advcl" and verb.head.pos_ in ("VERB", "AUX") and own_subject(verb) is not None
            and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)):
        return verb.head, [verb]
    return None


def _host_clause(verb: Any) -> tuple[Any, list[Any]] | None:
    """An inserted cue ("That, he argued, is why ..." / "... is over, she said"): the
    clause it is inserted in is the content."""
    if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in lexicon()["verbs"] and own_subject(verb) is not None:
        return verb.head, [verb]
    return None


def _without_occasion(verb: Any, content: Any, ctoks: list[Any]) -> list[Any]:
    """"said after the convention he would ...": the occasion the parser hung on the
    reported clause, before its subject, is when the words were said, not part of them."""
    subj = own_subject(content)
    if subj is None or content.i < verb.i or any(c.dep_ == "mark" for c in content.children):
        return ctoks
    lead = [c for c in content.children if c.i < subj.left_edge.i and not c.is_punct]
    if not lead or not all(_occasion(c) for c in lead):
        return ctoks
    return [t for t in ctoks if t.i >= subj.left_edge.i]


def _cut_second_report(verb: Any, content: Any, ctoks: list[Any]) -> list[Any]:
    """"She said she admires X and praised Y": the parser hung the speaker's second cue
    verb on the reported clause; it is a report of its own (same tense as the first cue,
    no subject), not part of the content."""
    if content.dep_ not in ("ccomp", "advcl") or own_subject(content) is None:
        return ctoks
    for c in content.children:
        if c.dep_ == "conj" and c.i > content.i and c.tag_ == verb.tag_ and is_cue_verb(c) and own_subject(c) is None:
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
        if c.tag_ == "''" and c.i == end + 1 and out:
            out.append(c)  # the quote's close after a conjunct ('"a breach and in defiance" of ...')
            end = c.i
            continue
        if c.dep_ == "cc" and _complement_conjunct(verb, c):
            continue  # "calling X a violation and in flagrant disregard of Y": taken with its conjunct
        if (c.dep_ == "conj" and _complement_conjunct(verb, c) and not any(t.text in ("--", "—", "–", ";", "(") for t in ctoks)
                and all(t.dep_ == "cc" or t.is_punct or t.is_space for t in verb.doc[end + 1:c.left_edge.i])):
            taken = {o.i for o in out}
            out.extend(t for t in verb.doc[end + 1:c.right_edge.i + 1] if t.i not in taken)
            end = c.right_edge.i
            continue
        if c.dep_ not in _TAIL_DEPS or is_cue_verb(c):
            break
        if c.dep_ == "advcl" and c.tag_ == "VBG":
            break
        if _occasion(c) or _circumstance(c):
            break
        out.extend(c.subtree)
    return out


def _complement_conjunct(verb: Any, c: Any) -> bool:
    """`c` is, or is the "and" before, a conjunct of the cue verb that is no verb: a second
    complement the parser hung on the verb ("calling X a violation and in disregard of Y")."""
    if c.dep_ == "cc":
        c = next((k for k in verb.children if k.dep_ == "conj" and k.i > c.i), None)
        if c is None:
            return False
    return c.dep_ == "conj" and c.pos_ in ("ADP", "ADJ", "NOUN", "PROPN")


# words opening a clause set against what was said ("..., although he refused ...")
_CONTRASTS = frozenset({"although", "though", "whereas"})
_CIRCUMSTANCE_MARKS = frozenset({"while", "when", "after", "since", "until"}) | _CONTRASTS


def _circumstance(c: Any) -> bool:
    """A clause modifying the cue verb, with its own subject, that says when it was said
    or what it stands against, not what was said ("condemned the launch while the leaders
    met", "opposed the permits until the work was done")."""
    return (c.dep_ == "advcl" and own_subject(c) is not None
            and any(m.dep_ in ("mark", "advmod") and m.i < c.i and m.lower_ in _CIRCUMSTANCE_MARKS for m in c.children))


def _reported_conjunct(verb: Any, content: Any, ctoks: list[Any]) -> list[Any]:
    """"She said she hoped to win, and then would run again", "wants to cut taxes, grow
    the army and ...": a verb phrase the parser conjoined to the cue verb after its
    content, with no subject of its own and a modal or the base form of an infinitive
    content, is more of what was said (the tokens from the content's end to the phrase's end)."""
    end = max(t.i for t in ctoks)
    for c in verb.children:
        if c.dep_ != "conj" or c.i <= end or own_subject(c) is not None:
            continue
        modal = not is_cue_verb(c) and any(a.dep_ == "aux" and a.tag_ == "MD" and a.i < c.i for a in c.children)
        infinitive = (content.dep_ == "xcomp" and content.tag_ == "VB" and c.tag_ in ("VB", "VBP") and verb.tag_ not in ("VB", "VBP")
                      and not any(a.dep_ in ("aux", "auxpass", "neg") and a.tag_ != "TO" for a in c.children) and not _finite_conjunct(c))
        if modal or infinitive:
            return [t for t in verb.doc[end + 1:c.right_edge.i + 1] if not t.is_space]
    return []


def _finite_conjunct(v: Any) -> bool:
    """A clause of its own conjoined under `v` ("... and he pledged X", "... and said Y")."""
    return any(t.dep_ == "conj" and (own_subject(t) is not None or t.tag_ in ("VBD", "VBZ")) for t in v.subtree if t.i != v.i)


# nouns of the occasion on which something was said ("said at a rally", "in an interview")
_OCCASIONS = frozenset({"rally", "interview", "speech", "statement", "debate", "conference", "meeting", "hearing", "event",
                        "briefing", "appearance", "email", "letter", "tweet", "post", "show", "broadcast", "call", "session",
                        "forum", "address", "remarks", "report", "visit", "trip", "stop", "dinner", "luncheon", "gathering",
                        "summit", "convention", "ceremony", "testimony", "op-ed", "column", "memo", "release", "program",
                        "programme", "podcast", "radio", "television", "video", "ruling", "diatribe", "tirade", "rant",
                        "editorial", "article", "essay", "filing"})


def _occasion(c: Any) -> bool:
    """A modifier saying when or where something was said: "on Tuesday", "at a rally",
    "in an interview", "last week" (not part of what was said)."""
    if c.dep_ == "npadvmod" or c.dep_ == "advmod":
        return False
    if c.dep_ != "prep" or c.lower_ not in ("on", "at", "in", "during", "before", "after", "since", "to", "from", "via", "through", "with", "while"):
        return False
    if c.lower_ == "during":
        return True  # "during his time on MSNBC": always when
    obj = next((g for g in c.children if g.dep_ == "pobj"), None)
    return obj is not None and (obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in _OCCASIONS)


def _cut_trailing_aside(ctoks: list[Any], *, finite: bool = True) -> list[Any]:
    """Drop a comment set off by a comma or dash at the end of a content: a participle
    after an infinitive ("pledged to strengthen its army, reversing ...") or with a report
    of its own (", contradicting the claim that ..."; after a reported clause it else goes
    on with what was said: "said it cancelled 40 flights, affecting 5,000 passengers"), a
    non-restrictive relative clause (", which ..."), a contrast (", although he refused
    ...", ", though engineers had found cracks") or an apposition (", the father of ...")."""
    idx = {t.i for t in ctoks}
    end, first = max(idx), min(idx)
    cut = end + 1
    for sep in ctoks:
        if sep.text not in (",", "—", "–", "--") or sep.i + 1 not in idx or sep.i + 1 > end:
            continue
        left = sep.doc[sep.i + 1]
        if (left.tag_ == "VBG" and left.dep_ in ("advcl", "xcomp", "conj") and left.i > first + 2
                and left.lemma_.lower() in lexicon()["speaking_verbs"] and content_child(left) is not None):
            cut = min(cut, sep.i)  # ", telling reporters that ...": a report of its own
            continue
        t = left
        while True:  # the tokens whose phrase starts right after the separator
            if t.i in idx and t.i > first + 2 and t.right_edge.i >= end:
                aside = (t.dep_ in ("advcl", "acl", "xcomp", "conj") and t.tag_ == "VBG" and left.i == t.i
                         and (not finite or any(is_cue_verb(x) for x in t.subtree))
                         or t.dep_ == "relcl" and left.lower_ in ("which", "who", "whom", "whose")
                         or t.dep_ == "advcl" and left.lower_ in _CONTRASTS
                         or t.dep_ == "appos")
                if aside:
                    cut = min(cut, sep.i)
            h = t.head
            if h.i == t.i or h.left_edge.i != left.i:
                break
            t = h
    return [t for t in ctoks if t.i < cut]


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
    if any(is_cue_verb(t) for t in rest):
        return ce  # "..., adding that ...", "while other voters said ...": another report
    ids = {t.i for t in rest}
    for t in rest:
        if t.head.i not in ids and not (t.head.i == content.i or t.head.i == verb.i and t.dep_ in ("ccomp", "conj", "advcl", "cc")):
            return ce
    return trim(text, ce, rest[-1].idx + len(rest[-1].text))[1]


def _trailing_cue(verb: Any, article: Article,
                  quotes: list[tuple[int, int]], cue_starts: list[int]) -> Candidate | None:
    """"A, she said." / "A, said the mayor." when the parser missed that A is what was said:
    a reporting verb and its subject closing the sentence after a comma."""
    if verb.lemma_.lower() not in lexicon()["verbs"]:
        return None
    subj = own_subject(verb)
    if subj is None:
        return _named_after_quote(verb, article, quotes, cue_starts)
    sent = verb.sent
    core = {t.i for t in subj.subtree} | {t.i for t in cue_tokens(verb)}
    after = [t for t in sent if t.i > max(core) and not t.is_space]
    if any(not t.is_punct for t in after):
        return None
    first = min(core)
    text = article.text
    if all(t.is_punct or t.is_space for t in sent if t.i < first):
        return _after_quote(verb, subj, article, quotes, cue_starts, sent.doc[first].idx)
    k = first - 1
    while k >= sent.start and (sent.doc[k].is_punct and sent.doc[k].text not in ",") or k >= sent.start and sent.doc[k].is_space:
        k -= 1
    if k < sent.start or sent.doc[k].text != ",":
        return None
    if k - sent.start < 3:
        return None
    cs, ce = trim(text, sent.start_char, sent.doc[k].idx)
    if ce - cs < 3:
        return None
    cue = token_span(cue_tokens(verb))
    cs, ce, run = group_quotes(text, quotes, cs, ce, cue, cue_starts)
    return propose("cue_verb", article.text, _trailing_speaker(subj), cue, (cs, ce), kind="direct" if run else None)


def _trailing_speaker(subj: Any) -> list[Any] | None:
    """The speaker of a trailing cue: its subject, but not a passive one ("A, the court
    was told": the court heard it, nobody named said it)."""
    return None if subj.dep_ == "nsubjpass" else speaker_tokens(subj)


def _named_after_quote(verb: Any, article: Article,
                       quotes: list[tuple[int, int]], cue_starts: list[int]) -> Candidate | None:
    """"“A,” Tulsa police Chief Ana Ruiz said Monday." where the parser lost the verb's
    subject: a quote, then a name or noun phrase and nothing else, then the cue verb; the
    phrase speaks and the quote is what was said."""
    text = article.text
    k = bisect.bisect_left(quotes, (verb.idx,)) - 1
    if k < 0 or verb.idx - quotes[k][1] > 80:
        return None
    qs, qe = quotes[k]
    doc = verb.doc
    between = [t for t in doc[verb.sent.start:verb.i] if t.idx >= qe and not t.is_space]
    words = [t for t in between if not t.is_punct]
    if not words or any(t.pos_ in ("VERB", "AUX") and not t.is_title or t.text in ".!?" for t in between) or len(words) > 10:
        return None
    if words[-1].pos_ not in ("PROPN", "NOUN") or not text[qe:words[0].idx].strip(" ,\n" + QUOTE_CLOSE) == "":
        return None
    cue = token_span(cue_tokens(verb))
    cs, ce, _ = group_quotes(text, quotes, qs, qe, cue, cue_starts)
    cs, ce = trim(text, cs, ce, strip_quotes=True)
    if ce - cs < 3:
        return None
    return propose("cue_verb", text, words, cue, (cs, ce), kind="direct")


def _after_quote(verb: Any, subj: Any, article: Article,
                 quotes: list[tuple[int, int]], cue_starts: list[int], at: int) -> Candidate | None:
    """"“Who pays for it?” the mayor asked." : a quote ending in ? or ! closes a sentence
    of its own, and the cue and speaker follow as the next one."""
    text = article.text
    k = bisect.bisect_left(quotes, (at,)) - 1
    if k < 0:
        return None
    qs, qe = quotes[k]
    if qe > at or text[qe - 1:qe] not in ("?", "!") or text[qe:at].strip(QUOTE_CLOSE + " ") or len(text[qs:qe].split()) < 2:
        return None
    cue = token_span(cue_tokens(verb))
    cs, ce, _ = group_quotes(text, quotes, qs, qe, cue, cue_starts)
    return propose("cue_verb", article.text, _trailing_speaker(subj), cue, (cs, ce), kind="direct")
