"""presspack: news articles in, a validated, versioned, citable Parquet data package out.

The package imports nothing but its version, so `presspack --help` starts fast. The API
lives in the stage subpackages, in data-flow order::

    from presspack.orchestrate import build          # SOURCE files -> a sealed release
    from presspack.release import release      # the next semantic version of a dataset
    from presspack.validate import validate    # check a release
    from presspack.config import load_config   # presspack.toml + overrides
"""

from presspack._version import __version__

__all__ = ["__version__"]
