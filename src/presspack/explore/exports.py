"""The SQLite exports `presspack serve` keeps in the cache directory, one folder per
release (CACHE/explore/<digest prefix>/presspack.db): where they are, how many and how
large, and removing them (`presspack cache info|clear`). Needs no optional package."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from presspack.annotate.cache import resolve_cache_dir

EXPORTS_DIR = "explore"


def exports_dir(cache_dir: str | Path | None = None) -> Path:
    return resolve_cache_dir(cache_dir) / EXPORTS_DIR


def exports_info(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """{"exports": releases with a cached export, "exports_bytes": their size on disk}."""
    root = exports_dir(cache_dir)
    folders = [d for d in sorted(root.iterdir()) if d.is_dir()] if root.is_dir() else []
    size = sum(p.stat().st_size for d in folders for p in d.rglob("*") if p.is_file())
    return {"exports": len(folders), "exports_bytes": size}


def clear_exports(cache_dir: str | Path | None = None) -> dict[str, Any]:
    """Remove every cached export; returns what was there. `--db` files chosen by the
    user live elsewhere and are never touched."""
    before = exports_info(cache_dir)
    shutil.rmtree(exports_dir(cache_dir), ignore_errors=True)
    return before
