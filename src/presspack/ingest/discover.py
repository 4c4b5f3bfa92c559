"""Input discovery: every file under the SOURCE paths, walked recursively in sorted
order, with its format from its name (or 'unsupported') and a printable relative path.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

from presspack.config import CONFIG_NAME
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
    ):
        if low.endswith(suffix):
            return fmt
    return "unsupported"



def discover(sources: list[str | Path]) -> Iterator[InputFile]:
    """Walk each SOURCE (file or directory) recursively in sorted order.

    Symlinked directories are followed once (loops are cut); unreadable entries are
    yielded with `error` set so they reach the manifest.
    """
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
            yield _input(p, _rel(p, root))



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



def _input(p: Path, rel: str) -> InputFile:
    f = InputFile(path=p, rel=rel, format=_extension_format(p.name))
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



