"""build(): SOURCE files in, one release directory out (atomically): intake, annotate
(or take from the cache), write the tables, the entity index, manifest.json and
datapackage.json, the extras, then seal and rename.

`build()` checks its arguments and owns the temporary directory; a `Build` owns one
build's state (the ledger, the table writers, the NLP cache, the entity index, the
NLP's notes) and runs its steps in order.
"""

from __future__ import annotations

import errno
import os
import platform
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from presspack._version import __version__
from presspack.annotate import cache as cache_mod
from presspack.annotate import executors
from presspack.claims.targets import claim_entity_rows
from presspack.config import Config, load_config
from presspack.entities import index as entity_index
from presspack.entities.finish import finish as finish_entity_index
from presspack.entities.gazetteer import load_gazetteers
from presspack.errors import InputNotFound, NoReleaseWritten, ReleaseExists, WriteFailed
from presspack.extras.finish import finish_release
from presspack.extras.versions import SEMVER, record_release
from presspack.ingest import discover
from presspack.learn import model_provenance
from presspack.nlp import pipeline as nlp_mod
from presspack.normalize import langmodel
from presspack.normalize import language as language_mod
from presspack.normalize.text import Article
from presspack.orchestrate.intake import accepted_articles
from presspack.orchestrate.ledger import Ledger
from presspack.orchestrate.prescan import Prescan
from presspack.orchestrate.result import PROBLEMS_SHOWN, ROW_GROUPS, TMP_PREFIX, BuildResult, release_date
from presspack.package import schemas
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import STREAMED, Spool, write_json, write_json_streamed
from presspack.package.seal import SEAL_NAME, check_output_dir, fsync_dir, write_seal
from presspack.package.tables import TableWriter, datapackage, resource_descriptor
from presspack.progress import NO_PROGRESS, Progress
from presspack.quotations.finish import finish as finish_quotations


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
    progress: Progress | None = None,
    nlp: Any = None,
    quality: dict[str, Any] | None = None,
) -> BuildResult:
    """Build release OUT/VERSION from SOURCE files or directories.

    The release appears by an atomic rename only when complete; an existing version is
    never overwritten. `progress` (presspack.progress.Progress) hears of each stage
    (read and annotate, entity index, manifest, extras, seal) and of the items done in
    it; the CLI draws it, the library never prints. `nlp` may pass an already loaded pipeline (tests load it once);
    otherwise it is loaded only when some article is not in the NLP cache. `quality` (a
    `presspack score --json` result) adds a "Measured accuracy" section to the extras.

    Before anything is written: InputNotFound for a SOURCE that does not exist,
    OutputNotUsable for an OUT that is a file or lies in a release, ReleaseExists for a
    version that exists. After: NoReleaseWritten when no article was accepted (with the
    most frequent reasons), WriteFailed when a file of the release cannot be written.
    """
    config = config or load_config(sources=sources)
    progress = progress or NO_PROGRESS
    check_version(version)
    check_inputs(sources)
    out = check_output_dir(out)
    final = out / version
    if final.exists():
        raise ReleaseExists(f"release {final} already exists; releases are immutable")
    out.mkdir(parents=True, exist_ok=True)
    _clean_stale(out)
    nlp_mod.model_identity(config.model, nlp)  # fails early, with the install hint, when there is no model
    tmp = out / f"{TMP_PREFIX}{version}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        builder = Build(tmp, sources, version, config, nlp=nlp, progress=progress)
        result = builder.run()
        if result.counts["accepted"] == 0:
            raise NoReleaseWritten(
                f"no article was accepted ({result.counts['rejected']} rejected, {result.counts['duplicate']} duplicate): "
                f"nothing to release; {reasons_line(builder.reasons)}"
            )

        seal_into_place(tmp, final, quality, progress)
    except OSError as e:
        failed = write_failure(e, tmp, final)
        if failed is None:
            raise
        raise failed from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    result.release_dir = final
    record_release(out, final)  # versions.json
    return result


