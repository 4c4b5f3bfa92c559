"""Claim targets: the entity mentions inside each claim's content (the claim_entities table).

With them a researcher can ask what X claims about Y: claims whose speaker_key is X,
joined with claim_entities rows whose entity_key is Y.
"""

from __future__ import annotations

import bisect
from typing import Any


def claim_entity_rows(claims: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per (claim, mention) where the mention's span lies within the claim's
    content span; in claim order, then by mention position. Both lists belong to one
    article."""
    if not claims or not mentions:
        return []
    ordered = sorted(mentions, key=lambda m: (m["start"], m["end"], m["mention_id"]))
    starts = [m["start"] for m in ordered]
    out = []
    for c in claims:
        lo, hi = c["content_start"], c["content_end"]
        for m in ordered[bisect.bisect_left(starts, lo) : bisect.bisect_left(starts, hi)]:
            if m["end"] <= hi:
                out.append(
                    {
                        "claim_id": c["claim_id"],
                        "article_id": c["article_id"],
                        "mention_id": m["mention_id"],
                        "entity_key": m["entity_key"],
                    }
                )
    return out
