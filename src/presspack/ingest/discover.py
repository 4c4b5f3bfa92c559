"""Input discovery: every file under the SOURCE paths, walked recursively in sorted
order, with its format from its name (or 'unsupported') and a printable relative path.
Files matching an exclude pattern are yielded too, marked excluded (they reach the
manifest); metadata files beside plain texts (sidecar.py) get the format 'metadata'.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path, PurePosixPath

from presspack.config import CONFIG_NAME
from presspack.ingest.sidecar import metadata_format
from presspack.ingest.types import InputFile


def _extension_format(name: str) -> str:
    low = name.lower()
    for suffix, fmt in (
        (".txt", "text"),
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".csv", "csv"),
        (".html", "html"),
        (".htm", "html"),
        (".html.gz", "html"),
        (".htm.gz", "html"),
        (".warc", "warc"),
        (".warc.gz", "warc"),
        (".arc.gz", "warc"),
        (".sgm", "sgml"),
        (".sgml", "sgml"),
        (".nitf", "nitf"),
        (".xml", "xml"),
    ):
        if low.endswith(suffix):
            return fmt
    return "unsupported"



def discover(sources: list[str | Path], exclude: Iterable[str] = ()) -> Iterator[InputFile]:
    """Walk each SOURCE (file or directory) recursively in sorted order.

    Symlinked directories are followed once (loops are cut); unreadable entries are
    yielded with `error` set so they reach the manifest. A file whose path relative to
    its SOURCE matches a pattern of `exclude` (excluded_by) is yielded with status
    'excluded' and the pattern in its reason.
    """
    patterns = tuple(exclude)
    for f in _discover(sources):
        pattern = excluded_by(f.rel, patterns) if patterns else None
        if pattern is not None:
            f.status, f.reason = "excluded", f"matches exclude pattern {pattern!r}"
        yield f


def excluded_by(rel: str, patterns: Iterable[str]) -> str | None:
    """The first glob of `patterns` that excludes the path `rel` (relative to its SOURCE):
    a pattern without '/' matches the file's name or the name of a folder on its path
    (`README.TXT`, `*.md`, `drafts`); a pattern with '/' matches the whole relative path
    or a folder it is in (`sport/2005-*.txt`, `politics/old`). Case-sensitive."""
    parts = PurePosixPath(rel).parts
    for pattern in patterns:
        pat = pattern.strip().strip("/")
        if not pat:
            continue
        if "/" not in pat:
            if any(fnmatchcase(part, pat) for part in parts):
                return pattern
        elif any(fnmatchcase("/".join(parts[:k]), pat) for k in range(1, len(parts) + 1)):
            return pattern
    return None


def _discover(sources: list[str | Path]) -> Iterator[InputFile]:
    for source in sources:
        src = Path(source)
        if src.is_dir():
            yield from _walk(src, src, set())
        elif src.exists() or src.is_symlink():
            yield _input(src, printable_path(src.name))
        else:
            yield InputFile(path=src, rel=printable_path(str(source)), format="missing", error="no such file or directory")



def _walk(root: Path, d: Path, seen: set[str]) -> Iterator[InputFile]:
    try:
        real = os.path.realpath(d)
    except OSError as e:
        yield InputFile(path=d, rel=_rel(d, root), format="unsupported", error=f"cannot resolve: {e.strerror}")
        return
    if real in seen:
        yield InputFile(path=d, rel=_rel(d, root), format="unsupported", error="symlink loop: directory already visited")
        return
    seen = seen | {real}
    try:
        entries = sorted(os.scandir(d), key=lambda e: e.name)
    except OSError as e:
        yield InputFile(path=d, rel=_rel(d, root), format="unsupported", error=f"cannot list directory: {e.strerror}")
        return
    names = {e.name for e in entries}
    for e in entries:
        if d == root and e.name == CONFIG_NAME:  # a SOURCE directory's presspack.toml is configuration, not an input
            continue
        p = Path(e.path)
        try:
            is_dir = e.is_dir(follow_symlinks=True)
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(root, p, seen)
        else:
            yield _input(p, _rel(p, root), root, names)



def _rel(p: Path, root: Path) -> str:
    try:
        rel = p.relative_to(root).as_posix()
    except ValueError:
        rel = p.as_posix()
    return printable_path(rel)



def printable_path(rel: str) -> str:
    """A file name as valid UTF-8 text: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) become \\xNN, so manifests and Parquet can always store it."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")



def _input(p: Path, rel: str, base: Path | None = None, siblings: set[str] | None = None) -> InputFile:
    f = InputFile(path=p, rel=rel, format=metadata_format(p, siblings) or _extension_format(p.name), base=base)
    try:
        st = p.stat()
    except OSError as e:
        f.error = f"cannot read: {e.strerror or e}"
        return f
    if not stat.S_ISREG(st.st_mode):
        f.error = "not a regular file"
        return f
    f.size = st.st_size
    return f



