"""The NLP cache: annotate() results stored per article, for incremental builds.

An entry is keyed by the article's content key (sha256 of its text, paragraph spans and
language: everything the NLP stage reads) and the pipeline fingerprint (presspack and
spaCy versions, a digest of presspack's code and data files, model name and version, and
the configuration that changes NLP output).
A changed model or configuration therefore misses on every entry; a changed text rule
misses only on the articles whose text it changes.

Rows are stored with the article id replaced by a placeholder and re-keyed on the way
out: an article id may come from the URL, so the same text can carry another id.

The store is one SQLite file (WAL mode: concurrent builds may share it; one process
writes, in batches). Values are zlib-compressed JSON, never pickles.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack._version import __version__
from presspack.annotate.batch import AnnotatedArticle
from presspack.errors import CacheError
from presspack.nlp.pipeline import matmul
from presspack.normalize import langmodel
from presspack.normalize.text import Article
from presspack.package.hashing import sha256_file, sha256_text
from presspack.package.spill import WriteBehind

CACHE_FILE = "nlp-cache.sqlite"
SCHEMA_VERSION = 1
_PLACEHOLDER_JSON = "\\u0001"  # how json.dumps writes the control character U+0001
# Configuration fields that do not change what annotate() returns for a given article:
# text rules and limits act before NLP (their effect is in the content key), the rest
# only decide where and how the work runs.
NON_NLP_CONFIG = ("text", "limits", "batch_size", "jobs", "executor", "scheduler", "cache_dir", "cache")


def default_cache_dir() -> Path:
    """$PRESSPACK_CACHE_DIR, else $XDG_CACHE_HOME/presspack, else ~/.cache/presspack."""
    env = os.environ.get("PRESSPACK_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "presspack" if xdg else Path.home() / ".cache" / "presspack"


def resolve_cache_dir(cache_dir: str | Path | None) -> Path:
    return Path(cache_dir) if cache_dir else default_cache_dir()


def pipeline_fingerprint(config: Any, model: dict[str, Any]) -> str:
    """sha256 over everything besides the article that changes NLP output."""
    import importlib.metadata

    cfg = {k: v for k, v in config.fingerprint_dict().items() if k not in NON_NLP_CONFIG}
    cfg.pop("model", None)  # the resolved model name and version stand for it
    try:
        spacy_version = importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        spacy_version = None
    blob = {
        "cache_schema": SCHEMA_VERSION,
        "presspack": __version__,
        "code": code_digest(),
        "spacy": spacy_version,
        "model": {"name": model.get("name"), "version": model.get("version")},
        "matmul": matmul(),
        "config": cfg,
        "gazetteers": _gazetteer_digests(config),
    }
    return sha256_text(json.dumps(blob, sort_keys=True, default=str))


def _gazetteer_digests(config: Any) -> list[str | None]:
    """sha256 of each gazetteer file: editing a gazetteer invalidates the cache."""
    from pathlib import Path

    entities = getattr(config, "entities", None)
    if entities is None:
        return []
    base = Path(config.source_path).resolve().parent if config.source_path else Path.cwd()
    out: list[str | None] = []
    for p in entities.gazetteers:
        path = Path(p) if Path(p).is_absolute() else base / p
        try:
            out.append(sha256_file(path))
        except OSError:
            out.append(None)
    return out


@functools.cache
def _langid_version() -> str:
    import importlib.metadata

    try:
        return f"py3langid {importlib.metadata.version('py3langid')}; {code_digest()}"
    except importlib.metadata.PackageNotFoundError:
        return code_digest()


@functools.cache
def code_digest() -> str:
    """sha256 of presspack's own code and data files: a changed rule in claims/ or a
    lexicon invalidates the cache even before the version number moves."""
    root = Path(__file__).resolve().parent.parent  # the presspack package
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in (".py", ".toml", ".json", ".txt") and "__pycache__" not in p.parts:
            h.update(p.relative_to(root).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def content_key(article: Article) -> str:
    """sha256 of what annotate() reads from an article: text, paragraphs, language."""
    blob = json.dumps([article.text, article.paragraphs, article.meta.get("language")], ensure_ascii=False)
    return sha256_text(blob)


def encode(ann: AnnotatedArticle, article: Article) -> bytes:
    """An entry: the NLP-derived part of an AnnotatedArticle, id-neutral. The article id,
    as a whole string value or as the prefix of a derived id ("<id>-s3"), becomes a
    placeholder that normalized text can never contain (control characters are removed)."""
    base = article.row()
    derived = {k: v for k, v in ann.article.items() if k not in base or base[k] != v}
    value = {"article": derived, "sentences": ann.sentences, "entities": ann.entities, "claims": ann.claims, "note": ann.note}
    blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    blob = re.sub(r'(?<=[:\[,{])"' + re.escape(article.article_id) + r'(?=["-])', lambda _: '"' + _PLACEHOLDER_JSON, blob)
    return zlib.compress(blob.encode("utf-8"), 1)


def decode(blob: bytes, article: Article) -> AnnotatedArticle:
    import orjson  # about twice as fast as json.loads here, the same values: a rebuild decodes every entry

    text = zlib.decompress(blob).decode("utf-8").replace('"' + _PLACEHOLDER_JSON, '"' + article.article_id)
    value = orjson.loads(text)
    row = article.row()
    row.update(value["article"])
    return AnnotatedArticle(article=row, sentences=value["sentences"], entities=value["entities"],
                            claims=value["claims"], note=value["note"])


class CachedLanguage:
    """Language evidence (language.language_shares: shares per language) remembered by a hash of
    the text and title: a rebuild from the cache skips both loading the language model and
    classifying. Passed to orchestrate.intake.accept_item as `language` (it offers `assign`)."""

    def __init__(self, db: sqlite3.Connection, language: Any) -> None:
        self.db = db
        self.language = language
        self.writes = WriteBehind(db, "INSERT OR REPLACE INTO languages (text, version, code, prob) VALUES (?, ?, ?, ?)")

    def assign(self, meta: dict[str, Any], text: str) -> list[str]:
        return self.language.assign(meta, text, evidence=self._evidence)

    def _evidence(self, text: str, title: str | None) -> dict[str, float]:
        key = sha256_text(f"{title or ''}\0{text}")
        row = self.db.execute("SELECT code FROM languages WHERE text = ? AND version = ?", (key, _langid_version())).fetchone()
        if row is not None:
            try:
                return {str(k): float(v) for k, v in json.loads(row[0]).items()}
            except (ValueError, AttributeError):
                pass  # a damaged entry is a miss
        shares = self.language.language_shares(text, title)
        self.writes.add((key, _langid_version(), json.dumps(shares), 0.0))  # in order: the first is the best guess
        return shares

    def flush(self) -> None:
        self.writes.flush()


class CachedSignatures:
    """Near-duplicate signatures (dedup.Deduplicator.signature) remembered by a hash of the
    text: a rebuild from the cache does not hash the shingles of the texts it knows."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.writes = WriteBehind(db, "INSERT OR REPLACE INTO signatures (text, version, sig) VALUES (?, ?, ?)")

    def get(self, dedup: Any, text: str) -> Any:
        import numpy as np

        version = f"{dedup.settings_key()}; {code_digest()}"
        key = sha256_text(text)
        row = self.db.execute("SELECT sig FROM signatures WHERE text = ? AND version = ?", (key, version)).fetchone()
        if row is not None and (not row[0] or len(row[0]) == 8 * dedup.num_perm):
            return np.frombuffer(row[0], dtype="<u8").astype(np.uint64) if row[0] else None
        sig = dedup.signature(text)
        self.writes.add((key, version, b"" if sig is None else sig.astype("<u8").tobytes()))
        return sig

    def flush(self) -> None:
        self.writes.flush()


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"hits": self.hits, "misses": self.misses}


