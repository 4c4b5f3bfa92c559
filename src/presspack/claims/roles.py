"""What an article says about who holds which role, read for speaker resolution: the
roles it gives a name ("Russian President Vladimir Putin", "Lord Falconer, the lord
chancellor,", "said economy minister Heizo Takenaka"), ranks that make a role another one
("Deputy Mayor"), the person a lead describes before it names, and whom a bare role most
likely means ("the Tory leader said" after "X has denied ..."). Also the small readings
of speaker phrases the resolver shares: a person's name after "the", an unnamed noun the
parser did not make the head, a role that is someone else's, a noun's gender."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from functools import cache, cached_property
from typing import Any

from presspack.claims.agreement import DETERMINERS, honorifics, is_person, phrase, speaker_nouns
from presspack.claims.cues import is_cue_verb
from presspack.claims.syntax import list_items, subjects_before
from presspack.entities.names import name_rules

# how far after a speaker phrase the name given its role may come (not past its paragraph)
NAMED_NEXT_CHARS = 300

# words before a role that make it another role ("deputy mayor" is not "the mayor")
_RANKS = frozenset({"deputy", "vice", "assistant", "acting", "former", "ex", "shadow", "junior", "associate", "interim",
                    "co", "under", "sub", "lieutenant", "second", "elect"})


_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?][\"'”’]?\s|\n")
_THE_BEFORE = re.compile(r"\b[Tt]he (?:([A-Z][\w'’-]*) )?$")


def titled(m: dict[str, Any], text: str) -> dict[str, Any]:
    """A mention the NER took for a person but that follows "the" ("the Sunday Telegraph",
    "the Guardian"): people are not written so, organisations are (a title between, "the
    Reverend ...", keeps the person)."""
    if m["label"] not in ("PERSON", "PER"):
        return m
    before = _THE_BEFORE.search(text, max(0, m["start"] - 30), m["start"])
    if before is None or before.group(1) and before.group(1).lower().rstrip(".") in honorifics() | speaker_nouns()["person"]:
        return m
    return {**m, "label": "ORG"}


def speaker_noun(span: Any) -> Any | None:
    """The noun a speaker phrase is about where the parser made another word its head: its
    last word where the parser cut the phrase in two or its head is part of a word split at
    a hyphen ("The Tory co-chairman Liam Fox": "co"), or the unnamed speaker noun a phrase
    ends with after an organisation ("A Department for Work spokeswoman": "Department");
    else None."""
    last, root = span[-1], span.root
    split = sum(1 for t in span if not span.start <= t.head.i < span.end) > 1  # two subjects: one phrase cut in two
    hyphen = root.text == "-" or root.i + 1 < span.end and not root.whitespace_ and root.nbor(1).text == "-"
    if (split or hyphen) and not any(t.pos_ == "ADP" for t in span):
        return last  # the parse is no guide there; a noun phrase without a prepositional part ends with its head
    if len(span) < 3 or last.i == span.root.i or last.tag_ != "NN" or not any(t.ent_type_ for t in span[:-1]):
        return None
    lex = speaker_nouns()
    return last if last.lemma_.lower() in lex["anonymous"] or last.lower_ in lex["anonymous"] else None


# nouns for anyone ("the man says"): no role to read a person from
GENERIC_PEOPLE = frozenset({"man", "woman", "person", "boy", "girl", "people", "friend", "victim"})


@cache
def title_words() -> frozenset[str]:
    """Words of a title written before a name ("Acting Detective Superintendent")."""
    return frozenset(w for t in name_rules()["person_titles"] for w in t.split()) | honorifics() | speaker_nouns()["person"] | _RANKS


def _ranks_in(role: str | None) -> set[str]:
    """The rank words of a speaker's own role phrase ("the shadow home secretary":
    {"shadow"}); a role with a rank is not the same role without it."""
    return set((role or "").lower().split()) & _RANKS


def bare_role(span: Any, head: Any) -> bool:
    """A role with nothing that makes it someone else's: no possessive ("his adviser",
    "Pakistan's envoy", "our correspondent") and no complement ("the mayor of Frankfurt",
    "the head of the unit")."""
    if any(t.tag_ in ("PRP$", "POS") or t.dep_ == "poss" for t in span):
        return False
    return not any(c.dep_ == "prep" and c.i > head.i for c in head.children)


_AGE = re.compile(r"\b\d{1,3}-year-old\b")


def aged(span: Any) -> bool:
    """The phrase describes someone by age ("the 34-year-old", "the 40-year-old comic")."""
    return _AGE.search(span.text) is not None


def noun_gender(noun: str) -> str | None:
    """"f" for a -woman noun, "m" for a -man noun, else None."""
    if noun.endswith("woman"):
        return "f"
    return "m" if noun.endswith("man") and noun != "human" else None


class Roles:
    """The roles of one article's names. `mentions` are the resolver's speaker mentions
    (sorted by start), `at` finds the mention covering a character span, `gender` reads
    a person's gender from the article."""

    def __init__(self, doc: Any, text: str, mentions: list[dict[str, Any]],
                 at: Callable[[int, int], dict[str, Any] | None], gender: Callable[[str | None], str | None]) -> None:
        self.doc = doc
        self.text = text
        self.mentions = mentions
        self.starts = [m["start"] for m in mentions]
        self.at = at
        self.gender = gender

    def named_after(self, span: Any, se: int) -> dict[str, Any] | None:
        """"according to its Paris lawyer, Emmanuel Gaillard," / "a government spokesman,
        Ana Ruiz, said" / "The head of the unit, Acting Detective Superintendent Ana Ruiz,":
        a person named in apposition right after the speaker phrase, titles allowed between;
        not the next name of a list ("Mr Afzal, Mr Islam and Mr Kazi")."""
        text = self.text
        if text[se:se + 2] != ", ":
            return None
        k = bisect.bisect_left(self.starts, se + 2)
        if k >= len(self.mentions):
            return None
        m = self.mentions[k]
        between = text[se + 2:m["start"]].split()
        if not (m["start"] - se < 60 and is_person(m) and len(between) <= 4
                and all(w[:1].isupper() and w.rstrip(".").lower() in title_words() for w in between)):
            return None
        name = self.doc.char_span(m["start"], m["end"], alignment_mode="expand")
        return None if name is not None and (name.root.dep_ == "conj" or list_items(name.root)) else m

    def named_by(self, noun: str, s: int) -> dict[str, Any] | None:
        """The latest organisation before `s` whose name holds the noun ("the court" after
        "an Election Court", "the commission" after "the European Commission")."""
        k = bisect.bisect_left(self.starts, s) - 1
        while k >= 0:
            m = self.mentions[k]
            k -= 1
            if m["end"] <= s and m["label"] == "ORG" and noun in (w.lower() for w in re.findall(r"\w+", self.text[m["start"]:m["end"]])):
                return m
        return None

    def issuer_of(self, noun: Any) -> dict[str, Any] | None:
        """Who issued the document a bare document noun means ("the survey has found" ...
        "the Bank of Japan's December survey"): the organisation the article names as the
        issuer of a document of that noun, in a possessive or by-phrase, when it names one
        issuer only."""
        lemma = noun.lemma_.lower()
        found: dict[str, dict[str, Any]] = {}
        for tok in self.doc:
            if tok.lemma_.lower() != lemma or tok.pos_ != "NOUN" or tok.i == noun.i:
                continue
            for c in tok.children:
                who = c if c.dep_ == "poss" else next((g for g in c.children if g.dep_ == "pobj"), None) if c.dep_ == "prep" and c.lower_ == "by" else None
                m = self.at(who.idx, who.idx + len(who.text)) if who is not None else None
                if m is not None and m["label"] == "ORG":
                    found.setdefault(m["entity_key"], m)
        return next(iter(found.values())) if len(found) == 1 else None

    def protagonist(self, s: int, gender: str | None) -> dict[str, Any] | None:
        """Whom a bare role ("the Tory leader", "the singer") means when the article never
        gave it: the person the article opens with speaking ("X has denied ... . The Tory
        leader said"), else the one it names far more than anyone else (at least three
        times, twice as often as the next), agreeing with the noun's gender; never someone
        named in the speaker's own sentence; else no one. (The caller rules out one the
        article gives another role: other_role, other_rank.)"""
        here = self.doc.char_span(s, s + 1, alignment_mode="expand")
        sent_start = here.sent.start_char if here is not None else s
        ok = [m for m in self.mentions if m["end"] <= sent_start and is_person(m)
              and (gender is None or self.gender(m["entity_key"]) in (gender, None))]
        if not ok:
            return None
        lead = self._lead_subject
        if lead is not None:
            return next((m for m in ok if m["entity_key"] == lead), None)
        counts: dict[str, int] = {}
        for m in ok:
            counts[m["entity_key"]] = counts.get(m["entity_key"], 0) + 1
        ranked = sorted(counts.values(), reverse=True)
        best = max(counts, key=lambda k: counts[k])
        if ranked[0] >= 3 and (len(ranked) == 1 or ranked[0] >= 2 * ranked[1]):
            return next(m for m in ok if m["entity_key"] == best)
        return None

    def person_about(self, s: int) -> dict[str, Any] | None:
        """Whom an age description means ("Claxton has been preparing ... . The 25-year-old
        also contested ..."): the person subject of the nearest of the three sentences
        before whose subject is a person or a pronoun (a pronoun: someone the text already
        refers to, so no one), else the article's protagonist."""
        here = self.doc.char_span(s, s + 1, alignment_mode="expand")
        for subj in subjects_before(here[0], 3) if here is not None else ():
            m = self.at(subj.idx, subj.idx + len(subj.text)) if subj is not None else None
            if m is not None and is_person(m):
                return m
            if subj is not None and subj.pos_ == "PRON":
                return None
        return self.protagonist(s, None)

    def named_in_next_sentence(self, span: Any, head: Any) -> dict[str, Any] | None:
        """A lead that describes before it names ("The UK's top judge has revealed ... .
        Lord Woolf said ..."): the article's first sentence has the description as the
        subject of its reporting verb, and the next sentence has a person, named in full
        or with a title, as the subject of its own."""
        first = self._first
        if first is None or head.sent.start != first.start or head.dep_ != "nsubj" or head.head.i != first.root.i:
            return None
        if first.end >= len(self.doc) or any(t.tag_ == "PRP$" for t in span):
            return None  # "his adviser" is someone else's
        nxt = self.doc[first.end].sent
        if nxt[0].lower_ in ("but", "however", "yet", "meanwhile", "instead"):
            return None  # someone answering the lead
        subj = next((t for t in nxt if t.dep_ == "nsubj" and t.head.i == nxt.root.i and is_cue_verb(nxt.root)), None)
        if subj is None:
            return None
        m = self.at(subj.idx, subj.idx + len(subj.text))
        if m is None or not is_person(m) or len(list(subj.subtree)) < 2 or self.other_role(m["entity_key"], head.lower_):
            return None
        return m

    @cached_property
    def _first(self) -> Any | None:
        """The article's first sentence."""
        return next(iter(self.doc.sents), None)

    @cached_property
    def _lead_subject(self) -> str | None:
        """The entity key of the person who speaks in the article's first sentence, as the
        subject of its reporting verb ("X has denied ...", "..., X said"); read once per
        article."""
        first = self._first
        if first is None or not is_cue_verb(first.root):
            return None
        for t in first:
            if t.dep_ == "nsubj" and t.head.i == first.root.i:
                m = self.at(t.idx, t.idx + len(t.text))
                if m is not None and is_person(m):
                    return m["entity_key"]
        return None

    def given_role(self, noun: str, s: int, labels: tuple[str, ...], role: str | None = None) -> dict[str, Any] | None:
        """The entity before `s` that the article gave this role: the noun in the few
        words before its mention ("Russian President Vladimir Putin") or in an apposition
        after it ("Vladimir Putin, the Russian president,"); not a lesser rank of it
        ("Deputy Mayor Ana Ruiz" is not "the mayor")."""
        k = bisect.bisect_left(self.starts, s) - 1
        while k >= 0:
            m = self.mentions[k]
            k -= 1
            if m["end"] <= s and m["label"] in labels and self.has_role(m, noun, role):
                return m
        return None

    def named_next(self, noun: str, e: int, labels: tuple[str, ...], role: str | None) -> dict[str, Any] | None:
        """The entity the text names with this role right after the speaker phrase (within
        NAMED_NEXT_CHARS, not past the next paragraph): "the economy minister said. “…,” said
        economy minister Heizo Takenaka"."""
        limit = self.text.find("\n\n", e)
        limit = e + NAMED_NEXT_CHARS if limit < 0 else min(limit, e + NAMED_NEXT_CHARS)
        k = bisect.bisect_left(self.starts, e)
        while k < len(self.mentions) and self.mentions[k]["start"] < limit:
            m = self.mentions[k]
            k += 1
            if m["label"] in labels and self.has_role(m, noun, role):
                return m
        return None

    def other_role(self, key: str, noun: str) -> bool:
        """Whether the article gives person `key` roles, none of them `noun` ("Foreign
        Secretary Jack Straw" is not "the chancellor")."""
        lex = speaker_nouns()["person"]
        given: set[str] = set()
        for m in self.mentions:
            if m["entity_key"] != key:
                continue
            lead_in = re.split(r"[.!?\n]", self.text[max(0, m["start"] - 40):m["start"]])[-1]
            before = [w for w in (w.strip(",'’").lower() for w in reversed(lead_in.split()[-3:])) if w not in honorifics()][:1]
            after = self._after(m)
            appos = after[2:].replace(",", " ").split()[:6] if after.startswith(", ") else []
            words = [w.strip(".;:").lower() for w in appos] if appos[:1] and appos[0].lower() in ("the", "a", "an") else []
            given.update(w for w in before + words if w in lex and w not in GENERIC_PEOPLE and w not in honorifics())
        return bool(given) and noun not in given

    def other_rank(self, key: str, noun: str, role: str | None) -> bool:
        """Whether the article gives person `key` a rank of this role that the speaker
        phrase does not have ("Deputy Mayor X" for "the mayor"), or the speaker phrase has
        a rank the article does not give them ("the shadow home secretary" for "Home
        Secretary X")."""
        ranks = {self._role_rank(m, noun) for m in self.mentions if m["entity_key"] == key}
        own = _ranks_in(role)
        return any(r and r not in own for r in ranks) or bool(own) and not own & ranks

    def _after(self, m: dict[str, Any]) -> str:
        """The few words after a mention, up to the end of its sentence ("X, a witness
        said. The court": not "court"; "X, the U.S. ambassador" whole)."""
        return _SENTENCE_END.split(self.text[m["end"]:m["end"] + 60], 1)[0]

    def _role_rank(self, m: dict[str, Any], noun: str) -> str | None:
        """The rank word before `noun` where the text gives mention `m` that role ("" for
        none, None when it does not give it)."""
        lead_in = re.split(r"[.!?\n]\s", self.text[max(0, m["start"] - 40):m["start"]])[-1]  # this sentence's words
        before = [w.strip(",'’") for w in lead_in.lower().split()[-4:]]
        while before and before[-1].rstrip(".") in honorifics():
            before.pop()
        if before and (before[-1] != noun or lead_in.rstrip()[-1:] == ","):  # "the prime minister should sack Mr X"
            before = []
        after = self._after(m).lower()
        words = [w.strip(".;:") for w in after[2:].replace(",", " ").split()[:6]] if after.startswith(", ") else []
        right = [w.strip(",.") for w in after.split()[:1]]
        for given in (before, words, right):
            if noun in given:
                i = given.index(noun)
                # the rank may stand before a role of two words: "Deputy Prime Minister X"
                return next((w for w in reversed(given[max(0, i - 2):i]) if w in _RANKS), "")
        return None

    def has_role(self, m: dict[str, Any], noun: str, role: str | None) -> bool:
        """Whether the text gives mention `m` the role `noun`: in the words before it, the
        word after it, or an apposition; a rank ("deputy", "former", "shadow") that one of
        the two has and the other lacks (the speaker's own phrase is `role`) says another
        role."""
        rank = self._role_rank(m, noun)
        own = _ranks_in(role)
        return rank is not None and (rank in own if rank else not own)

    def role_of(self, span: Any, head: Any, m: dict[str, Any]) -> str | None:
        """The title or role the article gives a named speaker here: words before the
        name in the speaker phrase ("Tory co-chairman Liam Fox"), an apposition ("Liam Fox,
        the Tory co-chairman,"), or the phrase the name stands in apposition to ("The
        Shadow Secretary of State for the Family, Theresa May,")."""
        doc = self.doc
        before = [t for t in span if t.idx < m["start"]]
        words = [t for t in before if not (t.lower_ in DETERMINERS or t.lower_.rstrip(".") in honorifics()
                                           or t.is_punct and t.text not in "-–")]
        if words and any(t.pos_ in ("NOUN", "PROPN") for t in words):
            return phrase(words)
        ent_end = m["end"]
        for c in head.children:
            if c.dep_ == "appos" and c.idx >= ent_end and c.pos_ in ("NOUN", "PROPN") and self.at(c.idx, c.idx + len(c.text)) is None:
                toks = [t for t in c.subtree if not t.is_punct or t.text in "-–'’"]
                return phrase(toks)
        if head.dep_ == "appos" and head.head.i < head.i and head.head.pos_ == "NOUN":
            h = head.head
            toks = [t for t in doc[h.left_edge.i:h.i + 1]] + [t for t in h.subtree if h.i < t.i < head.left_edge.i]
            toks = [t for t in toks if not t.is_punct or t.text in "-–'’"]
            return phrase(toks)
        return None
