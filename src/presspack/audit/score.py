"""Precision, recall and F1 of a release against gold annotations, with 95% bootstrap
confidence intervals over articles.

Counting (aligned with the scorers of the project's evaluation, so the figures are
comparable):

- sentences `boundary`: a boundary is a sentence's end after trailing whitespace is
  stripped; the end of the article's text is not counted (it is free). `span`: a
  sentence counts when its whitespace-stripped (start, end) equals a gold sentence's.
- entities `exact`: same start, end and label. `overlap`: gold and predicted mentions
  of the same label that share at least one character, paired one to one (greedily,
  largest overlap first). `unlabeled`: same start and end, any label. Each also per
  label.
- claims, on word tokens (`\\w+` over the article text, so quote marks and punctuation
  at the edges never matter; a discontinuous span is the union of its pieces):
  `content`: a predicted and a gold claim are paired one to one (greedily, largest
  token overlap first) when the shared tokens are at least half of the gold content's
  tokens and at least half of the predicted content's; P = pairs / predicted, R =
  pairs / gold. `source` (`cue`): a pair whose two sources (cues) share a character;
  P over predicted claims with a source (cue), R over gold claims with one. `triple`: a
  pair whose source is right (or absent in both) and whose cue is right (or absent in both); P over all
  predicted claims, R over all gold claims. Also `content_exact` (the same token set)
  and `content_any` (at least one shared token), both one to one.

Micro averages: counts are summed over articles, then P, R and F1 computed. The
confidence intervals resample the articles with replacement (B times, numpy with a
fixed seed) and take the 2.5th and 97.5th percentiles of each figure, leaving out the
resamples in which it is undefined (precision with no prediction, recall with no gold).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from presspack.audit import tables
from presspack.audit.gold import Gold, GoldError
from presspack.audit.model import CLAIMS, ENTITIES, LAYERS, SENTENCES, Annotations, Span

WORD = re.compile(r"\w+")
SAMPLES = 1000
SEED = 0
CONFIDENCE = 0.95
CLAIM_METRICS = ("content", "source", "cue", "triple", "content_exact", "content_any")
Counts = dict[str, tuple[int, int, int]]  # metric -> (true positives, predicted, gold)


def _strip(text: str, s: int, e: int) -> tuple[int, int] | None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def sentence_counts(text: str, gold: Annotations, pred: Annotations) -> Counts:
    last = len(text.rstrip())
    g = {x for x in (_strip(text, s, e) for s, e in gold.sentences) if x}
    p = {x for x in (_strip(text, s, e) for s, e in pred.sentences) if x}
    gb, pb = {e for _, e in g if e < last}, {e for _, e in p if e < last}
    return {"boundary": (len(gb & pb), len(pb), len(gb)), "span": (len(g & p), len(p), len(g))}


def pair_up(gold: list[Any], pred: list[Any], overlap: Callable[[Any, Any], int],
            accept: Callable[[Any, Any, int], bool] = lambda g, p, ov: True) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index): candidates that overlap and are
    accepted, taken greedily by largest overlap, then gold order, then predicted order."""
    cands = [(-ov, gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
             if (ov := overlap(g, p)) > 0 and accept(g, p, ov)]
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in sorted(cands):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def _char_overlap(a: tuple[int, int, str], b: tuple[int, int, str]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0])) if a[2] == b[2] else 0


def entity_counts(gold: Annotations, pred: Annotations) -> Counts:
    out: Counter[str] = Counter()
    labels = sorted({x[2] for x in gold.entities} | {x[2] for x in pred.entities})
    for label in [None, *labels]:
        g = sorted({x for x in gold.entities if label is None or x[2] == label})
        p = sorted({x for x in pred.entities if label is None or x[2] == label})
        suffix = "" if label is None else f":{label}"
        out[f"exact{suffix}"] = len(set(g) & set(p))
        out[f"overlap{suffix}"] = len(pair_up(g, p, _char_overlap))
        out[f"pred{suffix}"], out[f"gold{suffix}"] = len(p), len(g)
    out["unlabeled"] = len({x[:2] for x in gold.entities} & {x[:2] for x in pred.entities})
    res = {"unlabeled": (out["unlabeled"], out["pred"], out["gold"])}
    for label in ["", *(f":{x}" for x in labels)]:
        for m in ("exact", "overlap"):
            res[f"{m}{label}"] = (out[f"{m}{label}"], out[f"pred{label}"], out[f"gold{label}"])
    return res


