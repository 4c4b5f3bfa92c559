"""An article's text as HTML with its sentences, entity mentions and claims (speaker,
cue, content) marked, for the explore server's article page.

The text is written once, in order, so the page's text equals articles.text exactly
(shown with `white-space: pre-wrap`). Sentences hold claim parts, which hold entity
mentions; a span that crosses the boundary of an outer one (a quote running over two
sentences) is cut into parts that share its `data-span`, and only the first part
carries the `id`. Ids and classes are stable:

- sentence: `<span class="pp-sent" id="{sentence_id}">` (`pp-heading` added for headings)
- entity: `<mark class="pp-ent pp-ent-{LABEL}" id="{mention_id}">`
- claim part: `<span class="pp-speaker|pp-cue|pp-content" id="{claim_id}-{part}">`
- claim anchor: an empty `<a class="pp-claim" id="{claim_id}">` where the claim's first
  part starts: the target of the links from claim rows (`/article/{article_id}#{claim_id}`)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape
from typing import Any

from presspack.package.schemas import span_columns

SPEAKER, CUE, CONTENT = "speaker", "cue", "content"
# nesting order for spans over the same text: sentences outside, claim parts, then entities
LAYER = {"sentence": 0, SPEAKER: 1, CUE: 1, CONTENT: 1, "entity": 2}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # a LAYER key
    key: str  # the element id of the first part (data-span of every part)
    classes: str
    title: str = ""

    def open(self, first: bool) -> str:
        tag = "mark" if self.kind == "entity" else "span"
        ident = f' id="{escape(self.key)}"' if first else ""
        title = f' title="{escape(self.title)}"' if self.title else ""
        return f'<{tag} class="{self.classes}" data-span="{escape(self.key)}"{ident}{title}>'

    def close(self) -> str:
        return "</mark>" if self.kind == "entity" else "</span>"


def claim_parts() -> list[tuple[str, str, str]]:
    """(part, start column, end column) of a claim's spans, from the claims schema."""
    return [(text.removesuffix("_text"), start, end) for text, start, end in span_columns("claims")]


def spans(sentences: Iterable[Mapping[str, Any]], entities: Iterable[Mapping[str, Any]],
          claims: Iterable[Mapping[str, Any]]) -> list[Span]:
    """Every span of an article, from its rows (column names as in schemas/)."""
    out = [Span(s["start"], s["end"], "sentence", s["sentence_id"], "pp-sent pp-heading" if s["is_heading"] else "pp-sent")
           for s in sentences]
    out += [Span(e["start"], e["end"], "entity", e["mention_id"], f"pp-ent pp-ent-{escape(e['label'])}",
                 f"{e['label']}: {e['canonical']}") for e in entities]
    for c in claims:
        who = c.get("speaker_name") or c.get("speaker_text") or "unknown speaker"
        for part, start, end in claim_parts():
            if c.get(start) is not None and c.get(end) is not None and c[end] > c[start]:
                out.append(Span(c[start], c[end], part, f"{c['claim_id']}-{part}", f"pp-{part}",
                                f"{part} of a claim by {who} ({c['kind']})"))
    return out


def claim_anchors(claims: Iterable[Mapping[str, Any]]) -> dict[int, list[str]]:
    """offset -> ids of the claims whose first part starts there."""
    out: dict[int, list[str]] = {}
    for c in claims:
        starts = [c[start] for _, start, _ in claim_parts() if c.get(start) is not None]
        out.setdefault(min(starts), []).append(c["claim_id"])
    return out


def _order(span: Span) -> tuple[int, int, int, str]:
    """Outer before inner: by layer (sentences always hold the rest), then the longer span."""
    return (LAYER[span.kind], span.start, -span.end, span.key)


def article_html(text: str, sentences: Iterable[Mapping[str, Any]], entities: Iterable[Mapping[str, Any]],
                 claims: Iterable[Mapping[str, Any]]) -> str:
    """The text with every span marked (see the module docstring)."""
    claims = list(claims)
    all_spans = [s for s in spans(sentences, entities, claims) if 0 <= s.start < s.end <= len(text)]
    anchors = claim_anchors(claims)
    cuts = sorted({0, len(text), *anchors, *(s.start for s in all_spans), *(s.end for s in all_spans)})
    by_start = sorted(all_spans, key=lambda s: s.start)
    opened: set[str] = set()
    active: list[Span] = []
    stack: list[Span] = []
    out: list[str] = []
    i = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        active = [s for s in active if s.end > a]
        while i < len(by_start) and by_start[i].start <= a:
            active.append(by_start[i])
            i += 1
        want = sorted(active, key=_order)
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out.extend(s.close() for s in reversed(stack[keep:]))
        out.extend(f'<a class="pp-claim" id="{escape(cid)}"></a>' for cid in anchors.get(a, []))
        for s in want[keep:]:
            out.append(s.open(s.key not in opened))
            opened.add(s.key)
        stack = want
        out.append(escape(text[a:b], quote=False))
    out.extend(s.close() for s in reversed(stack))
    return "".join(out)
