"""Speakers as written: who speaks for a cue in the parse (the subject of a cue verb, with
the parser's common misreadings mended, and the speaker phrase without its description).
Who they are is resolve.py's work, done by the assembler."""

from __future__ import annotations

from typing import Any

from presspack.claims.agreement import INSTITUTION_LABELS, PERSON_LABELS, speaker_nouns
from presspack.claims.cues import is_cue_verb, lexicon
from presspack.claims.syntax import DASHES, agent, dateline_dash, list_items, own_subject


def subject(verb: Any) -> Any | None:
    """The subject of a cue verb. A participial cue ("..., stressing that ...") takes the
    subject of the nearest governing cue verb, else of its clause; conjoined verbs
    inherit their head's subject, an infinitive that of the verb or the adjective it
    completes ("X is quick to point out that ..."); a relative clause's subject is its
    head noun. A passive cue's speaker is its agent ("when asked by a reporter whether ...")."""
    by = agent(verb)
    if by is not None:
        return by
    own = own_subject(verb)
    if own is not None and own.dep_ == "nsubjpass" and not _quoted_as(verb):
        return None  # "X was told that ...", "X was accused of ...": the hearer or the target, not who spoke
    if own is not None and own.tag_ in ("VBN", "VBG") and own.dep_ == "nsubj":
        own = _name_hung_before(verb) or own  # "Alarmed by X, Senator Y, the leader, said": not "Alarmed"
    if own is not None:
        return _named_apposition(own) or own
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ == "NOUN" and verb.head.lemma_.lower() in lexicon()["occasion_nouns"]:
        host = _host(verb.head)
        if host is not None:
            return host  # "during a speech attacking ...", "held a briefing to brag that ..."
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ == "NOUN":
        return issuer(verb.head) or verb.head  # "groups backing the senator", "letters urging ...", "the firm issued a statement saying ..."
    if verb.dep_ == "relcl" or verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("PROPN", "PRON"):
        return verb.head  # "officials who said", "Acme, backing the bid", "those urging ..."
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod", "ccomp", "pcomp"):
        fallback = None
        for anc in verb.ancestors:
            subj = own_subject(anc)
            if subj is not None and is_cue_verb(anc):
                return _reporter(anc, verb) or _named_apposition(subj) or subj
            if subj is not None and fallback is None and anc.dep_ not in ("ccomp", "xcomp"):
                fallback = subj
        return fallback if fallback is None else _named_apposition(fallback) or fallback
    if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and is_cue_verb(verb.head.head) and verb.tag_ == verb.head.head.tag_:
        subj = own_subject(verb.head.head)  # "She said she admires X and praised Y": praised is hers
        if subj is not None:
            return subj
    misparsed = _misparsed_subject(verb)
    if misparsed is not None:
        return misparsed
    v = verb
    for _ in range(6):
        if v.dep_ not in ("conj", "xcomp", "advcl", "acomp") or v.head.i == v.i:
            return None
        v = v.head
        subj = own_subject(v)
        if subj is not None:
            return subj
    return None


def _reporter(cue: Any, participle: Any) -> Any | None:
    """"Perdue said he didn't believe X, arguing that ...": a participle set off by a
    comma after a reported clause (a cue verb that is the content of a cue before it)
    belongs to whoever reports it (the outermost such cue), not to the reported clause's
    subject. A report the cue comes after ("Her friends mocked him, calling him X, Susan
    said") keeps the participle its own subject's."""
    if participle.doc[participle.i - 1].text != ",":
        return None
    found = None
    while cue.dep_ == "ccomp" and cue.head.i < cue.i and is_cue_verb(cue.head):
        subj = own_subject(cue.head)
        if subj is None:
            break
        cue, found = cue.head, subj
    return found


