"""Handler of `presspack init`: write a commented presspack.toml to fill in."""

from __future__ import annotations

import argparse
from pathlib import Path

from presspack.cli.options import EXIT_OK


def init_cli(args: argparse.Namespace) -> int:
    from presspack.config import write_config_template

    path = write_config_template(args.directory)
    here = Path(args.directory).resolve() == Path.cwd().resolve()
    reads = "builds run from this directory read it" if here else f"a build of the SOURCE {args.directory} (or run from it) reads it"
    print(f"wrote {path}: fill in title, authors and license under [dataset] (they describe your data in the release); {reads}")
    return EXIT_OK
