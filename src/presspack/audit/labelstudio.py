"""Label Studio: an import file (tasks with the release's spans as predictions), the
labeling config, and reading a Label Studio JSON export back as gold.

A task is {"data": {"text", "article_id", "sha256"}, "predictions": [{"model_version",
"result": [...]}]}. Result items are `labels` regions ({"id", "from_name", "to_name":
"text", "type": "labels", "value": {"start", "end", "text", "labels": [LABEL]}}; offsets
in code points, as Label Studio stores them) and `relation` items ({"from_id", "to_id",
"type": "relation", "direction": "right", "labels": [...]}). Three label controls share
the one Text: `sentence` (Sentence), `entity` (the entity labels) and `claim` (Source,
Cue, Content). A claim is a Content region with relations to its Source and Cue regions;
a discontinuous content is several Content regions linked by `continues` relations.

Reading an export: each task's first annotation that was not cancelled is the gold;
tasks without one are skipped (and counted). Regions are read by their label, not by
the control's name; relations by the labels of the regions they join, in either
direction (their own labels are not needed).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from presspack.audit.gold import Gold, GoldError, Resolver, check_label, check_span, layers_of
from presspack.audit.model import (
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
)

TEXT = "text"
CONTROLS = {"sentence": (SENTENCE,), "claim": ROLES}  # and "entity": the entity labels
RELATIONS = ("source", "cue", "continues")


def labeling_config(labels: Iterable[str] | None = None) -> str:
    """The <View> to paste into the project's Labeling Interface."""
    labels = tuple(entity_labels() if labels is None else labels)

    def control(name: str, values: Iterable[str]) -> str:
        inner = "".join(f"\n    <Label value={quoteattr(v)}/>" for v in values)
        return f'  <Labels name="{name}" toName="{TEXT}">{inner}\n  </Labels>\n'

    rel = "".join(f'\n    <Relation value="{r}"/>' for r in RELATIONS)
    return ("<View>\n" + control("sentence", CONTROLS["sentence"]) + control("entity", labels)
            + control("claim", CONTROLS["claim"]) + f"  <Relations>{rel}\n  </Relations>\n"
            + f'  <Text name="{TEXT}" value="${TEXT}" granularity="symbol"/>\n</View>\n')


def _region(rid: str, control: str, text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _relation(a: str, b: str, label: str) -> dict[str, Any]:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [label]}


def result_items(art: Article, ann: Annotations) -> list[dict[str, Any]]:
    """One article's annotations as Label Studio result items."""
    t = art.text
    out = [_region(f"s{i}", "sentence", t, s, e, SENTENCE) for i, (s, e) in enumerate(ann.sentences, 1)]
    out += [_region(f"e{i}", "entity", t, s, e, lab) for i, (s, e, lab) in enumerate(ann.entities, 1)]
    for i, c in enumerate(ann.claims, 1):
        if not c.content:
            continue
        anchor = f"c{i}-content"
        for k, (s, e) in enumerate(c.content):
            rid = anchor if k == 0 else f"{anchor}{k + 1}"
            out.append(_region(rid, "claim", t, s, e, "Content"))
            if k:
                out.append(_relation(anchor, rid, "continues"))
        for role, span in (("Source", c.source), ("Cue", c.cue)):
            for k, (s, e) in enumerate(span or ()):
                rid = f"c{i}-{role.lower()}{'' if k == 0 else k + 1}"
                out += [_region(rid, "claim", t, s, e, role), _relation(anchor, rid, role.lower())]
    return out


def task(art: Article, ann: Annotations, model_version: str) -> dict[str, Any]:
    return {"data": {TEXT: art.text, "article_id": art.article_id, "sha256": art.sha256},
            "predictions": [{"model_version": model_version, "result": result_items(art, ann)}]}


def write_labelstudio(out: Path, items: Iterable[tuple[Article, Annotations]], model_version: str) -> None:
    """tasks.json (import it into a project) and config.xml (its labeling interface)."""
    out.mkdir(parents=True, exist_ok=True)
    tasks = [task(a, ann, model_version) for a, ann in items]
    (out / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=1) + "\n", encoding="utf-8", newline="\n")
    (out / "config.xml").write_text(labeling_config(), encoding="utf-8", newline="\n")


# -- reading an export ----------------------------------------------------------------


class _Lines:
    """Line numbers in the export file: each task's place (the top-level array parsed one
    element at a time) and, inside it, a region's `"id": "…"`."""

    def __init__(self, raw: str) -> None:
        self.raw, self.tasks = raw, []
        dec, i = json.JSONDecoder(), raw.index("[") + 1
        while True:
            while i < len(raw) and raw[i] in " \t\r\n,":
                i += 1
            if i >= len(raw) or raw[i] == "]":
                break
            _, end = dec.raw_decode(raw, i)
            self.tasks.append((i, end))
            i = end

    def line(self, task: int, rid: str | None = None) -> int:
        start, end = self.tasks[task] if task < len(self.tasks) else (0, len(self.raw))
        pos = start
        if rid is not None:
            m = re.compile(r'"id"\s*:\s*' + re.escape(json.dumps(rid))).search(self.raw, start, end)
            pos = m.start() if m else start
        return self.raw.count("\n", 0, pos) + 1


