"""presspack: news articles in, a validated, versioned, citable Parquet data package out."""

from __future__ import annotations

__version__ = "0.1.0"

from presspack.build import BuildResult, build
from presspack.config import Config, load_config
from presspack.validate import ValidationReport, validate

__all__ = [
    "BuildResult",
    "Config",
    "ValidationReport",
    "__version__",
    "build",
    "load_config",
    "validate",
]