class NLPCache:
    """Entries for one pipeline fingerprint in the SQLite store under `directory`."""

    def __init__(self, directory: str | Path, fingerprint: str) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.stats = CacheStats()
        self.db = _connect(self.directory)
        self.language: CachedLanguage | None = None
        self.signatures = CachedSignatures(self.db)

    def languages(self, language: Any) -> CachedLanguage:
        """A language identifier that remembers its results in this cache."""
        self.language = CachedLanguage(self.db, language)
        return self.language

    def get_many(self, articles: Iterable[Article]) -> dict[int, AnnotatedArticle]:
        """Cached results by position in `articles`."""
        arts = list(articles)
        out = {}
        for i, blob in self.lookup_many(arts).items():
            got = self.decode_hit(blob, arts[i])
            if got is not None:
                out[i] = got
        return out

    def decode_hit(self, blob: bytes, article: Article) -> AnnotatedArticle | None:
        """An entry found by lookup_many, decoded; None (and counted as a miss) when damaged:
        the fresh result then replaces it."""
        try:
            return decode(blob, article)
        except (ValueError, KeyError, zlib.error):
            self.stats.hits -= 1
            self.stats.misses += 1
            return None

    def lookup_many(self, articles: list[Article]) -> dict[int, bytes]:
        """Cached entries, still encoded, by position in `articles` (decode_hit decodes one:
        a build looks ahead of what it writes, and a compressed entry is small)."""
        keys = [content_key(a) for a in articles]
        found: dict[str, bytes] = {}
        uniq = sorted(set(keys))
        for i in range(0, len(uniq), 500):
            part = uniq[i : i + 500]
            marks = ",".join("?" * len(part))
            cur = self.db.execute(
                f"SELECT content, value FROM entries WHERE fingerprint = ? AND content IN ({marks})",
                [self.fingerprint, *part],
            )
            found.update(cur.fetchall())
        out = {i: found[k] for i, k in enumerate(keys) if k in found}
        self.stats.hits += len(out)
        self.stats.misses += len(articles) - len(out)
        return out

    def put_many(self, pairs: Iterable[tuple[Article, AnnotatedArticle]]) -> None:
        rows = [(content_key(a), self.fingerprint, encode(ann, a)) for a, ann in pairs]
        if not rows:
            return
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO entries (content, fingerprint, value) VALUES (?, ?, ?)", rows)

    def get_info(self) -> dict[str, Any] | None:
        """The model_info recorded with this fingerprint (so a fully cached build need
        not load the pipeline to write its provenance)."""
        row = self.db.execute("SELECT info FROM pipelines WHERE fingerprint = ?", (self.fingerprint,)).fetchone()
        return json.loads(row[0]) if row else None

    def put_info(self, info: dict[str, Any]) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO pipelines (fingerprint, info) VALUES (?, ?)",
                            (self.fingerprint, json.dumps(info)))

    def input_key(self, config_sha256: str, sha256_file: str) -> str:
        """Key of an input file whose every article a build with this pipeline and
        configuration found in (or put into) the cache."""
        return sha256_text(f"{self.fingerprint}\0{config_sha256}\0{sha256_file}")

    def remember_inputs(self, keys: Iterable[str]) -> None:
        """Record input files (input_key) all of whose articles are now cached."""
        it = iter(keys)
        while chunk := [(k,) for _, k in zip(range(5000), it, strict=False)]:
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO inputs (key) VALUES (?)", chunk)

    def close(self) -> None:
        if self.language is not None:
            self.language.flush()
        self.signatures.flush()
        self.db.close()