def _annotation(t: dict[str, Any]) -> dict[str, Any] | None:
    for a in t.get("annotations") or t.get("completions") or []:
        if isinstance(a, dict) and not a.get("was_cancelled"):
            return a
    return None


def _claims(where: Any, regions: dict[str, tuple[str, Span]], links: list[tuple[str, str]]) -> list[Claim]:
    """Claims from Content regions and their relations (Content-Content: one claim)."""
    parent = {rid: rid for rid, (lab, _) in regions.items() if lab == "Content"}

    def root(r: str) -> str:
        while parent[r] != r:
            r = parent[r]
        return r

    attached: dict[str, list[str]] = {}  # Source or Cue region -> the Content regions it belongs to
    for a, b in links:
        la, lb = regions[a][0], regions[b][0]
        if la == lb == "Content":
            parent[root(b)] = root(a)
        elif "Content" in (la, lb) and {la, lb} & {"Source", "Cue"}:
            content, other = (a, b) if la == "Content" else (b, a)
            attached.setdefault(other, []).append(content)
    for rid, (lab, _) in sorted(regions.items()):
        if lab in ("Source", "Cue") and rid not in attached:
            raise GoldError(f"{where(rid)}: {lab} region {rid!r} has no relation to a Content region")
    groups: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for rid in parent:
        groups.setdefault(root(rid), {r: [] for r in ROLES})["Content"] += regions[rid][1]
    for rid, contents in attached.items():
        for c in contents:
            groups[root(c)][regions[rid][0]] += regions[rid][1]
    return [Claim(*(tuple(sorted(set(g[r]))) or None for r in ROLES)) for _, g in sorted(groups.items())]


def _task_gold(where: Any, text: str, result: list[Any], labels: tuple[str, ...]) -> tuple[Annotations, set[str]]:
    ann, present = Annotations(), set()
    regions: dict[str, tuple[str, Span]] = {}
    links: list[tuple[str, str]] = []
    for item in result:
        if not isinstance(item, dict):
            raise GoldError(f"{where(None)}: a result item must be an object")
        rid = str(item.get("id"))
        if item.get("type") == "relation":
            links.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        v = item.get("value") or {}
        if "start" not in v or "end" not in v:
            continue  # not a text region (e.g. a choice or a comment): nothing to score
        span = check_span(where(rid), text, one(v["start"], v["end"]), v.get("text"), f"region {rid!r}")
        for lab in v.get("labels") or v.get(item.get("type", ""), []) or []:
            if lab == SENTENCE:
                ann.sentences.append(span[0])
                present.add(SENTENCES)
            elif lab in ROLES:
                regions[rid] = (lab, span)
                present.add(CLAIMS)
            else:
                ann.entities.append((*span[0], check_label(where(rid), lab, labels, "label")))
                present.add(ENTITIES)
    for a, b in links:
        for r in (a, b):
            if r not in regions and r not in {x.get("id") for x in result if isinstance(x, dict)}:
                raise GoldError(f"{where(None)}: a relation names region {r!r}, which the task does not have")
    links = [(a, b) for a, b in links if a in regions and b in regions]
    ann.claims = _claims(where, regions, links)
    ann.sentences.sort()
    ann.entities.sort()
    return ann, present


def read_labelstudio(path: Path, resolve: Resolver, labels: tuple[str, ...]) -> Gold:
    """A Label Studio JSON export (a list of tasks with their annotations)."""
    raw = path.read_text(encoding="utf-8")
    try:
        tasks = json.loads(raw)
    except json.JSONDecodeError as e:
        raise GoldError(f"{path}:{e.lineno}: not JSON: {e.msg}") from None
    if not isinstance(tasks, list):
        raise GoldError(f"{path}:1: not a Label Studio JSON export (want a list of tasks)")
    lines, docs, present, skipped = _Lines(raw), {}, set(), 0
    for n, t in enumerate(tasks, start=1):
        name = f"task {n}" + (f" (id {t['id']})" if isinstance(t, dict) and "id" in t else "")

        def where(rid: str | None, n: int = n, name: str = name) -> str:
            return f"{path}:{lines.line(n - 1, rid)}: {name}"

        if not isinstance(t, dict) or not isinstance(t.get("data"), dict):
            raise GoldError(f"{where(None)}: no data")
        a = _annotation(t)
        if a is None:
            skipped += 1
            continue
        d = t["data"]
        art = resolve(where(None), d.get("article_id"), d.get(TEXT), d.get("sha256"))
        if art.article_id in docs:
            raise GoldError(f"{where(None)}: article {art.article_id} is annotated twice")
        text = d[TEXT] if isinstance(d.get(TEXT), str) else art.text
        ann, layers = _task_gold(where, text, a.get("result") or [], labels)
        docs[art.article_id] = resolve.to_release(where(None), art.article_id, ann)
        present |= layers
    notes = [f"{skipped} task(s) without an annotation were skipped"] if skipped else []
    if not docs:
        raise GoldError(f"{path}:1: no task has an annotation (a file of predictions only? annotate the tasks in "
                        "Label Studio, then export them as JSON)")
    return Gold(docs, layers_of(present), str(path), "labelstudio", notes)
