"""Writing and checking a release's extras: CHANGELOG.md, CITATION.cff, .zenodo.json,
croissant.json, README.md (the card) and report.html, from the release directory alone;
and the checks `validate` runs on them (immutability, citation, Croissant hashes).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from presspack.audit.quality import datapackage_entry
from presspack.errors import ReleaseExists
from presspack.extras import card, cite, croissant, report
from presspack.extras.cite import CffSchemaMissing, validate_cff
from presspack.extras.diff import diff_releases
from presspack.extras.versions import VERSIONS_FILE, immutability_problems, is_recorded, latest_release
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import write_json
from presspack.package.manifest import read_json, read_manifest


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



def release_problems(release_dir: str | Path) -> list[tuple[str, str, str]]:
    """(type, file, message) for `validate`: files changed since the release was recorded
    (immutable), an invalid CITATION.cff (citation), croissant.json hashes that do not
    match the tables (croissant)."""

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