def seal_into_place(tmp: Path, final: Path, quality: dict[str, Any] | None = None, progress: Progress = NO_PROGRESS) -> None:
    """The extras of a built release in `tmp` (changelog, citation files, croissant,
    card, report), its seal (SHA256SUMS over every file, then fsync: complete bytes
    before the rename), then the atomic rename to `final`; never over an existing one.
    `progress` hears of the extras and seal stages."""
    progress.stage("extras")
    with writing(tmp):
        finish_release(tmp, final.parent, quality)
    if final.exists():
        raise ReleaseExists(f"release {final} appeared during the build; not overwritten")
    progress.stage("seal")
    with writing(tmp / SEAL_NAME):
        write_seal(tmp)
    os.rename(tmp, final)
    fsync_dir(final.parent)


def check_version(version: str) -> None:
    """NoReleaseWritten unless `version` is a semantic version (X.Y.Z, maybe -pre)."""
    if not SEMVER.fullmatch(version):
        raise NoReleaseWritten(f"version {version!r} is not semantic (X.Y.Z)")


def check_inputs(sources: list[str | Path]) -> None:
    """InputNotFound when a SOURCE does not exist (a dangling symbolic link exists: the
    manifest records it as rejected)."""
    missing = [str(s) for s in sources if not (Path(s).exists() or Path(s).is_symlink())]
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise InputNotFound(f"{missing[0]}: no such file or directory{more}; nothing was built")


REASONS_SHOWN = 3  # the most frequent reasons a "no article was accepted" error lists
REASONS_KEPT = 10_000  # distinct reasons counted (each further one only adds to "other")
NO_SPACE = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)


def reasons_line(reasons: Counter[str]) -> str:
    """'reasons: R1 (n1); R2 (n2); R3 (n3); and K other(s)', the most frequent first."""
    if not reasons:
        return "no input file was found"
    top = sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = "; ".join(f"{r} ({n})" for r, n in top[:REASONS_SHOWN])
    rest = sum(n for _, n in top[REASONS_SHOWN:])
    return f"reasons: {shown}" + (f"; and {rest} other(s)" if rest else "")


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """An OSError inside names `path` when it names no file (a failed write() or flush,
    an Arrow error), so that the build can say which file could not be written."""
    try:
        yield
    except OSError as e:
        if e.filename is None:
            e.filename = str(path)
        raise


def write_failure(e: OSError, tmp: Path, final: Path) -> WriteFailed | None:
    """A WriteFailed naming the file of the release (as it would have been named in
    `final`) that could not be written, for an error writing into `tmp` or a full disk;
    None for any other OSError."""
    name = e.filename if isinstance(e.filename, str) else None
    inside = name is not None and Path(name).is_relative_to(tmp)
    no_space = e.errno in NO_SPACE or "No space left on device" in str(e)
    if not (inside or no_space):
        return None
    where = str(final / Path(name).relative_to(tmp)) if inside else name or f"a file of {final}"
    return WriteFailed(where, e.strerror or str(e))


