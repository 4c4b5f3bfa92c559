"""Stage 7: build() -- SOURCE files in, one sealed release directory out (atomically).

`run` orchestrates; `intake` reads, normalizes and de-duplicates the inputs; `ledger`
records every file and record for the manifest; `prescan` checks the NLP cache ahead;
`result` holds BuildResult and the build's constants."""

from presspack.orchestrate.result import BuildResult
from presspack.orchestrate.run import build

__all__ = ["BuildResult", "build"]
