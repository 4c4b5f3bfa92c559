"""BRAT standoff: `<article_id>.txt` (the article text) and `<article_id>.ann`.

Text-bound annotations (`T`) are typed `Sentence`, an entity label (`PERSON`, …) or a
claim part (`Source`, `Cue`, `Content`); a claim is an event whose trigger is an
`Attribution` span at the cue (or, when there is no cue, at the content):

    T9	Source 0 32	Russian President Vladimir Putin
    T10	Cue 33 42	confirmed
    T11	Content 48 165	his country does not intend …
    T12	Attribution 33 42	confirmed
    E1	Attribution:T12 Source:T9 Cue:T10 Content:T11

Discontinuous spans are `start end;start end`, their text the pieces joined by a space
(spans are cut at line breaks, as BRAT does). On reading, a trigger typed `Cue` (the
PolNeAR layout) is the cue when the event has no `Cue` argument; `Content2:`-style
repeated arguments add pieces; `#` notes, attributes (`A`, `M`), normalizations (`N`)
and relations (`R`) are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from presspack.audit.gold import Gold, GoldError, Resolver, check_label, check_span, layers_of
from presspack.audit.model import (
    ATTRIBUTION,
    CLAIMS,
    ENTITIES,
    ROLES,
    SENTENCE,
    SENTENCES,
    Annotations,
    Article,
    Claim,
    Span,
    entity_labels,
    one,
    span_text,
)

_NEWLINES = re.compile(r"\n+")
IGNORED = ("#", "A", "M", "N", "R", "*")


def fragments(text: str, start: int, end: int) -> Span:
    """(start, end) cut at line breaks into non-blank pieces (a BRAT text field is one line)."""
    out, pos = [], start
    for m in _NEWLINES.finditer(text, start, end):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, end))
    kept = tuple((s, e) for s, e in out if text[s:e].strip())
    return kept or ((start, end),)


def _frag(text: str, span: Span) -> Span:
    return tuple(p for s, e in span for p in fragments(text, s, e))


def ann_text(art: Article, ann: Annotations) -> str:
    """The .ann file of one article."""
    t = art.text
    lines: list[str] = []
    count = [0]

    def tb(kind: str, span: Span) -> str:
        count[0] += 1
        tid = f"T{count[0]}"
        span = _frag(t, span)
        offsets = ";".join(f"{s} {e}" for s, e in span)
        lines.append(f"{tid}\t{kind} {offsets}\t{span_text(t, span)}")
        return tid

    for s, e in ann.sentences:
        tb(SENTENCE, one(s, e))
    for s, e, label in ann.entities:
        tb(label, one(s, e))
    for n, c in enumerate(ann.claims, start=1):
        args = [f"{role}:{tb(role, span)}" for role, span in zip(ROLES, (c.source, c.cue, c.content)) if span]
        anchor = c.cue or c.content or c.source
        trigger = tb(ATTRIBUTION, (anchor[0],)) if anchor else None
        lines.append(f"E{n}\t{ATTRIBUTION}:{trigger} " + " ".join(args))
    return "".join(x + "\n" for x in lines)


def annotation_conf(labels: Iterable[str]) -> str:
    """BRAT's annotation.conf for the audit's types."""
    ents = "\n".join([SENTENCE, *labels, *ROLES])
    return (f"[entities]\n{ents}\n\n[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
            f"[events]\n{ATTRIBUTION}\tSource?:Source, Cue?:Cue, Content+:Content\n\n[attributes]\n")


def write_brat(out: Path, items: Iterable[tuple[Article, Annotations]]) -> None:
    """One .txt and one .ann per article, and annotation.conf, into directory OUT."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "annotation.conf").write_text(annotation_conf(entity_labels()), encoding="utf-8", newline="\n")
    for art, ann in items:
        (out / f"{art.article_id}.txt").write_text(art.text, encoding="utf-8", newline="")
        (out / f"{art.article_id}.ann").write_text(ann_text(art, ann), encoding="utf-8", newline="\n")


# -- reading --------------------------------------------------------------------------


