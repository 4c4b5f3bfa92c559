"""One article in the terminal: its text with sentences, entities and claims
highlighted, and a table of its claims (rich renderables; the CLI prints them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from presspack.audit import tables
from presspack.audit.model import Annotations, span_text
from presspack.errors import PresspackError

SENTENCE_STYLES = ("", "on grey11")  # alternate sentences get a faint background
ENTITY_STYLE = "underline"
ROLE_STYLES = {"source": "bold cyan", "cue": "bold magenta", "content": "green"}


class ArticleNotFound(PresspackError):
    """No article with that id in the release."""


def highlighted(text: str, ann: Annotations) -> Text:
    """The text with sentences (alternating background), entities (underlined) and claim
    parts (source, cue, content in colour) styled; later styles win where they overlap."""
    t = Text(text)
    for i, (s, e) in enumerate(ann.sentences):
        if SENTENCE_STYLES[i % 2]:
            t.stylize(SENTENCE_STYLES[i % 2], s, e)
    for c in ann.claims:
        for role in ("content", "source", "cue"):
            for s, e in getattr(c, role) or ():
                t.stylize(ROLE_STYLES[role], s, e)
    for s, e, _ in ann.entities:
        t.stylize(ENTITY_STYLE, s, e)
    return t


def render(release: str | Path, article_id: str) -> Group:
    """Title line, legend, highlighted text, claims table and entity counts of one article."""
    rows = [r for r in tables.article_rows(release, ("title", "source", "published")) if r["article_id"] == article_id]
    if not rows:
        raise ArticleNotFound(f"{release}: no article {article_id!r} (article ids are in articles.parquet)")
    meta = rows[0]
    art = tables.articles(release, [article_id])[article_id]
    ann = tables.predictions(release, [article_id])[article_id]
    head = Text(f"{meta.get('title') or '(no title)'}", style="bold")
    head.append(f"\n{article_id} · {meta.get('source') or 'unknown source'} · {meta.get('published') or 'no date'} · "
                f"{len(ann.sentences)} sentences, {len(ann.entities)} entities, {len(ann.claims)} claims", style="dim")
    legend = Text("legend: ")
    for role, style in ROLE_STYLES.items():
        legend.append(role, style=style).append("  ")
    legend.append("entity", style=ENTITY_STYLE)
    parts: list[Any] = [head, legend, Text(""), highlighted(art.text, ann)]
    if ann.claims:
        table = Table("source", "cue", "content", title="claims", show_lines=False, expand=True)
        for c in ann.claims:
            table.add_row(*(Text(span_text(art.text, getattr(c, r)) if getattr(c, r) else "", style=ROLE_STYLES[r])
                            for r in ("source", "cue", "content")))
        parts += [Text(""), table]
    if ann.entities:
        labels: dict[str, list[str]] = {}
        for s, e, lab in ann.entities:
            labels.setdefault(lab, []).append(art.text[s:e])
        ents = Table("label", "mentions", title="entities", expand=True)
        for lab, names in sorted(labels.items()):
            ents.add_row(lab, ", ".join(dict.fromkeys(names)))
        parts += [Text(""), ents]
    return Group(*parts)
