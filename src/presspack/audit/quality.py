"""The "Measured accuracy" section of a release: from a `presspack score --json` file to
Markdown (the dataset card), HTML (report.html) and a dict (datapackage.json's
`quality`).

Everything shown comes from the score file (figures, intervals, sample size, release
measured, who annotated and when): the section has no clock in it, so a release built
with the same score file is byte-identical.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from presspack.errors import PresspackError

SECTION = "Measured accuracy"
ANCHOR = "measured-accuracy"
MAIN = {"sentences": ("boundary", "span"), "entities": ("exact", "overlap", "unlabeled"),
        "claims": ("content", "source", "cue", "triple")}
MEANING = {
    ("sentences", "boundary"): "sentence ends",
    ("sentences", "span"): "whole sentences",
    ("entities", "exact"): "mentions, exact span and label",
    ("entities", "overlap"): "mentions, overlapping span, same label",
    ("entities", "unlabeled"): "mentions, exact span, any label",
    ("claims", "content"): "claim found (content, half the words)",
    ("claims", "source"): "speaker of a found claim",
    ("claims", "cue"): "cue of a found claim",
    ("claims", "triple"): "speaker, cue and content all right",
}


class QualityError(PresspackError):
    """The --quality file is not a presspack score file."""


def load_quality(path: str | Path) -> dict[str, Any]:
    """A `presspack score --json` file; QualityError (one line, naming the file) otherwise."""
    path = Path(path)
    try:
        q = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:  # missing, unreadable, not UTF-8, not JSON
        raise QualityError(f"{path}: cannot read it as JSON ({e}); write it with presspack score RELEASE --gold PATH --json") from None
    if not isinstance(q, dict) or q.get("presspack_score") != 1 or not any(k in q for k in MAIN):
        raise QualityError(f"{path}: not a presspack score file (want the output of presspack score --json)")
    return q


def rows(q: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(layer, measure, figure) of the headline measures the score file has."""
    return [(layer, m, q[layer][m]) for layer, ms in MAIN.items() if layer in q for m in ms if m in q[layer]]


def _n(x: Any) -> str:
    return f"{float(x):.3f}"


def _ci(f: dict[str, Any], key: str = "f1") -> str:
    lo, hi = f.get("ci", {}).get(key) or [None, None]
    return "" if lo is None else f" [{_n(lo)}, {_n(hi)}]"


def _who(q: dict[str, Any]) -> str:
    rel, gold, boot = q.get("release", {}), q.get("gold", {}), q.get("bootstrap", {})
    who = q.get("annotator") or "an unnamed annotator"
    when = f" on {q['date']}" if q.get("date") else ""
    return (f"Measured on {gold.get('articles', '?')} articles sampled from release {rel.get('name')} "
            f"{rel.get('version')}, annotated by {who}{when} (gold in {gold.get('format')} format). "
            f"Micro-averaged precision, recall and F1; in brackets the {round(100 * boot.get('confidence', 0.95))}% "
            f"bootstrap confidence interval over articles ({boot.get('samples')} resamples, seed {boot.get('seed')}). "
            "Counting rules: `presspack score` (docs/accuracy.md).")


def _md(s: Any) -> str:
    return str(s).replace("|", "\\|")


def markdown(q: dict[str, Any]) -> str:
    """The card's section (starts with its `## ` heading, ends with a newline)."""
    out = [f"## {SECTION}", "", _md(_who(q)), "",
           "| layer | measure | precision | recall | F1 [95% CI] | gold | predicted |", "|---|---|---:|---:|---:|---:|---:|"]
    out += [f"| {layer} | {m}: {MEANING[layer, m]} | {_n(f['precision'])} | {_n(f['recall'])} | {_n(f['f1'])}{_ci(f)} "
            f"| {f['gold']} | {f['pred']} |" for layer, m, f in rows(q)]
    per = q.get("entities", {}).get("per_label", {})
    if per:
        out += ["", "Entities per label (exact):", "", "| label | precision | recall | F1 [95% CI] | gold |", "|---|---:|---:|---:|---:|"]
        out += [f"| {_md(k)} | {_n(v['exact']['precision'])} | {_n(v['exact']['recall'])} | {_n(v['exact']['f1'])}"
                f"{_ci(v['exact'])} | {v['exact']['gold']} |" for k, v in per.items() if "exact" in v]
    return "\n".join(out) + "\n"


def html_section(q: dict[str, Any]) -> str:
    """report.html's section (one <section> element)."""
    e = html.escape
    head = "<tr><th>layer</th><th>measure</th><th>precision</th><th>recall</th><th>F1 [95% CI]</th><th>gold</th><th>predicted</th></tr>"
    body = "".join(f"<tr><td>{e(layer)}</td><td>{e(m)}: {e(MEANING[layer, m])}</td><td>{_n(f['precision'])}</td>"
                   f"<td>{_n(f['recall'])}</td><td>{_n(f['f1'])}{e(_ci(f))}</td><td>{f['gold']}</td><td>{f['pred']}</td></tr>"
                   for layer, m, f in rows(q))
    who = e(_who(q)).replace("`presspack score`", "<code>presspack score</code>")
    return (f'<section id="{ANCHOR}"><h2>{SECTION}</h2><p>{who}</p>'
            f'<table class="quality">{head}{body}</table></section>')


def datapackage_entry(q: dict[str, Any]) -> dict[str, Any]:
    """datapackage.json's `quality`: the headline figures and what they were measured on."""
    keep = ("precision", "recall", "f1", "ci", "tp", "pred", "gold")
    figures: dict[str, dict[str, Any]] = {}
    for layer, m, f in rows(q):
        figures.setdefault(layer, {})[m] = {k: f[k] for k in keep if k in f}
    gold = q.get("gold", {})
    return {"title": SECTION, "measured_release": q.get("release", {}).get("version"), "annotator": q.get("annotator"),
            "date": q.get("date"), "articles": gold.get("articles"), "gold_format": gold.get("format"),
            "bootstrap": q.get("bootstrap"), "figures": figures}
