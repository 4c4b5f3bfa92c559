"""report.html: a self-contained visual report of a release (charts as inline SVG).

Charts are drawn with matplotlib into SVG and embedded in the page, so it needs no
network and no script. Output is byte-reproducible: fixed SVG hash salt, no dates in the
SVG metadata, text kept as text, element ids prefixed per chart.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

COLOR = "#2a6f97"
ACCENT = "#e07a1f"
TOP = 15
TOP_LABELS = 6
TOP_PER_LABEL = 8
HIST_BINS = 20
RC = {
    "svg.hashsalt": "presspack-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
}


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
        for label, name, text in zip(d.get("label", []), names, d.get("text", names), strict=False):
            s.entities.setdefault(label or "(none)", Counter())[name or text or ""] += 1
    for d in _columns(release_dir / "claims.parquet", ("article_id", "speaker_name", "speaker_text", "kind")):
        s.claims_per_article.update(d.get("article_id", []))
        s.kinds.update(x or "(none)" for x in d.get("kind", []))
        names = d.get("speaker_name") or [None] * len(d.get("kind", []))
        texts = d.get("speaker_text") or [None] * len(names)
        s.speakers.update(n or t for n, t in zip(names, texts, strict=False) if n or t)
    dp = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    s.rows = {r["name"]: r.get("rows", 0) for r in dp.get("resources", [])}
    return s


def _svg(fig: Any, prefix: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', svg)


def _empty(ax: Any, msg: str) -> None:
    ax.text(0.5, 0.5, msg, ha="center", va="center", transform=ax.transAxes, color="#666")
    ax.set_axis_off()


def _barh(ax: Any, counts: list[tuple[str, int]], title: str, xlabel: str, color: str = COLOR, *, fit: bool = True) -> None:
    ax.set_title(title, loc="left")
    if fit:  # the figure's height follows the number of bars
        ax.figure.set_size_inches(8, max(1.8, 0.9 + 0.32 * len(counts)))
    if not counts:
        _empty(ax, "no data")
        return
    labels = [k if len(k) <= 32 else k[:31] + "…" for k, _ in counts][::-1]
    ax.barh(range(len(counts)), [v for _, v in counts][::-1], color=color)
    ax.set_yticks(range(len(counts)), labels)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)


def _hist(ax: Any, values: list[int], title: str, xlabel: str) -> None:
    ax.set_title(title, loc="left")
    if not values:
        _empty(ax, "no data")
        return
    hi = max(values)
    step = -(-(hi + 1) // HIST_BINS)  # integer-aligned bins starting at 0, at most HIST_BINS of them
    ax.hist(values, bins=range(0, hi + step + 1, step), color=COLOR, edgecolor="white", align="left" if step == 1 else "mid")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("articles")
    ax.set_xlim(left=-0.5 if step == 1 else 0)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.yaxis.get_major_locator().set_params(integer=True)


def _top(c: Counter[str], n: int = TOP) -> list[tuple[str, int]]:
    return sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def charts(s: Stats) -> list[tuple[str, str, Callable[[Any], None]]]:
    """(title, caption, draw) per chart; draw gets a matplotlib Figure (the entities
    chart draws one panel per label: it takes about as long as all the others)."""

    def one(draw: Callable[[Any], None]) -> Callable[[Any], None]:
        def run(fig: Any) -> None:
            draw(fig.add_subplot())

        return run

    def over_time(ax: Any) -> None:
        ax.set_title("Articles per month of publication", loc="left")
        if not s.months:
            _empty(ax, "no publication dates")
            return
        items = sorted(s.months.items())
        ax.bar(range(len(items)), [v for _, v in items], color=COLOR)
        step = max(1, len(items) // 12)
        ax.set_xticks(range(0, len(items), step), [k for k, _ in items][::step], rotation=45, ha="right")
        ax.set_ylabel("articles")
        ax.yaxis.get_major_locator().set_params(integer=True)

    def entities(fig: Any) -> None:
        labels = sorted(s.entities, key=lambda k: (-sum(s.entities[k].values()), k))[:TOP_LABELS]
        if not labels:
            _empty(fig.add_subplot(), "no entities")
            return
        cols = min(3, len(labels))
        rows = (len(labels) + cols - 1) // cols
        fig.set_size_inches(10, 2.6 * rows)
        for i, label in enumerate(labels):
            _barh(fig.add_subplot(rows, cols, i + 1), _top(s.entities[label], TOP_PER_LABEL), label, "mentions", fit=False)
        fig.tight_layout()

    zero_claims = max(0, s.articles - len(s.claims_per_article))
    per_article = [*s.claims_per_article.values(), *([0] * zero_claims)]
    return [
        ("Articles per source", f"{len(s.sources)} source(s); the top {TOP} shown.",
         one(lambda ax: _barh(ax, _top(s.sources), "Articles per source", "articles"))),
        ("Articles over time", f"{sum(s.months.values())} of {s.articles} articles have a publication date.", one(over_time)),
        ("Language mix", "Language given by the input or identified from the text.",
         one(lambda ax: _barh(ax, _top(s.languages), "Articles per language", "articles"))),
        ("Sentences per article", "Rows of the sentences table per article (headings included).",
         one(lambda ax: _hist(ax, s.sentences_per_article, "Sentences per article", "sentences"))),
        ("Top entities per label", f"The {TOP_PER_LABEL} most mentioned entities (canonical names) of the {TOP_LABELS} most frequent labels.",
         entities),
        ("Top speakers", f"The {TOP} speakers with the most claims (resolved names, else the mention as written).",
         one(lambda ax: _barh(ax, _top(s.speakers), "Claims per speaker", "claims", ACCENT))),
        ("Claims per article", "Number of claims found in each article (articles without claims count as 0).",
         one(lambda ax: _hist(ax, per_article, "Claims per article", "claims"))),
        ("Direct vs indirect claims", "Claims by kind: direct quotes, indirect (reported) speech, partial and mixed quotes.",
         one(lambda ax: _barh(ax, _top(s.kinds), "Claims by kind", "claims", ACCENT))),
    ]


CSS = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:2rem auto;max-width:1100px;color:#222;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}.sub{color:#555;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:1.2rem 0}.card{border:1px solid #ddd;border-radius:6px;padding:.6rem 1rem;min-width:8rem}
.card b{display:block;font-size:1.4rem}figure{margin:1.5rem 0;border-top:1px solid #eee;padding-top:1rem}
figure svg{max-width:100%;height:auto}figcaption{color:#555;font-size:.9rem}footer{color:#777;font-size:.8rem;margin-top:2rem}"""