def _host(occasion: Any) -> Any | None:
    """Who holds, makes or speaks at `occasion` (occasion_nouns, data/cues.toml): the name
    that owns it ("Clinton's speech"), else the subject of the verb above it ("Clinton
    made the remarks during a speech"); None when that verb has none."""
    owner = next((c for c in occasion.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
    if owner is not None:
        return owner
    verb = next((a for a in occasion.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subj = own_subject(verb) if verb is not None else None
    return None if subj is None else _named_apposition(subj) or subj


def issuer(noun: Any) -> Any | None:
    """Who put out the statement, letter or report `noun` ("The firm issued a statement
    saying ...", "Ms Cole sent a letter urging ..."): the subject of the issuing verb
    (issuing_verbs, data/cues.toml) whose object it is; None for a document nobody is said
    to have issued ("a statement saying ... was read out")."""
    lex = lexicon()
    if noun.dep_ != "dobj" or noun.head.lemma_.lower() not in lex["issuing_verbs"]:
        return None
    lemma = noun.lemma_.lower()
    if lemma not in lex["said_objects"] and lemma not in lex["speakers"]["document"]:
        return None
    subj = own_subject(noun.head)
    return subj if subj is not None and subj.dep_ == "nsubj" and subj.lower_ not in ("it", "that", "which") else None


def _misparsed_subject(verb: Any) -> Any | None:
    """The subject of a finite cue verb that the parser did not label one: a name before
    it taken for a compound or left unattached ("Scott bristles at ...", "DuVernay both
    documents ..."), or the noun it was hung on as a modifier when the sentence has no
    other verb ("A Times article hailed him as ...")."""
    if verb.tag_ not in ("VBD", "VBZ"):
        return None
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.i < verb.i and verb.head.pos_ in ("NOUN", "PROPN"):
        return verb.head
    if verb.dep_ != "ROOT":
        return None
    found = next((c for c in verb.children if c.i < verb.i and c.dep_ in ("compound", "dep") and c.pos_ in ("PROPN", "NOUN")
                  and c.ent_type_ not in ("DATE", "TIME") and verb.i - c.right_edge.i <= 2), None)
    return found if found is not None else _name_hung_before(verb) or _subject_going_on(verb)


def _subject_going_on(verb: Any) -> Any | None:
    """"Kasich offered the man a job, then says he will ...": the parser made the first
    clause a complement of the cue; its subject goes on to say what follows."""
    if not any(c.dep_ == "ccomp" and c.i > verb.i for c in verb.children):
        return None
    first = next((c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i), None)
    subj = own_subject(first) if first is not None else None
    if subj is None:
        return None
    between = verb.doc[first.right_edge.i + 1:verb.i]
    if not any(t.lower_ in ("then", "and", "later") for t in between):
        return None
    return subj if all(t.is_punct or t.dep_ in ("cc", "advmod") for t in between) and subj.pos_ in ("PROPN", "PRON", "NOUN") else None


def _name_hung_before(verb: Any) -> Any | None:
    """"Alarmed by the unrest in Nevada, Senator Harry Reid, the minority leader, said
    ...": the name right before a subjectless cue (after its apposition) that the parser
    hung on the phrase before it, set off from that phrase by a comma."""
    doc = verb.doc
    k = verb.i - 1
    while k > verb.sent.start and doc[k].pos_ == "ADV":
        k -= 1  # "also said"
    if doc[k].text == ",":
        k -= 1
    t = doc[k]
    while t.dep_ == "appos" and t.head.i < t.i and not (t.pos_ == "PROPN" and t.ent_type_ in ("PERSON", "ORG")):
        t = t.head  # from the description to the name it describes
    if t.right_edge.i != k or t.pos_ != "PROPN" or t.ent_type_ not in ("PERSON", "ORG") or t.dep_ not in ("conj", "pobj", "dobj", "appos"):
        return None
    left = t.left_edge.i
    return t if left > verb.sent.start and doc[left - 1].text == "," and verb.sent.start < t.head.i < left else None


def _named_apposition(subj: Any) -> Any | None:
    """A person's name the parser made an apposition of a subject that names nobody: a
    fronted phrase ("With 50 days to go, Ana Ruiz, an adviser, said", "LONDON (AP) — Ana
    Ruiz told"), a clause ("To see it, Judge Ana Ruiz said, ...") or an organisation or
    place in the subject's phrase ("A partner at Lenox, Ana Ruiz, said")."""
    dated = _dateline_name(subj)
    if dated is not None:
        return dated
    if subj.pos_ == "PRON" or subj.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return None
    named = next((c for c in subj.children if c.dep_ == "appos" and c.i > subj.i and c.ent_type_ == "PERSON"), None)
    if named is None:  # "A partner at Lenox, Ana Ruiz, said": the parser hung her on the organisation
        named = next((c for p in subj.children if p.dep_ == "prep" and p.i > subj.i for o in p.children
                      if o.dep_ == "pobj" and _body(o)
                      for c in o.children if c.dep_ == "appos" and c.i > o.i and c.ent_type_ == "PERSON"), None)
    return named


def _body(t: Any) -> bool:
    """An organisation or place (a name or a noun such as "union"), which no person's name stands in apposition to."""
    return t.ent_type_ in INSTITUTION_LABELS or not t.ent_type_ and t.lemma_.lower() in speaker_nouns()["organisation"]


def _dateline_name(subj: Any) -> Any | None:
    """"LONDON (AP) — Ana Ruiz said", "New York (AFP) – Vice President Ana Ruiz on Monday
    hit ...": a dateline the parser made the subject, with the speaker's name in
    apposition after the dash."""
    dash = dateline_dash(subj)
    if dash is None:
        return None
    return next((c for c in reversed(list(subj.children)) if c.dep_ == "appos" and c.i > dash and c.pos_ == "PROPN"), None)


def _quoted_as(verb: Any) -> bool:
    """"X was quoted as saying", "was heard telling": a passive whose subject is the speaker."""
    return any(c.dep_ in ("xcomp", "advcl", "prep", "oprd") and (is_cue_verb(c) or any(is_cue_verb(g) for g in c.children))
               for c in verb.children)


def speaker_tokens(subj: Any) -> list[Any]:
    """The speaker phrase: the subject's subtree without relative clauses, appositions
    or other material after a comma ("Hugh Hill, a doctor, said" -> "Hugh Hill"), nor
    what comes before a spaced dash and names nobody ("S.C. - Sen. Ted Cruz": the end of
    a dateline; not "Ana Ruiz - his aide - said")."""
    items = list_items(subj)  # "Anna Berg, Tom Reyes and Ali Khan said": all of them
    keep = {t.i for c in items for t in c.subtree} | {c.i for c in subj.children if items and c.i < items[-1].i and c.dep_ in ("cc", "punct")}
    drop: set[int] = set()
    for c in subj.children:
        if c.i > subj.i and c.dep_ in ("relcl", "appos", "acl", "punct", "advcl", "cc", "conj", "case") and c.i not in keep:
            drop.update(t.i for t in c.subtree)
    idx = ({t.i for t in subj.subtree} - drop) | keep
    doc = subj.doc
    lo = hi = subj.i
    nominal = subj.dep_ == "ROOT"  # a verbless sentence's noun: "Years ago, a Times article hailed"; not the occasion
    while lo - 1 in idx and not (nominal and doc[lo - 1].text == ","):
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    lo, hi = hyphen_joined(doc, lo, hi)
    dash = max((k for k in range(lo + 1, subj.i) if doc[k].text in DASHES and doc[k - 1].whitespace_ and doc[k].whitespace_), default=None)
    if dash is not None and not any(t.ent_type_ in PERSON_LABELS for t in doc[lo:dash]):
        lo = dash + 1
    for c in subj.head.children:  # "Tory co-chairman Liam Fox said": the rest of the split phrase
        if c.dep_ in ("nsubj", "nsubjpass") and c.i > hi and c.left_edge.i <= hi + 1 and c.i < subj.head.i:
            hi = c.i
    return [doc[i] for i in range(lo, hi + 1)]


def hyphen_joined(doc: Any, lo: int, hi: int) -> tuple[int, int]:
    """Token range LO..HI widened over words the tokenizer split at a hyphen, which the
    parser then hangs anywhere ("The Tory co-chairman", "the ex-Wallaby"), in one sentence."""
    sent = doc[lo].sent
    while hi + 1 < sent.end and not doc[hi].whitespace_ and "-" in (doc[hi].text, doc[hi + 1].text) and not doc[hi + 1].is_space:
        hi += 1
    while lo - 1 >= sent.start and not doc[lo - 1].whitespace_ and "-" in (doc[lo - 1].text, doc[lo].text):
        lo -= 1
    return lo, hi


def described_speaker(verb: Any, content: Any) -> Any | None:
    """"Ana Ruiz, a rabbi helping to organize it, said she ...": a cue without a subject whose
    speaker and description the parser made a clause before it; the speaker is that
    clause's subject, a name (only punctuation between the clause and the cue)."""
    if content.i < verb.i:
        return None
    for c in verb.children:
        if c.dep_ == "ccomp" and c.i < verb.i:
            subj = own_subject(c)
            doc = verb.doc
            if (subj is not None and subj.ent_type_ in ("PERSON", "ORG") and subj.i < c.i
                    and all(doc[k].is_punct for k in range(c.right_edge.i + 1, verb.i))):
                return subj
    return None


def noun_before(verb: Any) -> list[Any] | None:
    """"... of the Washington Post Trump said that ...", "the $20 million experts say it
    costs": a finite cue verb the parser gave no subject, right after a name or a plural
    noun it hung elsewhere. That noun speaks: its entity, else it with its compounds; and
    it speaks for a verb conjoined to that verb ("... Obama and Clinton call them X and
    describe Y")."""
    if verb.dep_ == "conj" and verb.head.i < verb.i and own_subject(verb) is None and own_subject(verb.head) is None:
        return noun_before(verb.head)
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
