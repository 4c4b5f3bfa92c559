"""presspack release: semantic versions, the versions.json index, immutability, provenance
and the release extras (changelog, citation files, Croissant, dataset card, report).

Release extras are functions of a finished release directory: they read only its
datapackage.json, manifest.json and Parquet tables (and the previous release for the
changelog), so they can be regenerated and tested without running any NLP.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from presspack.audit.quality import datapackage_entry
from presspack.build import SEMVER, TMP_PREFIX, BuildResult, build
from presspack.config import Config, load_config
from presspack.diff import ReleaseDiff, diff_releases, manifest_files, read_json, read_manifest
from presspack.errors import NothingToRelease, NoReleaseWritten, ReleaseExists, ReleaseNotFound
from presspack.package import Spool, json_chunks, sha256_file, write_json

VERSIONS_FILE = "versions.json"
BUMPS = ("auto", "major", "minor", "patch")
FIRST_VERSION = "1.0.0"
MAX_INFO_FILES = 20  # input files listed by `presspack info` (all with --json)


def version_key(version: str) -> tuple[int, int, int, int, str]:
    """Sort key in semver precedence (a pre-release sorts before its release)."""
    core, _, pre = version.partition("-")
    major, minor, patch = (int(x) for x in core.split("."))
    return (major, minor, patch, 0 if pre else 1, pre)


def bump_version(version: str, kind: str) -> str:
    major, minor, patch, *_ = version_key(version)
    if kind == "major":
        return f"{major + 1}.0.0"
    if kind == "minor":
        return f"{major}.{minor + 1}.0"
    if kind == "patch":
        return f"{major}.{minor}.{patch + 1}"
    raise ValueError(f"unknown bump {kind!r}")


def list_releases(out: str | Path) -> list[str]:
    """Versions released in dataset directory OUT, oldest first."""
    out = Path(out)
    if not out.is_dir():
        return []
    found = [p.name for p in out.iterdir() if p.is_dir() and SEMVER.fullmatch(p.name) and (p / "manifest.json").is_file()]
    return sorted(found, key=version_key)


def latest_release(out: str | Path, *, below: str | None = None) -> str | None:
    versions = list_releases(out)
    if below is not None:
        versions = [v for v in versions if version_key(v) < version_key(below)]
    return versions[-1] if versions else None


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
    progress: bool = False,
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
        raise NoReleaseWritten(f"--bump must be one of {', '.join(BUMPS)}")
    config = config or load_config()
    out = Path(out)
    previous = latest_release(out)
    if version is not None:
        if not SEMVER.fullmatch(version):
            raise NoReleaseWritten(f"version {version!r} is not semantic (X.Y.Z)")
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
        d = diff_releases(out / previous, result.release_dir)
        if d.bump is None:
            raise NothingToRelease(f"nothing changed since {previous}: no release written (pass --bump patch to release anyway)")
        version = bump_version(previous, d.bump)
        final = promote(result.release_dir, out, version, quality)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    result.release_dir, result.version = final, version
    result.manifest["version"] = version
    d.b = version
    return ReleaseResult(result, previous, d.bump, d)


def promote(candidate: Path, out: Path, version: str, quality: dict[str, Any] | None = None) -> Path:
    """Give a built candidate release its version, regenerate its extras and move it to OUT/VERSION."""
    final = out / version
    if final.exists():
        raise ReleaseExists(f"release {final} already exists; releases are immutable")
    (candidate.parent / VERSIONS_FILE).unlink(missing_ok=True)  # the staging index: the candidate is not released yet
    for name in ("manifest.json", "datapackage.json"):
        data = json.loads((candidate / name).read_text(encoding="utf-8"))
        data["version"] = version
        write_json(candidate / name, data)
    finish_release(candidate, out, quality)
    from presspack.seal import fsync_dir, write_seal

    write_seal(candidate)  # SHA256SUMS over the final files, then the atomic rename
    os.rename(candidate, final)
    fsync_dir(out)
    record_release(out, final)
    return final


# -- the build hook --------------------------------------------------------------------


def finish_release(release_dir: str | Path, out: str | Path, quality: dict[str, Any] | None = None) -> None:
    """Write the release extras into a complete (not yet renamed) release directory."""
    release_dir = Path(release_dir)
    version = read_manifest(release_dir)["version"]
    prev = latest_release(out, below=version)
    write_extras(release_dir, Path(out) / prev if prev else None, quality)


def write_extras(release_dir: str | Path, previous: str | Path | None = None, quality: dict[str, Any] | None = None) -> None:
    """CHANGELOG.md, CITATION.cff, .zenodo.json, croissant.json, README.md and report.html.

    The tables, manifest.json and datapackage.json must be final: croissant.json embeds
    the tables' sha256.
    """
    from presspack import card, cite, croissant, report

    release_dir = Path(release_dir)
    if is_recorded(release_dir):
        raise ReleaseExists(f"{release_dir} is a recorded release ({VERSIONS_FILE}); released versions are immutable")
    d = diff_releases(previous, release_dir) if previous is not None else None
    if quality is not None:  # datapackage.json's `quality` (measured accuracy), before anything reads it
        write_json(release_dir / "datapackage.json", {**read_json(release_dir / "datapackage.json"), "quality": datapackage_entry(quality)})
    (release_dir / "CHANGELOG.md").write_text(card.changelog(release_dir, d), encoding="utf-8")
    cite.write_citation_files(release_dir, previous)
    croissant.write_croissant(release_dir)
    card.write_card(release_dir, quality)
    report.write_report(release_dir, quality)


# -- versions.json and immutability ------------------------------------------------------


def file_hashes(release_dir: str | Path) -> dict[str, str]:
    """sha256 of every file in a release (relative POSIX paths, sorted)."""
    root = Path(release_dir)
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def tree_hash(files: dict[str, str]) -> str:
    """One content hash for a whole release: sha256 over its sorted `path\\0sha256` lines."""
    return hashlib.sha256("".join(f"{k}\0{v}\n" for k, v in sorted(files.items())).encode()).hexdigest()


def read_versions(out: str | Path) -> dict[str, Any]:
    path = Path(out) / VERSIONS_FILE
    if not path.is_file():
        return {"latest": None, "versions": []}
    return read_json(path)


def _entry(release_dir: Path) -> dict[str, Any]:
    manifest = read_manifest(release_dir)
    dp = read_json(release_dir / "datapackage.json")
    files = file_hashes(release_dir)
    return {
        "version": release_dir.name,
        "date": manifest.get("created"),
        "rows": {r["name"]: r.get("rows") for r in dp.get("resources", [])},
        "sha256": tree_hash(files),
        "files": files,
    }


def record_release(out: str | Path, release_dir: str | Path) -> dict[str, Any]:
    """Add (or, when its directory had been deleted and rebuilt, replace) a release in
    OUT/versions.json; returns the index."""
    out, release_dir = Path(out), Path(release_dir)
    entry = _entry(release_dir)
    index = read_versions(out)
    present = set(list_releases(out))
    kept = [e for e in index.get("versions", []) if e["version"] != entry["version"] and e["version"] in present]
    # releases made before the index existed are adopted as they are now
    known = {e["version"] for e in kept} | {entry["version"]}
    kept += [_entry(out / v) for v in sorted(present - known)]
    versions = sorted([*kept, entry], key=lambda e: version_key(e["version"]))
    index = {"latest": versions[-1]["version"], "versions": versions}
    tmp = out / f"{VERSIONS_FILE}.tmp-{os.getpid()}"
    write_json(tmp, index)
    os.replace(tmp, out / VERSIONS_FILE)
    return index


def is_recorded(release_dir: Path) -> bool:
    """Whether a release directory is listed in its dataset's versions.json."""
    try:
        index = read_versions(release_dir.parent)
    except ReleaseNotFound:
        return False
    return any(e.get("version") == release_dir.name for e in index.get("versions", []))


