"""The words speaker resolution reads: given names and titles that say a person's gender,
the nouns that say what kind of speaker a description is (data/names.toml,
data/cues.toml [speakers]), and a role phrase as written."""

from __future__ import annotations

from functools import cache
from typing import Any

from presspack.claims.cues import lexicon
from presspack.entities.names import name_rules

DETERMINERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "this", "that", "these", "those"})
# words before a noun that make a speaker unnamed or more than one ("a spokesman", "some economists")
INDEFINITE = frozenset({"a", "an", "one", "another", "some", "several", "many", "two", "three", "other", "others",
                        "unnamed", "anonymous", "senior"})
QUANTIFIERS = frozenset({"many", "some", "others", "most", "few", "several", "both", "all", "those", "these"})  # "many said"
# nouns of a number of people ("a handful of residents"): a group, though singular
COLLECTIVES = frozenset({"host", "number", "majority", "minority", "handful", "lot", "couple", "group", "dozen", "chorus", "crowd"})
PERSON_LABELS = ("PERSON", "PER")
ORG_LABELS = ("ORG",)
PLACE_LABELS = ("GPE", "LOC", "FAC")
GROUP_LABELS = ("NORP",)
INSTITUTION_LABELS = ORG_LABELS + PLACE_LABELS + GROUP_LABELS  # who else can act and speak: an organisation, a place, a group
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})


def read_gender(text: str, mentions: list[dict[str, Any]], key: str) -> str | None:
    """"m", "f" or None for a person's entity key: a title written with any of its
    mentions (Mr, Lady ...), else its given name; None when the article does not say or
    its titles disagree."""
    lex = gender_lexicon()
    said: set[str] = set()
    for m in mentions:
        if m["entity_key"] != key:
            continue
        words = (text[max(0, m["start"] - 12):m["start"]].split()[-1:] + m["text"].split()[:1])
        for w in words:
            w = w.strip(".,").lower()
            if w in lex["male_titles"]:
                said.add("m")
            elif w in lex["female_titles"]:
                said.add("f")
    if len(said) == 1:
        return said.pop()
    if said:
        return None
    first = next((m["canonical"].split()[0].lower() for m in mentions if m["entity_key"] == key and m["canonical"]), "")
    if first in lex["male_given_names"]:
        return "m"
    if first in lex["female_given_names"]:
        return "f"
    return None


def is_person(m: dict[str, Any]) -> bool:
    """A person's mention: labelled so, or opening with a given name the NER took for
    an organisation ("Dolores M Troiani")."""
    if m["label"] in ("PERSON", "PER"):
        return True
    first = m["text"].split()[0].lower() if m["text"].split() else ""
    lex = gender_lexicon()
    return m["label"] == "ORG" and " " in m["text"] and (first in lex["male_given_names"] or first in lex["female_given_names"])


def acts(doc: Any, m: dict[str, Any], *, plural: bool) -> bool:
    """Whether mention M can be what "it" (PLURAL False) or "they" stands for: a phrase
    of its own, not a modifier ("the US firm"), unless it names the state an institution
    noun serves ("the Russian government"); "it" not a plural noun ("the authorities");
    a place, or a place's government, only as a subject, acting as an institution ("China
    has said it ...", not "stores in Maryland"), a place itself only for "it"; a
    nationality or group only as a plural noun for "they" ("the Democrats"); never a person."""
    span = doc.char_span(m["start"], m["end"], alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    lifted = root.dep_ in MODIFIER_DEPS and root.head.lemma_.lower() in speaker_nouns()["state"]
    if lifted:
        root = root.head
    if root.dep_ in MODIFIER_DEPS:
        return False
    while root.dep_ in ("conj", "appos", "poss") and root.head.i != root.i:
        root = root.head  # "Argentina's offer" acts as Argentina does
    if not plural and root.tag_ == "NNS":
        return False
    if (lifted or m["label"] in PLACE_LABELS) and root.dep_ not in ("nsubj", "nsubjpass"):
        return False
    if plural and m["label"] in PLACE_LABELS and not lifted:
        return False  # a country is "it"; "they" are its people or its officials
    if m.get("entity_key", "").startswith("person:"):
        return False  # a person the NER took for an organisation here is no "it" or "they"
    if m["label"] in GROUP_LABELS and not lifted:
        return plural and root.tag_ in ("NNS", "NNPS")
    return True


def label_type(label: str) -> str:
    """The speaker_type of an entity label: person, group (NORP) or organisation."""
    if label in PERSON_LABELS:
        return "person"
    return "group" if label in GROUP_LABELS else "organisation"


def phrase(tokens: Any) -> str | None:
    """A role phrase as written, without a leading determiner or possessive."""
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].lower_ in DETERMINERS or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks:
        return None
    return toks[0].doc[toks[0].i:toks[-1].i + 1].text  # (Doc.text would join the whole document)


@cache
def gender_lexicon() -> dict[str, frozenset[str]]:
    data = name_rules()
    return {k: frozenset(data[k]) for k in ("male_titles", "female_titles", "male_given_names", "female_given_names")}


@cache
def honorifics() -> frozenset[str]:
    """Titles that are no role ("Mr", "Lady", "Dr"): left out of a speaker's role."""
    lex = gender_lexicon()
    return lex["male_titles"] | lex["female_titles"] | {"dr", "prof", "rev", "st"}


@cache
def speaker_nouns() -> dict[str, frozenset[str]]:
    """cues.toml [speakers]: document, anonymous and organisation nouns; person nouns:
    names.toml's person_roles and the last word of each person title."""
    out = {k: frozenset(v) for k, v in lexicon()["speakers"].items()}
    names = name_rules()
    out["person"] = frozenset(names["person_roles"]) | {t.split()[-1] for t in names["person_titles"]}
    return out


@cache
def unnamed_speaker_nouns() -> frozenset[str]:
    """The nouns of one unnamed speaker a later he/she can stand for ("a spokeswoman", "an
    official", "a minister"), unlike nouns that may be answered ("a questioner", "a neighbour")."""
    lex = speaker_nouns()
    return lex["anonymous"] | lex["person"]
