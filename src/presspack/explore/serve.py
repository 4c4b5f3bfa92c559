"""`presspack serve`: Datasette over the SQLite export of a release.

Needs the `presspack[explore]` extra (Datasette, sqlite-utils); callers check with
presspack.explore.require_extra first. Everything is served from this machine
(Datasette's own CSS and scripts, the article template): no CDN, works offline.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import uvicorn
from datasette.app import Datasette
from datasette.plugins import pm

from presspack.errors import ExploreError
from presspack.explore import plugin
from presspack.explore.metadata import datasette_metadata
from presspack.explore.sqlite import cached_database

TEMPLATES = Path(__file__).resolve().parent / "templates"
SETTINGS = {"default_page_size": 50, "sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "suggest_facets": False}


def make_datasette(release: str | Path, db: str | Path | None = None, cache_dir: str | Path | None = None) -> tuple[Any, Path, bool]:
    """A Datasette instance serving `release`: (datasette, database path, True when the
    database was (re)generated now)."""
    path, generated = cached_database(release, db, cache_dir)
    if not pm.is_registered(plugin):
        pm.register(plugin, name=plugin.PLUGIN)
    ds = Datasette(immutables=[str(path)], metadata=datasette_metadata(release, path.stem),
                   template_dir=str(TEMPLATES), settings=SETTINGS)
    return ds, path, generated


def check_port(host: str, port: int) -> None:
    """ExploreError when HOST:PORT cannot be bound (in use, or no such address)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind((host, port))
        except OSError as e:
            raise ExploreError(f"cannot listen on {host}:{port}: {e.strerror or e} (give another --port)") from None


def run(datasette: Any, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve until interrupted."""
    check_port(host, port)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
