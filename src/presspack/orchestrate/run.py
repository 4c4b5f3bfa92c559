"""build(): SOURCE files in, one release directory out (atomically): intake, annotate
(or take from the cache), write the tables, the entity index, manifest.json and
datapackage.json, the extras, then seal and rename.
"""

from __future__ import annotations

import os
import platform
import shutil
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from presspack._version import __version__
from presspack.annotate import cache as cache_mod
from presspack.annotate import executors
from presspack.orchestrate.intake import accepted_articles
from presspack.orchestrate.ledger import Ledger
from presspack.orchestrate.prescan import Prescan
from presspack.orchestrate.result import PROBLEMS_SHOWN, ROW_GROUPS, TMP_PREFIX, BuildResult, release_date
from presspack.claims.targets import claim_entity_rows
from presspack.config import Config, load_config
from presspack.entities import index as entity_index
from presspack.entities.finish import finish as finish_entity_index
from presspack.entities.gazetteer import load_gazetteers
from presspack.errors import NoReleaseWritten, ReleaseExists
from presspack.extras.finish import finish_release
from presspack.extras.versions import SEMVER, record_release
from presspack.nlp import pipeline as nlp_mod
from presspack.normalize import langmodel
from presspack.normalize import language as language_mod
from presspack.normalize.text import Article
from presspack.quotations.finish import finish as finish_quotations
from presspack.package import schemas
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import STREAMED, Spool, write_json, write_json_streamed
from presspack.package.seal import SEAL_NAME, fsync_dir, write_seal
from presspack.package.tables import TableWriter, datapackage, resource_descriptor


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
    progress: Callable[[int, str], None] | None = None,
    nlp: Any = None,
    quality: dict[str, Any] | None = None,
) -> BuildResult:
    """Build release OUT/VERSION from SOURCE files or directories.

    The release appears by an atomic rename only when complete; an existing version is
    never overwritten. `progress(files_read, path)` is called as each input file is
    opened (the CLI prints it; the library never prints). `nlp` may pass an already loaded pipeline (tests load it once);
    otherwise it is loaded only when some article is not in the NLP cache. `quality` (a
    `presspack score --json` result) adds a "Measured accuracy" section to the extras.
    """

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

        finish_release(tmp, out, quality)  # changelog, citation files, croissant, card, report
        if final.exists():
            raise ReleaseExists(f"release {final} appeared during the build; not overwritten")
        write_seal(tmp)  # SHA256SUMS over every file, then fsync: complete bytes before the rename
        os.rename(tmp, final)
        fsync_dir(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.release_dir = final
    record_release(out, final)  # versions.json
    return result


def _build_into(tmp: Path, sources: list[str | Path], version: str, config: Config, nlp: Any, progress: Any) -> BuildResult:
    ledger = Ledger()
    try:
        return _build_with(ledger, tmp, sources, version, config, nlp, progress)
    finally:
        ledger.close()


def _build_with(ledger: Ledger, tmp: Path, sources: list[str | Path], version: str, config: Config, nlp: Any,
                progress: Any) -> BuildResult:
    base = Path(config.source_path).parent if config.source_path else Path.cwd()
    gazetteer = load_gazetteers(list(config.entities.gazetteers), base)
    index = entity_index.EntityIndex(gazetteer, config.entities.variants)
    notes: dict[str, str] = {}
    writers: dict[str, Any] = {}
    info, stats = _annotate_into(writers, ledger, index, notes, tmp, sources, config, nlp, progress)
    n_files = ledger.n_files()
    if ledger.dedup is not None:
        ledger.dedup.close()  # its index is not needed any more
    ledger.seen_ids.close()
    writers["entity_index"] = finish_entity_index(tmp, index, writers, ROW_GROUPS.get("entities", 65_536))
    writers["quotations"] = finish_quotations(tmp, writers, ROW_GROUPS.get("claims", 65_536))  # after the speaker keys are final
    problems: list[dict[str, Any]] = []
    manifest, rows = _write_package(tmp, writers, _manifest_entries(ledger, notes, problems), ledger, n_files, version,
                                    config, sources, info, gazetteer)
    return BuildResult(release_dir=tmp, version=version, counts=ledger.counts, rows=rows, manifest=manifest, cache=stats,
                       problem_files=problems)


def _annotate_into(writers: dict[str, Any], ledger: Ledger, index: Any, notes: dict[str, str], tmp: Path,
                   sources: list[str | Path], config: Config, nlp: Any, progress: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read, annotate (or take from the cache) and write every accepted article's rows;
    returns the pipeline's provenance and the cache statistics."""
    cache = _open_cache(config, nlp)
    try:
        executor = executors.make_executor(config, nlp)
    except BaseException:
        if cache is not None:
            cache.close()
        raise
    prescan: Prescan | None = None
    try:
        if cache is None:  # every article needs the NLP: start the workers loading the pipeline now
            executor.start()
        writers.update({t: TableWriter(t, tmp / f"{t}.parquet", ROW_GROUPS.get(t, 65_536)) for t in schemas.TABLES})
        ledger.signatures = cache.signatures if cache is not None else None
        stream: Iterable[Article] = accepted_articles(sources, config, ledger, progress, cache.languages(language_mod) if cache is not None else None)
        if cache is not None:
            prescan = Prescan(sources, cache, config.sha256())
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
    return info, (cache.stats.to_dict() if cache is not None else {})


def _manifest_entries(ledger: Ledger, notes: dict[str, str], problems: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The manifest's file entries, with the NLP's notes; the first PROBLEMS_SHOWN
    rejected or partial ones also go to `problems` (what the CLI shows)."""
    for entry in ledger.entries():
        for aid in entry["article_ids"]:
            if aid in notes:
                entry.setdefault("notes", Spool()).append({"article_id": aid, "origin": entry["path"], "note": notes[aid]})
        if entry["status"] in ("rejected", "partial") and len(problems) < PROBLEMS_SHOWN:
            problems.append({**{k: v for k, v in entry.items() if not isinstance(v, Spool)}, "records": entry["records"][:20]})
        yield entry


def _write_package(tmp: Path, writers: dict[str, Any], entries: Iterator[dict[str, Any]], ledger: Ledger, n_files: int,
                   version: str, config: Config, sources: list[str | Path], info: dict[str, Any],
                   gazetteer: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """manifest.json (its file entries streamed) and datapackage.json; returns the manifest
    without its file entries and the rows per table."""
    created = release_date(config)
    resources = []
    rows = {}
    for t, w in writers.items():
        rows[t] = w.rows
        resources.append(resource_descriptor(t, f"{t}.parquet", sha256_file(w.path), w.rows))
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
            "inputs_sha256": ledger.files.inputs.hexdigest(),
            "sources": [Path(str(s)).name for s in sources],
            "gazetteers": gazetteer.files if gazetteer is not None else [],
            "language_models": {lang: nlp_mod.model_identity(name)["name"] for lang, name in sorted(config.models.items())},
        },
        "files": STREAMED,  # streamed from the ledger (write_json_streamed): not held in memory
        "checksums": SEAL_NAME,  # written last, over every file (package.seal); validate requires it
    }
    write_json_streamed(tmp / "manifest.json", manifest, "files", entries)
    del manifest["files"]  # BuildResult.manifest: everything but the file entries (they are in manifest.json)
    sources_meta = [{"title": Path(str(s)).name or str(s)} for s in sources]
    write_json(tmp / "datapackage.json", datapackage(config.dataset, version, created, resources, sources_meta))
    return manifest, rows


def _open_cache(config: Config, nlp: Any) -> Any:
    """The NLP cache for this pipeline and configuration, or None when disabled."""

    if not config.cache:
        return None
    fingerprint = cache_mod.pipeline_fingerprint(config, nlp_mod.model_identity(config.model, nlp))
    directory = cache_mod.resolve_cache_dir(config.cache_dir)
    langmodel.keep_unpacked_copy_in(directory / langmodel.MODELS_DIR)
    return cache_mod.NLPCache(directory, fingerprint)


def _model_info(executor: Any, cache: Any) -> dict[str, Any]:
    """Provenance of the pipeline: from the cache when no article needed it (so a fully
    cached build never loads spaCy), else from the pipeline that ran."""
    info = cache.get_info() if cache is not None else None
    if info is None:
        info = executor.model_info()
        if cache is not None:
            cache.put_info(info)
    return info
