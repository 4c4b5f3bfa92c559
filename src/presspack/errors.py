"""Exceptions raised by the library. The CLI turns each into one line with the fix."""

from __future__ import annotations


class PresspackError(Exception):
    """Base class: every error presspack raises on purpose."""


class ModelNotFound(PresspackError):
    """No usable spaCy pipeline is installed."""


class ReleaseExists(PresspackError):
    """The release version already exists and releases are never overwritten."""


class ConfigError(PresspackError):
    """The configuration file or an option is invalid."""


class InputRejected(PresspackError):
    """An input file or record cannot become an article; the message is the reason."""


class NoReleaseWritten(PresspackError):
    """The build could not write a release at all."""


class CacheError(PresspackError):
    """The NLP cache cannot be opened, read or cleared."""


class ExecutorError(PresspackError):
    """The NLP stage cannot run on the chosen executor (e.g. no Dask, no scheduler)."""


class ReleaseNotFound(PresspackError):
    """A path given as a release is not a release directory (no datapackage.json / manifest.json)."""


class NothingToRelease(PresspackError):
    """--bump auto found no difference from the latest release."""


class ExploreError(PresspackError):
    """A release cannot be explored: Datasette is not installed, or the database path is taken."""


class UsageError(PresspackError):
    """A path given cannot be used as asked; nothing was done (the CLI exits 2)."""


class InputNotFound(UsageError):
    """An input path does not exist."""


class OutputNotUsable(UsageError):
    """An output directory is a file, or lies inside a release (releases are never written into)."""


class NotARelease(UsageError, ReleaseNotFound):
    """A path given as a release does not exist or holds no release."""


class WriteFailed(NoReleaseWritten):
    """A file of the release could not be written (e.g. the disk is full); nothing was released."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"cannot write {path}: {reason}; nothing was released")
class ClaimsModelError(PresspackError):
    """A claims model directory cannot be used: missing, damaged, or from another presspack or spaCy version."""


class TrainingError(PresspackError):
    """A claims model cannot be trained from this gold (too few claims, no text, no trainer installed)."""