def _connect(directory: Path) -> sqlite3.Connection:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(directory / CACHE_FILE, timeout=60, isolation_level="DEFERRED")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        with db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS entries (content TEXT NOT NULL, fingerprint TEXT NOT NULL, "
                "value BLOB NOT NULL, PRIMARY KEY (content, fingerprint)) WITHOUT ROWID"
            )
            db.execute("CREATE TABLE IF NOT EXISTS pipelines (fingerprint TEXT PRIMARY KEY, info TEXT NOT NULL)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS signatures (text TEXT NOT NULL, version TEXT NOT NULL, sig BLOB NOT NULL, "
                "PRIMARY KEY (text, version)) WITHOUT ROWID"
            )
            db.execute("CREATE TABLE IF NOT EXISTS inputs (key TEXT PRIMARY KEY) WITHOUT ROWID")
            db.execute(
                "CREATE TABLE IF NOT EXISTS languages (text TEXT NOT NULL, version TEXT NOT NULL, code TEXT, "
                "prob REAL NOT NULL, PRIMARY KEY (text, version)) WITHOUT ROWID"
            )
    except (OSError, sqlite3.Error) as e:
        raise CacheError(f"cannot open the NLP cache in {directory}: {e} (use --cache-dir DIR or --no-cache)") from None
    return db


def inputs_known(directory: str | Path, keys: Iterable[str], stop: Any = None) -> bool:
    """Whether every input_key was remembered by an earlier build (so this build probably
    needs no NLP). Its own connection: it runs in a thread beside the build. Stops early,
    returning True, when `stop()` says the answer no longer matters."""
    try:
        db = sqlite3.connect(Path(directory) / CACHE_FILE, timeout=60)
    except sqlite3.Error:
        return False
    try:
        for k in keys:
            if stop is not None and stop():
                return True
            if db.execute("SELECT 1 FROM inputs WHERE key = ?", (k,)).fetchone() is None:
                return False
        return True
    except sqlite3.Error:
        return False
    finally:
        db.close()


def cache_info(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """Location, entry count and size of the cache."""
    d = resolve_cache_dir(cache_dir)
    path = d / CACHE_FILE
    if not path.exists():
        return {"path": str(path), "entries": 0, "fingerprints": 0, "bytes": 0, "model_bytes": langmodel.copies_bytes(d)}
    db = _connect(d)
    try:
        n, k = db.execute("SELECT count(*), count(DISTINCT fingerprint) FROM entries").fetchone()
    finally:
        db.close()
    size = sum(p.stat().st_size for p in d.glob(CACHE_FILE + "*") if p.is_file())
    return {"path": str(path), "entries": n, "fingerprints": k, "bytes": size, "model_bytes": langmodel.copies_bytes(d)}


def clear_cache(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """Delete every entry; returns what was there."""
    before = cache_info(cache_dir)
    d = resolve_cache_dir(cache_dir)
    if (d / CACHE_FILE).exists():
        db = _connect(d)
        try:
            with db:
                db.execute("DELETE FROM entries")
                db.execute("DELETE FROM pipelines")
                db.execute("DELETE FROM languages")
                db.execute("DELETE FROM signatures")
                db.execute("DELETE FROM inputs")
            db.execute("VACUUM")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as e:
            raise CacheError(f"cannot clear the NLP cache in {d}: {e}") from None
        finally:
            db.close()
    langmodel.remove_copies(d)
    return before
