"""How long work reports how far it is, without the library printing anything.

Long library calls (build, release, validate; later train) take a `progress` object and
call `stage(name, total, unit)` as each stage starts and `advance(n)` as items of it are
done; whoever made the progress object calls `done()` once the call has returned or
failed (a release goes on after its build). The command line supplies an implementation that draws it
(presspack.cli.progress: a live display on a terminal, periodic lines otherwise, nothing
with --quiet). Calls come from the calling thread only, never from worker processes.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a long call reports: stages in order, each with its items done so far."""

    def stage(self, name: str, total: int | None = None, unit: str = "items") -> None:
        """Stage NAME starts (the previous one is finished); TOTAL items of UNIT, when known."""

    def advance(self, n: int = 1) -> None:
        """N more items of the current stage are done."""

    def done(self) -> None:
        """The work is over (finished or failed): end the display."""


class NoProgress:
    """Reports nothing: what the library uses when no progress is given."""

    def stage(self, name: str, total: int | None = None, unit: str = "items") -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def done(self) -> None:
        pass


NO_PROGRESS = NoProgress()
