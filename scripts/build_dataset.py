"""Build the sample dataset dataset/<VERSION> from examples/ with its configuration
examples/presspack.toml (its title, authors, licence), or verify it.

VERSION defaults to the latest release in dataset/versions.json. When that version is
already committed, rebuild it in a temporary directory (beside copies of the earlier
releases, which its changelog and citation files refer to) and check that every file is
byte-identical (releases are immutable and reproducible). Earlier releases were built by
earlier versions of presspack and are only validated.
Exit 0 when the release is there and valid, 1 otherwise.

    python scripts/build_dataset.py [--version X.Y.Z]
"""

from __future__ import annotations

import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from presspack.extras.versions import version_key

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "examples/presspack.toml"  # the sample dataset's metadata, kept beside its inputs


def run(*args: str) -> int:
    print("+", " ".join(args), flush=True)
    return subprocess.call(args, cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", default=None, help="default: the latest release in dataset/versions.json, else 1.0.0")
    args = ap.parse_args()
    index = ROOT / "dataset" / "versions.json"
    args.version = args.version or (json.loads(index.read_text(encoding="utf-8"))["latest"] if index.is_file() else "1.0.0")
    exe = str(Path(sys.executable).parent / "presspack")
    release = ROOT / "dataset" / args.version
    if not release.exists():
        if run(exe, "build", "examples/", "--config", CONFIG, "--out", "dataset/", "--version", args.version):
            return 1
    else:
        with tempfile.TemporaryDirectory() as tmp:
            for p in (ROOT / "dataset").iterdir():
                if p.is_dir() and version_key(p.name) < version_key(args.version):
                    shutil.copytree(p, Path(tmp) / p.name)
            if run(exe, "build", "examples/", "--config", CONFIG, "--out", tmp, "--version", args.version, "--quiet"):
                return 1
            fresh = Path(tmp) / args.version
            names = sorted(p.name for p in fresh.iterdir())
            committed = sorted(p.name for p in release.iterdir())
            match, mismatch, errors = filecmp.cmpfiles(fresh, release, names, shallow=False)
            if mismatch or errors or names != committed:
                print(f"dataset/{args.version} is NOT reproducible: differing {mismatch + errors}, files {names} vs {committed}")
                return 1
            print(f"dataset/{args.version} exists; a rebuild is byte-identical ({len(match)} files)")
    if run(exe, "validate", f"dataset/{args.version}"):
        return 1
    return run(str(Path(sys.executable).parent / "frictionless"), "validate", f"dataset/{args.version}/datapackage.json")


if __name__ == "__main__":
    raise SystemExit(main())
