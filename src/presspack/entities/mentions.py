"""Entity mentions: span repair, recognition help, consistent labels, canonical names, keys.

Steps per article (all deterministic given the model output):
1. the model's entities; in all-caps paragraphs (headlines, datelines) the entities of
   a re-cased copy instead, cased from the article's own spelling of each word;
2. span repair: edge punctuation (abbreviation dots kept), possessive 's, a leading
   "the" that is not part of the name, trailing numbers (scores, ages);
3. recall: names recognized once in the article, the surnames of people, and the
   user's gazetteer names are found again wherever the model missed them;
4. one label per name within the article (majority vote; a surname of a person is a
   person; gazetteer labels win; place and person evidence from the article's words,
   entities/evidence.py);
5. canonical name (fullest form in the article, or the gazetteer's canonical) and key;
   dates, times and numbers (KEYLESS_LABELS) keep their own text as canonical name and
   get no key (None) unless a gazetteer lists them.
Without a gazetteer the shipped one (data/aliases.toml) is used: "UK" and "Britain"
share the key place:united-kingdom.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from presspack.entities.evidence import PLACE_FLIPS, person_evidence, place_evidence
from presspack.entities.gazetteer import builtin_gazetteer
from presspack.entities.matching import add_matches
from presspack.entities.names import (
    NAME_LABELS,
    PROPER_LABELS,
    entity_key,
    fold,
    known_places,
    repair_span,
    split_span,
    strip_title,
)
from presspack.nlp.sentences import sentence_at
from presspack.normalize.text import Article

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


























# ---------------------------------------------------------------- all-caps text
def caps_paragraphs(article: Article) -> list[tuple[int, int]]:
    """Paragraphs written in capitals (headlines, datelines, tables)."""
    out = []
    for s, e, _ in article.paragraphs:
        letters = [c for c in article.text[s:e] if c.isalpha()]
        if len(letters) >= 4 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
            out.append((s, e))
    return out


def recase(article: Article, spans: list[tuple[int, int]], stop_words: frozenset[str] | set[str]) -> str:
    """The article text with the given all-caps spans re-cased word by word: the form the
    article itself uses elsewhere, else lowercase for function words and Title case for
    the rest. Same length as the text, so offsets carry over."""
    text = article.text
    inside = _in_spans(spans)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for m in _WORD.finditer(text):
        if not inside(m.start()) and not m.group(0).isupper():
            forms[m.group(0).lower()][m.group(0)] += 1
    out = list(text)
    for s, e in spans:
        first = True
        for m in _WORD.finditer(text, s, e):
            w = m.group(0)
            low = w.lower()
            if len(low) != len(w):
                first = False
                continue
            seen = forms.get(low)
            if seen:
                new = max(seen.items(), key=lambda kv: (kv[1], kv[0]))[0]
            elif low in stop_words and not first:
                new = low
            elif len(w) <= 1:
                new = w
            else:
                new = w[0] + low[1:]
            if first:
                new = new[0].upper() + new[1:]
            first = False
            out[m.start() : m.end()] = new
    return "".join(out)


def _in_spans(spans: list[tuple[int, int]]) -> Any:
    import bisect

    starts = [s for s, _ in spans]

    def inside(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and i < spans[k][1]

    return inside


def model_entities(doc: Any, article: Article, nlp: Any = None) -> tuple[list[tuple[int, int, str]], str]:
    """(start, end, label) from the model, and the text names are matched in; all-caps
    paragraphs are re-cased (in that text too) and re-run through the pipeline's `ner`
    component when the pipeline is given."""
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    if nlp is None or "ner" not in nlp.pipe_names:
        return ents, article.text
    caps = caps_paragraphs(article)
    if not caps:
        return ents, article.text
    inside = _in_spans(caps)
    recased = recase(article, caps, _stop_words(nlp))
    ner = nlp.get_pipe("ner")
    out = [t for t in ents if not inside(t[0])]
    for s, e in caps:
        sub = ner(nlp.make_doc(recased[s:e]))
        out.extend((s + x.start_char, s + x.end_char, x.label_) for x in sub.ents)
    return sorted(out), recased


def _stop_words(nlp: Any) -> frozenset[str]:
    return frozenset(getattr(nlp.Defaults, "stop_words", ()) or ())


# ---------------------------------------------------------------- mentions
def mention_rows(
    doc: Any,
    article: Article,
    sentences: list[dict[str, Any]],
    *,
    nlp: Any = None,
    gazetteer: Any = None,  # an entities.gazetteer.Gazetteer
) -> list[dict[str, Any]]:
    text = article.text
    sent_starts = {r["start"] for r in sentences}
    raw: list[tuple[int, int, str]] = []
    found, match_text = model_entities(doc, article, nlp)
    for s0, e0, label in found:
        for s1, e1 in split_span(text, s0, e0, label):
            s, e = repair_span(text, s1, e1, sentence_start=s1 in sent_starts, label=label)
            if s >= e or not any(c.isalpha() for c in text[s:e]) and label in PROPER_LABELS:
                continue
            if s < e and any(c.isalnum() for c in text[s:e]):
                raw.append((s, e, label))
    raw = _drop_common_words(text, raw)
    raw = _result_lines(text, article, raw)
    raw, fixed = (gazetteer if gazetteer is not None else builtin_gazetteer()).apply(match_text, raw)
    raw = _propagate(match_text, raw)
    raw = _consistent_labels(text, raw, fixed, places=place_evidence(text, raw), people=person_evidence(text, raw))
    canon = _canonical_names(text, raw)
    rows = []
    seen = set()
    for s, e, label in sorted(raw):
        if (s, e) in seen:
            continue
        seen.add((s, e))
        sent = sentence_at(sentences, s)
        if sent is None:
            continue
        g = fixed.get(fold(text[s:e]))
        if g is not None:
            key, canonical = g[0], g[1]
        else:
            canonical = canon.get((s, e), text[s:e])
            key = entity_key(label, canonical)  # None for a date or a number
        rows.append(
            {
                "mention_id": f"{article.article_id}-m{s}-{e}",
                "article_id": article.article_id,
                "sentence_id": sent["sentence_id"],
                "start": s,
                "end": e,
                "text": text[s:e],
                "label": label,
                "entity_key": key,
                "canonical": canonical,
            }
        )
    return rows


_SIDE = r"([A-Z][\w'.&-]*(?:\s+(?:[A-Z][\w'.&-]*|of|de|la|del))*)"
_RESULT = re.compile(_SIDE + r"\s+(\d{1,3})\s+" + _SIDE + r"\s+(\d{1,3})(?:\s+\(.*\))?$")


def _result_lines(text: str, article: Article, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Sports results, one match per line ("Oldham 3 Ipswich 3"): both sides are teams."""
    teams: list[tuple[int, int]] = []
    for ps, pe, _ in article.paragraphs:
        m = _RESULT.match(text, ps, pe)
        if m and m.end() == pe:
            teams += [(m.start(1), m.end(1)), (m.start(3), m.end(3))]
    if not teams:
        return raw
    spans = set(teams)
    out = []
    for s, e, label in raw:
        overlap = any(a < e and s < b for a, b in spans)
        if (s, e) in spans and label not in ("PERSON", "PER"):
            out.append((s, e, "ORG"))
            spans.discard((s, e))
        elif not overlap:
            out.append((s, e, label))
        elif (s, e) in spans:
            out.append((s, e, label))
            spans.discard((s, e))
    for a, b in teams:
        if (a, b) in spans and not any(x < b and a < y for x, y, _ in out):
            out.append((a, b, "ORG"))
    return out


