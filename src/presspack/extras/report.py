"""report.html: a self-contained visual report of a release (charts as inline SVG).

The charts are SVG written here (horizontal bar charts, a vertical bar chart, integer-binned
histograms and a grid of small bar charts), embedded in the page: it needs no network, no
script and no plotting library, and drawing them takes milliseconds (reading the tables
takes the rest). Output is byte-reproducible: no dates or random ids, numbers formatted
the same way everywhere, text kept as (escaped) text, element ids prefixed per chart
(c1-, c2-, ...).
"""

from __future__ import annotations

import html
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.audit.quality import html_section
from presspack.extras.cite import release_meta
from presspack.extras.report_quotations import quotations_section

COLOR = "#2a6f97"
ACCENT = "#e07a1f"
TOP = 15
TOP_LABELS = 6
TOP_PER_LABEL = 8
HIST_BINS = 20
LABEL_CHARS = 32  # longer bar labels are cut to LABEL_CHARS - 1 characters and "…"
FONT = "system-ui, sans-serif"
FONT_SIZE = 11  # px: labels and ticks
TITLE_SIZE = 12  # px: the title above each plot
WIDTH = 720  # px: a chart's width
GRID_WIDTH = 1050  # px: the grid of small charts' width: 3 columns, or 2 when a label is long
ROW, BAR = 22, 16  # px: a horizontal bar's row and the bar in it
PLOT_HEIGHT = 200  # px: the plot area of the vertical bar chart and the histograms
INK, SOFT, GRID = "#333", "#666", "#e4e4e4"  # axes and text, "no data" messages, grid lines


@dataclass
class Stats:
    """Everything the charts need, gathered by streaming the tables column-wise."""

    articles: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    sentences_per_article: list[int] = field(default_factory=list)
    entities: dict[str, Counter[str]] = field(default_factory=dict)
    speakers: Counter[str] = field(default_factory=Counter)
    claims_per_article: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    rows: dict[str, int] = field(default_factory=dict)


def _columns(path: Path, wanted: tuple[str, ...]) -> Any:
    if not path.is_file():
        return
    pf = pq.ParquetFile(path)
    cols = [c for c in wanted if c in pf.schema_arrow.names]
    if not cols:
        return
    for batch in pf.iter_batches(batch_size=8_192, columns=cols):
        yield batch.to_pydict()


def gather(release_dir: str | Path) -> Stats:
    release_dir = Path(release_dir)
    s = Stats()
    for d in _columns(release_dir / "articles.parquet", ("source", "published", "language", "n_sentences")):
        n = len(next(iter(d.values())))
        s.articles += n
        s.sources.update(x or "(unknown)" for x in d.get("source", [None] * n))
        s.months.update(x[:7] for x in d.get("published", []) if x)
        s.languages.update(x or "(unknown)" for x in d.get("language", [None] * n))
        s.sentences_per_article += [x or 0 for x in d.get("n_sentences", [])]
    for d in _columns(release_dir / "entities.parquet", ("label", "canonical", "text")):
        names = d.get("canonical") or d.get("text") or []
        keys = (name or text or "" for name, text in zip(names, d.get("text", names), strict=False))
        for (label, key), n in Counter(zip(d.get("label", []), keys)).items():  # not a Counter() built per row
            s.entities.setdefault(label or "(none)", Counter())[key] += n
    for d in _columns(release_dir / "claims.parquet", ("article_id", "speaker_name", "speaker_text", "kind")):
        s.claims_per_article.update(d.get("article_id", []))
        s.kinds.update(x or "(none)" for x in d.get("kind", []))
        names = d.get("speaker_name") or [None] * len(d.get("kind", []))
        texts = d.get("speaker_text") or [None] * len(names)
        s.speakers.update(n or t for n, t in zip(names, texts, strict=False) if n or t)
    dp = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    s.rows = {r["name"]: r.get("rows", 0) for r in dp.get("resources", [])}
    return s


# -- SVG ----------------------------------------------------------------------------------


def _n(x: float) -> str:
    """A coordinate as written in the SVG: one decimal at most, never "-0"."""
    s = f"{x:.1f}".removesuffix(".0")
    return "0" if s == "-0" else s


