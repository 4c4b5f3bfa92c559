"""Command line: parse options, call one library function, print, set the exit code.

Only this package prints or exits. Every command is one entry of COMMANDS (`table`): its
handler (`release_commands`, `tool_commands`), help, example and the table of its
options (Option rows, `options`); shared rows (PIPELINE, JSON, QUIET) are defined once
and reused, so an option means the same in every command. Handlers import the library
inside the function, so that `presspack --help` loads no pipeline stage.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from presspack._version import __version__
from presspack.cli.options import (  # noqa: F401 - EXIT_OK is part of the CLI's API
    EXIT_BUG,
    EXIT_FAIL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
)
from presspack.cli.table import COMMANDS, HELP_EPILOG, WORKFLOW
from presspack.errors import (
    NothingToRelease,
    OutputNotUsable,
    PresspackError,
    ReleaseExists,
    UsageError,
)

# what to change on the command line, after the library's plain words: (command, error class)
HINTS: dict[tuple[str, type[PresspackError]], str] = {
    ("build", ReleaseExists): "choose a new --version",
    ("release", ReleaseExists): "give a higher --version, or leave --version out to bump the latest release",
    ("release", NothingToRelease): "pass --bump patch to release anyway",
    **{(c, OutputNotUsable): "choose another --out" for c in ("build", "release", "sample")},
}


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="presspack",
        description="Turn news articles into a versioned, citable Parquet dataset.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"presspack {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands, in the order of a workflow")
    for name in sorted(COMMANDS, key=lambda n: WORKFLOW.index(n) if n in WORKFLOW else len(WORKFLOW)):
        cmd = COMMANDS[name]
        p = sub.add_parser(name, help=cmd.help.replace("%", "%%"), description=cmd.help, epilog=cmd.example,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        groups: dict[str, Any] = {}
        for o in cmd.options:
            if o.group is not None and o.group not in groups:
                groups[o.group] = p.add_mutually_exclusive_group()
            (p if o.group is None else groups[o.group]).add_argument(*o.flags, **o.kwargs)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command].handler(args)
    except PresspackError as e:
        hint = next((h for (c, kind), h in HINTS.items() if c == args.command and isinstance(e, kind)), None)
        print(f"presspack {args.command}: error: {e}" + (f": {hint}" if hint else ""), file=sys.stderr)
        return EXIT_USAGE if isinstance(e, UsageError) else EXIT_FAIL
    except KeyboardInterrupt:
        print(f"presspack {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as e:  # the system refused: a file that exists, a full disk, no permission
        where = f"{e.filename}: " if e.filename else ""
        print(f"presspack {args.command}: error: {where}{e.strerror or e}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as e:  # noqa: BLE001 - last line of defence: one line, no traceback
        print(f"presspack {args.command}: unexpected error: {type(e).__name__}: {e} (please report this)", file=sys.stderr)
        return EXIT_BUG
