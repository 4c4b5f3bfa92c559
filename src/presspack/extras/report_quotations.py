"""The report's "Most repeated quotations" section: the quotations quoted by the most
articles (quotations.parquet), as an HTML table, streamed with a bounded heap."""

from __future__ import annotations

import heapq
import html
from pathlib import Path

import pyarrow.parquet as pq

TOP_QUOTATIONS = 10
TEXT_CHARS = 220  # longer canonical texts are cut to TEXT_CHARS - 1 characters and "…"
COLUMNS = ("quotation_id", "text", "speaker_name", "speakers", "n_articles", "n_sources", "n_variants", "first_source", "first_published")


def top_quotations(release_dir: Path, n: int = TOP_QUOTATIONS) -> list[dict]:
    """The n quotations with the most articles (ties: more sources, then quotation_id);
    only those quoted by more than one article."""
    path = release_dir / "quotations.parquet"
    if not path.is_file():
        return []
    best: list[tuple[int, int, str, dict]] = []
    for batch in pq.ParquetFile(path, pre_buffer=False).iter_batches(batch_size=8_192, columns=list(COLUMNS)):
        for row in batch.to_pylist():
            if row["n_articles"] < 2:
                continue
            # the heap's smallest is the worst: fewer articles, fewer sources, the larger id
            key = (row["n_articles"], row["n_sources"], _neg(row["quotation_id"]), row)
            if len(best) < n:
                heapq.heappush(best, key)
            elif key[:3] > best[0][:3]:
                heapq.heapreplace(best, key)
    return [k[3] for k in sorted(best, key=lambda k: k[:3], reverse=True)]


def _neg(s: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in s)


def quotations_section(release_dir: str | Path) -> str:
    """<figure> with the most repeated quotations, or "" when the release has none."""
    rows = top_quotations(Path(release_dir))
    if not rows:
        return ""
    esc = html.escape
    body = []
    for r in rows:
        text = r["text"] if len(r["text"]) <= TEXT_CHARS else r["text"][:TEXT_CHARS - 1] + "…"
        who = r["speaker_name"] or (f"disputed: {r['speakers']}" if r["speakers"] else "unresolved")
        first = " ".join(x for x in (r["first_source"], (r["first_published"] or "")[:10]) if x)
        body.append(f"<tr><td>{esc(text)}</td><td>{esc(who)}</td><td>{r['n_articles']}</td><td>{r['n_sources']}</td>"
                    f"<td>{r['n_variants']}</td><td>{esc(first)}</td></tr>")
    head = "<tr><th>quotation</th><th>speaker</th><th>articles</th><th>sources</th><th>variant mentions</th><th>first</th></tr>"
    return (f'<figure id="most-repeated-quotations" class="chart"><h2>Most repeated quotations</h2><table>{head}{"".join(body)}</table>'
            f"<figcaption>The {len(rows)} quotations quoted by the most articles (quotations table; docs/quotations.md).</figcaption></figure>")
