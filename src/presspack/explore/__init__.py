"""Explore a release in the browser: a SQLite copy of its tables (full-text search,
foreign keys, a `month` column for facets), Datasette metadata from the release and a
Datasette plugin that shows an article with its sentences, entities and claims.

`duckdb.py` needs only DuckDB; `sqlite.py` and `metadata.py` need sqlite-utils, and
`serve.py` and `plugin.py` Datasette: both come with the `presspack[explore]` extra, and
the CLI checks for them (require_extra) before importing those modules.
"""

from __future__ import annotations

import importlib.util

from presspack.errors import ExploreError

EXTRA = "pip install 'presspack[explore]'"


def require_extra(*modules: str) -> None:
    """ExploreError naming the install command when a module of the extra is missing."""
    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise ExploreError(f"{', '.join(missing)} not installed: {EXTRA}")
