"""The cache prescan: while the build reads its inputs, look ahead (the last files
first) for an input the NLP cache has not seen, so that the spaCy pipeline is loaded only
when some article needs it.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

from presspack.annotate.cache import inputs_known
from presspack.ingest import discover
from presspack.normalize.text import Article
from presspack.package.hashing import sha256_file

PRESCAN_TAIL = 1024  # the last input files, which the prescan looks at first



class Prescan:
    """With a cache: does this build need the NLP at all? Found out in a thread while the
    build starts on the first files: it hashes the input files and looks each up among
    the files that earlier builds with the same pipeline and configuration found (or
    left) fully cached. At the first unknown file the build starts the NLP workers, so
    loading the pipeline overlaps the cached part instead of waiting for the first miss
    (new articles often come last); when every file is known, nothing is loaded."""

    def __init__(self, sources: list[str | Path], cache: Any, config_sha256: str, exclude: tuple[str, ...] = ()) -> None:
        self.sources, self.cache, self.config_sha256 = sources, cache, config_sha256
        self.exclude = exclude  # the build's exclude patterns: excluded files are not read
        self.need = threading.Event()
        self.stopped = False
        self.error: Exception | None = None  # what went wrong in the thread, raised by stop()
        self.thread = threading.Thread(target=self._run, name="presspack-prescan", daemon=True)
        self.thread.start()

    def _keys(self) -> Iterator[str]:
        """The input keys, the last files first (new files usually sort last: dates,
        counters), then the others in order: a rebuild that adds files finds one without
        hashing every file before it. Only PRESCAN_TAIL files are held for that."""
        tail: deque[Any] = deque(maxlen=PRESCAN_TAIL)
        n = 0
        for f in discover(self.sources, self.exclude):
            if self.stopped:
                return
            tail.append(f)
            n += 1
        for f in chain(reversed(tail), islice(discover(self.sources, self.exclude), n - len(tail))):
            if f.error or f.status is not None:
                continue
            try:
                sha = sha256_file(f.path)
            except OSError:
                continue
            yield self.cache.input_key(self.config_sha256, sha)

    def _run(self) -> None:
        try:
            known = inputs_known(self.cache.directory, self._keys(), stop=lambda: self.stopped)
        except OSError:  # only a hint (inputs_known answers sqlite errors itself): the build starts the workers at the first miss anyway
            return
        except Exception as e:  # noqa: BLE001 - a bug: kept for the build's thread to raise (stop), not lost in this one
            self.error = e
            return
        if not known:
            self.need.set()

    def start_when_needed(self, stream: Iterable[Article], executor: Any) -> Iterator[Article]:
        """`stream`, starting `executor` as soon as the prescan says it will be needed."""
        it = iter(stream)
        for art in it:
            if self.need.is_set():
                self.thread.join()  # it has finished: no thread runs while the workers fork
                executor.start()
                yield art
                yield from it
                return
            yield art

    def stop(self, *, check: bool = True) -> None:
        """Stop the thread; with `check`, raise what went wrong in it, if anything did."""
        self.stopped = True
        self.thread.join()
        if check and self.error is not None:
            raise self.error
