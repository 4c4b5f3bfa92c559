"""build(): SOURCE files in, one release directory out (atomically)."""

from __future__ import annotations

import hashlib
import os
import platform
import re
import shutil
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

from presspack import __version__, executors, schemas
from presspack.config import Config, load_config
from presspack.errors import InputRejected, NoReleaseWritten, ReleaseExists
from presspack.ingest import InputFile, RawArticle, Reject, discover, file_sha256, reader_for
from presspack.normalize import Article, normalize
from presspack.package import STREAMED, Spool, TableWriter, datapackage, resource_descriptor, sha256_file, write_json, write_json_streamed
from presspack.scratch import ScratchDB
from presspack.seal import SEAL_NAME, fsync_dir, write_seal

SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?")
TMP_PREFIX = ".presspack-tmp-"
# Rows per Parquet row group. A writer holds up to one row group of rows in memory, so
# these bound the build's memory: small for articles (long texts), 8192 for the rest
# (65,536 rows of sentences, entities and claims took over 100 MB).
ROW_GROUPS = {"articles": 1024, "sentences": 8192, "entities": 8192, "claims": 8192, "claim_entities": 8192}


@dataclass
class BuildResult:
    release_dir: Path
    version: str
    counts: dict[str, int]
    rows: dict[str, int]
    manifest: dict[str, Any] = field(repr=False, default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)  # NLP cache hits and misses (not in the release)
    # the first PROBLEMS_SHOWN rejected or partial file entries (manifest.json has them all)
    problem_files: list[dict[str, Any]] = field(repr=False, default_factory=list)

    def summary(self) -> str:
        c = self.counts
        return (
            f"wrote {self.release_dir}: {c['accepted']} accepted, {c['rejected']} rejected, "
            f"{c['duplicate']} duplicate ({self.rows.get('sentences', 0)} sentences, "
            f"{self.rows.get('entities', 0)} entities, {self.rows.get('claims', 0)} claims)"
        )


def release_date(config: Config) -> str:
    if config.dataset.date:
        return str(config.dataset.date)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return datetime.now(tz=UTC).date().isoformat()


SPILL_AFTER = 200_000  # article ids the ledger keeps in a dict before moving them to disk
PROBLEMS_SHOWN = 1000  # rejected or partial files BuildResult lists (all are in the manifest)