def release_problems(release_dir: str | Path) -> list[tuple[str, str, str]]:
    """(type, file, message) for `validate`: files changed since the release was recorded
    (immutable), an invalid CITATION.cff (citation), croissant.json hashes that do not
    match the tables (croissant)."""
    from presspack.cite import CffSchemaMissing, validate_cff

    release_dir = Path(release_dir)
    out = [("immutable", f, msg) for f, msg in immutability_problems(release_dir)]
    cff = release_dir / "CITATION.cff"
    if cff.is_file():
        try:
            out += [("citation", cff.name, f"not valid CFF 1.2.0: {p}") for p in validate_cff(cff.read_text(encoding="utf-8"))]
        except CffSchemaMissing as e:
            out.append(("citation", cff.name, f"cannot check: {e}"))
        except Exception as e:  # noqa: BLE001 - YAML errors of any kind: one problem
            out.append(("citation", cff.name, f"cannot read: {e}"))
    cro = release_dir / "croissant.json"
    if cro.is_file():
        try:
            dist = json.loads(cro.read_text(encoding="utf-8")).get("distribution", [])
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            dist = []
            out.append(("croissant", cro.name, f"invalid JSON: {e}"))
        for fo in dist:
            path = release_dir / str(fo.get("contentUrl", ""))
            if not path.is_file() or sha256_file(path) != fo.get("sha256"):
                out.append(("croissant", cro.name, f"sha256 of {fo.get('contentUrl')} does not match the file"))
    return out


