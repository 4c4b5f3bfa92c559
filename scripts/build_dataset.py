"""Build the sample dataset dataset/<VERSION> from examples/, or verify it.

When the version is already committed, rebuild it in a temporary directory and check
that every file is byte-identical (releases are immutable and reproducible).
Exit 0 when the release is there and valid, 1 otherwise.

    python scripts/build_dataset.py [--version 1.0.0]
"""

from __future__ import annotations

import argparse
import filecmp
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> int:
    print("+", " ".join(args), flush=True)
    return subprocess.call(args, cwd=ROOT)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--version", default="1.0.0")
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "presspack")
    release = ROOT / "dataset" / args.version
    if not release.exists():
        if run(exe, "build", "examples/", "--out", "dataset/", "--version", args.version):
            return 1
    else:
        with tempfile.TemporaryDirectory() as tmp:
            if run(exe, "build", "examples/", "--out", tmp, "--version", args.version, "--quiet"):
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