class _SeenIds:
    """article_id -> origin of the first accepted article with that id (exact duplicates by
    id or URL): a dict up to `spill_after` ids, then a private temporary SQLite database
    on disk (deleted when closed; SQLite's page cache is bounded), so memory does not
    grow with the corpus."""

    def __init__(self, spill_after: int | None = None) -> None:
        self.spill_after = SPILL_AFTER if spill_after is None else spill_after
        self.mem: dict[str, str] = {}
        self.db: ScratchDB | None = None

    def get(self, article_id: str) -> str | None:
        if self.db is None:
            return self.mem.get(article_id)
        row = self.db.execute("SELECT origin FROM seen WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def __setitem__(self, article_id: str, origin: str) -> None:
        if self.db is None:
            self.mem[article_id] = origin
            if len(self.mem) > self.spill_after:
                self._spill()
            return
        self.db.execute("INSERT OR REPLACE INTO seen VALUES (?, ?)", (article_id, origin))
        self.db.wrote()

    def _spill(self) -> None:
        self.db = ScratchDB("CREATE TABLE seen (id TEXT PRIMARY KEY, origin TEXT NOT NULL) WITHOUT ROWID")
        self.db.executemany("INSERT INTO seen VALUES (?, ?)", self.mem.items())
        self.mem = {}

    def __len__(self) -> int:
        if self.db is None:
            return len(self.mem)
        return int(self.db.execute("SELECT count(*) FROM seen").fetchone()[0])

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None


class _FileLog:
    """The manifest's `files` entries in input order. Each finished entry goes to a
    temporary JSON-lines file (a Spool that holds nothing in memory), so memory does not
    grow with the number of input files; the manifest is streamed from it. A list of one
    entry that has moved to its own temporary file (a Spool past SPOOL_AFTER items: an
    input file with millions of records) stays there, and comes back as that Spool."""

    def __init__(self) -> None:
        self.lines = Spool(after=1)
        self.inputs = hashlib.sha256()  # the manifest's inputs_sha256, as entries arrive
        self.spooled: dict[int, dict[str, Spool]] = {}  # entry number -> its lists on disk

    def append(self, entry: dict[str, Any]) -> None:
        big = {k: v for k, v in entry.items() if isinstance(v, Spool) and v.spilled}
        if big:
            self.spooled[len(self.lines)] = big
        self.lines.append({k: None if k in big else list(v) if isinstance(v, Spool) else v for k, v in entry.items()})
        self.inputs.update(f"{entry['path']}\0{entry['sha256']}\n".encode())

    def __len__(self) -> int:
        return len(self.lines)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for i, entry in enumerate(self.lines):
            entry.update(self.spooled.get(i, {}))
            yield entry

    def close(self) -> None:
        self.lines.close()
        for lists in self.spooled.values():
            for spool in lists.values():
                spool.close()
        self.spooled = {}


class _Ledger:
    """Accounts for every input file and record: the manifest's `files` list (on disk,
    _FileLog), the ids seen (_SeenIds) and the near-duplicate index (dedup)."""

    def __init__(self, spill_after: int | None = None) -> None:
        self.files = _FileLog()
        self.current: dict[str, Any] | None = None  # the entry of the file being read
        self.seen_ids = _SeenIds(spill_after)
        self.counts = {"accepted": 0, "rejected": 0, "duplicate": 0}
        self.dedup: Any = None  # dedup.Deduplicator, created on first use
        self.signatures: Any = None  # cache.CachedSignatures when the build has a cache

    def open_file(self, f: InputFile) -> dict[str, Any]:
        self._done()
        entry: dict[str, Any] = {
            "path": f.rel,
            "sha256": f.sha256,
            "bytes": f.size,
            "format": f.format,
            "encoding": None,
            "status": None,
            "reason": None,
            "article_ids": Spool(),
            "records": Spool(),
            "notes": Spool(),
        }
        self.current = entry
        return entry

    def _done(self) -> None:
        if self.current is not None:
            self.files.append(self.current)
            self.current = None

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every file entry, in input order (after the last file was read)."""
        self._done()
        return iter(self.files)

    def n_files(self) -> int:
        self._done()
        return len(self.files)

    def close(self) -> None:
        self.files.close()
        self.seen_ids.close()
        if self.dedup is not None:
            self.dedup.close()

    @staticmethod
    def close_file(entry: dict[str, Any], f: InputFile) -> None:
        entry["encoding"] = f.encoding
        n_ok = len(entry["article_ids"])
        rec = entry["records"]
        n_bad = sum(1 for r in rec if r["status"] == "rejected")
        n_dup = sum(1 for r in rec if r["status"] == "duplicate")
        if entry["status"] is None:
            if n_ok and not rec:
                entry["status"] = "accepted"
            elif n_ok:
                entry["status"] = "partial"
                entry["reason"] = f"{n_bad} record(s) rejected, {n_dup} duplicate(s)"
            elif n_dup and not n_bad:
                entry["status"] = "duplicate"
                entry["reason"] = rec[0]["reason"] if len(rec) == 1 else f"{n_dup} duplicate record(s)"
            else:
                entry["status"] = "rejected"
                entry["reason"] = rec[0]["reason"] if len(rec) == 1 else f"{n_bad} record(s) rejected, {n_dup} duplicate(s)"
        if len(rec) == 1 and rec[0]["origin"] == entry["path"]:
            if rec[0].get("duplicate_of"):
                entry["duplicate_of"] = rec[0]["duplicate_of"]
            entry["records"] = []  # the file itself was the item: its status says it all
        if not entry["notes"]:
            del entry["notes"]


def _articles(sources: list[str | Path], config: Config, ledger: _Ledger, progress: Any, language: Any = None) -> Iterator[Article]:
    """Every accepted, de-duplicated article, in sorted input order; the ledger records
    everything else. `language` identifies languages (default: presspack.language)."""
    if language is None:
        from presspack import language

    for f in discover(sources):
        entry = ledger.open_file(f)
        if progress is not None:
            progress.update(1)
            progress.set_postfix_str(f.rel[-40:], refresh=False)
        if f.error:
            entry.update(status="rejected", reason=f.error)
            ledger.counts["rejected"] += 1
            continue
        try:
            f.sha256 = entry["sha256"] = file_sha256(f.path)
        except OSError as e:
            entry.update(status="rejected", reason=f"cannot read: {e.strerror or e}")
            ledger.counts["rejected"] += 1
            continue
        reader = reader_for(f.format)
        if reader is None:
            reason = (
                f"{f.format.upper()} input is not supported in this version"
                if f.format in ("html", "warc")
                else f"unsupported file type {Path(f.rel).suffix or '(no extension)'!r}"
            )
            entry.update(status="rejected", reason=reason)
            ledger.counts["rejected"] += 1
            continue
        try:
            for item in reader(f, config):
                if isinstance(item, Reject):
                    entry["records"].append({"origin": item.origin, "status": "rejected", "reason": item.reason})
                    ledger.counts["rejected"] += 1
                    continue
                art = _accept(item, config, entry, ledger, language)
                if art is not None:
                    yield art
        except OSError as e:
            entry["records"].append({"origin": f.rel, "status": "rejected", "reason": f"read error: {e.strerror or e}"})
            ledger.counts["rejected"] += 1
        except Exception as e:  # noqa: BLE001 - a reader bug must not stop the build: the rest of the file is one reject
            entry["records"].append({"origin": f.rel, "status": "rejected", "reason": _internal(e)})
            ledger.counts["rejected"] += 1
        finally:
            ledger.close_file(entry, f)


def _accept(item: RawArticle, config: Config, entry: dict[str, Any], ledger: _Ledger, language: Any) -> Article | None:
    try:
        art = normalize(item, config.text, max_chars=config.limits.max_article_chars)
    except InputRejected as e:
        entry["records"].append({"origin": item.origin, "status": "rejected", "reason": str(e)})
        ledger.counts["rejected"] += 1
        return None
    except Exception as e:  # noqa: BLE001 - one bad record never stops the build
        entry["records"].append({"origin": item.origin, "status": "rejected", "reason": _internal(e)})
        ledger.counts["rejected"] += 1
        return None
    first = ledger.seen_ids.get(art.article_id)
    if first is not None:
        basis = "URL" if art.meta.get("url") else "text"
        entry["records"].append(
            {"origin": item.origin, "status": "duplicate", "reason": f"same {basis} as {first}", "duplicate_of": art.article_id}
        )
        ledger.counts["duplicate"] += 1
        return None
    if config.dedup.enabled:
        from presspack.dedup import Deduplicator

        ledger.dedup = ledger.dedup or Deduplicator.from_settings(config.dedup, ledger.signatures)
        dup = ledger.dedup.check(art.article_id, art.text)
        if dup is not None:
            entry["records"].append({"origin": item.origin, "status": "duplicate", "reason": dup.reason(), "duplicate_of": dup.kept})
            ledger.counts["duplicate"] += 1
            return None
    ledger.seen_ids[art.article_id] = item.origin
    art.notes.extend(language.assign(art.meta, art.text))
    entry["article_ids"].append(art.article_id)
    for n in art.notes:
        entry.setdefault("notes", Spool()).append({"article_id": art.article_id, "origin": art.origin, "note": n})
    ledger.counts["accepted"] += 1
    return art


PRESCAN_TAIL = 1024  # the last input files, which the prescan looks at first


class _Prescan:
    """With a cache: does this build need the NLP at all? Found out in a thread while the
    build starts on the first files: it hashes the input files and looks each up among
    the files that earlier builds with the same pipeline and configuration found (or
    left) fully cached. At the first unknown file the build starts the NLP workers, so
    loading the pipeline overlaps the cached part instead of waiting for the first miss
    (new articles often come last); when every file is known, nothing is loaded."""

    def __init__(self, sources: list[str | Path], cache: Any, config_sha256: str) -> None:
        self.sources, self.cache, self.config_sha256 = sources, cache, config_sha256
        self.need = threading.Event()
        self.stopped = False
        self.thread = threading.Thread(target=self._run, name="presspack-prescan", daemon=True)
        self.thread.start()

    def _keys(self) -> Iterator[str]:
        """The input keys, the last files first (new files usually sort last: dates,
        counters), then the others in order: a rebuild that adds files finds one without
        hashing every file before it. Only PRESCAN_TAIL files are held for that."""
        tail: deque[Any] = deque(maxlen=PRESCAN_TAIL)
        n = 0
        for f in discover(self.sources):
            if self.stopped:
                return
            tail.append(f)
            n += 1
        for f in chain(reversed(tail), islice(discover(self.sources), n - len(tail))):
            if f.error:
                continue
            try:
                sha = file_sha256(f.path)
            except OSError:
                continue
            yield self.cache.input_key(self.config_sha256, sha)

    def _run(self) -> None:
        from presspack.cache import inputs_known

        try:
            known = inputs_known(self.cache.directory, self._keys(), stop=lambda: self.stopped)
        except Exception:  # noqa: BLE001 - only a hint: the build starts the workers at the first miss anyway
            return
        if not known:
            self.need.set()

    def start_when_needed(self, stream: Iterable[Article], executor: Any) -> Iterator[Article]:
        """`stream`, starting `executor` as soon as the prescan says it will be needed."""
        it = iter(stream)
        for art in it:
            if self.need.is_set():
                self.thread.join()  # it has finished: no thread runs while the workers fork
                executor.start()
                yield art
                yield from it
                return
            yield art

    def stop(self) -> None:
        self.stopped = True
        self.thread.join()


def _internal(e: Exception) -> str:
    msg = " ".join(str(e).split())[:200]
    return f"internal error (please report): {type(e).__name__}: {msg}"


def _clean_stale(out: Path) -> None:
    """Remove temporary directories left by killed builds (their process is gone)."""
    for d in out.glob(TMP_PREFIX + "*"):
        pid = d.name.rsplit("-", 1)[-1]
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(
    sources: list[str | Path],
    out: str | Path,
    version: str,
    config: Config | None = None,
    *,
    progress: bool = False,
    nlp: Any = None,
    quality: dict[str, Any] | None = None,
) -> BuildResult:
    """Build release OUT/VERSION from SOURCE files or directories.

    The release appears by an atomic rename only when complete; an existing version is
    never overwritten. `nlp` may pass an already loaded pipeline (tests load it once);
    otherwise it is loaded only when some article is not in the NLP cache.
    """
    from presspack import nlp as nlp_mod

    config = config or load_config()
    if not SEMVER.fullmatch(version):
        raise NoReleaseWritten(f"version {version!r} is not semantic (X.Y.Z)")
    out = Path(out)
    final = out / version
    if final.exists():
        raise ReleaseExists(f"release {final} already exists; releases are immutable: choose a new --version")
    out.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    nlp_mod.model_identity(config.model, nlp)  # fails early, with the install hint, when there is no model
    tmp = out / f"{TMP_PREFIX}{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        result = _build_into(tmp, sources, version, config, nlp, progress)
        if result.counts["accepted"] == 0:
            raise NoReleaseWritten(
                f"no article was accepted ({result.counts['rejected']} rejected, {result.counts['duplicate']} duplicate): nothing to release"
            )
        from presspack import release as extras

        extras.finish_release(tmp, out, quality)  # changelog, citation files, croissant, card, report
        if final.exists():
            raise ReleaseExists(f"release {final} appeared during the build; not overwritten")
        write_seal(tmp)  # SHA256SUMS over every file, then fsync: complete bytes before the rename
        os.rename(tmp, final)
        fsync_dir(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.release_dir = final
    extras.record_release(out, final)  # versions.json
    return result


def _build_into(tmp: Path, sources: list[str | Path], version: str, config: Config, nlp: Any, progress: bool) -> BuildResult:
    ledger = _Ledger()
    try:
        return _build_with(ledger, tmp, sources, version, config, nlp, progress)
    finally:
        ledger.close()


def _build_with(ledger: _Ledger, tmp: Path, sources: list[str | Path], version: str, config: Config, nlp: Any,
                progress: bool) -> BuildResult:
    from presspack import language as language_mod
    from presspack import nlp as nlp_mod

    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(unit=" files", desc="presspack build", file=sys.stderr, dynamic_ncols=True)
    from presspack import entity_index
    from presspack.claims.targets import claim_entity_rows
    from presspack.gazetteer import load_gazetteers

    base = Path(config.source_path).parent if config.source_path else Path.cwd()
    gazetteer = load_gazetteers(list(config.entities.gazetteers), base)
    index = entity_index.EntityIndex(gazetteer, config.entities.variants)
    notes: dict[str, str] = {}
    cache = _open_cache(config, nlp)
    try:
        executor = executors.make_executor(config, nlp)
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    writers: dict[str, Any] = {}
    prescan: _Prescan | None = None
    try:
        if cache is None:  # every article needs the NLP: start the workers loading the pipeline now
            executor.start()
        writers.update({t: TableWriter(t, tmp / f"{t}.parquet", ROW_GROUPS.get(t, 65_536)) for t in schemas.TABLES})
        ledger.signatures = cache.signatures if cache is not None else None
        stream: Iterable[Article] = _articles(sources, config, ledger, bar, cache.languages(language_mod) if cache is not None else None)
        if cache is not None:
            prescan = _Prescan(sources, cache, config.sha256())
            stream = prescan.start_when_needed(stream, executor)
        for ann in executors.annotate_stream(stream, executor, batch_size=config.batch_size, cache=cache):
            writers["articles"].write([ann.article])
            writers["sentences"].write(ann.sentences)
            writers["entities"].write(ann.entities)
            index.add(ann.article, ann.entities)
            writers["claims"].write(ann.claims)
            writers["claim_entities"].write(claim_entity_rows(ann.claims, ann.entities))
            if ann.note:
                notes[ann.article["article_id"]] = ann.note
        info = _model_info(executor, cache)
        if cache is not None:  # every accepted article of every input file is in the cache now
            prescan.stop()
            cache.remember_inputs(cache.input_key(prescan.config_sha256, e["sha256"]) for e in ledger.entries() if e["sha256"])
    finally:
        if prescan is not None:
            prescan.stop()
        executor.close()
        if cache is not None:
            cache.close()
        for w in writers.values():
            w.close()
        if bar is not None:
            bar.close()
    n_files = ledger.n_files()
    if ledger.dedup is not None:
        ledger.dedup.close()  # its index is not needed any more
    ledger.seen_ids.close()

    def files() -> Iterator[dict[str, Any]]:  # the manifest's entries, with the NLP's notes
        for entry in ledger.entries():
            for aid in entry["article_ids"]:
                if aid in notes:
                    entry.setdefault("notes", Spool()).append({"article_id": aid, "origin": entry["path"], "note": notes[aid]})
            if entry["status"] in ("rejected", "partial") and len(problems) < PROBLEMS_SHOWN:  # what the CLI shows
                problems.append({**{k: v for k, v in entry.items() if not isinstance(v, Spool)}, "records": entry["records"][:20]})
            yield entry

    problems: list[dict[str, Any]] = []
    writers["entity_index"] = entity_index.finish(tmp, index, writers, ROW_GROUPS.get("entities", 65_536))
    created = release_date(config)
    resources = []
    rows = {}
    for t, w in writers.items():
        rows[t] = w.rows
        resources.append(resource_descriptor(t, f"{t}.parquet", sha256_file(w.path), w.rows))
    input_hash = ledger.files.inputs.hexdigest()
    manifest = {
        "presspack_manifest": 1,
        "version": version,
        "created": created,
        "counts": {**ledger.counts, "files": n_files, **{f"{t}_rows": n for t, n in rows.items()}},
        "provenance": {
            "presspack": __version__,
            "python": platform.python_version(),
            "libraries": nlp_mod.library_versions(),
            "model": info,
            "config": config.to_dict(),
            "config_sha256": config.sha256(),
            "inputs_sha256": input_hash,
            "sources": [Path(str(s)).name for s in sources],
            "gazetteers": gazetteer.files if gazetteer is not None else [],
            "language_models": {lang: nlp_mod.model_identity(name)["name"] for lang, name in sorted(config.models.items())},
        },
        "files": STREAMED,  # streamed from the ledger (write_json_streamed): not held in memory
        "checksums": SEAL_NAME,  # written last, over every file (presspack.seal); validate requires it
    }
    write_json_streamed(tmp / "manifest.json", manifest, "files", files())
    del manifest["files"]  # BuildResult.manifest: everything but the file entries (they are in manifest.json)
    sources_meta = [{"title": Path(str(s)).name or str(s)} for s in sources]
    write_json(tmp / "datapackage.json", datapackage(config.dataset, version, created, resources, sources_meta))
    stats = cache.stats.to_dict() if cache is not None else {}
    return BuildResult(release_dir=tmp, version=version, counts=ledger.counts, rows=rows, manifest=manifest, cache=stats,
                       problem_files=problems)


def _open_cache(config: Config, nlp: Any) -> Any:
    """The NLP cache for this pipeline and configuration, or None when disabled."""
    from presspack import cache as cache_mod
    from presspack import nlp as nlp_mod

    if not config.cache:
        return None
    fingerprint = cache_mod.pipeline_fingerprint(config, nlp_mod.model_identity(config.model, nlp))
    return cache_mod.NLPCache(cache_mod.resolve_cache_dir(config.cache_dir), fingerprint)


def _model_info(executor: Any, cache: Any) -> dict[str, Any]:
    """Provenance of the pipeline: from the cache when no article needed it (so a fully
    cached build never loads spaCy), else from the pipeline that ran."""
    info = cache.get_info() if cache is not None else None
    if info is None:
        info = executor.model_info()
        if cache is not None:
            cache.put_info(info)
    return info
