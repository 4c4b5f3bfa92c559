"""Gazetteers: lists of known entities, the one shipped with presspack
(data/aliases.toml: common names of countries and organisations) and the user's (CSV,
JSON or TOML files given in the build config, [entities] gazetteers).

Each entry has a key, a label (a spaCy label such as PERSON, ORG, GPE, or DATE for a
date that names one thing, "9/11"), a canonical name, aliases and optionally a Wikidata
id. Every alias maps to the entry's key; the user's listed names are also recognized
where the model misses them, and the user's files' sha256 go into the release's
provenance. A user entry wins over a shipped one: the same key replaces it, and a name
the user lists takes the user's key.

CSV columns: key,label,canonical,aliases,wikidata (aliases separated by "|").
JSON: a list of objects with the same fields (aliases as a list of strings).
TOML: `[[entity]]` tables with the same fields, as in data/aliases.toml.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from presspack.entities.matching import add_matches
from presspack.entities.names import KEYLESS_LABELS, fold, key_for, strip_title
from presspack.errors import ConfigError

BUILTIN = "data/aliases.toml"  # the shipped gazetteer, inside the presspack package
LABELS = frozenset({*KEYLESS_LABELS, "PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE", "MISC"})
_WIKIDATA = re.compile(r"Q[1-9]\d*")


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    canonical: str
    aliases: tuple[str, ...]
    wikidata: str | None = None


class Gazetteer:
    """The user's entries (`entries`, from `files`) and the shipped ones (`builtin`);
    `apply` adds and fixes mentions in one article. Only the user's names are searched
    for in the text; a shipped name only keys a mention already found, and never one
    written in lowercase ("us", "who")."""

    def __init__(self, entries: list[Entry], files: list[dict[str, Any]] | None = None, *,
                 builtin: list[Entry] | tuple[Entry, ...] = ()) -> None:

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
        self.builtin_fold: dict[str, Entry] = {}
        for en in builtin:
            if en.key in self.by_key:  # the user's entry of that key replaces the shipped one
                continue
            self.by_key[en.key] = en
            for name in (en.canonical, *en.aliases):
                if fold(name) not in self.by_fold:  # a name the user lists is the user's
                    self.builtin_fold.setdefault(fold(name), en)

    def lookup(self, name: str) -> Entry | None:

        en = self.by_fold.get(fold(name)) or self.by_fold.get(fold(strip_title(name)))
        if en is None and not name.islower():
            en = self.builtin_fold.get(fold(name))
        return en

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


@cache
def builtin_entries() -> tuple[Entry, ...]:
    """The entries of the gazetteer shipped with presspack (data/aliases.toml)."""
    data = tomllib.loads(resources.files("presspack").joinpath(BUILTIN).read_text(encoding="utf-8"))
    out = tuple(_entry(item, f"presspack {BUILTIN} entry {n}") for n, item in enumerate(data.get("entity", []), start=1))
    if len({en.key for en in out}) != len(out):
        raise ConfigError(f"presspack {BUILTIN}: a key is listed twice")
    return out


@cache
def builtin_gazetteer() -> Gazetteer:
    """The shipped gazetteer alone: what a build uses when the config names no file."""
    return Gazetteer([], builtin=builtin_entries())


def load_gazetteers(paths: list[str | Path], base: Path | None = None) -> Gazetteer:
    """Read the user's gazetteer files (relative paths are taken from `base`) on top of
    the shipped one; the shipped one alone when no file is given."""
    if not paths:
        return builtin_gazetteer()
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
        if path.suffix.lower() == ".toml":
            try:
                items = tomllib.loads(raw).get("entity", [])
            except tomllib.TOMLDecodeError as e:
                raise ConfigError(f"gazetteer {p}: invalid TOML ({e})") from None
            if not isinstance(items, list):
                raise ConfigError(f"gazetteer {p}: expected [[entity]] tables")
        elif path.suffix.lower() == ".json":
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
            raise ConfigError(f"gazetteer {p}: use a .csv, .json or .toml file")
        for n, item in enumerate(items, start=1):
            entries.append(_entry(item, f"gazetteer {path.name} entry {n}"))
        files[-1]["entries"] = len(items)
    return Gazetteer(entries, files, builtin=builtin_entries())


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
    key = str(item.get("key") or "").strip() or key_for(label, canonical)
    wikidata = str(item.get("wikidata") or "").strip() or None
    if wikidata is not None and not _WIKIDATA.fullmatch(wikidata):
        raise ConfigError(f"{where}: wikidata {wikidata!r} is not a Wikidata id like Q7747")
    return Entry(key=key, label=label, canonical=canonical, aliases=aliases, wikidata=wikidata)
