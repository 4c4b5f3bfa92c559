"""XML for the news-industry readers (NITF, NewsML-G2): parsed safely, read by local names.

lxml (already a dependency) parses with entity substitution off, no network, no DTD
loading and its default limits (nesting depth, entity amplification, no huge trees). A
document that declares entities in its DOCTYPE is refused outright (billion laughs, XXE);
an entity reference left unresolved (a name from an external DTD, e.g. `&mdash;`) is read
as the HTML character it names. Every problem is an InputRejected with one line.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes

_DECLARED = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,200}encoding\s*=", re.I)
_ENCODING = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml[^>]{0,160}?encoding\s*=\s*[\"']([A-Za-z0-9._:-]{1,40})")
PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def declared_encoding(path: Path) -> str:
    """The encoding an XML file declares (UTF-8 when it declares none)."""
    with open(path, "rb") as fh:
        m = _ENCODING.search(fh.read(200))
    return m.group(1).decode("ascii") if m else "UTF-8"


def drop_title(blocks: list[tuple[str, bool]], title: str) -> list[tuple[str, bool]]:
    """The body without a first block that repeats the headline."""
    if blocks and title and blocks[0][0].casefold() == title.casefold():
        return blocks[1:]
    return blocks


def one_line(e: BaseException) -> str:
    return " ".join(str(e).split())[:240]


def parse_bytes(data: bytes) -> tuple[Any, str | None]:
    """The root element of a whole document, and a note when the bytes had to be decoded
    by detection (no encoding declared and not UTF-8)."""
    note = None
    if not _DECLARED.match(data) and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            text, enc = decode_bytes(data)
            data = text.removeprefix("\ufeff").encode("utf-8")
            note = f"no XML encoding declared and not UTF-8: decoded as {enc}"
    try:
        root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as e:
        raise InputRejected(f"malformed XML: {one_line(e)}") from None
    except ValueError as e:  # e.g. bytes lxml refuses before parsing
        raise InputRejected(f"unreadable XML: {one_line(e)}") from None
    check_entities(root)
    return root, note


def check_entities(el: Any) -> None:
    """Refuse a document whose DOCTYPE declares entities (expansion and XXE attacks)."""
    dtd = el.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise InputRejected("XML declares entities in its DOCTYPE (<!ENTITY>): refused, entity declarations are not expanded")


def iterparse(path: Path, tags: frozenset[str]) -> Iterator[tuple[int, Any]]:
    """(depth, element) for the root element at its start (depth 0, checked for entity
    declarations before anything else is read), then for each element whose local name
    is in `tags`, at its end (the root again, at depth 0, if its name is in `tags`),
    streamed; the caller clears what it has read."""
    depth = -1
    try:
        for event, el in etree.iterparse(str(path), events=("start", "end"), **PARSER_OPTIONS):
            if event == "start":
                depth += 1
                if depth == 0:
                    check_entities(el)
                    yield 0, el
                continue
            if isinstance(el.tag, str) and local(el) in tags:
                yield depth, el
            depth -= 1
    except etree.XMLSyntaxError as e:
        raise InputRejected(f"malformed XML: {one_line(e)}") from None


def local(el: Any) -> str:
    """The element's name without its namespace ('' for entities and comments)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def children(el: Any, name: str) -> list[Any]:
    return [c for c in el if local(c) == name] if el is not None else []


def child(el: Any, *path: str) -> Any | None:
    """The first descendant along a path of local names (None when missing)."""
    for name in path:
        found = children(el, name)
        if not found:
            return None
        el = found[0]
    return el


def descendants(el: Any, name: str) -> Iterator[Any]:
    if el is None:
        return
    for d in el.iter():
        if local(d) == name:
            yield d


def text_of(el: Any) -> str:
    """All text inside an element, one line: entity references left unresolved become
    the character they name in HTML."""
    if el is None:
        return ""
    parts: list[str] = []
    _collect(el, parts)
    return " ".join("".join(parts).split())


def _collect(el: Any, parts: list[str]) -> None:
    if el.text and isinstance(el.tag, str):
        parts.append(el.text)
    for c in el:
        if isinstance(c, etree._Entity):  # noqa: SLF001 - lxml's type for an unresolved entity
            parts.append(html.unescape(c.text or ""))
        elif isinstance(c.tag, str):
            _collect(c, parts)
        if c.tail:
            parts.append(c.tail)


def attr(el: Any, name: str) -> str:
    return " ".join((el.get(name) or "").split()) if el is not None else ""


def root_name(path: Path) -> str:
    """The local name of a document's root element, read without parsing the rest."""
    for _, el in iterparse(path, frozenset()):
        return local(el)
    raise InputRejected("no XML root element")
