"""Entity mentions: span repair, consistent labels, canonical names and entity keys."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from functools import cache
from importlib import resources
from typing import Any

from presspack.normalize import Article
from presspack.sentences import sentence_at

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
_EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?-–—*"
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@cache
def _name_rules() -> dict[str, Any]:
    return tomllib.loads(resources.files("presspack").joinpath("data/names.toml").read_text(encoding="utf-8"))


@cache
def _titles_re() -> re.Pattern[str]:
    titles = sorted(_name_rules()["person_titles"], key=len, reverse=True)
    return re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in titles) + r")\.?\s+)+", re.IGNORECASE)


def fold(s: str) -> str:
    """Case- and diacritic-insensitive form of a name."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.casefold().replace("’", "'")


def slug(s: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", fold(s)).strip("-") or "x"


def entity_key(label: str, canonical: str) -> str:
    return f"{KEY_CLASS.get(label, label.lower())}:{slug(canonical)}"


def strip_title(name: str) -> str:
    out = _titles_re().sub("", name).strip()
    return out or name


def repair_span(text: str, start: int, end: int, *, sentence_start: bool) -> tuple[int, int]:
    """Trim a mention: edge punctuation, a possessive 's, and a leading "the" that is not
    part of the name."""
    while start < end and (text[start] in _EDGE_PUNCT or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _EDGE_PUNCT or text[end - 1].isspace()):
        end -= 1
    m = _POSSESSIVE.search(text[start:end])
    if m and end - start - len(m.group(0)) > 0:
        end -= len(m.group(0))
    span = text[start:end]
    low = span.lower()
    if low.startswith("the ") and len(span) > 4:
        keep = span[0] == "T" and (not sentence_start or any(span.startswith(n) for n in _name_rules()["the_names"]))
        if not keep:
            start += 4
    while end > start and (text[end - 1] in _EDGE_PUNCT or text[end - 1].isspace()):
        end -= 1
    return start, end


def mention_rows(doc: Any, article: Article, sentences: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = article.text
    raw: list[tuple[int, int, str]] = []
    sent_starts = {r["start"] for r in sentences}
    for ent in doc.ents:
        s, e = repair_span(text, ent.start_char, ent.end_char, sentence_start=ent.start_char in sent_starts)
        if s >= e or not any(c.isalnum() for c in text[s:e]):
            continue
        raw.append((s, e, ent.label_))
    raw = _consistent_labels(text, raw)
    canon = _canonical_names(text, raw)
    rows = []
    seen = set()
    for s, e, label in sorted(raw):
        if (s, e) in seen:
            continue
        seen.add((s, e))
        sent = sentence_at(sentences, s)
        canonical = canon.get((s, e), text[s:e])
        rows.append(
            {
                "mention_id": f"{article.article_id}-m{s}-{e}",
                "article_id": article.article_id,
                "sentence_id": sent["sentence_id"] if sent else None,
                "start": s,
                "end": e,
                "text": text[s:e],
                "label": label,
                "entity_key": entity_key(label, canonical),
                "canonical": canonical,
            }
        )
    return [r for r in rows if r["sentence_id"] is not None]


def _consistent_labels(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One label per name within an article: the majority label of its mentions
    (PERSON wins ties, and a surname of a person is a person)."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in raw:
        if label in NAME_LABELS:
            votes[fold(text[s:e])][label] += 1
    persons = {n for n, c in votes.items() if c.most_common(1)[0][0] == "PERSON" or c["PERSON"] * 2 >= sum(c.values())}
    surnames = {n.split()[-1] for n in persons if len(n.split()) > 1}
    out = []
    for s, e, label in raw:
        name = fold(text[s:e])
        if label in NAME_LABELS:
            if name in persons or (name in surnames and label != "PERSON"):
                label = "PERSON"
            else:
                label = votes[name].most_common(1)[0][0]
        out.append((s, e, label))
    return out


def _canonical_names(text: str, raw: list[tuple[int, int, str]]) -> dict[tuple[int, int], str]:
    """Fullest name form per entity: a person's shorter mention ("Putin") takes the
    longest name in the article that ends with it ("Vladimir Putin")."""
    out: dict[tuple[int, int], str] = {}
    full: list[str] = []
    for s, e, label in raw:
        if label in ("PERSON", "PER"):
            full.append(strip_title(text[s:e]))
    full.sort(key=lambda n: (-len(n.split()), n))
    for s, e, label in raw:
        name = text[s:e]
        if label in ("PERSON", "PER"):
            core = strip_title(name)
            toks = fold(core).split()
            best = core
            for cand in full:
                ct = fold(cand).split()
                if len(ct) > len(toks) and ct[-len(toks):] == toks:
                    best = cand
                    break
            out[(s, e)] = best
        else:
            out[(s, e)] = name
    return out
