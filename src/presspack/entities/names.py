"""Entity names: folding and slugs, keys (label class + slug), titles stripped, and span
repair (edges, possessives, trailing numbers, splitting lists of names).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache
from importlib import resources
from typing import Any

KEY_CLASS = {
    "PERSON": "person",
    "PER": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}



NAME_LABELS = frozenset(KEY_CLASS)



# Labels whose mentions are names (propagated to missed occurrences in the article).
PROPER_LABELS = frozenset({*KEY_CLASS, "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"})



# Dates, times, numbers, amounts: kept as mentions, but "last year" or "two" in one
# article is not the same thing as in another, so they get no corpus-wide key (null)
# unless a gazetteer lists them ("9/11").
KEYLESS_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})



_EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?-–—*/"



_POSSESSIVE = re.compile(r"(?:['’]s|(?<=s)['’])$")



_TRAILING_NUMBER = re.compile(r"\s+[\d][\d.,:/\-–]*$")



_TRAILING_LOWER = re.compile(r"(?:\s+[a-z]+)+$")  # "Interfax news agency" -> "Interfax"



_LEADING_NUMBER = re.compile(r"^[\d][\d.,:/\-–]*\s+(?:[-–—]\s+)?")



# Separators that never sit inside one name: "Grace Road, Leicestershire",
# "Hizbollah (Party of God", "Slovakia - Lubomir", "England v Pakistan".
_SEPARATOR = re.compile(r",\s+|\s+\(|\s+[-–—]\s+|\s+vs?\.?\s+|\s+at\s+")






@cache
def name_rules() -> dict[str, Any]:
    return tomllib.loads(resources.files("presspack").joinpath("data/names.toml").read_text(encoding="utf-8"))



@cache
def known_places() -> dict[str, str]:
    data = tomllib.loads(resources.files("presspack").joinpath("data/places.toml").read_text(encoding="utf-8"))
    return {name: "GPE" for name in data["countries"]}



@cache
def _titles_re() -> re.Pattern[str]:
    titles = sorted(name_rules()["person_titles"], key=len, reverse=True)
    return re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in titles) + r")\.?\s+)+", re.IGNORECASE)



@cache
def _dotted_abbrev() -> re.Pattern[str]:
    words = sorted(name_rules()["name_abbreviations"], key=len, reverse=True)
    return re.compile(r"(?:(?<![^\W\d_])(?:[^\W\d_]\.){2,}|\b(?:" + "|".join(re.escape(w) for w in words) + r")\.)$")



def fold(s: str) -> str:
    """Case- and diacritic-insensitive form of a name."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.casefold().replace("’", "'")



def slug(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(s)).strip("-") or "x"



def entity_key(label: str, canonical: str) -> str | None:
    """`<class>:<slug>`; None for the labels that get no key (KEYLESS_LABELS)."""
    if label in KEYLESS_LABELS:
        return None
    return key_for(label, canonical)



def key_for(label: str, canonical: str) -> str:
    """`<class>:<slug of canonical>`, whatever the label (a gazetteer entry's default key)."""
    return f"{KEY_CLASS.get(label, label.lower())}:{slug(canonical)}"



def strip_title(name: str) -> str:
    out = _titles_re().sub("", name).strip()
    return out or name



def _trim_edges(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start] in _EDGE_PUNCT or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCT or text[end - 1].isspace()):
        if text[end - 1] == "." and _dotted_abbrev().search(text[start:end]):
            break
        if text[end - 1] == ")" and "(" in text[start:end]:
            break
        end -= 1
    return start, end



def repair_span(text: str, start: int, end: int, *, sentence_start: bool, label: str = "") -> tuple[int, int]:
    """Trim a mention: edge punctuation (not the dot of "U.S." or "Inc."), a possessive
    's, a leading "the" that is not part of the name, and trailing numbers."""
    start, end = _trim_edges(text, start, end)
    m = _POSSESSIVE.search(text[start:end])
    if m and end - start - len(m.group(0)) > 0:
        end -= len(m.group(0))
    span = text[start:end]
    if span.lower().startswith("the ") and len(span) > 4:
        keep = span[0] == "T" and (not sentence_start or any(span.startswith(n) for n in name_rules()["the_names"]))
        if not keep:
            start += 4
    if label in PROPER_LABELS:
        m = _TRAILING_NUMBER.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
        m = _TRAILING_LOWER.search(text[start:end])
        if m and m.start() > 0:
            end = start + m.start()
        m = _LEADING_NUMBER.search(text[start:end])
        if m and m.end() < end - start:
            start += m.end()
    return _trim_edges(text, start, end)



def split_span(text: str, start: int, end: int, label: str) -> list[tuple[int, int]]:
    """A name mention that runs over a separator (comma, bracket, spaced dash, "v",
    "at") becomes one mention per part."""
    if label not in PROPER_LABELS:
        return [(start, end)]
    out, pos = [], start
    for m in _SEPARATOR.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    return [(s, e) for s, e in out if e > s]