def immutability_problems(release_dir: str | Path) -> list[tuple[str, str]]:
    """(file, message) for every file added, removed or changed since the release was
    recorded in the dataset's versions.json; empty when the release is not recorded."""
    release_dir = Path(release_dir)
    try:
        index = read_versions(release_dir.parent)
    except ReleaseNotFound as e:
        return [(VERSIONS_FILE, str(e))]
    entry = next((e for e in index.get("versions", []) if e.get("version") == release_dir.name), None)
    if entry is None:
        return []
    want, got = entry.get("files", {}), file_hashes(release_dir)
    out = []
    for name in sorted(set(want) | set(got)):
        if name not in got:
            out.append((name, f"removed since release {entry['version']} (versions.json)"))
        elif name not in want:
            out.append((name, f"added since release {entry['version']} (versions.json)"))
        elif want[name] != got[name]:
            out.append((name, f"changed since release {entry['version']}: sha256 {got[name]}, versions.json says {want[name]}"))
    return out


# -- provenance ---------------------------------------------------------------------------


def provenance(release_dir: str | Path) -> dict[str, Any]:
    """What `presspack info` shows: toolkit, libraries, model, configuration, inputs and counts.
    The input files' hashes are a package.Spool (a list past which memory does not grow):
    provenance_json writes the whole as JSON."""
    release_dir = Path(release_dir)
    m = read_manifest(release_dir)
    prov = m.get("provenance", {})
    by_status: dict[str, int] = {}
    by_format: dict[str, int] = {}
    hashes = Spool()  # one per input file: millions of files stay off the heap
    for f in manifest_files(release_dir, skip=("article_ids", "records", "notes")):
        by_status[f.get("status")] = by_status.get(f.get("status"), 0) + 1
        by_format[f.get("format")] = by_format.get(f.get("format"), 0) + 1
        hashes.append({"path": f.get("path"), "sha256": f.get("sha256"), "status": f.get("status")})
    return {
        "release": str(release_dir),
        "version": m.get("version"),
        "created": m.get("created"),
        "presspack": prov.get("presspack"),
        "python": prov.get("python"),
        "libraries": prov.get("libraries", {}),
        "model": prov.get("model", {}),
        "config": prov.get("config", {}),
        "config_sha256": prov.get("config_sha256"),
        "inputs": {
            "sources": prov.get("sources", []),
            "inputs_sha256": prov.get("inputs_sha256"),
            "files": len(hashes),
            "by_status": dict(sorted(by_status.items(), key=lambda kv: str(kv[0]))),
            "by_format": dict(sorted(by_format.items(), key=lambda kv: str(kv[0]))),
            "hashes": hashes,
        },
        "counts": m.get("counts", {}),
    }


def provenance_json(p: dict[str, Any]) -> Iterator[str]:
    """json.dumps(p, indent=2) of provenance() in pieces, the input files' hashes one at a
    time (the same text as with a list there)."""
    return json_chunks(p, ensure_ascii=True)


def format_provenance(p: dict[str, Any]) -> str:
    model = p["model"]
    cfg = p["config"]
    cfile = cfg.get("config_file") or {}
    lines = [
        f"release   {p['release']} (version {p['version']}, created {p['created']})",
        f"toolkit   presspack {p['presspack']}, Python {p['python']}",
        "libraries " + ", ".join(f"{k} {v}" for k, v in p["libraries"].items()),
        f"model     {model.get('name')} {model.get('version')} (pipeline: {', '.join(model.get('pipeline', []))}; "
        f"sentences: {model.get('sentence_splitter')})",
        f"config    profile={cfg.get('profile')} batch_size={cfg.get('batch_size')} model={cfg.get('model')} "
        f"file={cfile.get('name')} sha256={cfile.get('sha256')}; fingerprint {p['config_sha256']}",
        f"inputs    {p['inputs']['files']} file(s) from {', '.join(p['inputs']['sources'])}; sha256 {p['inputs']['inputs_sha256']}",
        "          status: " + ", ".join(f"{k} {v}" for k, v in p["inputs"]["by_status"].items())
        + "; format: " + ", ".join(f"{k} {v}" for k, v in p["inputs"]["by_format"].items()),
    ]
    hashes = p["inputs"]["hashes"]
    lines += [f"          {h['sha256']}  {h['path']} ({h['status']})" for h in hashes[:MAX_INFO_FILES]]
    if len(hashes) > MAX_INFO_FILES:
        lines.append(f"          … and {len(hashes) - MAX_INFO_FILES} more file(s) (--json lists all)")
    lines.append("counts    " + ", ".join(f"{k} {v}" for k, v in p["counts"].items()))
    return "\n".join(lines)
