"""The progress displays the command line gives long library calls (the
presspack.progress.Progress protocol): on a terminal a live display (rich) with one line
per stage, its items done of the total, rate, time left and time taken; otherwise
(a log, CI) a plain line on stderr at most every PLAIN_EVERY seconds, and one when a
stage that printed ends; nothing with --quiet. Everything goes to stderr, so --json
output on stdout stays clean.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # only for the annotations: `presspack --help` loads no library module
    from presspack.progress import Progress

PLAIN_EVERY = 10.0  # seconds between two plain progress lines
REFRESH_EVERY = 0.1  # seconds between two redraws of the live display


def clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


class PlainProgress:
    """Periodic lines: `presspack build: read and annotate: 120/300 files (40%), 12.0 files/s, 0:00:15 left`."""

    def __init__(self, command: str, stream: TextIO | None = None, every: float | None = None,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.command, self.stream, self.now = command, stream, now
        self.every = PLAIN_EVERY if every is None else every
        self.name: str | None = None
        self.total: int | None = None
        self.unit = "items"
        self.n = 0
        self.started = self.last = 0.0
        self.printed = False

    def stage(self, name: str, total: int | None = None, unit: str = "items") -> None:
        self._end()
        self.name, self.total, self.unit, self.n = name, total, unit, 0
        self.started = self.last = self.now()
        self.printed = False

    def advance(self, n: int = 1) -> None:
        self.n += n
        t = self.now()
        if t - self.last >= self.every:
            self.last = t
            self._print(self._line(t))

    def done(self) -> None:
        self._end()
        self.name = None

    def _line(self, t: float) -> str:
        elapsed = t - self.started
        rate = self.n / elapsed if elapsed > 0 else 0.0
        if self.total:
            left = f", {clock((self.total - self.n) / rate)} left" if rate and self.n < self.total else ""
            count = f"{self.n}/{self.total} {self.unit} ({100 * self.n // self.total}%)"
        else:
            left, count = "", f"{self.n} {self.unit}"
        return f"{self.name}: {count}, {rate:.1f} {self.unit}/s{left}"

    def _end(self) -> None:
        """A closing line for a stage that printed a line (or took longer than `every`)."""
        if self.name is None:
            return
        t = self.now()
        if self.printed or t - self.started >= self.every:
            count = f"{self.n}/{self.total} {self.unit}" if self.total else f"{self.n} {self.unit}" if self.n else "done"
            rate = f" ({self.n / (t - self.started):.1f} {self.unit}/s)" if self.n and t > self.started else ""
            self._print(f"{self.name}: {count} in {clock(t - self.started)}{rate}")

    def _print(self, text: str) -> None:
        print(f"presspack {self.command}: {text}", file=self.stream or sys.stderr, flush=True)
        self.printed = True


class RichProgress:
    """A live display on the terminal (rich), one line per stage. It is redrawn by the
    calls themselves, not by rich's refresh thread: the build forks its NLP workers, and
    no thread may run while a process forks."""

    def __init__(self, command: str, console: Any = None) -> None:  # noqa: ARG002 - the command: as PlainProgress
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("{task.description:<17}"), BarColumn(bar_width=16),
            TextColumn("{task.fields[count]}"), TextColumn("{task.fields[rate]}"),
            TextColumn("left"), TimeRemainingColumn(compact=True), TextColumn("took"), TimeElapsedColumn(),
            console=console or Console(stderr=True), auto_refresh=False, redirect_stdout=False, redirect_stderr=False,
        )
        self.task: Any = None
        self.unit = "items"
        self.counted = False  # the current stage was given a total
        self.last = 0.0
        self.bar.start()

    def stage(self, name: str, total: int | None = None, unit: str = "items") -> None:
        self._end()
        self.unit, self.counted = unit, total is not None
        self.task = self.bar.add_task(name, total=total, count="", rate="")
        self._update()
        self.bar.refresh()

    def advance(self, n: int = 1) -> None:
        if self.task is None:
            return
        self.bar.advance(self.task, n)
        t = time.monotonic()
        if t - self.last >= REFRESH_EVERY:
            self.last = t
            self._update()
            self.bar.refresh()

    def done(self) -> None:
        self._end()
        self.bar.refresh()
        self.bar.stop()

    def _update(self) -> None:
        task = self.bar.tasks[-1]
        done = int(task.completed)
        count = f"{done}/{int(task.total or 0)} {self.unit}" if self.counted else f"{done} {self.unit}" if done else ""
        rate = f"{task.speed:.1f} {self.unit}/s" if task.speed else ""
        self.bar.update(self.task, count=count, rate=rate)

    def _end(self) -> None:
        if self.task is None:
            return
        self._update()
        task = self.bar.tasks[-1]
        if task.total is None:  # a full bar for a stage of unknown size that is over
            self.bar.update(self.task, total=max(task.completed, 1), completed=max(task.completed, 1))
        self.bar.stop_task(self.task)
        self.task = None


@contextmanager
def progress_for(args: argparse.Namespace) -> Iterator[Progress | None]:
    """The progress a command's library call gets: None with --quiet, a live display
    when stderr is a terminal, plain lines otherwise; ended however the call ends."""
    if getattr(args, "quiet", False):
        yield None
        return
    progress: Any = RichProgress(args.command) if sys.stderr.isatty() else PlainProgress(args.command)
    try:
        yield progress
    finally:
        progress.done()