def _drop_common_words(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Drop one-word "names" that the article itself writes in lowercase as an ordinary
    word ("CRICKET - ..." headlines, "Men", "Attendance")."""
    lower = {m.group(0) for m in _WORD.finditer(text) if m.group(0).islower()}
    out = []
    for s, e, label in raw:
        name = text[s:e]
        if label in PROPER_LABELS and _WORD.fullmatch(name) and not name.islower() and name.lower() in lower:
            continue
        out.append((s, e, label))
    return out


def _propagate(text: str, raw: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Find names the model recognized once (and the surnames of people) again where it
    missed them in the same article."""
    names: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in raw:
        if label not in PROPER_LABELS:
            continue
        name = text[s:e]
        if len(name) >= 2 and name[0].isupper():
            names[name][label] += 1
        if label in ("PERSON", "PER"):
            parts = strip_title(name).split()
            if len(parts) > 1 and len(parts[-1]) >= 3 and parts[-1][0].isupper():
                names[parts[-1]]["PERSON"] += 1
    found = {n: c.most_common(1)[0][0] for n, c in names.items()}
    return add_matches(text, raw, found, shared=known_places())










def _consistent_labels(
    text: str,
    raw: list[tuple[int, int, str]],
    fixed: dict[str, tuple[str, str, str | None]] | None = None,
    *,
    places: set[str] | frozenset[str] = frozenset(),
    people: set[str] | frozenset[str] = frozenset(),
) -> list[tuple[int, int, str]]:
    """One label per name within an article: the majority label of its mentions
    (PERSON wins ties, a surname of a person is a person, gazetteer labels win), except
    that a one-word name found in a place context is a place (`evidence.place_evidence`) and an
    organisation's name set off after a person's role is a person (`evidence.person_evidence`)."""
    fixed = fixed or {}
    in_person_names: set[str] = set()  # "putin" of "Vladimir Putin" stays a person
    for s, e, label in raw:
        if label in ("PERSON", "PER"):
            in_person_names.update(fold(strip_title(text[s:e])).split()[1:])
    places = {n for n in places if " " not in n and n not in in_person_names}
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for s, e, label in raw:
        name = fold(text[s:e])
        if name in places and label in PLACE_FLIPS:
            label = "GPE"
        if name in people and label == "ORG":
            label = "PERSON"
        if label in NAME_LABELS:
            votes[name][label] += 1
    persons = {n for n, c in votes.items() if c["PERSON"] >= max(c.values())}
    surnames = {n.split()[-1] for n in persons if len(n.split()) > 1}
    out = []
    for s, e, label in raw:
        name = fold(text[s:e])
        if name in places and label in PLACE_FLIPS:
            label = "GPE"
        if name in fixed and fixed[name][2]:
            label = fixed[name][2]
        elif label in NAME_LABELS:
            if name in persons or (name in surnames and label != "PERSON"):
                label = "PERSON"
            else:
                label = votes[name].most_common(1)[0][0]
        out.append((s, e, label))
    return out


def _canonical_names(text: str, raw: list[tuple[int, int, str]]) -> dict[tuple[int, int], str]:
    """Fullest name form per entity: a person's shorter mention ("Putin") takes the name
    in the article that ends with it ("Vladimir Putin"); of several ("Chris Murphy" and
    later "Anne Marie Murphy"), the one written first, as news introduces the person a
    surname alone goes on to mean."""
    out: dict[tuple[int, int], str] = {}
    full: list[str] = []
    for s, e, label in sorted(raw):
        if label in ("PERSON", "PER"):
            full.append(strip_title(text[s:e]))
    for s, e, label in raw:
        name = text[s:e]
        if label in ("PERSON", "PER"):
            core = strip_title(name)
            toks = fold(core).split()
            best = core
            for cand in full:
                ct = fold(cand).split()
                if len(ct) > len(toks) and ct[-len(toks) :] == toks:
                    best = cand
                    break
            out[(s, e)] = best
        else:
            out[(s, e)] = name
    return out
