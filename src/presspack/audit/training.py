"""Gold for training and the dev scores of a trained claims model.

`gold_articles` turns gold read without a release (audit.load.load_gold(path, None))
into the learner's GoldArticles; `dev_scores` scores a model's candidates on dev gold
with the counting rules and bootstrap intervals of `presspack score` (claims: content
with 50% token overlap, content_exact, source, cue, triple), plus token-level figures
of each role (`tokens_content`, `tokens_source`, `tokens_cue`: word tokens of the
predicted spans of that role against the gold's, per article).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from presspack.audit.gold import Gold, GoldError
from presspack.audit.model import Annotations, Claim, Span
from presspack.audit.score import SAMPLES, SEED, Counts, Tokens, bootstrap_weights, claim_counts, layer_figures
from presspack.claims.candidates import Candidate
from presspack.learn import GoldArticle, GoldClaim
from presspack.normalize.text import Article
from presspack.package.hashing import sha256_file, sha256_text

ROLES = ("content", "source", "cue")


def gold_articles(gold: Gold) -> list[GoldArticle]:
    """The gold's articles (normalized) with their claims; claims without content are left out."""
    if not gold.articles:
        raise GoldError(f"{gold.path}: no texts: read training gold with load_gold(path, None)")
    out = []
    for aid in sorted(gold.docs):
        claims = [GoldClaim(content=c.content, cue=c.cue, source=c.source) for c in gold.docs[aid].claims if c.content]
        out.append(GoldArticle(gold.articles[aid], claims))
    return out


def gold_digest(path: str | Path) -> str:
    """The sha256 of a gold file, or of a BRAT directory (its files' names and hashes, sorted)."""
    path = Path(path)
    if path.is_file():
        return sha256_file(path)
    lines = "".join(f"{sha256_file(p)}  {p.relative_to(path).as_posix()}\n" for p in sorted(path.rglob("*")) if p.is_file())
    return sha256_text(lines)


def _one(span: tuple[int, int] | None) -> Span | None:
    return None if span is None else ((span[0], span[1]),)


def _token_counts(text: str, gold: Annotations, pred: Annotations) -> Counts:
    tok = Tokens(text)
    out = {}
    for role in ROLES:
        g = frozenset().union(*[tok(getattr(c, role)) for c in gold.claims])
        p = frozenset().union(*[tok(getattr(c, role)) for c in pred.claims])
        out[f"tokens_{role}"] = (len(g & p), len(p), len(g))
    return out


def dev_scores(items: Iterable[tuple[Article, list[GoldClaim], list[Candidate]]], samples: int = SAMPLES,
               seed: int = SEED) -> dict[str, Any]:
    """P/R/F1 with 95% bootstrap intervals over articles of candidates against gold."""
    per: list[Counts] = []
    for art, gold, cands in items:
        g = Annotations(claims=[Claim(c.source, c.cue, c.content) for c in gold])
        p = Annotations(claims=[Claim(_one(c.source), _one(c.cue), _one(c.content)) for c in cands])
        per.append({**claim_counts(art.text, g, p), **_token_counts(art.text, g, p)})
    if not per:
        return {}
    weights = bootstrap_weights(len(per), samples, seed)
    return layer_figures(per, np.asarray(weights))