class Tokens:
    """Word-token indices of spans of one text."""

    def __init__(self, text: str) -> None:
        found = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self.starts = [s for s, _ in found]
        self.ends = [e for _, e in found]

    def __call__(self, span: Span | None) -> frozenset[int]:
        out: set[int] = set()
        for s, e in span or ():
            i = bisect.bisect_right(self.ends, s)
            while i < len(self.starts) and self.starts[i] < e:
                out.add(i)
                i += 1
        return frozenset(out)


def _touch(a: Span | None, b: Span | None) -> bool:
    return bool(a and b) and any(x < ye and y < xe for x, xe in a for y, ye in b)  # type: ignore[union-attr]


def claim_counts(text: str, gold: Annotations, pred: Annotations) -> Counts:
    tok = Tokens(text)
    G, P = gold.claims, pred.claims
    gt, pt = [tok(c.content) for c in G], [tok(c.content) for c in P]
    def size(g: frozenset[int], p: frozenset[int]) -> int:
        return len(g & p)

    def half(g: frozenset[int], p: frozenset[int], ov: int) -> bool:
        return 2 * ov >= len(g) and 2 * ov >= len(p)

    c: Counter[str] = Counter()
    for gi, pi in pair_up(gt, pt, size, half):
        g, p = G[gi], P[pi]
        src, cue = _touch(g.source, p.source), _touch(g.cue, p.cue)
        c["content"] += 1
        c["source"] += src
        c["cue"] += cue
        c["triple"] += (src or (not g.source and not p.source)) and (cue or (not g.cue and not p.cue))
    c["content_exact"] = len(pair_up(gt, pt, size, lambda g, p, ov: g == p))
    c["content_any"] = len(pair_up(gt, pt, size))
    n_g, n_p = len(G), len(P)
    res = {m: (c[m], n_p, n_g) for m in ("content", "triple", "content_exact", "content_any")}
    res["source"] = (c["source"], sum(1 for x in P if x.source), sum(1 for x in G if x.source))
    res["cue"] = (c["cue"], sum(1 for x in P if x.cue), sum(1 for x in G if x.cue))
    return {m: res[m] for m in CLAIM_METRICS}


def prf(tp: np.ndarray, pred: np.ndarray, gold: np.ndarray, undefined: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision, recall and F1 of count arrays. Precision without predictions, recall
    without gold and F1 with neither are UNDEFINED (0.0 in the point figures, as the
    evaluation scorers count them; NaN for the bootstrap, which leaves them out)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(pred > 0, tp / np.maximum(pred, 1), undefined)
        r = np.where(gold > 0, tp / np.maximum(gold, 1), undefined)
        s = np.nan_to_num(p) + np.nan_to_num(r)
        f = np.where(s > 0, 2 * np.nan_to_num(p) * np.nan_to_num(r) / np.where(s > 0, s, 1), 0.0)
        f = np.where((pred > 0) | (gold > 0), f, undefined)
    return p, r, f


def _interval(values: np.ndarray) -> list[float] | None:
    """The central CONFIDENCE interval of the defined bootstrap values (None if none is)."""
    values = values[~np.isnan(values)]
    if not len(values):
        return None
    lo, hi = 100 * (1 - CONFIDENCE) / 2, 100 * (1 + CONFIDENCE) / 2
    return [round(float(np.percentile(values, lo)), 4), round(float(np.percentile(values, hi)), 4)]


def figure(counts: np.ndarray, weights: np.ndarray) -> dict[str, Any]:
    """P/R/F1 of summed per-article counts (n x 3), with bootstrap intervals: resamples
    in which a figure is undefined (e.g. precision with no prediction) are left out."""
    tp, npred, ngold = (int(x) for x in counts.sum(axis=0))
    p, r, f = (float(x) for x in prf(np.array(tp), np.array(npred), np.array(ngold)))
    boot = weights @ counts  # B x 3
    ci = {k: _interval(v) for k, v in zip(("precision", "recall", "f1"), prf(boot[:, 0], boot[:, 1], boot[:, 2], np.nan))}
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "pred": npred, "gold": ngold, "ci": ci}