class Build:
    """One build into the temporary directory `tmp`: owns the ledger (every input file
    and record), the table writers, the NLP cache and executor while the articles flow,
    the corpus-wide entity index and the NLP's notes per article. `run()` reads,
    annotates and writes every table, then the entity index, manifest.json and
    datapackage.json; build() adds the extras and seals."""

    def __init__(self, tmp: Path, sources: list[str | Path], version: str, config: Config, *, nlp: Any = None,
                 progress: Progress | None = None) -> None:
        self.tmp, self.sources, self.version, self.config = tmp, sources, version, config
        self.nlp, self.progress = nlp, progress or NO_PROGRESS
        self.ledger = Ledger()
        self.writers: dict[str, TableWriter] = {}
        self.cache: Any = None  # cache_mod.NLPCache while the articles flow, when the cache is on
        self.gazetteer: Any = None
        self.index: Any = None  # entities.index.EntityIndex
        self.notes: dict[str, str] = {}  # article_id -> the NLP's note (e.g. its language was skipped)
        self.problems: list[dict[str, Any]] = []  # the first PROBLEMS_SHOWN rejected or partial file entries
        self.reasons: Counter[str] = Counter()  # why files and records were rejected or duplicate, with counts

    def run(self) -> BuildResult:
        try:
            return self._run()
        finally:
            self.ledger.close()

    def _run(self) -> BuildResult:
        base = Path(self.config.source_path).parent if self.config.source_path else Path.cwd()
        self.gazetteer = load_gazetteers(list(self.config.entities.gazetteers), base)
        self.index = entity_index.EntityIndex(self.gazetteer, self.config.entities.variants)
        info, stats = self.annotate()
        n_files = self.ledger.n_files()
        if self.ledger.dedup is not None:
            self.ledger.dedup.close()  # its index is not needed any more
        self.ledger.seen_ids.close()
        self.progress.stage("entity index")
        with writing(self.tmp / "entity_index.parquet"):
            self.writers["entity_index"] = finish_entity_index(self.tmp, self.index, self.writers, ROW_GROUPS.get("entities", 65_536))
        self.progress.stage("quotations")
        with writing(self.tmp / "quotations.parquet"):  # after the speaker keys are final
            self.writers["quotations"] = finish_quotations(self.tmp, self.writers, ROW_GROUPS.get("claims", 65_536))
        self.progress.stage("manifest", n_files, "files")
        manifest, rows = self.write_package(self.manifest_entries(), n_files, info)
        return BuildResult(release_dir=self.tmp, version=self.version, counts=self.ledger.counts, rows=rows,
                           manifest=manifest, cache=stats, problem_files=self.problems)

    def annotate(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """Read, annotate (or take from the cache) and write every accepted article's rows;
        returns the pipeline's provenance and the cache statistics."""
        config, ledger = self.config, self.ledger
        self.cache = cache = _open_cache(config, self.nlp)
        try:
            executor = executors.make_executor(config, self.nlp)
        except BaseException:
            if cache is not None:
                cache.close()
            raise
        prescan: Prescan | None = None
        try:
            if cache is None:  # every article needs the NLP: start the workers loading the pipeline now
                executor.start()
            self.writers.update({t: TableWriter(t, self.tmp / f"{t}.parquet", ROW_GROUPS.get(t, 65_536)) for t in schemas.TABLES})
            ledger.signatures = cache.signatures if cache is not None else None
            languages = cache.languages(language_mod) if cache is not None else None
            # the total costs a walk of the inputs: only when someone is told
            total = None if self.progress is NO_PROGRESS else sum(1 for _ in discover(self.sources))
            self.progress.stage("read and annotate", total, "files")
            stream: Iterable[Article] = accepted_articles(self.sources, config, ledger, self.progress, languages)
            if cache is not None:
                prescan = Prescan(self.sources, cache, config.sha256(), config.exclude)
                stream = prescan.start_when_needed(stream, executor)
            for ann in executors.annotate_stream(stream, executor, batch_size=config.batch_size, cache=cache):
                self.write_article(ann)
            info = _model_info(executor, cache)
            if cache is not None:  # every accepted article of every input file is in the cache now
                prescan.stop()
                cache.remember_inputs(cache.input_key(prescan.config_sha256, e["sha256"]) for e in ledger.entries() if e["sha256"])
        finally:
            if prescan is not None:
                prescan.stop(check=False)  # an error of its own was raised above, unless another one is on its way
            executor.close()
            if cache is not None:
                cache.close()
            for w in self.writers.values():
                with writing(w.path):
                    w.close()
        return info, (cache.stats.to_dict() if cache is not None else {})

    def write_article(self, ann: Any) -> None:
        """One annotated article's rows into the tables and the entity index."""
        rows = (("articles", [ann.article]), ("sentences", ann.sentences), ("entities", ann.entities),
                ("claims", ann.claims), ("claim_entities", claim_entity_rows(ann.claims, ann.entities)))
        for table, table_rows in rows:
            writer = self.writers[table]
            with writing(writer.path):  # Arrow's errors name no file
                writer.write(table_rows)
        self.index.add(ann.article, ann.entities)
        if ann.note:
            self.notes[ann.article["article_id"]] = ann.note

    def manifest_entries(self) -> Iterator[dict[str, Any]]:
        """The manifest's file entries, with the NLP's notes; the first PROBLEMS_SHOWN
        rejected or partial ones also go to `problems` (what the CLI shows); when no
        article was accepted, their reasons are counted in `reasons`."""
        notes, problems = self.notes, self.problems
        explain = self.ledger.counts["accepted"] == 0  # build() will say why nothing was accepted
        for entry in self.ledger.entries():
            for aid in entry["article_ids"]:
                if aid in notes:
                    entry.setdefault("notes", Spool()).append({"article_id": aid, "origin": entry["path"], "note": notes[aid]})
            if explain:
                self.count_reasons(entry)
            self.progress.advance()
            bad_rows = entry["status"] == "metadata" and len(entry["records"]) > 0  # a metadata.csv's rejected rows
            if (entry["status"] in ("rejected", "partial") or bad_rows) and len(problems) < PROBLEMS_SHOWN:
                problems.append({**{k: v for k, v in entry.items() if not isinstance(v, Spool)}, "records": entry["records"][:20]})
            yield entry

    def count_reasons(self, entry: dict[str, Any]) -> None:
        """Add the reasons of one file entry (of its records, else its own) to `reasons`."""
        records = entry["records"]
        found = [r["reason"] for r in records if r["status"] != "accepted"] if records else []
        if not found and entry["status"] in ("rejected", "duplicate") and entry["reason"]:
            found = [entry["reason"]]
        for reason in found:
            if reason in self.reasons or len(self.reasons) < REASONS_KEPT:
                self.reasons[reason] += 1
            else:
                self.reasons["other reasons"] += 1

    def write_package(self, entries: Iterator[dict[str, Any]], n_files: int, info: dict[str, Any]) -> tuple[dict[str, Any], dict[str, int]]:
        """manifest.json (its file entries streamed) and datapackage.json; returns the manifest
        without its file entries and the rows per table."""
        config, tmp, version = self.config, self.tmp, self.version
        created = release_date(config)
        resources = []
        rows = {}
        for t, w in self.writers.items():
            rows[t] = w.rows
            resources.append(resource_descriptor(t, f"{t}.parquet", sha256_file(w.path), w.rows))
        manifest = {
            "presspack_manifest": 1,
            "version": version,
            "created": created,
            "counts": {**self.ledger.counts, "files": n_files, **{f"{t}_rows": n for t, n in rows.items()}},
            "provenance": self.provenance(info),
            "files": STREAMED,  # streamed from the ledger (write_json_streamed): not held in memory
            "checksums": SEAL_NAME,  # written last, over every file (package.seal); validate requires it
        }
        with writing(tmp / "manifest.json"):
            write_json_streamed(tmp / "manifest.json", manifest, "files", entries)
        del manifest["files"]  # BuildResult.manifest: everything but the file entries (they are in manifest.json)
        sources_meta = [{"title": Path(str(s)).name or str(s)} for s in self.sources]
        with writing(tmp / "datapackage.json"):
            write_json(tmp / "datapackage.json", datapackage(config.dataset, version, created, resources, sources_meta))
        return manifest, rows

    def provenance(self, info: dict[str, Any]) -> dict[str, Any]:
        """The manifest's provenance: toolkit, libraries, model, configuration, inputs."""
        config = self.config
        return {
            "presspack": __version__,
            "python": platform.python_version(),
            "libraries": nlp_mod.library_versions(),
            "model": info,
            "config": config.to_dict(),
            "config_sha256": config.sha256(),
            "inputs_sha256": self.ledger.files.inputs.hexdigest(),
            "sources": [Path(str(s)).name for s in self.sources],
            "gazetteers": self.gazetteer.files if self.gazetteer is not None else [],
            "language_models": {lang: nlp_mod.model_identity(name)["name"] for lang, name in sorted(config.models.items())},
            **({"claims_model": model_provenance(config.claims_model)} if config.claims_model else {}),
        }


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
