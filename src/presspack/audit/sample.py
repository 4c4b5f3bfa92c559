"""A reproducible, optionally stratified random sample of a release's articles,
exported for annotation with the release's spans as pre-annotations.

The order is a keyed hash: articles sorted by sha256("SEED:ARTICLE_ID"), so the same
release and seed give the same sample on any machine, and a larger N extends a smaller
one (without strata). With `by`, N is shared among the strata (source, publication month
or language) in proportion to their sizes (largest remainders, ties by stratum name)
and each stratum takes its first articles in the hash order.

OUT receives sample.json (the release, seed, strata, and every sampled article's id and
text sha256), labelstudio/tasks.json and config.xml, brat/*.txt, *.ann and
annotation.conf, and predictions.jsonl (the same spans in presspack JSONL).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack.audit import tables
from presspack.audit.brat import write_brat
from presspack.audit.gold import write_jsonl
from presspack.audit.labelstudio import write_labelstudio
from presspack.errors import PresspackError
from presspack.package.hashing import sha256_text

BY = tuple(tables.STRATA)
UNKNOWN = "(unknown)"


class SampleError(PresspackError):
    """The sample cannot be drawn (bad N, unknown stratum column, no articles)."""


@dataclass
class Sample:
    release: dict[str, Any]
    seed: int
    n: int
    by: str | None
    population: int
    strata: dict[str, dict[str, int]]
    articles: list[dict[str, str]]  # article_id, sha256, stratum (when by)

    def to_dict(self) -> dict[str, Any]:
        return {"presspack_sample": 1, "release": self.release, "seed": self.seed, "n": len(self.articles),
                "by": self.by, "population": self.population, "strata": self.strata, "articles": self.articles}


def sample_key(seed: int, article_id: str) -> str:
    return sha256_text(f"{seed}:{article_id}")


def stratum(row: dict[str, Any], by: str | None) -> str:
    if by is None:
        return ""
    value = row.get(tables.STRATA[by])
    if not value:
        return UNKNOWN
    return str(value)[:7] if by == "month" else str(value)


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """N shared among strata in proportion to their sizes (largest remainders)."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    quota = {k: n * v / total for k, v in sizes.items()}
    out = {k: int(q) for k, q in quota.items()}
    rest = sorted(sizes, key=lambda k: (-(quota[k] - out[k]), k))
    for k in rest[: n - sum(out.values())]:
        out[k] += 1
    return out


def draw(release: str | Path, n: int, seed: int = 0, by: str | None = None) -> Sample:
    """Which articles to annotate (reads only the articles table's ids and strata)."""
    if n < 1:
        raise SampleError(f"--n must be at least 1, not {n}")
    if by is not None and by not in BY:
        raise SampleError(f"--by must be one of {', '.join(BY)}, not {by!r}")
    cols = ("sha256", *((tables.STRATA[by],) if by else ()))
    rows = [(sample_key(seed, r["article_id"]), r["article_id"], r["sha256"], stratum(r, by))
            for r in tables.article_rows(release, cols)]
    if not rows:
        raise SampleError(f"{release}: the release has no articles")
    rows.sort()
    sizes = Counter(r[3] for r in rows)
    quota = allocate(dict(sizes), n)
    taken: Counter[str] = Counter()
    chosen = []
    for _key, aid, sha, st in rows:
        if taken[st] < quota[st]:
            taken[st] += 1
            chosen.append({"article_id": aid, "sha256": sha, **({"stratum": st} if by else {})})
    strata = {k: {"population": sizes[k], "sampled": taken[k]} for k in sorted(sizes)} if by else {}
    info = {**tables.release_info(release), "path": Path(release).as_posix()}
    return Sample(info, seed, n, by, len(rows), strata, chosen)


def export(release: str | Path, sample: Sample, out: str | Path) -> dict[str, Path]:
    """Write the sample and its pre-annotations into OUT; returns what was written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ids = [a["article_id"] for a in sample.articles]
    arts, preds = tables.articles(release, ids), tables.predictions(release, ids)
    items = [(arts[i], preds[i]) for i in ids]
    version = f"presspack {sample.release.get('name')} {sample.release.get('version')}"
    paths = {"sample": out / "sample.json", "labelstudio": out / "labelstudio", "brat": out / "brat",
             "jsonl": out / "predictions.jsonl"}
    for key in ("labelstudio", "brat"):
        if paths[key].exists() and any(paths[key].iterdir()):
            raise SampleError(f"{paths[key]} is not empty: choose a new --out (annotations are never overwritten)")
    paths["sample"].write_text(json.dumps(sample.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    write_labelstudio(paths["labelstudio"], items, version)
    write_brat(paths["brat"], items)
    write_jsonl(paths["jsonl"], items)
    return paths
