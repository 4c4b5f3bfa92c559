"""News XML (.xml): the reader is chosen by the root element, NITF (<nitf>) or NewsML-G2
(<newsItem>, <newsMessage>); any other XML is rejected with its root's name."""

from __future__ import annotations

from collections.abc import Iterator

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest.newsml import ROOTS
from presspack.ingest.newsml import read as read_newsml
from presspack.ingest.nitf import read as read_nitf
from presspack.ingest.types import InputFile, Item, Reject
from presspack.ingest.xmlsafe import root_name


def read(f: InputFile, config: Config) -> Iterator[Item]:
    """Read an .xml file with the reader its root element names."""
    try:
        root = root_name(f.path)
    except InputRejected as e:
        yield Reject(f.rel, str(e))
        return
    if root == "nitf":
        yield from read_nitf(f, config)
    elif root in ROOTS:
        yield from read_newsml(f, config)
    else:
        yield Reject(f.rel, f"unsupported XML: root element <{root[:60]}> is neither NITF (<nitf>) nor NewsML-G2 (<newsItem>, <newsMessage>)")
