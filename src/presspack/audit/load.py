"""Loading gold annotations in any of the formats (the JSONL reader is in `gold`, BRAT and
Label Studio in their modules), checked against the release's texts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from presspack.audit import brat, labelstudio
from presspack.audit.gold import FORMATS, Gold, GoldError, Resolver, detect_format, known_labels, read_jsonl


def load_gold(path: str | Path, release: str | Path, fmt: str | None = None,
              label_map: dict[str, str] | None = None) -> Gold:
    """The gold at PATH (format FMT, else by its name), checked against RELEASE."""
    path = Path(path)
    if not path.exists():
        raise GoldError(f"{path}: no such file or directory")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise GoldError(f"{path}: unknown gold format {fmt!r} (one of {', '.join(FORMATS)})")
    labels = known_labels(label_map)
    resolve = Resolver(release)
    readers: dict[str, Callable[[Path, Resolver, tuple[str, ...]], Gold]] = {
        "jsonl": read_jsonl, "brat": brat.read_brat, "labelstudio": labelstudio.read_labelstudio}
    gold = readers[fmt](path, resolve, labels)
    if not gold.docs:
        raise GoldError(f"{path}: no annotated article in the gold")
    if (note := resolve.stats.note()) is not None:
        gold.notes.append(note)
        gold.alignment = resolve.stats.to_dict()
    return gold