def bootstrap_weights(n: int, samples: int = SAMPLES, seed: int = SEED) -> np.ndarray:
    """SAMPLES x N: how often each of N articles is drawn in each resample (with replacement)."""
    return np.random.default_rng(seed).multinomial(n, np.full(n, 1 / n), size=samples)


def layer_figures(per_article: list[Counts], weights: np.ndarray) -> dict[str, dict[str, Any]]:
    names = list(dict.fromkeys(m for c in per_article for m in c))  # the counters' order (deterministic)
    return {m: figure(np.array([c.get(m, (0, 0, 0)) for c in per_article], dtype=np.int64).reshape(-1, 3), weights)
            for m in names}


def _entities(figs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {k: v for k, v in figs.items() if ":" not in k}
    per: dict[str, dict[str, Any]] = {}
    for k, v in figs.items():
        if ":" in k:
            m, label = k.split(":", 1)
            per.setdefault(label, {})[m] = v
    out["per_label"] = dict(sorted(per.items()))
    return out


def map_labels(ann: Annotations, label_map: dict[str, str] | None) -> Annotations:
    """Predicted entities with their labels mapped to the gold's (unmapped ones dropped)."""
    if not label_map:
        return ann
    ents = sorted((s, e, label_map[lab]) for s, e, lab in ann.entities if lab in label_map)
    return Annotations(ann.sentences, ents, ann.claims)


def score(release: str | Path, gold: Gold, *, layers: tuple[str, ...] | None = None, samples: int = SAMPLES,
          seed: int = SEED, label_map: dict[str, str] | None = None) -> dict[str, Any]:
    """The figures of the layers the gold annotates (or LAYERS), as a JSON-ready dict."""
    ids = sorted(gold.docs)
    texts = {i: a.text for i, a in tables.articles(release, ids).items()}
    preds = {i: map_labels(a, label_map) for i, a in tables.predictions(release, ids).items()}
    layers = tuple(layers or gold.layers)
    if set(layers) - set(LAYERS):
        raise GoldError(f"unknown layer(s) {', '.join(sorted(set(layers) - set(LAYERS)))}: choose among {', '.join(LAYERS)}")
    weights = bootstrap_weights(len(ids), samples, seed)
    out: dict[str, Any] = {}
    if SENTENCES in layers:
        out[SENTENCES] = layer_figures([sentence_counts(texts[i], gold.docs[i], preds[i]) for i in ids], weights)
    if ENTITIES in layers:
        out[ENTITIES] = _entities(layer_figures([entity_counts(gold.docs[i], preds[i]) for i in ids], weights))
    if CLAIMS in layers:
        out[CLAIMS] = layer_figures([claim_counts(texts[i], gold.docs[i], preds[i]) for i in ids], weights)
    return out


def score_report(release: str | Path, gold: Gold, *, annotator: str | None = None, date: str | None = None,
                 layers: tuple[str, ...] | None = None, samples: int = SAMPLES, seed: int = SEED,
                 label_map: dict[str, str] | None = None) -> dict[str, Any]:
    """What `presspack score --json` writes and `presspack release --quality` reads: the
    figures with what was measured, on what, by whom and when."""
    figures = score(release, gold, layers=layers, samples=samples, seed=seed, label_map=label_map)
    out: dict[str, Any] = {
        "presspack_score": 1,
        "release": {**tables.release_info(release), "path": Path(release).as_posix()},
        "gold": {"path": Path(gold.path).as_posix(), "format": gold.format, "articles": len(gold.docs),
                 "layers": list(figures), "notes": gold.notes, **({"alignment": gold.alignment} if gold.alignment else {})},
        "annotator": annotator,
        "date": date,
        "bootstrap": {"samples": samples, "seed": seed, "confidence": CONFIDENCE, "unit": "article"},
    }
    if label_map:
        out["label_map"] = dict(sorted(label_map.items()))
    return {**out, **figures}