def ticks(hi: float, most: int = 8) -> list[int]:
    """Integer axis ticks from 0 to the first multiple of a round step (1, 2 or 5 x 10^k)
    at or above `hi`, with at most `most` steps: ticks(318) == [0, 50, 100, ..., 350]."""
    hi, most = max(1, math.ceil(hi)), max(1, most)
    mag = 1
    while True:
        for m in (1, 2, 5):
            step = m * mag
            if -(-hi // step) <= most:
                return list(range(0, -(-hi // step) * step + 1, step))
        mag *= 10


def _most(length: float, per: float = 60) -> int:
    """How many tick steps an axis `length` px long has room for (a label every `per` px)."""
    return max(2, min(8, int(length // per)))


def short(label: str) -> str:
    """A bar's label as shown: at most LABEL_CHARS characters (the full one is its tooltip)."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    """A generous estimate of the width of `text` in px (no font metrics here, and the
    browser picks the font): room enough for long labels on the left of the bars."""
    em = 0.0
    for ch in text:
        if unicodedata.east_asian_width(ch) in "WF":
            em += 1.0
        elif ch in "ijlft.,:;'|!()[]{} ":
            em += 0.38
        elif ch in "mwMW@%…":
            em += 1.0
        elif ch.isupper():
            em += 0.74
        else:
            em += 0.62
    return em * size


def _esc(s: str) -> str:
    return html.escape(s, quote=False)


def _text(x: float, y: float, s: str, *, anchor: str = "start", size: int | None = None, fill: str | None = None,
          rotate: int | None = None) -> str:
    attrs = f'x="{_n(x)}" y="{_n(y)}"'
    if anchor != "start":
        attrs += f' text-anchor="{anchor}"'
    if size is not None:
        attrs += f' font-size="{size}"'
    if fill is not None:
        attrs += f' fill="{fill}"'
    if rotate is not None:
        attrs += f' transform="rotate({rotate} {_n(x)} {_n(y)})"'
    return f"<text {attrs}>{_esc(s)}</text>"


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str = INK) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" stroke="{stroke}"/>'


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str) -> str:
    """A bar, with its label and value as a tooltip."""
    return (f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" fill="{fill}">'
            f"<title>{_esc(tip)}</title></rect>")


def _length(count: int, scale: float) -> float:
    """A bar's length in px: at least 1 px for a count above 0, so that it shows."""
    return max(count * scale, 1.0) if count > 0 else 0.0


def _svg_root(prefix: str, width: float, height: float, title: str, body: list[str]) -> str:
    """The <svg> element: scales with its viewBox; ids `prefix`-something."""
    w, h = _n(width), _n(height)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}-svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
            f'role="img" aria-labelledby="{prefix}-title" font-family="{FONT}" font-size="{FONT_SIZE}" fill="{INK}" '
            f'shape-rendering="crispEdges"><title id="{prefix}-title">{_esc(title)}</title>{"".join(body)}</svg>')


def _message(x0: float, y0: float, width: float, title: str, message: str) -> tuple[list[str], float]:
    """A chart with nothing to draw, in the box `width` px wide at (x0, y0): its title and
    `message`; its elements and height."""
    return [_text(x0, y0 + 14, title, size=TITLE_SIZE), _text(x0 + width / 2, y0 + 50, message, anchor="middle", fill=SOFT)], 76


def _empty(prefix: str, title: str, message: str, width: float = WIDTH) -> str:
    body, height = _message(0, 0, width, title, message)
    return _svg_root(prefix, width, height, title, body)


def _hbars(x0: float, y0: float, width: float, counts: list[tuple[str, int]], title: str, xlabel: str,
           color: str) -> tuple[list[str], float]:
    """A horizontal bar chart (the first count on top) in the box `width` px wide at
    (x0, y0): its elements and its height."""
    if not counts:
        return _message(x0, y0, width, title, "no data")
    labels = [short(k) for k, _ in counts]
    left = x0 + max(_text_width(s) for s in labels) + 12  # label, 7 px, the 4 px tick, the axis
    right = x0 + width - 24  # room for half the last tick label
    top = y0 + 26
    bottom = top + ROW * len(counts)
    xt = ticks(max(v for _, v in counts), _most(right - left))
    scale = (right - left) / xt[-1]
    back, front = [], [_text(left, y0 + 14, title, size=TITLE_SIZE)]
    for t in xt:
        x = left + t * scale
        if t:
            back.append(_line(x, top, x, bottom, GRID))
        front += [_line(x, bottom, x, bottom + 4), _text(x, bottom + 16, str(t), anchor="middle")]
    for i, ((name, v), label) in enumerate(zip(counts, labels, strict=True)):
        y = top + ROW * i + ROW / 2
        back.append(_rect(left, y - BAR / 2, _length(v, scale), BAR, color, f"{name}: {v}"))
        front += [_line(left - 4, y, left, y), _text(left - 7, y + 4, label, anchor="end")]
    front += [_line(left, top, left, bottom), _line(left, bottom, right, bottom),
              _text((left + right) / 2, bottom + 33, xlabel, anchor="middle")]
    return back + front, bottom + 40 - y0


def _barh(prefix: str, counts: list[tuple[str, int]], title: str, xlabel: str, color: str = COLOR) -> str:
    body, height = _hbars(0, 0, WIDTH, counts, title, xlabel, color)
    return _svg_root(prefix, WIDTH, height, title, body)


def _panels(prefix: str, panels: list[tuple[str, list[tuple[str, int]]]], title: str, xlabel: str, empty: str) -> str:
    """Small horizontal bar charts, one per (title, counts): three a row, or two when a
    label would leave the bars less than about half of a third of GRID_WIDTH."""
    if not panels:
        return _empty(prefix, title, empty)
    widest = max((_text_width(short(k)) for _, counts in panels for k, _ in counts), default=0)
    per_row = 3 if widest <= GRID_WIDTH / 3 * 0.42 else 2
    panel, cols = GRID_WIDTH / per_row, min(per_row, len(panels))
    body: list[str] = []
    y = 0.0
    for r in range(0, len(panels), cols):
        row = [_hbars(c * panel, y, panel - 16, counts, label, xlabel, COLOR)
               for c, (label, counts) in enumerate(panels[r : r + cols])]
        for i, (elements, _) in enumerate(row, start=r + 1):
            body.append(f'<g id="{prefix}-p{i}">{"".join(elements)}</g>')
        y += max(h for _, h in row) + 12
    return _svg_root(prefix, cols * panel, y - 12, title, body)


def _yaxis(left: float, right: float, top: float, bottom: float, hi: int, label: str) -> tuple[list[str], list[str], float]:
    """A vertical count axis (0 at the bottom) with grid lines: (grid, axis, px per count)."""
    yt = ticks(hi, _most(bottom - top, 36))
    scale = (bottom - top) / yt[-1]
    grid, axis = [], []
    for t in yt:
        y = bottom - t * scale
        if t:
            grid.append(_line(left, y, right, y, GRID))
        axis += [_line(left - 4, y, left, y), _text(left - 7, y + 4, str(t), anchor="end")]
    axis += [_line(left, top, left, bottom), _line(left, bottom, right, bottom),
             _text(14, (top + bottom) / 2, label, anchor="middle", rotate=-90)]
    return grid, axis, scale


def _y_left(hi: int) -> float:
    """Where the plot starts: after the rotated axis label and the widest tick label."""
    return 28 + _text_width(str(ticks(hi, _most(PLOT_HEIGHT, 36))[-1])) + 7


def _vbars(prefix: str, items: list[tuple[str, int]], title: str, ylabel: str, empty: str) -> str:
    """A vertical bar chart, one bar per item in order; at most about 12 labels, rotated."""
    if not items:
        return _empty(prefix, title, empty)
    every = max(1, len(items) // 12)
    reach = max(_text_width(k) for k, _ in items[::every]) * 0.71  # a label rotated by 45 degrees
    left = max(_y_left(max(v for _, v in items)), reach + 4)
    right, top = WIDTH - 8, 26
    bottom = top + PLOT_HEIGHT
    grid, axis, scale = _yaxis(left, right, top, bottom, max(v for _, v in items), ylabel)
    slot = (right - left) / len(items)
    bar = min(slot * 0.8, 48)
    bars = []
    for i, (k, v) in enumerate(items):
        x = left + slot * i + slot / 2
        h = _length(v, scale)
        bars.append(_rect(x - bar / 2, bottom - h, bar, h, COLOR, f"{k}: {v}"))
        if i % every == 0:
            axis += [_line(x, bottom, x, bottom + 4), _text(x + 3, bottom + 12, k, anchor="end", rotate=-45)]
    body = [_text(left, 14, title, size=TITLE_SIZE), *grid, *bars, *axis]
    return _svg_root(prefix, WIDTH, bottom + reach + 14, title, body)


def _hist(prefix: str, values: list[int], title: str, xlabel: str) -> str:
    """Counts of articles per integer bin: bins of one value each (a bar centred on it) or,
    past HIST_BINS values, of `step` values each, starting at 0."""
    if not values:
        return _empty(prefix, title, "no data")
    hi = max(0, *values)
    step = -(-(hi + 1) // HIST_BINS)
    counts = [0] * (hi // step + 1)
    for v in values:
        counts[max(v, 0) // step] += 1
    lo = -0.5 if step == 1 else 0  # where the first bar starts
    end = lo + len(counts) * step  # where the last one ends
    left = _y_left(max(counts))
    right, top = WIDTH - 16, 26
    bottom = top + PLOT_HEIGHT
    grid, axis, scale = _yaxis(left, right, top, bottom, max(counts), "articles")
    sx = (right - left) / (end - lo)
    bars = []
    for b, c in enumerate(counts):
        if not c:
            continue
        first = b * step
        tip = f"{first}: {c}" if step == 1 else f"{first}-{first + step - 1}: {c}"
        h = _length(c, scale)
        bars.append(_rect(left + b * step * sx + 0.5, bottom - h, step * sx - 1, h, COLOR, tip))
    for t in ticks(end, _most(right - left)):
        if t <= end:
            x = left + (t - lo) * sx
            axis += [_line(x, bottom, x, bottom + 4), _text(x, bottom + 16, str(t), anchor="middle")]
    axis.append(_text((left + right) / 2, bottom + 33, xlabel, anchor="middle"))
    body = [_text(left, 14, title, size=TITLE_SIZE), *grid, *bars, *axis]
    return _svg_root(prefix, WIDTH, bottom + 40, title, body)


def _top(c: Counter[str], n: int = TOP) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def charts(s: Stats) -> list[tuple[str, str, Callable[[str], str]]]:
    """(title, caption, draw) per chart; draw takes the chart's id prefix and gives its SVG."""
    labels = sorted(s.entities, key=lambda k: (-sum(s.entities[k].values()), k))[:TOP_LABELS]
    zero_claims = max(0, s.articles - len(s.claims_per_article))
    per_article = [*s.claims_per_article.values(), *([0] * zero_claims)]
    return [
        ("Articles per source", f"{len(s.sources)} source(s); the top {TOP} shown.",
         lambda p: _barh(p, _top(s.sources), "Articles per source", "articles")),
        ("Articles over time", f"{sum(s.months.values())} of {s.articles} articles have a publication date.",
         lambda p: _vbars(p, sorted(s.months.items()), "Articles per month of publication", "articles", "no publication dates")),
        ("Language mix", "Language given by the input or identified from the text.",
         lambda p: _barh(p, _top(s.languages), "Articles per language", "articles")),
        ("Sentences per article", "Rows of the sentences table per article (headings included).",
         lambda p: _hist(p, s.sentences_per_article, "Sentences per article", "sentences")),
        ("Top entities per label", f"The {TOP_PER_LABEL} most mentioned entities (canonical names) of the {TOP_LABELS} most frequent labels.",
         lambda p: _panels(p, [(k, _top(s.entities[k], TOP_PER_LABEL)) for k in labels], "Top entities per label", "mentions", "no entities")),
        ("Top speakers", f"The {TOP} speakers with the most claims (resolved names, else the mention as written).",
         lambda p: _barh(p, _top(s.speakers), "Claims per speaker", "claims", ACCENT)),
        ("Claims per article", "Number of claims found in each article (articles without claims count as 0).",
         lambda p: _hist(p, per_article, "Claims per article", "claims")),
        ("Direct vs indirect claims", "Claims by kind: direct quotes, indirect (reported) speech, partial and mixed quotes.",
         lambda p: _barh(p, _top(s.kinds), "Claims by kind", "claims", ACCENT)),
    ]


CSS = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#555;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1.2rem 0}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}figure{margin:1.5rem 0;border-top:1px solid #eee;padding-top:1rem}
figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9rem}footer{color:#777;font-size:.8rem;margin-top:2rem}"""


def report_html(release_dir: str | Path, quality: dict[str, Any] | None = None) -> str:
    release_dir = Path(release_dir)
    meta = release_meta(release_dir)
    s = gather(release_dir)
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(meta['title'])} {esc(str(meta['version']))}: report</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>{esc(meta['title'])}</h1>",
        f'<p class="sub">Version {esc(str(meta["version"]))}, released {esc(meta["date"])}</p>',
        '<div class="cards">',
        *[f'<div class="card"><b>{n}</b>{esc(t)}</div>' for t, n in s.rows.items()],
        f'<div class="card"><b>{len(s.sources)}</b>sources</div><div class="card"><b>{len(s.speakers)}</b>speakers</div>',
        "</div>",
    ]
    for i, (title, caption, draw) in enumerate(charts(s), start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        parts.append(f'<figure id="{slug}" class="chart"><h2>{esc(title)}</h2>{draw(f"c{i}")}<figcaption>{esc(caption)}</figcaption></figure>')
    if quality is not None:  # "Measured accuracy", from presspack score --json
        parts.append(html_section(quality))
    parts += [quotations_section(release_dir),
        f"<footer>Generated by presspack {esc(str(meta['presspack']))} "
        "from the release's Parquet tables. The page is self-contained: it loads nothing from the network.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(release_dir: str | Path, quality: dict[str, Any] | None = None) -> None:
    release_dir = Path(release_dir)
    (release_dir / "report.html").write_text(report_html(release_dir, quality), encoding="utf-8")
