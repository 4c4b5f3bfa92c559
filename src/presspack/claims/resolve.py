"""Speaker resolution: from a speaker as written to who it is, and what kind of speaker.

The assembler calls `SpeakerResolver.resolve` once per claim, in text order, so the
resolver only ever looks back at what the article said before the speaker:

- a name resolves through its entity mention (a person, organisation, group, or a place
  acting as an institution: "Moscow", "the White House"), never a date, time, number,
  money, percent or quantity;
- a pronoun to the latest speaker before it that agrees in gender and number (he / she:
  a person whose title or given name does not say otherwise; they / it: an organisation,
  group or place), else the nearest such entity mentioned before it, else no one;
- a role or description ("the lord chancellor", "the Russian President", "the company")
  to the entity the article gave that role ("Lord Chancellor Lord Falconer", "Vladimir
  Putin, the Russian president"; what the article says about roles is read in
  claims/roles.py), else the nearest organisation for an organisation noun; an age ("the
  34-year-old") to the person the sentences before were about;
- an unnamed speaker ("a spokesman", "sources close to the talks", "critics", "the
  report") is typed anonymous, group or document and keeps no name unless the phrase names
  the organisation it speaks for ("a Lufthansa spokesman", "an IMF official").

`speaker_role` is the title or role the article gives the speaker where it speaks
("Tory co-chairman Liam Fox", "Ana Ruiz, the shadow home secretary,").
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from presspack.claims.agreement import (
    COLLECTIVES,
    DETERMINERS,
    GROUP_LABELS,
    INDEFINITE,
    INSTITUTION_LABELS,
    MODIFIER_DEPS,
    ORG_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
    QUANTIFIERS,
    acts,
    is_person,
    label_type,
    phrase,
    read_gender,
    speaker_nouns,
    unnamed_speaker_nouns,
)
from presspack.claims.roles import GENERIC_PEOPLE, Roles, aged, bare_role, noun_gender, speaker_noun, titled
from presspack.claims.speakers import hyphen_joined
from presspack.claims.syntax import list_items, subjects_before
from presspack.normalize.text import Article

SPEAKER_LABELS = PERSON_LABELS + ORG_LABELS + PLACE_LABELS + GROUP_LABELS

SPEAKER_TYPES = ("person", "organisation", "group", "anonymous", "document", "unknown")

MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
FIRST_PERSON = frozenset({"i", "me", "we", "us"})
GROUP_PRONOUNS = frozenset({"they", "them", "it"})
RELATIVE = frozenset({"who", "which", "that", "whom"})


@dataclass(frozen=True)
class Speaker:
    """Who a claim's speaker is: entity key and name (None when the text does not say),
    type (one of SPEAKER_TYPES) and the role the article gives them."""

    key: str | None = None
    name: str | None = None
    type: str = "unknown"
    role: str | None = None


class SpeakerResolver:
    """Resolves the speakers of one article, called in text order (see the module doc)."""

    CONTINUITY_CHARS = 1500

    def __init__(self, doc: Any, article: Article, mentions: list[dict[str, Any]],
                 quotes: list[tuple[int, int]] = ()) -> None:
        self.doc = doc
        self.quotes = quotes  # the article's quote spans (claims.quotes.quote_spans)
        self.text = article.text
        self.mentions = sorted((titled(m, self.text) for m in mentions if m["label"] in SPEAKER_LABELS and m.get("entity_key")),
                               key=lambda m: (m["start"], m["end"]))
        self.starts = [m["start"] for m in self.mentions]
        self.history: list[tuple[int, Speaker]] = []  # (position, speaker) of resolved persons and organisations, in text order
        self.unnamed: list[tuple[int, Speaker, str | None]] = []  # (position, speaker, gender) of unnamed speakers ("a spokeswoman")
        self._gender: dict[str, str | None] = {}
        self.roles = Roles(doc, self.text, self.mentions, self._at, self.gender)

    def resolve(self, source: tuple[int, int] | None, *, method: str = "") -> Speaker:
        """Who speaks at SOURCE (the speaker as written; None: the claim names none, then
        an evidential METHOD's source is anonymous)."""
        if source is None:
            return Speaker(type="anonymous" if method == "evidential" else "unknown")
        ss, se = source
        span = self.doc.char_span(ss, se, alignment_mode="expand")
        if span is None or len(span) == 0:
            return Speaker()
        named = self.roles.named_after(span, se)
        speaker = Speaker(named["entity_key"], named["canonical"], "person", phrase(span)) if named else self._resolve(span, ss)
        if speaker.type in ("person", "organisation") and speaker.key is not None:
            self.history.append((ss, speaker))
        elif speaker.type == "anonymous" and span.root.tag_ in ("NN", "NNP") and any(t.lemma_.lower() in unnamed_speaker_nouns() for t in span):
            self.unnamed.append((ss, speaker, noun_gender(span.root.lower_)))  # "a spokeswoman", not "a neighbour": she may answer
        return speaker

    def _resolve(self, span: Any, s: int) -> Speaker:
        head = speaker_noun(span) or span.root
        if head.pos_ in ("VERB", "AUX") and span[-1].pos_ in ("PROPN", "NOUN"):
            head = span[-1]  # a phrase the parser did not read as one ("Tulsa police Chief Ana Ruiz")
        m = self._at(head.idx, head.idx + len(head.text))
        tops = [t for t in span if t.i == head.i or not span.start <= t.head.i < span.end]  # (a phrase cut in two: both parts)
        items = [c for t in tops for c in list_items(t) if span.start <= c.i < span.end]
        name = self._at(items[-1].idx, items[-1].idx + len(items[-1].text)) if items else None
        if items and not (name and name["start"] < items[0].left_edge.idx):  # not one name ("Marsh & McLennan", "Department for Culture, Media and Sport")
            return Speaker(type="group")  # "Mr Afzal, Mr Islam and Mr Kazi deny": several speak together
        if m is not None:
            return Speaker(m["entity_key"], m["canonical"], label_type(m["label"]), self.roles.role_of(span, head, m))
        low = head.lower_
        if head.tag_ in ("WP", "WDT") or low in RELATIVE:
            return self._relative(head)
        if low in QUANTIFIERS or head.ent_type_ == "PERCENT":  # "many said", "some in the party", "only 7% of those asked"
            return Speaker(type="group")
        if head.pos_ == "PRON" or low in MALE_PRONOUNS | FEMALE_PRONOUNS | GROUP_PRONOUNS | FIRST_PERSON:
            return self._pronoun(low, s, head)
        found = self._description(span, head, s) if head.pos_ in ("NOUN", "PROPN") else Speaker()
        who = self.roles.person_about(s) if found.key is None and aged(span) else None  # "the 34-year-old"
        return Speaker(who["entity_key"], who["canonical"], "person", found.role or phrase(span)) if who else found

    def _at(self, s: int, e: int) -> dict[str, Any] | None:
        k = bisect.bisect_right(self.starts, s) - 1
        while k >= 0 and self.mentions[k]["start"] > s - 200:
            m = self.mentions[k]
            if m["start"] <= s and e <= m["end"]:
                return m
            k -= 1
        return None

    def _relative(self, head: Any) -> Speaker:
        """"officials who said": the noun the relative clause hangs on ("X is among those who said": X)."""
        target = head.head.head if head.head.dep_ == "relcl" else None
        if target is None:
            return Speaker()
        if target.lower_ in ("those", "others") and target.dep_ == "pobj" and target.head.lower_ == "among":
            target = next((c for c in target.head.head.children if c.dep_ == "nsubj"), target)
        tm = self._at(target.idx, target.idx + len(target.text))
        if tm is not None:
            return Speaker(tm["entity_key"], tm["canonical"], label_type(tm["label"]))
        if target.pos_ in ("NOUN", "PROPN"):
            lo = min(t.idx for t in target.subtree if t.i <= target.i)
            span = self.doc.char_span(lo, target.idx + len(target.text), alignment_mode="expand")
            if span is not None:
                return self._description(span, target, target.idx)
        return Speaker()

    def _pronoun(self, low: str, s: int, head: Any) -> Speaker:
        if low in MALE_PRONOUNS or low in FEMALE_PRONOUNS:
            gender = "m" if low in MALE_PRONOUNS else "f"
            topic = self._topic_before(head, gender)
            if topic is not None:
                return Speaker(topic["entity_key"], topic["canonical"], "person")
            unnamed = self._unnamed_before(s, gender)
            if unnamed is not None:
                return unnamed
            topic = self._subject_before(head, gender)
            if topic is not None and not any(topic["start"] < p < s and sp.type == "person" and sp.key != topic["entity_key"]
                                             for p, sp in self.history):
                return Speaker(topic["entity_key"], topic["canonical"], "person")
            return self._person_before(s, gender)
        if low in FIRST_PERSON:
            return self._person_before(s, None, spoke=True) if low in ("i", "me") else Speaker(type="group")
        if low in GROUP_PRONOUNS:
            m = self._acting_before(s, plural=low != "it")
            if m is not None:
                return Speaker(m["entity_key"], m["canonical"], label_type(m["label"]))
            return Speaker(type="group" if low != "it" else "unknown")
        return Speaker()

    def _topic_before(self, pron: Any, gender: str) -> dict[str, Any] | None:
        """A pronoun opening its sentence as its subject continues the person the sentence
        before was about: that sentence's subject, when it is an agreeing person
        ("Giles Bradshaw was put in touch with ... Mr Opik ... . He had asked ...")."""
        sent = pron.sent
        if pron.dep_ not in ("nsubj", "nsubjpass") or pron.i - sent.start > 1 or sent.start == 0:
            return None
        prev = self.doc[sent.start - 1].sent
        subjects = [c for c in prev.root.children if c.dep_ in ("nsubj", "nsubjpass")]
        for t in subjects + [c for subj in subjects for c in subj.children if c.dep_ == "appos"]:
            m = self._at(t.idx, t.idx + len(t.text))
            if m is not None and is_person(m) and self.gender(m["entity_key"]) in (gender, None):
                return m
        return None

    def _subject_before(self, pron: Any, gender: str) -> dict[str, Any] | None:
        """The person the text was about before the pronoun's sentence, through the
        subjects of the sentences before it: an agreeing person, or a pronoun of the same
        gender that goes on back ("Ann Reed ... . But she was pleased with actress Jo
        Hale. "A," she said." -> Ann Reed), up to three sentences back; nobody else may
        have spoken since (the caller checks)."""
        if pron.dep_ not in ("nsubj", "nsubjpass"):
            return None
        same = MALE_PRONOUNS if gender == "m" else FEMALE_PRONOUNS
        for subj in subjects_before(pron, 3):
            if subj is None or any(qs <= subj.idx < qe for qs, qe in self.quotes):
                return None  # a subject inside a quote is what someone said, not whom the text is about
            m = self._at(subj.idx, subj.idx + len(subj.text))
            if m is not None:
                return m if is_person(m) and self.gender(m["entity_key"]) in (gender, None) else None
            if subj.lower_ not in same:
                return None
        return None

    def _acting_before(self, s: int, *, plural: bool) -> dict[str, Any] | None:
        """What "it"/"they" stands for: the latest institution before `s` that can act there (`acts`)."""
        return self._latest(s, lambda m: m["label"] in INSTITUTION_LABELS and acts(self.doc, m, plural=plural),
                            within=self.CONTINUITY_CHARS)

    def _previous(self, pos: int, labels: tuple[str, ...], gender: str | None = None) -> dict[str, Any] | None:
        """The latest mention before `pos` with one of `labels` (a person: is_person) that agrees with `gender`."""
        people = labels == PERSON_LABELS
        return self._latest(pos, lambda m: (is_person(m) if people else m["label"] in labels)
                            and (gender is None or self.gender(m["entity_key"]) in (gender, None)))

    def _latest(self, pos: int, accept: Any, *, within: int | None = None) -> dict[str, Any] | None:
        """The latest mention ending by `pos` that `accept`s, scanning back (no further than
        `within` characters, when given)."""
        k = bisect.bisect_left(self.starts, pos) - 1
        while k >= 0 and (within is None or pos - self.mentions[k]["end"] <= within):
            m = self.mentions[k]
            k -= 1
            if m["end"] <= pos and accept(m):
                return m
        return None

    def _person_before(self, s: int, gender: str | None, *, spoke: bool = False) -> Speaker:
        """The latest person who spoke before `s` and agrees with the pronoun, unless a
        person named in full (who agrees too) was mentioned after them; else the nearest
        agreeing person mentioned before; SPOKE ("I"): only one who spoke, a paragraph before at most."""
        recent = next((sp for pos, sp in reversed(self.history) if pos < s and s - pos <= self.CONTINUITY_CHARS and sp.type == "person"
                       and (gender is None or self.gender(sp.key) in (gender, None)) and not (spoke and self.text.count("\n\n", pos, s) > 1)), None)
        recent_pos = next((pos for pos, sp in reversed(self.history) if sp is recent), -1)
        last = self._previous(s, PERSON_LABELS, gender)
        if recent is not None and (spoke or last is None or last["start"] < recent_pos or last["entity_key"] == recent.key
                                   or " " not in last["canonical"]):
            return Speaker(recent.key, recent.name, "person")
        if last is not None and not spoke:
            return Speaker(last["entity_key"], last["canonical"], "person")
        return Speaker(type="unknown")

    def _unnamed_before(self, s: int, gender: str) -> Speaker | None:
        """"A ministry spokeswoman said ... She added": the unnamed speaker who spoke last,
        when its noun agrees and no agreeing person was named or spoke since (anonymous,
        with that speaker's role: the pronoun is a person, not the ministry)."""
        pos, speaker, noun_gender = next(((p, sp, g) for p, sp, g in reversed(self.unnamed) if p < s), (-1, None, None))
        if speaker is None or s - pos > self.CONTINUITY_CHARS or noun_gender not in (gender, None):
            return None
        last = self._previous(s, PERSON_LABELS, gender)
        if last is not None and last["start"] > pos or any(pos < p < s and sp.type == "person" for p, sp in self.history):
            return None
        return Speaker(type="anonymous", role=speaker.role)  # a person, but not the organisation it speaks for

    def gender(self, key: str | None) -> str | None:
        """"m", "f" or None (the article does not say) for a person's entity key: from a
        title written before any of its mentions, else its given name."""
        if key is None:
            return None
        if key not in self._gender:
            self._gender[key] = read_gender(self.text, self.mentions, key)
        return self._gender[key]

    def _description(self, span: Any, head: Any, s: int) -> Speaker:
        """A role or description: the entity the article gave that role, else by its noun."""
        noun = head.doc[hyphen_joined(head.doc, head.i, head.i)[0]:head.i + 1].text.lower()  # "co-chairman"
        lemma = head.lemma_.lower()
        role = phrase(span)
        det = span[0].lower_ if span[0].lower_ in DETERMINERS | INDEFINITE else ""
        plural = head.tag_ in ("NNS", "NNPS")
        lex = speaker_nouns()
        named = self._named_apposition(head) or self._person_inside(span, head)
        if named is not None:
            return Speaker(named["entity_key"], named["canonical"], label_type(named["label"]), role)
        if head.pos_ == "PROPN" and not any(lemma in lex[k] or noun in lex[k] for k in lex):
            return self._surname(span, head)
        if lemma in lex["document"] or noun in lex["document"]:
            issuer = self._named_inside(span, head, issuer=True) or (self.roles.issuer_of(head) if det not in INDEFINITE else None)
            return Speaker(issuer["entity_key"] if issuer else None, issuer["canonical"] if issuer else None, "document", None)
        speaking_for = plural and lemma in lex["person"] and any(c.dep_ == "poss" or c.lower_ == "for" for c in head.children)
        if lemma in lex["anonymous"] or det in INDEFINITE and lemma in lex["person"] or noun == "sources" or speaking_for:
            named = self.roles.named_next(noun, span.end_char, PERSON_LABELS, role) if not plural else None
            if named is not None:  # "according to a government spokesman. “…,” said Ana Ruiz, the chief government spokesman"
                return Speaker(named["entity_key"], named["canonical"], "person", role)
            org = self._named_inside(span, head)
            return Speaker(org["entity_key"] if org else None, org["canonical"] if org else None, "anonymous", role)
        institution = INSTITUTION_LABELS if lemma in lex["state"] else ORG_LABELS  # "the company" is no place
        wants = PERSON_LABELS if lemma in lex["person"] else institution if lemma in lex["organisation"] else SPEAKER_LABELS
        if det not in INDEFINITE and not plural:
            own = lemma in lex["organisation"] and self._named_inside(span, head, institution)  # "Spain's government": Spain's
            m = own or self.roles.given_role(noun, s, wants, role) or self.roles.named_next(noun, span.end_char, wants, role)
            if m is not None:
                return Speaker(m["entity_key"], m["canonical"], label_type(m["label"]), role)
            if lemma in lex["organisation"]:
                org = self._salient_org(s, lemma)  # (a name in the phrase was taken above)
                if org is not None:
                    return Speaker(org["entity_key"], org["canonical"], label_type(org["label"]), role)
                return Speaker(type="organisation", role=role)
            if lemma in lex["person"]:
                lead = self.roles.named_in_next_sentence(span, head) if noun not in GENERIC_PEOPLE else None
                if lead is not None:
                    return Speaker(lead["entity_key"], lead["canonical"], "person", role)
                if not bare_role(span, head):
                    return Speaker(type="person", role=role)  # "his adviser", "the mayor of Frankfurt": not named here
                found = self.roles.protagonist(s, noun_gender(noun)) if noun not in GENERIC_PEOPLE else None
                if found is None or self.roles.other_rank(found["entity_key"], noun, role) or self.roles.other_role(found["entity_key"], noun):
                    return Speaker(type="person", role=role)  # "Deputy Mayor X ... the mayor said": someone else
                return Speaker(found["entity_key"], found["canonical"], "person", role)
        if plural or det in INDEFINITE:  # "critics": a group; "a neighbour": one unnamed person; "a firm": an organisation
            one = head.tag_ == "NN" and det in ("a", "an", "one", "another") and lemma not in COLLECTIVES
            return Speaker(type="group" if not one else "organisation" if lemma in lex["organisation"] else "anonymous", role=None)
        return Speaker(type="unknown", role=role)

    def _surname(self, span: Any, head: Any) -> Speaker:
        """A name the NER did not mark here: the person of the article whose name ends
        with it ("Mr Lamberty" -> "Michael Lamberty"), if exactly one does, else the one
        organisation whose name ends with it and holds all its words ("Menatep" -> "Group
        Menatep", not "the English FA" -> "Northern Irish FA"); a plural name is a group."""
        word = head.text.lower()
        words = {t.lower_ for t in span if t.pos_ == "PROPN" or t.like_num}
        for labels in (PERSON_LABELS, ORG_LABELS):
            keys = {m["entity_key"]: m for m in self.mentions if m["label"] in labels
                    and m["canonical"].lower().split()[-1:] == [word]
                    and (labels == PERSON_LABELS or words <= set(m["canonical"].lower().split()))}
            if len(keys) == 1:
                m = next(iter(keys.values()))
                return Speaker(m["entity_key"], m["canonical"], label_type(m["label"]))
        return Speaker(type="group" if head.tag_ == "NNPS" else "unknown")

    def _salient_org(self, s: int, noun: str) -> dict[str, Any] | None:
        """The organisation a description ("the company", "the court") most likely means:
        the latest organisation that spoke (within CONTINUITY_CHARS), else the latest
        whose name holds the noun, else the one mentioned most often before `s` (the
        nearest of those)."""
        for pos, sp in reversed(self.history):
            if pos < s and s - pos <= self.CONTINUITY_CHARS and sp.type == "organisation" and sp.key and not sp.key.startswith(("place", "group")):
                m = next((m for m in self.mentions if m["entity_key"] == sp.key), None)
                if m is not None:
                    return m
        named = self.roles.named_by(noun, s)
        if named is not None:
            return named
        counts: dict[str, int] = {}
        latest: dict[str, dict[str, Any]] = {}
        for m in self.mentions:
            if m["end"] > s:
                break
            if m["label"] in ORG_LABELS:
                counts[m["entity_key"]] = counts.get(m["entity_key"], 0) + 1
                latest[m["entity_key"]] = m
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], latest[k]["start"]))
        return latest[best]

    def _named_apposition(self, head: Any) -> dict[str, Any] | None:
        """"The Shadow Secretary of State for the Family, Theresa May, said": the name in
        apposition to the role is who speaks."""
        for c in head.children:
            if c.dep_ == "appos" and c.i > head.i:
                m = self._at(c.idx, c.idx + len(c.text))
                if m is not None and m["label"] in PERSON_LABELS + ORG_LABELS:
                    return m
        return None

    def _person_inside(self, span: Any, head: Any) -> dict[str, Any] | None:
        """"Former welfare minister Frank Field MP": a person named inside a phrase whose
        head the parser made the title after the name."""
        if head.lower_ not in speaker_nouns()["person"] or head.i != span[-1].i:
            return None
        found = [m for t in span[:-1] if (m := self._at(t.idx, t.idx + len(t.text))) is not None and is_person(m)]
        keys = {m["entity_key"] for m in found}
        return found[0] if len(keys) == 1 else None

    def _named_inside(self, span: Any, head: Any, labels: tuple[str, ...] = INSTITUTION_LABELS,
                      issuer: bool = False) -> dict[str, Any] | None:
        """An organisation named in the speaker phrase itself ("a Lufthansa spokesman",
        "an official of the IMF", "the Bank of Japan's survey")."""
        for t in list(span) + [c for c in head.subtree if c.i >= span.end and c.i < span.end + 8]:
            m = self._at(t.idx, t.idx + len(t.text))
            if m is not None and m["label"] in labels and not (issuer and m["label"] not in ORG_LABELS and (t.dep_ in MODIFIER_DEPS or t.i >= span.end)):
                return m  # an ISSUER (of a document) is no place modifying it ("UK media reports") or after it ("filed in Ohio")
        return None
