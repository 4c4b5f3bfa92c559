"""Input discovery and the reader registry.

Readers know bytes and formats, nothing about NLP. Each is a generator over one input
file that yields RawArticle or Reject items; adding a format is one module plus one
entry in READERS.
"""

from __future__ import annotations

from presspack.ingest import html, newsml, newsxml, nitf, records, sgml, sidecar, text, warc
from presspack.ingest.discover import discover, printable_path
from presspack.ingest.types import (
    META_FIELDS,
    InputFile,
    Item,
    RawArticle,
    Reader,
    Reject,
)

READERS: dict[str, Reader] = {
    "text": text.read,
    "jsonl": records.read_jsonl,
    "csv": records.read_csv,
    "html": html.read,
    "warc": warc.read,
    "sgml": sgml.read,
    "nitf": nitf.read,
    "newsml": newsml.read,
    "xml": newsxml.read,
    "metadata": sidecar.read,  # metadata.csv and NAME.json beside NAME.txt: never articles
}

__all__ = ["META_FIELDS", "READERS", "InputFile", "Item", "RawArticle", "Reader", "Reject", "discover", "printable_path", "reader_for"]


def reader_for(fmt: str) -> Reader | None:
    """The reader of an input format (None for 'unsupported')."""
    return READERS.get(fmt)
