"""Keep the statistical components' per-batch arrays in the heap (glibc only).

glibc's malloc serves a block above its mmap threshold with a fresh mapping and unmaps it
when it is freed; it raises that threshold (128 KiB at start) only up to the size of the
blocks freed so far, and gives heap tops above its trim threshold back to the system. The
NER's per-batch arrays (tens of MB for a batch of 32 articles) were mapped and unmapped
batch after batch, each page faulted in anew: about 1 s of system time in 318 BBC
articles with `--profile fast` (a tenth of its NLP), 0.3 s with the default profile.
Fixed thresholds at glibc's own ceiling for the dynamic one (32 MiB on 64-bit systems;
trim at twice that) keep those arrays in the heap, with the same peak RSS
(`benchmarks/README.md`). Results do not change: only where the memory comes from.

A process setting, made once by the executors for the processes that run pipelines; a
user's own MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ (glibc's tunables) win.
"""

from __future__ import annotations

import ctypes
import os
import platform
from functools import cache

MMAP_THRESHOLD = 32 << 20
TRIM_THRESHOLD = 64 << 20
_M_TRIM_THRESHOLD = -1  # mallopt parameters, <malloc.h>
_M_MMAP_THRESHOLD = -3
_USER_SETTINGS = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


@cache
def keep_arrays_in_heap() -> bool:
    """Set glibc's mmap and trim thresholds for this process (once); False where it does
    not apply (another C library, or the user set glibc's malloc tunables)."""
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    if any(os.environ.get(name) for name in _USER_SETTINGS) or "malloc." in os.environ.get("GLIBC_TUNABLES", ""):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
