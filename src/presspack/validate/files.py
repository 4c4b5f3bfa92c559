"""validate's file checks: datapackage.json and manifest.json readable and conforming,
every declared file present with its sha256, no undeclared file, the seal, and the
Parquet schemas against schemas/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from jsonschema import Draft202012Validator

from presspack.errors import ReleaseNotFound
from presspack.package import schemas
from presspack.package.hashing import sha256_file
from presspack.package.manifest import read_manifest
from presspack.package.seal import SEAL_NAME, read_seal
from presspack.validate.report import Problem, ValidationReport, manifest_schema_problems

_HEAD = Draft202012Validator(schemas.manifest_schema())


def read_json_checked(rep: ValidationReport, release: Path, name: str) -> dict[str, Any] | None:
    try:
        data = json.loads((release / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        rep.add(Problem("missing-file", f"no {name}", file=name))
        return None
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as e:
        rep.add(Problem("invalid-json", f"cannot read {name}: {e}", file=name))
        return None
    if not isinstance(data, dict):
        rep.add(Problem("invalid-json", f"{name} is not a JSON object", file=name))
        return None
    return data



def read_manifest_checked(rep: ValidationReport, release: Path) -> dict[str, Any] | None:
    """manifest.json but its file entries, which check_manifest streams (a release may
    have millions)."""
    if not (release / "manifest.json").is_file():
        rep.add(Problem("missing-file", "no manifest.json", file="manifest.json"))
        return None
    try:
        head = read_manifest(release)
    except ReleaseNotFound as e:
        rep.add(Problem("invalid-json", f"cannot read manifest.json: {e}", file="manifest.json"))
        return None
    # the file entries are checked one by one (check_manifest)
    for p in manifest_schema_problems(_HEAD, {**head, "files": []}, whole="manifest"):
        rep.add(p)
    return head



def _inside(release: Path, rel: str) -> Path | None:
    path = (release / rel).resolve()
    return path if release.resolve() in path.parents else None



def check_files(rep: ValidationReport, release: Path, dp: dict[str, Any] | None, declared: Any = None) -> dict[str, Path]:
    """Hashes of every resource and of every sealed file; missing and extra files.
    Returns {table: path} for resources whose bytes are as released."""
    rep.checks += ["hashes", "files"]
    ok: dict[str, Path] = {}
    known = {"datapackage.json", "manifest.json"}
    resources = [r for r in (dp or {}).get("resources", []) if isinstance(r, dict)]
    names = {r.get("name") for r in resources}
    if dp is not None:
        for name in schemas.TABLES:
            if name not in names:
                rep.add(Problem("missing-resource", f"resource {name!r} is not in datapackage.json", file="datapackage.json"))
    for res in resources:
        rel = str(res.get("path", ""))
        known.add(rel)
        path = _inside(release, rel)
        if path is None:
            rep.add(Problem("unsafe-path", f"resource path {rel!r} points outside the release", file="datapackage.json"))
            continue
        if not path.is_file():
            rep.add(Problem("missing-file", f"{rel} is listed in datapackage.json but does not exist", file=rel))
            continue
        want = str(res.get("hash", "")).removeprefix("sha256:")
        got = sha256_file(path)
        if want != got:
            rep.add(Problem("hash-mismatch", f"sha256 is {got}, datapackage.json says {want}", file=rel))
        if res.get("name") in schemas.available_tables():
            ok[res["name"]] = path
    sealed = read_seal(release)
    if sealed is None and declared == SEAL_NAME:
        rep.add(Problem("missing-file", f"manifest.json says the release has {SEAL_NAME}, but it is missing", file=SEAL_NAME))
    elif sealed is None:
        rep.warnings.append(f"no {SEAL_NAME}: manifest.json and datapackage.json cannot be checked for later changes")
    else:
        rep.checks.append("seal")
        known.add(SEAL_NAME)
        for rel, want in sealed.items():
            known.add(rel)
            path = _inside(release, rel)
            if path is None:
                rep.add(Problem("unsafe-path", f"{rel!r} points outside the release", file=SEAL_NAME))
            elif not path.is_file():
                rep.add(Problem("missing-file", f"{rel} is listed in {SEAL_NAME} but does not exist", file=rel))
            elif rel not in {str(r.get("path")) for r in resources} and sha256_file(path) != want:
                rep.add(Problem("hash-mismatch", f"sha256 differs from {SEAL_NAME}: the file changed after the release", file=rel))
            elif rel in {str(r.get("path")) for r in resources} and dp is not None:
                res_hash = next(str(r.get("hash", "")) for r in resources if str(r.get("path")) == rel)
                if res_hash.removeprefix("sha256:") != want:
                    rep.add(Problem("hash-mismatch", f"datapackage.json hash differs from {SEAL_NAME}", file=rel))
    for root, dirs, fnames in os.walk(release):
        dirs.sort()
        for fn in sorted(fnames):
            rel = Path(root, fn).relative_to(release).as_posix()
            if rel not in known:
                rep.add(Problem("extra-file", "file is not part of the release (not listed in datapackage.json or " + SEAL_NAME + ")", file=rel))
    return ok



def check_schemas(rep: ValidationReport, files: dict[str, Path]) -> dict[str, Path]:
    rep.checks.append("schema")
    good: dict[str, Path] = {}
    for table, path in files.items():
        try:
            pf = pq.ParquetFile(path)
        except Exception as e:  # noqa: BLE001 - pyarrow raises several kinds for broken files
            rep.add(Problem("invalid-parquet", f"cannot read Parquet: {e}", file=path.name))
            continue
        rep.rows[table] = pf.metadata.num_rows
        want = schemas.arrow_schema(table)
        got = pf.schema_arrow
        if got.names != want.names:
            rep.add(Problem("schema-mismatch", f"columns {got.names} differ from schemas/{table}.schema.json {want.names}", file=path.name))
            continue
        bad = False
        for f in want:
            g = got.field(f.name)
            if not g.type.equals(f.type):
                bad = True
                rep.add(Problem("type-mismatch", f"type {g.type}, schema says {f.type}", file=path.name, column=f.name))
        if not bad:
            good[table] = path
    return good