_WARM: list[Any] = []  # the thread started by prewarm_in_background, if any


def _prewarm() -> None:
    try:
        _render([lambda fig: _barh(fig.add_subplot(), [("warm", 1)], "warm", "n")], [1])
    except Exception:  # noqa: BLE001, S110 - only a head start: report_html does the real work and reports errors
        pass


def prewarm_in_background() -> None:
    """Import matplotlib and draw a throwaway chart (font cache, renderer set-up) in a
    thread, while the build process would otherwise wait for its NLP workers.
    report_html waits for it before drawing (pyplot is not thread-safe)."""
    import threading

    if not _WARM:
        t = threading.Thread(target=_prewarm, name="presspack-report-prewarm", daemon=True)
        t.start()
        _WARM.append(t)


def report_html(release_dir: str | Path) -> str:
    while _WARM:
        _WARM.pop().join()
    import matplotlib

    from presspack.cite import release_meta

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
    items = charts(s)
    for i, ((title, caption, _), svg) in enumerate(zip(items, _render_all([d for _, _, d in items]), strict=True), start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        parts.append(f'<figure id="{slug}" class="chart"><h2>{esc(title)}</h2>{svg}<figcaption>{esc(caption)}</figcaption></figure>')
    parts += [
        f"<footer>Generated by presspack {esc(str(meta['presspack']))} with matplotlib {esc(matplotlib.__version__)} "
        "from the release's Parquet tables. The page is self-contained: it loads nothing from the network.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _render(draws: list[Callable[[Any], None]], numbers: list[int]) -> list[str]:
    """The SVGs of charts `numbers` (1-based: their element-id prefixes)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    with matplotlib.rc_context(RC):
        for i in numbers:
            fig = plt.figure(figsize=(8, 3.6))
            try:
                draws[i - 1](fig)
                out.append(_svg(fig, f"c{i}"))
            finally:
                plt.close(fig)
    return out


# Drawn in a forked child while this process draws the rest: the chart with a panel per
# label and two small ones, about half the drawing time (0.75 s of 1.4 s for 3,200
# articles). Drawing is CPU-bound (and pyplot not thread-safe), and the report is drawn
# at the end of a build, when the NLP workers are done and a core is free.
FORKED_CHARTS = (2, 5, 8)


def _render_all(draws: list[Callable[[Any], None]]) -> list[str]:
    """Every chart's SVG, in order; the same bytes whether or not a child drew some."""
    import os
    import threading

    numbers = list(range(1, len(draws) + 1))
    forked = [n for n in FORKED_CHARTS if n in numbers]
    if not forked or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return _render(draws, numbers)  # (forking a process with other threads running is not safe)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw, send, leave without running the parent's clean-up
        code = 1
        try:
            os.close(r)
            with os.fdopen(w, "w", encoding="utf-8") as fh:
                json.dump(_render(draws, forked), fh)
            code = 0
        finally:
            os._exit(code)
    os.close(w)
    rest = [n for n in numbers if n not in forked]
    try:
        mine = dict(zip(rest, _render(draws, rest), strict=True))
    finally:
        with os.fdopen(r, encoding="utf-8") as fh:
            sent = fh.read()
        _, status = os.waitpid(pid, 0)
    try:
        theirs = json.loads(sent) if os.waitstatus_to_exitcode(status) == 0 else None
    except ValueError:
        theirs = None
    if not isinstance(theirs, list) or len(theirs) != len(forked):
        theirs = _render(draws, forked)  # the child failed: draw them here
    mine.update(zip(forked, theirs, strict=True))
    return [mine[n] for n in numbers]


def write_report(release_dir: str | Path) -> None:
    release_dir = Path(release_dir)
    (release_dir / "report.html").write_text(report_html(release_dir), encoding="utf-8")
