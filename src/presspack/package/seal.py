"""Sealing a release: SHA256SUMS over every file, written last, checked by validate.

The file has the `sha256sum` format (`<hex>  <path>`), so `sha256sum -c SHA256SUMS`
works too. With it, any later change to any file of a release (datapackage.json and
manifest.json included), a missing file or an extra file is detected.
"""

from __future__ import annotations

import os
from pathlib import Path

from presspack.errors import OutputNotUsable
from presspack.package.hashing import sha256_file

SEAL_NAME = "SHA256SUMS"


def is_release_dir(path: Path) -> bool:
    """Whether `path` holds a release: its seal, or both its manifest.json and its
    datapackage.json (one of these alone is too common a name to say so)."""
    return (path / SEAL_NAME).is_file() or ((path / "manifest.json").is_file() and (path / "datapackage.json").is_file())


def check_output_dir(out: str | Path) -> Path:
    """OUT as a Path when new files may go there; OutputNotUsable when OUT or a folder
    above it is a file, or when OUT is a release or lies inside one."""
    out = Path(out)
    here = out.resolve()
    for p in (here, *here.parents):
        if p.exists() and not p.is_dir():
            raise OutputNotUsable(f"{out} is a file, not a directory" if p == here else f"{out}: {p} is a file, not a directory")
        if is_release_dir(p):
            where = "is a release" if p == here else f"is inside the release {p}"
            raise OutputNotUsable(f"{out} {where}: releases are never written into")
    return out


def release_files(root: Path) -> list[str]:
    """Every file under root (relative POSIX paths, sorted), the seal itself excluded."""
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        for fn in files:
            rel = Path(d, fn).relative_to(root).as_posix()
            if rel != SEAL_NAME:
                out.append(rel)
    return sorted(out)


def write_seal(root: Path) -> None:
    """Write root/SHA256SUMS, then fsync every file and the directories (so that a
    rename that follows publishes complete bytes even after a power loss)."""
    lines = [f"{sha256_file(root / rel)}  {rel}\n" for rel in release_files(root)]
    seal = root / SEAL_NAME
    with open(seal, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(lines)
    fsync_tree(root)


def read_seal(root: Path) -> dict[str, str] | None:
    """{path: sha256} from root/SHA256SUMS, or None when the release has no seal."""
    try:
        text = (root / SEAL_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return {}
    out = {}
    for line in text.splitlines():
        digest, sep, rel = line.partition("  ")
        if sep and len(digest) == 64:
            out[rel.lstrip("*")] = digest.lower()
    return out


def fsync_tree(root: Path) -> None:
    """fsync every regular file under root, then every directory (deepest first)."""
    dirs = []
    for d, _, files in os.walk(root):
        dirs.append(d)
        for fn in files:
            fd = os.open(os.path.join(d, fn), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    for d in reversed(dirs):
        fsync_dir(Path(d))


def fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
