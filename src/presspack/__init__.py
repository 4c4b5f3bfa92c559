"""presspack: news articles in, a validated, versioned, citable Parquet data package out.

The public API is loaded lazily (PEP 562): `import presspack` and `presspack --help`
import nothing but the version; `presspack.build` etc. load their stage on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from presspack._version import __version__

_LAZY = {
    "BuildResult": "presspack.build",
    "build": "presspack.build",
    "Config": "presspack.config",
    "load_config": "presspack.config",
    "ValidationReport": "presspack.validate",
    "validate": "presspack.validate",
}

__all__ = ["BuildResult", "Config", "ValidationReport", "__version__", "build", "load_config", "validate"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'presspack' has no attribute {name!r}")
