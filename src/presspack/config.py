"""Build configuration: defaults, the project's presspack.toml and command-line overrides."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from presspack.errors import ConfigError
from presspack.package.hashing import sha256_file

CONFIG_NAME = "presspack.toml"
# Citation metadata only the user can give: without it the build warns and the release says NOT_SPECIFIED.
CITATION_FIELDS = ("title", "authors", "license")
NOT_SPECIFIED = "not specified"
UNTITLED = "Untitled dataset (title not specified)"
NO_AUTHORS = "Authors not specified"
# Where and how the build runs, never what it writes: left out of provenance and fingerprints.
RUNTIME_FIELDS = ("jobs", "executor", "scheduler", "cache_dir", "cache")


def _default_text_rules() -> dict[str, Any]:
    raw = resources.files("presspack").joinpath("data/text_rules.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@dataclass(frozen=True)
class TextRules:
    """Rules for .txt exports; lists are data so users can extend them."""

    boilerplate: tuple[str, ...]
    reading_time: tuple[str, ...]
    source_line: str
    section_suffix: str
    heading_max_words: int
    heading_end_punctuation: str

    def compiled(self) -> CompiledTextRules:
        return CompiledTextRules(self)


class CompiledTextRules:
    def __init__(self, rules: TextRules) -> None:
        self.rules = rules
        self.boilerplate = _full_match_any(rules.boilerplate)
        self.reading_time = _full_match_any(rules.reading_time)
        self.source_line = re.compile(rules.source_line, re.IGNORECASE)
        self.section_suffix = re.compile(rules.section_suffix)


def _full_match_any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    if not patterns:
        return re.compile(r"(?!x)x")
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """Size limits; anything over them is rejected with a reason (articles are truncated).

    Multi-record files (JSONL, CSV) are streamed record by record, so max_file_bytes
    bounds the work, not the memory; one record, one .txt file and one decompressed
    payload are read whole, bounded by max_record_bytes. spaCy's memory grows with the
    length of one document (measured: about +670 MB for a 240,000-character article with
    en_core_web_sm), hence the default max_article_chars.
    """

    max_file_bytes: int = 2_000_000_000  # bytes of one input file (compressed size for .gz)
    max_record_bytes: int = 10_000_000  # one JSONL/CSV record, one .txt file, one decompressed WARC/HTML payload
    max_article_chars: int = 200_000  # a longer normalized body is truncated at a paragraph break (else a space), with a note
    max_decompressed_bytes: int = 8_000_000_000  # bytes one web archive may decompress to; then reading stops

    def __post_init__(self) -> None:
        for name in ("max_file_bytes", "max_record_bytes", "max_article_chars", "max_decompressed_bytes"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ConfigError(f"[limits] {name} must be a positive integer, not {v!r}")


@dataclass(frozen=True)
class DedupSettings:
    """Near-duplicate detection ([dedup] in presspack.toml); see dedup.py."""

    enabled: bool = True
    threshold: float = 0.8  # estimated Jaccard similarity of word shingles at which a copy is a duplicate
    num_perm: int = 64  # MinHash permutations (memory: about num_perm bytes per kept article)
    shingle: int = 3  # words per shingle
    min_words: int = 20  # shorter texts are de-duplicated exactly only


@dataclass(frozen=True)
class DatasetMeta:
    """Metadata of the dataset written into datapackage.json and the release extras."""

    name: str = "presspack-dataset"
    title: str | None = None  # no default: a missing title, author or licence is "not specified" in the release
    description: str = ""
    license: str | None = None  # an SPDX id; never a default (the texts belong to their publishers)
    authors: tuple[dict[str, str], ...] = ()
    keywords: tuple[str, ...] = ()
    date: str | None = None  # release date (YYYY-MM-DD); default: SOURCE_DATE_EPOCH, else today
    doi: str | None = None
    concept_doi: str | None = None
    homepage: str | None = None
    publisher: str | None = None  # who publishes the dataset (e.g. "Zenodo"), for citations
    previous_doi: str | None = None  # DOI of the previous version (else read from the previous release)
    sources: tuple[str, ...] = ()  # DOIs or URLs the articles derive from (else the article sites)


def missing_citation_fields(dataset: dict[str, Any]) -> list[str]:
    """Which of CITATION_FIELDS a [dataset] table (or its record in a manifest) leaves empty."""
    return [k for k in CITATION_FIELDS if not dataset.get(k)]


def not_specified_note(missing: list[str]) -> str:
    """The sentence every release file with free text carries when citation metadata is missing."""
    words = {"license": "licence"}
    note = f"Not specified when this release was built: {', '.join(words.get(k, k) for k in missing)} (not set under [dataset] in presspack.toml)."
    return note + (" No licence is implied." if "license" in missing else "")


@dataclass(frozen=True)
class EntityOptions:
    """[entities]: user gazetteers (CSV/JSON paths, relative to the config file) and
    transliteration variants (each a list of spellings; the first is the key form)."""

    gazetteers: tuple[str, ...] = ()
    variants: tuple[tuple[str, ...], ...] = ()


def _entity_options(user: dict[str, Any]) -> EntityOptions:
    gaz = user.get("gazetteers", [])
    var = user.get("variants", [])
    if isinstance(gaz, str):
        gaz = [gaz]
    if not isinstance(gaz, list) or not all(isinstance(x, str) for x in gaz):
        raise ConfigError("[entities] gazetteers must be a list of file paths")
    if not isinstance(var, list) or not all(isinstance(v, list) and len(v) > 1 and all(isinstance(x, str) for x in v) for v in var):
        raise ConfigError('[entities] variants must be a list of lists of spellings, e.g. [["Zelensky", "Zelenskyy"]]')
    unknown = set(user) - {"gazetteers", "variants"}
    if unknown:
        raise ConfigError(f"unknown [entities] option(s): {', '.join(sorted(unknown))}")
    return EntityOptions(gazetteers=tuple(gaz), variants=tuple(tuple(v) for v in var))


@dataclass(frozen=True)
class Config:
    model: str | None = None
    batch_size: int = 32
    jobs: int = 1
    profile: str = "full"
    executor: str = "local"  # where the NLP stage runs: local (--jobs processes) or dask
    scheduler: str | None = None  # Dask scheduler address for executor = "dask"
    cache_dir: str | None = None  # NLP cache location (default: ~/.cache/presspack)
    cache: bool = True  # reuse and store NLP results in the cache
    text: TextRules = field(default_factory=lambda: _text_rules({}))
    limits: Limits = field(default_factory=Limits)
    dedup: DedupSettings = field(default_factory=DedupSettings)
    dataset: DatasetMeta = field(default_factory=DatasetMeta)
    source_path: str | None = None
    models: dict[str, str] = field(default_factory=dict)  # language code -> spaCy pipeline
    entities: EntityOptions = field(default_factory=EntityOptions)
    exclude: tuple[str, ...] = ()  # glob patterns of input paths not read (listed in the manifest as excluded)
    claims_model: str | None = None  # a claims model directory (presspack train claims), relative to the working directory

    def fingerprint_dict(self) -> dict[str, Any]:
        """What changes NLP output (for provenance and caches)."""
        d = asdict(self)
        d.pop("dataset")
        d.pop("source_path")
        d.pop("exclude")  # which files are read, not how: the manifest lists the excluded ones
        for k in RUNTIME_FIELDS:
            d.pop(k)
        d["claims_model"] = _claims_model_sha256(self.claims_model)
        if self.claims_model is None:  # left out: a build without a model keeps the fingerprint it had
            d.pop("claims_model")
        return d

    def to_dict(self) -> dict[str, Any]:
        """The configuration as recorded in provenance (no machine-specific paths)."""
        d = asdict(self)
        src = d.pop("source_path")
        for k in RUNTIME_FIELDS:
            d.pop(k)
        d["config_file"] = None
        d.pop("claims_model")
        if self.claims_model is not None:
            d["claims_model"] = {"name": Path(self.claims_model).name, "sha256": _claims_model_sha256(self.claims_model)}
        if src:
            p = Path(src)
            d["config_file"] = {"name": p.name, "sha256": sha256_file(p)}
        return d

    def sha256(self) -> str:
        blob = json.dumps(self.fingerprint_dict(), sort_keys=True, default=str).encode()
        return hashlib.sha256(blob).hexdigest()


def _claims_model_sha256(path: str | None) -> str | None:
    """What identifies a claims model: the sha256 of its model.json (which holds its CRF
    file's), not where it lies; None without a model or without that file."""
    if path is None:
        return None
    meta = Path(path) / "model.json"
    return sha256_file(meta) if meta.is_file() else None


def _text_rules(user: dict[str, Any]) -> TextRules:
    base = _default_text_rules()
    for key in ("boilerplate", "reading_time"):
        extra = user.get(key, [])
        if not isinstance(extra, list) or not all(isinstance(x, str) for x in extra):
            raise ConfigError(f"[text] {key} must be a list of strings")
        base[key] = [*base[key], *extra]
    for key in ("source_line", "section_suffix", "heading_max_words", "heading_end_punctuation"):
        if key in user:
            base[key] = user[key]
    for p in [*base["boilerplate"], *base["reading_time"], base["source_line"], base["section_suffix"]]:
        try:
            re.compile(p)
        except re.error as e:
            raise ConfigError(f"[text] invalid regular expression {p!r}: {e}") from None
    return TextRules(
        boilerplate=tuple(base["boilerplate"]),
        reading_time=tuple(base["reading_time"]),
        source_line=base["source_line"],
        section_suffix=base["section_suffix"],
        heading_max_words=int(base["heading_max_words"]),
        heading_end_punctuation=str(base["heading_end_punctuation"]),
    )


def _exclude_patterns(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(x, str) for x in value):
        raise ConfigError('[build] exclude must be a list of glob patterns, e.g. ["README.TXT", "*.md"]')
    return tuple(value)


def find_config(path: str | Path | None = None, sources: Sequence[str | Path] = ()) -> Path | None:
    """The presspack.toml a build uses: PATH when given; else ./presspack.toml; else the
    presspack.toml in the SOURCE directory when there is exactly one SOURCE (the sample
    dataset keeps its configuration beside its inputs, in examples/); else none."""
    if path is not None:
        return Path(path)
    if Path(CONFIG_NAME).is_file():
        return Path(CONFIG_NAME)
    if len(sources) == 1 and (Path(sources[0]) / CONFIG_NAME).is_file():
        return Path(sources[0]) / CONFIG_NAME
    return None


class ConfigExists(ConfigError):
    """`presspack init` found a presspack.toml where it would write one."""


def write_config_template(directory: str | Path = ".") -> Path:
    """Write DIRECTORY/presspack.toml, a commented configuration to fill in; never overwrite one."""
    path = Path(directory) / CONFIG_NAME
    text = resources.files("presspack").joinpath("data/config_template.toml").read_text(encoding="utf-8")
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise ConfigExists(f"{path} already exists; not overwritten (edit it, or remove it first)") from None
    except OSError as e:
        raise ConfigError(f"cannot write {path}: {e.strerror or e}") from None
    return path


def load_config(path: str | Path | None = None, *, sources: Sequence[str | Path] = (), **overrides: Any) -> Config:
    """Read presspack.toml (the given path, else the one `find_config` finds for SOURCES) and apply overrides.

    Overrides whose value is None are ignored, so CLI options can be passed straight in.
    Long because each [build] key is checked where it is read, with its own message.
    """
    data: dict[str, Any] = {}
    src: str | None = None
    path = find_config(path, sources)
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {p}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise ConfigError(f"cannot read config {p}: {e}") from None
        except OSError as e:
            raise ConfigError(f"cannot read config {p}: {e.strerror or e}") from None
        src = str(p)
    build = dict(data.get("build", {}))
    for k, v in overrides.items():
        if v is not None:
            extend = k == "exclude" and isinstance(build.get(k, []), list)  # --exclude adds to [build] exclude
            build[k] = [*build.get(k, []), *v] if extend else v
    known = {"model", "batch_size", "jobs", "profile", "executor", "scheduler", "cache_dir", "cache", "models", "exclude", "claims_model"}
    unknown = set(build) - known
    if unknown:
        raise ConfigError(f"unknown [build] option(s): {', '.join(sorted(unknown))}")
    models = build.get("models", {})
    if not isinstance(models, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in models.items()):
        raise ConfigError('[build] models must map language codes to pipelines, e.g. { de = "de_core_news_sm" }')
    build["exclude"] = _exclude_patterns(build.get("exclude", []))
    if build.get("claims_model") is not None and not isinstance(build["claims_model"], str):
        raise ConfigError("[build] claims_model must be the path of a claims model directory (presspack train claims)")
    if build.get("profile", "full") not in ("full", "fast"):
        raise ConfigError("profile must be 'full' or 'fast'")
    if build.get("executor", "local") not in ("local", "dask"):
        raise ConfigError("executor must be 'local' or 'dask'")
    try:
        limits = Limits(**data.get("limits", {}))
        dedup = DedupSettings(**data.get("dedup", {}))
        if not 0.0 < dedup.threshold <= 1.0 or dedup.num_perm < 2 or dedup.shingle < 1:
            raise ConfigError("[dedup] threshold must be in (0, 1], num_perm >= 2 and shingle >= 1")
        ds = dict(data.get("dataset", {}))
        if "date" in ds:
            ds["date"] = str(ds["date"])
        ds["authors"] = tuple(ds.get("authors", ()))
        ds["keywords"] = tuple(ds.get("keywords", ()))
        ds["sources"] = tuple(ds.get("sources", ()))
        meta = DatasetMeta(**ds)
    except TypeError as e:
        raise ConfigError(f"invalid config: {e}") from None
    return Config(
        text=_text_rules(data.get("text", {})),
        limits=limits,
        dedup=dedup,
        dataset=meta,
        source_path=src,
        entities=_entity_options(dict(data.get("entities", {}))),
        **build,
    )
