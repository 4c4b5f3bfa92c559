"""What readers produce: InputFile (a file found under a SOURCE), RawArticle (a body with
its metadata, before normalization) and Reject (an input that cannot become an article,
with a one-line reason); META_FIELDS, the metadata a reader may fill (from schemas/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presspack.config import Config
from presspack.package import schemas

# Metadata fields a reader may fill (records use these names; `id` becomes external_id).
META_FIELDS = tuple(schemas.input_fields())  # from the `inputField`s of schemas/articles.schema.json



@dataclass
class InputFile:
    """One file found under a SOURCE."""

    path: Path  # where to read it
    rel: str  # path relative to the SOURCE (the origin of what it yields)
    format: str  # reader name, or "unsupported"
    size: int = 0
    sha256: str | None = None
    encoding: str | None = None
    error: str | None = None  # set when the file cannot even be read
    base: Path | None = None  # the SOURCE directory it was found under (None: given as a SOURCE itself)
    # The file's own status when it is no article source, with its reason: "excluded" (set
    # by discover: matched an exclude pattern, not read) or "metadata" (set by its reader).
    status: str | None = None
    reason: str | None = None



@dataclass
class RawArticle:
    """An article body with its metadata, before normalization."""

    origin: str
    body: str
    meta: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    from_txt: bool = False  # .txt bodies keep line structure hints (wrapped lines)
    # Structured bodies (HTML): (block text, is_heading) per block; when set, normalize
    # takes the blocks from here instead of splitting `body`.
    paragraphs: list[tuple[str, bool]] | None = None



@dataclass
class Reject:
    """An input file or record that cannot become an article, with a one-line reason."""

    origin: str
    reason: str



Item = RawArticle | Reject



Reader = Callable[[InputFile, Config], Iterator[Item]]
