"""Scoped changes to process-wide settings that readers need: each is restored on exit,
so a library user's own logging and csv configuration are left as they were."""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet_loggers(*names: str, level: int = logging.CRITICAL) -> Iterator[None]:
    """Raise the level of the named loggers (third-party chatter that the manifest's
    reasons replace) for the block, then restore their own levels."""
    loggers = [logging.getLogger(n) for n in names]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(max(level, lg.level))
    try:
        yield
    finally:
        for lg, lvl in zip(loggers, before, strict=True):
            lg.setLevel(lvl)


@contextmanager
def csv_field_limit(limit: int) -> Iterator[None]:
    """csv.field_size_limit(limit) for the block, then the previous limit again."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)
