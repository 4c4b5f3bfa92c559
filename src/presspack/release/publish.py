"""presspack release: build the next semantic version of a dataset. The version is given,
or the latest release bumped as asked, or (auto) bumped as the diff against the latest
release calls for: a candidate is built, compared, then named and moved into place.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack.config import Config, load_config
from presspack.errors import NoReleaseWritten, NothingToRelease, ReleaseExists
from presspack.extras.diff import ReleaseDiff, diff_releases
from presspack.extras.versions import VERSIONS_FILE, bump_version, latest_release, record_release, version_key
from presspack.orchestrate.result import TMP_PREFIX, BuildResult
from presspack.orchestrate.run import build, check_version, seal_into_place, write_failure, writing
from presspack.package.jsonio import write_json
from presspack.progress import NO_PROGRESS, Progress

BUMPS = ("auto", "major", "minor", "patch")
FIRST_VERSION = "1.0.0"


@dataclass
class ReleaseResult:
    build: BuildResult
    previous: str | None
    bump: str | None
    diff: ReleaseDiff | None

    def summary(self) -> str:
        how = f"{self.bump} release after {self.previous}" if self.previous else "first release"
        return f"released {self.build.version} ({how}); {self.build.summary()}"


def release(
    sources: list[str | Path],
    out: str | Path,
    *,
    bump: str = "auto",
    version: str | None = None,
    config: Config | None = None,
    nlp: Any = None,
    progress: Progress | None = None,
    quality: dict[str, Any] | None = None,
) -> ReleaseResult:
    """Build the next version of the dataset in OUT.

    The version is VERSION when given, else the latest release bumped by BUMP; with
    bump="auto" the release is built first and the bump follows from its diff against
    the latest release (see ReleaseDiff.bump). Raises NothingToRelease when nothing
    changed, ReleaseExists for a version that exists or is not above the latest.
    QUALITY (a `presspack score --json` dict) adds a "Measured accuracy" section to the
    card, the report and datapackage.json.
    """
    if bump not in BUMPS:
        raise NoReleaseWritten(f"bump {bump!r} is not one of {', '.join(BUMPS)}")
    config = config or load_config(sources=sources)
    out = Path(out)
    previous = latest_release(out)
    if version is not None:
        check_version(version)
        if previous and version_key(version) <= version_key(previous):
            raise ReleaseExists(f"version {version} is not above the latest release {previous}; released versions are immutable")
    if previous is None or version is not None or bump != "auto":
        version = version or (bump_version(previous, bump) if previous else FIRST_VERSION)
        result = build(sources, out, version, config, progress=progress, nlp=nlp, quality=quality)
        d = diff_releases(out / previous, result.release_dir) if previous else None
        kind = None if d is None else (bump if bump != "auto" else d.bump)
        return ReleaseResult(result, previous, kind, d)
    # auto: build a candidate, compare it with the latest release, then name it
    stage = out / f"{TMP_PREFIX}stage-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        result = build(sources, stage, bump_version(previous, "patch"), config, progress=progress, nlp=nlp)
        (progress or NO_PROGRESS).stage(f"compare with {previous}")
        d = diff_releases(out / previous, result.release_dir)
        if d.bump is None:
            raise NothingToRelease(f"nothing changed since {previous}: no release written")
        version = bump_version(previous, d.bump)
        final = promote(result.release_dir, out, version, quality, progress)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result.release_dir, result.version = final, version
    result.manifest["version"] = version
    d.b = version
    return ReleaseResult(result, previous, d.bump, d)


def promote(candidate: Path, out: Path, version: str, quality: dict[str, Any] | None = None,
            progress: Progress | None = None) -> Path:
    """Give a built candidate release its version, regenerate its extras and move it to OUT/VERSION."""
    final = out / version
    if final.exists():
        raise ReleaseExists(f"release {final} already exists; releases are immutable")
    (candidate.parent / VERSIONS_FILE).unlink(missing_ok=True)  # the staging index: the candidate is not released yet
    try:
        for name in ("manifest.json", "datapackage.json"):
            data = json.loads((candidate / name).read_text(encoding="utf-8"))
            data["version"] = version
            with writing(candidate / name):
                write_json(candidate / name, data)
        seal_into_place(candidate, final, quality, progress or NO_PROGRESS)  # the same extras, seal and rename as build()
    except OSError as e:
        failed = write_failure(e, candidate, final)
        if failed is None:
            raise
        raise failed from None
    record_release(out, final)
    return final
