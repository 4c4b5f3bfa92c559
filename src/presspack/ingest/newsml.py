"""NewsML-G2 (.xml with a <newsItem> or <newsMessage> root): IPTC's format of agency
feeds. A file holds one newsItem, or a newsMessage of many (streamed item by item); each
item is one article or one reject, its origin `<file>#<guid>`.

Read from each text item (`itemClass` `ninat:text`, or none given): `headline` as title,
`by` (without a leading "By") as author, `dateline` (it starts the first paragraph, as in
print, unless the text already does), `description` (the summary), the date
(`contentCreated`, else `firstCreated`, else `versionCreated`), `source` (the provider's
name, else the first `infoSource`), `url` (an `itemMeta/link` with a canonical relation),
`external_id` (the guid), `language` (`contentMeta/language@tag`, else `xml:lang` as a
hint). The body is the first `inlineXML` of the contentSet (NITF or XHTML, paragraphs and
subheads in order) or a plain-text `inlineData`. `subject`, `genre`, `keyword` and
`located` have no column: they go to the article's notes. Pictures, packages and items
whose content is remote are rejected with the reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.nitf import add_dateline, body_blocks
from presspack.ingest.types import InputFile, Item, RawArticle, Reject
from presspack.ingest.xmlsafe import attr, child, children, declared_encoding, descendants, drop_title, iterparse, local, text_of

ITEMS = frozenset({"newsItem", "packageItem", "conceptItem", "knowledgeItem", "planningItem"})
ROOTS = frozenset({"newsMessage", *ITEMS})
_XHTML_BLOCKS = {"p": False, "li": False, "blockquote": False, "h1": True, "h2": True, "h3": True, "h4": True, "h5": True, "h6": True}
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Stream the items of a NewsML-G2 file; one RawArticle or Reject per item."""
    if f.size > config.limits.max_file_bytes:
        yield Reject(f.rel, f"file too large: {f.size} bytes > max_file_bytes {config.limits.max_file_bytes}")
        return
    n = 0
    root = None
    try:
        for depth, el in iterparse(f.path, ITEMS):
            if root is None:
                root = local(el)
                if root not in ROOTS:
                    raise InputRejected(f"XML root is <{root}>, not a NewsML-G2 <newsItem> or <newsMessage>")
                f.encoding = declared_encoding(f.path)
                continue
            if depth > 0 and not (root == "newsMessage" and (depth == 1 or local(el.getparent()) == "itemSet")):
                continue  # an item inside an item's content: read with it
            n += 1
            yield item(el, f.rel, n)
            el.clear()
            while el.getprevious() is not None:  # keep memory flat in a long newsMessage
                del el.getparent()[0]
    except InputRejected as e:
        rest = f" after {n} item(s); the rest of the file was not read" if n else ""
        yield Reject(f.rel, f"{e}{rest}")
        return
    if n == 0:
        yield Reject(f.rel, "no NewsML-G2 items in the file")


def item(el: Any, rel: str, n: int) -> Item:
    """One item: an article, or a Reject saying why it is not one."""
    guid = attr(el, "guid")
    origin = f"{rel}#{guid}" if guid else f"{rel}#{n}"
    try:
        return _article(el, origin)
    except InputRejected as e:
        return Reject(origin, str(e))


def _article(el: Any, origin: str) -> RawArticle:
    if local(el) != "newsItem":
        raise InputRejected(f"a {local(el)}, not a newsItem (no article text)")
    imeta, cmeta = child(el, "itemMeta"), child(el, "contentMeta")
    cls = attr(child(imeta, "itemClass"), "qcode")
    if cls and not cls.endswith(":text"):
        raise InputRejected(f"item class {cls} is not text")
    blocks = _content(child(el, "contentSet"))
    meta: dict[str, str] = {}
    for key, value in (
        ("title", text_of(child(cmeta, "headline"))),
        ("author", _by(cmeta)),
        ("description", text_of(child(cmeta, "description"))),
        ("published", text_of(child(cmeta, "contentCreated")) or text_of(child(imeta, "firstCreated")) or text_of(child(imeta, "versionCreated"))),
        ("source", text_of(child(imeta, "provider", "name")) or text_of(child(cmeta, "infoSource", "name")) or attr(child(imeta, "provider"), "literal")),
        ("url", _canonical(imeta)),
        ("external_id", attr(el, "guid")),
        ("language", attr(child(cmeta, "language"), "tag")),
    ):
        if value:
            meta[key] = value
    blocks = drop_title(blocks, meta.get("title", ""))
    if not blocks:
        raise InputRejected("no article body: the text repeats the headline only")
    if "language" not in meta and el.get(_LANG):
        meta["language_hint"] = el.get(_LANG)
    add_dateline(blocks, text_of(child(cmeta, "dateline")))
    subjects = _subjects(cmeta)
    notes = [f"subjects: {subjects}"] if subjects else []
    return RawArticle(origin=origin, body="\n\n".join(t for t, _ in blocks), meta=meta, notes=notes, paragraphs=blocks)


def _by(cmeta: Any) -> str:
    by = text_of(child(cmeta, "by"))
    if by.lower().startswith("by "):
        by = by[3:].lstrip()
    return by or ", ".join(n for n in (text_of(child(c, "name")) for c in children(cmeta, "creator")) if n)


def _canonical(imeta: Any) -> str:
    for link in children(imeta, "link"):
        if attr(link, "rel").rsplit(":", 1)[-1].lower() == "canonical" and attr(link, "href").startswith(("http://", "https://")):
            return attr(link, "href")
    return ""


def _content(cset: Any) -> list[tuple[str, bool]]:
    """Paragraphs of the first text alternative of a contentSet."""
    if cset is None:
        raise InputRejected("no contentSet (no article text)")
    for c in cset:
        name = local(c)
        if name == "inlineXML":
            blocks = _inline_xml(c)
        elif name == "inlineData" and attr(c, "contenttype").startswith("text/plain"):
            blocks = [(" ".join(p.split()), False) for p in (c.text or "").replace("\r\n", "\n").split("\n\n")]
        else:
            continue
        blocks = [(t, h) for t, h in blocks if t]
        if blocks:
            return blocks
    remote = [attr(r, "href") or attr(r, "residref") for r in children(cset, "remoteContent")]
    if remote:
        raise InputRejected(f"content is remote ({remote[0][:120]}), not in the file")
    raise InputRejected("no article body: the contentSet has no text")


def _inline_xml(el: Any) -> list[tuple[str, bool]]:
    for nitf in descendants(el, "nitf"):
        return body_blocks(child(child(nitf, "body"), "body.content"))
    out: list[tuple[str, bool]] = []
    for body in descendants(el, "body"):
        _xhtml(body, out)
        break
    return out


def _xhtml(el: Any, out: list[tuple[str, bool]]) -> None:
    for c in el:
        name = local(c)
        if name in _XHTML_BLOCKS:
            out.append((text_of(c), _XHTML_BLOCKS[name]))
        elif name and name not in ("script", "style", "figure"):
            _xhtml(c, out)


def _subjects(cmeta: Any) -> str:
    found: dict[str, list[str]] = {}
    for kind in ("subject", "genre", "keyword", "located"):
        for s in children(cmeta, kind):
            value = text_of(child(s, "name")) or (text_of(s) if kind == "keyword" else "") or attr(s, "qcode") or attr(s, "literal")
            if value and value not in found.setdefault(kind, []):
                found[kind].append(value)
    return "; ".join(f"{kind} {', '.join(values)}" for kind, values in found.items() if values)
