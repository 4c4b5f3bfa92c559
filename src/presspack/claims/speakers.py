"""Speakers: who speaks for a cue in the parse (the subject of a cue verb, with the
parser's common misreadings mended, and the speaker phrase without its description), and
speaker resolution: from the mention as written to an entity of the article."""

from __future__ import annotations

import bisect
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.claims.cues import is_cue_verb
from presspack.claims.syntax import agent, own_subject
from presspack.normalize.text import Article


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
    if own is not None:
        return _named_apposition(own) or own
    if verb.dep_ == "relcl" or verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return verb.head  # "officials who said", "groups backing the senator", "letters urging ..."
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod", "ccomp", "pcomp"):
        fallback = None
        for anc in verb.ancestors:
            subj = own_subject(anc)
            if subj is not None and is_cue_verb(anc):
                return subj
            if subj is not None and fallback is None and anc.dep_ not in ("ccomp", "xcomp"):
                fallback = subj
        return fallback
    if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and is_cue_verb(verb.head.head) and verb.tag_ == verb.head.head.tag_:
        subj = own_subject(verb.head.head)  # "She said she admires X and praised Y": praised is hers
        if subj is not None:
            return subj
    v = verb
    for _ in range(6):
        if v.dep_ not in ("conj", "xcomp", "advcl", "acomp") or v.head.i == v.i:
            return None
        v = v.head
        subj = own_subject(v)
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


def speaker_tokens(subj: Any) -> list[Any]:
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


PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we"}
GROUP_PRONOUNS = {"they", "it", "we"}
RELATIVE = {"who", "which", "that"}


class SpeakerResolver:
    """Maps a speaker mention to an entity (key, canonical name) within one article.

    Named speakers resolve through the entity mention at their head; pronouns to the
    latest person who spoke (speaker continuity), else the nearest person mentioned
    before; descriptions to the entity the same noun stood next to ("Russian President
    Vladimir Putin" -> "The Russian President"), else the nearest compatible entity.
    """

    CONTINUITY_CHARS = 1500

    def __init__(self, doc: Any, article: Article, mentions: list[dict[str, Any]]) -> None:
        self.doc = doc
        self.text = article.text
        self.mentions = sorted(mentions, key=lambda m: m["start"])
        self.starts = [m["start"] for m in self.mentions]
        self.speakers: list[tuple[int, str, str]] = []  # (position, key, name) of resolved person speakers

    def _at(self, s: int, e: int) -> dict[str, Any] | None:
        for m in self.mentions:
            if m["start"] <= s and e <= m["end"] and m["label"] in ("PERSON", "ORG", "GPE", "NORP", "PER", "FAC", "LOC"):
                return m
        return None

    def _previous(self, pos: int, labels: tuple[str, ...]) -> dict[str, Any] | None:
        k = bisect.bisect_left(self.starts, pos) - 1
        while k >= 0:
            m = self.mentions[k]
            if m["label"] in labels and m["end"] <= pos:
                return m
            k -= 1
        return None

    def resolve(self, tokens: list[Any], s: int, e: int) -> tuple[str | None, str | None]:
        key, name = self._resolve(tokens, s, e)
        if key is not None and key.startswith("person:"):
            self.speakers.append((s, key, name or ""))
        return key, name

    def _resolve(self, tokens: list[Any], s: int, e: int) -> tuple[str | None, str | None]:
        ids = {t.i for t in tokens}
        head = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])
        m = self._at(head.idx, head.idx + len(head.text))
        if m is not None:
            return m["entity_key"], m["canonical"]
        low = head.lower_
        if head.tag_ in ("WP", "WDT") or low in RELATIVE:
            target = head.head.head if head.head.dep_ == "relcl" else None
            if target is not None:
                tm = self._at(target.idx, target.idx + len(target.text))
                if tm is not None:
                    return tm["entity_key"], tm["canonical"]
                if target.pos_ == "NOUN":
                    return self._description(target, target.idx)
            return None, None
        if head.pos_ == "PRON":
            if low in PERSON_PRONOUNS:
                return self._person_before(s)
            if low in GROUP_PRONOUNS:
                m = self._previous(s, ("ORG", "GPE", "NORP"))
                return (m["entity_key"], m["canonical"]) if m else (None, None)
            return None, None
        if head.pos_ in ("NOUN", "PROPN"):
            return self._description(head, s)
        return None, None

    def _person_before(self, s: int) -> tuple[str | None, str | None]:
        recent = [sp for sp in self.speakers if sp[0] < s]
        last = self._previous(s, ("PERSON",))
        if recent and s - recent[-1][0] <= self.CONTINUITY_CHARS:
            # a person named after the last speaker takes over, if named in full
            if last is None or last["start"] < recent[-1][0] or last["entity_key"] == recent[-1][1] or " " not in last["canonical"]:
                return recent[-1][1], recent[-1][2]
        if last is not None:
            return last["entity_key"], last["canonical"]
        return None, None

    def _description(self, head: Any, s: int) -> tuple[str | None, str | None]:
        """A description ("the Russian President", "the ministry")."""
        noun = head.lower_
        lemma = head.lemma_.lower()
        for m in reversed([m for m in self.mentions if m["end"] <= s]):
            before = self.text[max(0, m["start"] - 40):m["start"]].lower().split()[-4:]
            after = self.text[m["end"]:m["end"] + 40].lower()
            appos = after.startswith(", ") and noun in after[2:].replace(",", " ").split()[:4]
            if noun in before or appos:
                return m["entity_key"], m["canonical"]
        if lemma in _org_nouns():
            m = self._previous(s, ("ORG", "GPE", "NORP"))
            return (m["entity_key"], m["canonical"]) if m else (None, None)
        if lemma in _person_nouns():
            return self._person_before(s)
        return None, None


@cache
def _org_nouns() -> frozenset[str]:
    return frozenset({"ministry", "government", "company", "party", "department", "agency", "office", "committee",
                      "council", "court", "army", "military", "police", "kremlin", "firm", "group", "organization",
                      "organisation", "bank", "union", "administration", "campaign", "embassy", "parliament",
                      "congress", "senate", "commission", "authority", "authorities", "regulator", "board", "team"})


@cache
def _person_nouns() -> frozenset[str]:
    base = {"president", "minister", "leader", "senator", "official", "spokesman", "spokeswoman", "spokesperson",
            "chairman", "chief", "secretary", "governor", "mayor", "candidate", "premier", "chancellor", "king",
            "queen", "general", "commander", "ambassador", "envoy", "director", "executive", "ceo", "founder",
            "man", "woman", "doctor", "lawyer", "judge", "officer", "analyst", "expert", "diplomat", "head", "nominee",
            "congressman", "congresswoman", "representative", "adviser", "advisor", "aide", "manager", "coach", "player"}
    titles = {t.split()[-1] for t in tomllib.loads(resources.files("presspack").joinpath("data/names.toml").read_text(encoding="utf-8"))["person_titles"]}
    return frozenset(base | titles)