def _parse_offsets(where: str, field: str) -> tuple[str, Span]:
    kind, _, rest = field.partition(" ")
    try:
        span = tuple((int(a), int(b)) for a, b in (p.split() for p in rest.split(";")))
    except ValueError:
        raise GoldError(f"{where}: cannot read the offsets {rest!r} (want 'start end' or 'start end;start end')") from None
    return kind, span


def _events(path: Path, events: list[tuple[str, str, list[str]]], spans: dict[str, tuple[str, Span, int]]) -> list[Claim]:
    claims, used = [], set()
    for where, trigger, args in events:
        parts: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for a in args:
            role, _, tid = a.partition(":")
            role = role.rstrip("0123456789")
            if role not in ROLES:
                raise GoldError(f"{where}: unknown Attribution argument {role!r} (known: {', '.join(ROLES)})")
            if tid not in spans or spans[tid][0] != role:
                raise GoldError(f"{where}: argument {a!r} names no {role} span of this file")
            parts[role] += spans[tid][1]
            used.add(tid)
        if trigger in spans and spans[trigger][0] == "Cue" and not parts["Cue"]:
            parts["Cue"] += spans[trigger][1]
            used.add(trigger)
        claims.append(Claim(*(tuple(sorted(parts[r])) or None for r in ROLES)))
    for tid, (kind, _, line) in spans.items():
        if kind in ROLES and tid not in used:
            raise GoldError(f"{path}:{line}: {kind} span {tid} belongs to no {ATTRIBUTION} event")
    return claims


def _read_ann(path: Path, text: str, labels: tuple[str, ...]) -> tuple[Annotations, set[str]]:
    ann, present = Annotations(), set()
    spans: dict[str, tuple[str, Span, int]] = {}
    events: list[tuple[str, str, list[str]]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith(IGNORED):
            continue
        where, cols = f"{path}:{n}", line.split("\t")
        if line.startswith("T") and len(cols) >= 2:
            kind, span = _parse_offsets(where, cols[1])
            span = check_span(where, text, span, cols[2] if len(cols) > 2 else None, kind)
            if kind == SENTENCE:
                ann.sentences.append((span[0][0], span[-1][1]))
                present.add(SENTENCES)
            elif kind in ROLES or kind == ATTRIBUTION:
                spans[cols[0]] = (kind, span, n)
            else:
                ann.entities.append((span[0][0], span[-1][1], check_label(where, kind, labels, "BRAT type")))
                present.add(ENTITIES)
        elif line.startswith("E") and len(cols) == 2:
            head, *args = cols[1].split()
            kind, _, trigger = head.partition(":")
            if kind != ATTRIBUTION:
                raise GoldError(f"{where}: unknown event type {kind!r} (known: {ATTRIBUTION})")
            events.append((where, trigger, args))
            present.add(CLAIMS)
        else:
            raise GoldError(f"{where}: not a BRAT standoff line (want T…, E…, R…, A…, N… or #…)")
    ann.claims = _events(path, events, spans)
    ann.sentences.sort()
    ann.entities.sort()
    return ann, present


def read_brat(path: Path, resolve: Resolver, labels: tuple[str, ...]) -> Gold:
    """Every .ann file in directory PATH (or the one .ann file PATH) with its .txt."""
    files = [path] if path.is_file() else sorted(path.glob("*.ann"))
    if not files:
        raise GoldError(f"{path}: no .ann files (BRAT standoff: NAME.txt and NAME.ann)")
    docs: dict[str, Annotations] = {}
    present: set[str] = set()
    for ann_path in files:
        txt = ann_path.with_suffix(".txt")
        if not txt.is_file():
            raise GoldError(f"{ann_path}:1: no {txt.name} next to it (BRAT needs the text)")
        text = txt.read_text(encoding="utf-8")
        art = resolve(f"{txt}:1", ann_path.stem, text, external_id=ann_path.stem)
        if art.article_id in docs:
            raise GoldError(f"{ann_path}:1: article {art.article_id} is annotated twice")
        ann, layers = _read_ann(ann_path, text, labels)
        docs[art.article_id] = resolve.to_release(str(ann_path), art.article_id, ann)
        present |= layers
    return Gold(docs, layers_of(present), str(path), "brat")
