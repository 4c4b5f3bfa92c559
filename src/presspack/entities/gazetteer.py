"""User gazetteers: lists of known entities (CSV or JSON) given in the build config.

Each entry has a key, a label (a spaCy label such as PERSON, ORG, GPE), a canonical
name, aliases and optionally a Wikidata id. Listed names are recognized even when the
model misses them, every alias maps to the entry's key, and the file's sha256 goes into
the release's provenance.

CSV columns: key,label,canonical,aliases,wikidata (aliases separated by "|").
JSON: a list of objects with the same fields (aliases as a list of strings).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack.entities.matching import add_matches
from presspack.entities.names import KEY_CLASS, fold, slug, strip_title
from presspack.errors import ConfigError

LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"})
_WIKIDATA = re.compile(r"Q[1-9]\d*")


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    canonical: str
    aliases: tuple[str, ...]
    wikidata: str | None = None


class Gazetteer:
    """Entries from one or more files; `apply` adds and fixes mentions in one article."""

    def __init__(self, entries: list[Entry], files: list[dict[str, str]] | None = None) -> None:

        self.entries = entries
        self.files = files or []
        self.by_fold: dict[str, Entry] = {}
        self.by_key: dict[str, Entry] = {}
        self.surface: dict[str, Entry] = {}
        for en in entries:
            if en.key in self.by_key:
                raise ConfigError(f"gazetteer: key {en.key!r} is listed twice")
            self.by_key[en.key] = en
            for name in (en.canonical, *en.aliases):
                self.by_fold.setdefault(fold(name), en)
                self.surface.setdefault(name, en)

    def lookup(self, name: str) -> Entry | None:

        return self.by_fold.get(fold(name)) or self.by_fold.get(fold(strip_title(name)))

    def apply(self, text: str, raw: list[tuple[int, int, str]]) -> tuple[list[tuple[int, int, str]], dict[str, tuple[str, str, str | None]]]:
        """Add mentions for listed names the model missed; return the mentions and, per
        folded name found in this article, (key, canonical, label)."""

        out = add_matches(text, raw, {name: en.label for name, en in self.surface.items()})
        fixed: dict[str, tuple[str, str, str | None]] = {}
        for s, e, _ in out:
            en = self.lookup(text[s:e])
            if en is not None:
                fixed[fold(text[s:e])] = (en.key, en.canonical, en.label)
        return out, fixed

    def index_fields(self, key: str) -> dict[str, Any] | None:
        en = self.by_key.get(key)
        if en is None:
            return None
        return {"canonical": en.canonical, "label": en.label, "wikidata": en.wikidata}


def load_gazetteers(paths: list[str | Path], base: Path | None = None) -> Gazetteer | None:
    """Read gazetteer files (relative paths are taken from `base`); None when no file."""
    if not paths:
        return None
    entries: list[Entry] = []
    files = []
    for p in paths:
        path = Path(p)
        if not path.is_absolute() and base is not None:
            path = base / path
        try:
            data = path.read_bytes()
        except OSError as e:
            raise ConfigError(f"gazetteer {p}: cannot read ({e.strerror or e})") from None
        files.append({"name": path.name, "sha256": hashlib.sha256(data).hexdigest(), "entries": 0})
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ConfigError(f"gazetteer {p}: not UTF-8") from None
        if path.suffix.lower() == ".json":
            try:
                items = json.loads(raw)
            except json.JSONDecodeError as e:
                raise ConfigError(f"gazetteer {p}: invalid JSON ({e.msg} at line {e.lineno})") from None
            if isinstance(items, dict):
                items = items.get("entities", [])
            if not isinstance(items, list):
                raise ConfigError(f"gazetteer {p}: expected a list of entries")
        elif path.suffix.lower() == ".csv":
            items = list(csv.DictReader(io.StringIO(raw)))
        else:
            raise ConfigError(f"gazetteer {p}: use a .csv or .json file")
        for n, item in enumerate(items, start=1):
            entries.append(_entry(item, f"gazetteer {path.name} entry {n}"))
        files[-1]["entries"] = len(items)
    return Gazetteer(entries, files)


def _entry(item: Any, where: str) -> Entry:

    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected an object")
    canonical = str(item.get("canonical") or "").strip()
    label = str(item.get("label") or "").strip().upper()
    if not canonical:
        raise ConfigError(f"{where}: canonical is required")
    if label not in LABELS:
        raise ConfigError(f"{where}: label {label!r} is not one of {', '.join(sorted(LABELS))}")
    aliases = item.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in re.split(r"[|;]", aliases)]
    aliases = tuple(a.strip() for a in aliases if str(a).strip())
    key = str(item.get("key") or "").strip() or f"{KEY_CLASS.get(label, label.lower())}:{slug(canonical)}"
    wikidata = str(item.get("wikidata") or "").strip() or None
    if wikidata is not None and not _WIKIDATA.fullmatch(wikidata):
        raise ConfigError(f"{where}: wikidata {wikidata!r} is not a Wikidata id like Q7747")
    return Entry(key=key, label=label, canonical=canonical, aliases=aliases, wikidata=wikidata)
