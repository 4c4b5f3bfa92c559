"""Label evidence from an article's own words, for the one-label-per-name vote of
entities.mentions: names that stand in a place context (a place), and names the NER took
for an organisation that the article shows to be a person's."""

from __future__ import annotations

import re
from functools import cache

from presspack.entities.names import NAME_LABELS, fold, name_rules

# Words that make the name beside them a place: "the city of X", "near X", "the X region",
# "the X and Y axes". A name the model took for a person or a product in such a context is
# a place throughout the article (unless it is also part of a person's full name).
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:city|town|village|capital|port|province|region|district|county|oblast|outskirts|suburbs"
    r"|residents|mayor|governor|direction|streets)\s+of|\b(?:near|outside|in|into|towards?|across))"
    r"\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(r"\s+(?:region|province|oblast|district|county|governorate|prefecture|axis|axes)\b")
_NOT_PLACE_BEFORE = re.compile(r"\b(?:confidence|faith|trust|interest|belief|role|part|stake|share)\s+in\s+$", re.I)
PLACE_FLIPS = frozenset({"PERSON", "PER", "PRODUCT", "WORK_OF_ART", "FAC"})
_GROUP_JOIN = re.compile(r",\s+|\s+(?:and|or)\s+|,\s+(?:and|or)\s+")


def place_evidence(text: str, raw: list[tuple[int, int, str]]) -> set[str]:
    """Names (folded) that stand in a place context somewhere in the article, alone or in a
    coordinated group of names ("the direction of X and Y")."""
    spans = sorted({(s, e) for s, e, label in raw if label in NAME_LABELS or label in PLACE_FLIPS})
    groups: list[list[tuple[int, int]]] = []
    for s, e in spans:
        if groups and _GROUP_JOIN.fullmatch(text, groups[-1][-1][1], s):
            groups[-1].append((s, e))
        else:
            groups.append([(s, e)])
    out: set[str] = set()
    for g in groups:
        left = text[max(0, g[0][0] - 40) : g[0][0]]
        if (_PLACE_BEFORE.search(left) and not _NOT_PLACE_BEFORE.search(left)) or _PLACE_AFTER.match(text, g[-1][1]):
            out.update(fold(text[s:e]) for s, e in g)
    return out


_ROLE_BEFORE = re.compile(r"\b([a-z][a-z-]+),? $")
_TITLED = re.compile(r"\b([A-Z][a-z]{1,4})\.? (?=([A-Z][\w'-]+))")  # lookahead: "Later Mr Varga" has two
_ROLE_AFTER = re.compile(r", (?:the |a |an |its |their )?(?:[A-Za-z-]+ ){0,2}?([a-z][a-z-]+)\b")


def person_evidence(text: str, raw: list[tuple[int, int, str]]) -> set[str]:
    """Names (folded) the NER took for an organisation that are a person's: two to four
    capitalised words opening with a given name, right after a person's role ("the
    woman's lawyer, Dolores M Troiani,", "party leader Ana Ruiz") or before an apposition
    that gives one ("Ana Ruiz, chief of the port authority,"); two capitalised words right
    after a role, with no comma between, whatever the given name ("England coach Sven-Goran
    Eriksson"); and two to four capitalised words whose last one the article writes with a
    person's title ("Hal Ruiz ... Mr Ruiz said")."""
    given, roles, honorific = _person_words()
    titled = [(m.start(), fold(m.group(2))) for m in _TITLED.finditer(text) if m.group(1).lower() in honorific]
    out: set[str] = set()
    for s, e, label in raw:
        words = text[s:e].split()
        if label != "ORG" or not 2 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            continue
        role = _ROLE_BEFORE.search(text, max(0, s - 30), s)
        after = _ROLE_AFTER.match(text, e)
        role_before = role is not None and role.group(1) in roles
        titled_role = role_before and "," not in role.group(0) and len(words) == 2  # "coach Sven-Goran Eriksson"
        if any(w == fold(words[-1]) and not s <= at < e for at, w in titled) or titled_role or (
                words[0].lower() in given and (role_before or after is not None and after.group(1) in roles)):
            out.add(fold(text[s:e]))
    return out


@cache
def _person_words() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Given names, person roles (with the last word of each title) and honorifics
    (names.toml), read once."""
    rules = name_rules()
    return (frozenset(rules["male_given_names"]) | frozenset(rules["female_given_names"]),
            frozenset(rules["person_roles"]) | {t.split()[-1] for t in rules["person_titles"]},
            frozenset(rules["male_titles"]) | frozenset(rules["female_titles"]))
