"""The body of a web page: trafilatura's extraction, its fallbacks and the JSON-LD helpers.

When trafilatura finds no body of MIN_BODY_WORDS words (it found nothing, or a stub),
fallbacks are tried in FALLBACKS order and the first with enough words is the body: the
readability algorithm (trafilatura's port of readability-lxml), the page's own JSON-LD
`articleBody`, then jusText. The reader (`ingest.html`) rejects a page where all fail.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from presspack.errors import InputRejected

# A body shorter than this (in words) is not an article: navigation, a paywall stub, an index.
MIN_BODY_WORDS = 25



# Precision-first extraction that yields less than this (characters) is retried in
# trafilatura's balanced mode, which adds its baseline rescue and recall escalation.
RETRY_BELOW_CHARS = 250



_TABLE_RULE = re.compile(r"[|\-: ]+")



def extract_body(tree: Any, url: str | None) -> Any:
    """Precision-first extraction with trafilatura's fallback extractors; a thin result
    is retried in balanced mode and the longer body wins."""
    from trafilatura import bare_extraction

    common = {"url": url, "include_comments": False, "include_tables": True, "with_metadata": True, "fast": False}
    doc = bare_extraction(tree, favor_precision=True, **common)
    alt = bare_extraction(tree, **common) if doc is None or len(doc.text or "") < RETRY_BELOW_CHARS else None
    if alt is not None and len(alt.text or "") > len((doc.text if doc is not None else "") or ""):
        doc = alt
    return doc



def page_metadata(tree: Any, url: str | None) -> Any:
    """trafilatura's metadata of a page it found no body in (the body comes from a fallback)."""
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(tree, url)
    except Exception:  # noqa: BLE001 - metadata is best effort; the body decides
        from trafilatura.settings import Document

        return Document()



def word_count(blocks: list[tuple[str, bool]]) -> int:
    return sum(len(t.split()) for t, h in blocks if not h)



_BLOCK_TAGS = frozenset({"p", "div", "li", "blockquote", "pre", "td", "th", "dd", "dt", "section", "article",
                         "h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "main", "body", "ul", "ol", "table", "tr"})



_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})



_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})



def html_blocks(root: Any) -> list[tuple[str, bool]]:
    """An element's text as blocks: each innermost block element's text (inline text
    between blocks is a block of its own), headings marked."""
    out: list[tuple[str, bool]] = []

    def flush(parts: list[str]) -> None:
        text = _squash("".join(parts))
        if text:
            out.append((text, False))

    def walk(el: Any) -> None:
        if not any(_is_block(c) for c in el):
            text = _squash("".join(el.itertext()))
            if text:
                out.append((text, el.tag in _HEADING_TAGS))
            return
        parts = [el.text or ""]
        for c in el:
            if _is_block(c):
                flush(parts)
                walk(c)
                parts = []
            elif isinstance(c.tag, str) and c.tag not in _SKIP_TAGS:
                parts.append("".join(c.itertext()))
            parts.append(c.tail or "")
        flush(parts)

    walk(root)
    return out



def _is_block(el: Any) -> bool:
    return isinstance(el.tag, str) and el.tag in _BLOCK_TAGS



def readability_body(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """The readability algorithm's body (trafilatura's port of readability-lxml)."""
    from copy import deepcopy

    from trafilatura.external import try_readability

    return html_blocks(try_readability(deepcopy(tree)))



def json_ld_body(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """The longest `articleBody` the page states in its JSON-LD, split at line breaks."""
    best = ""
    for data in json_ld(tree):
        for body in ld_values(data, "articleBody", 0):
            if len(body) > len(best):
                best = body
    if "<" in best and ">" in best:  # some sites put HTML in it
        try:
            return html_blocks(parse_html(f"<div>{best}</div>"))
        except InputRejected:
            return []
    import html as html_lib

    return [(_squash(line), False) for line in html_lib.unescape(best).splitlines() if line.strip()]



def justext_body(tree: Any, url: str | None) -> list[tuple[str, bool]]:
    """jusText's non-boilerplate paragraphs (stop words of all its languages)."""
    from copy import deepcopy

    from trafilatura.baseline import basic_cleaning
    from trafilatura.external import try_justext

    body = try_justext(basic_cleaning(deepcopy(tree)), url, None)
    return [(t, False) for t in (_squash("".join(p.itertext())) for p in body.iter("p")) if t]



# tried in this order when trafilatura finds no body (see the module docstring)
FALLBACKS = (("readability", readability_body), ("JSON-LD articleBody", json_ld_body), ("jusText", justext_body))



def drop_headline(blocks: list[tuple[str, bool]], title: str | None) -> list[tuple[str, bool]]:
    title = _squash(title or "").casefold()
    while blocks and title and _squash(blocks[0][0]).casefold() == title:
        blocks = blocks[1:]
    return blocks



def _squash(s: str) -> str:
    return " ".join(s.split())



def body_blocks(doc: Any) -> list[tuple[str, bool]]:
    """The body as (block text, is_heading) pairs: one per line of trafilatura's text,
    table rule lines dropped."""
    headings = set()
    if doc.body is not None:
        headings = {_squash("".join(h.itertext())) for h in doc.body.iter("head")}
        headings.discard("")
    out = []
    for line in (doc.text or "").split("\n"):
        s = line.strip()
        if not s or _TABLE_RULE.fullmatch(s):
            continue
        out.append((s, _squash(s) in headings))
    # a heading with nothing after it introduces nothing ("You may also like:")
    while out and out[-1][1]:
        out.pop()
    # the headline is metadata (the title), not body text, as for the other inputs
    title = _squash(doc.title or "").casefold()
    while out and title and _squash(out[0][0]).casefold() == title:
        out.pop(0)
    return out


def parse_html(text: str) -> Any:
    """An lxml tree of the page: HTML parser, no network, no entity expansion."""
    from lxml import etree
    from lxml.html import HTMLParser, document_fromstring

    parser = HTMLParser(no_network=True, remove_comments=True, remove_pis=True, collect_ids=False, default_doctype=False)
    # lxml refuses str input with an XML encoding declaration; the text is decoded already.
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text, count=1)
    try:
        return document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as e:
        raise InputRejected(f"not parseable as HTML: {str(e)[:120] or type(e).__name__}") from None



def json_ld(tree: Any) -> Iterator[Any]:
    """The page's JSON-LD blocks, parsed (unparseable or huge ones skipped)."""
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text or len(script.text) > 500_000:
            continue
        try:
            yield json.loads(script.text)
        except (ValueError, RecursionError):
            continue



def ld_values(node: Any, key: str, depth: int) -> Iterator[str]:
    """Every string value of `key` in a JSON-LD tree (depth and breadth bounded)."""
    if depth > 6:
        return
    if isinstance(node, dict):
        value = node.get(key)
        if isinstance(value, str):
            yield value.strip()
        for v in node.values():
            if isinstance(v, (dict, list)):
                yield from ld_values(v, key, depth + 1)
    elif isinstance(node, list):
        for v in node[:50]:
            yield from ld_values(v, key, depth + 1)
