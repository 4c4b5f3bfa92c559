"""Semantic versions and the dataset's versions.json: ordering and bumping versions,
the releases in a dataset directory, each release's file hashes, and immutability (a
recorded release whose files changed).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from presspack.errors import ReleaseNotFound
from presspack.package.hashing import sha256_file, sha256_text
from presspack.package.jsonio import write_json
from presspack.package.manifest import read_json, read_manifest

VERSIONS_FILE = "versions.json"



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



def file_hashes(release_dir: str | Path) -> dict[str, str]:
    """sha256 of every file in a release (relative POSIX paths, sorted)."""
    root = Path(release_dir)
    return {p.relative_to(root).as_posix(): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}



def tree_hash(files: dict[str, str]) -> str:
    """One content hash for a whole release: sha256 over its sorted `path\\0sha256` lines."""
    return sha256_text("".join(f"{k}\0{v}\n" for k, v in sorted(files.items())))



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


SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?")
