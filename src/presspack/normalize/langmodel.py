"""py3langid's model, loaded once per process, from an unpacked copy when there is one.

The wheel ships the model as an LZMA-compressed npz (4.6 MB); unpacking it takes 0.3 s,
the larger part of loading the language identifier and a tenth of an incremental
rebuild of 600 articles with six new ones. A build with an NLP cache keeps the unpacked
npz (68 MB, the same arrays) in the cache directory's `models/` folder, named after the
sha256 of the packed file, and loads that instead. Without a cache (`--no-cache`), or
when the copy cannot be written or read, the packed model is loaded as py3langid does.
"""

from __future__ import annotations

import contextlib
import lzma
import os
import shutil
import tempfile
import zipfile
from array import array
from functools import cache
from pathlib import Path
from typing import Any

from presspack.package.hashing import sha256_file

MODELS_DIR = "models"  # in the cache directory
_REQUIRED = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")  # py3langid's npz layout
_TYPECODES = {2: "H", 4: "I", 8: "Q"}
_copy_dir: list[Path] = []  # where an unpacked copy may be kept (set by a build with a cache)


def keep_unpacked_copy_in(directory: str | Path | None) -> None:
    """Let the identifier, when this process first loads it, use (or leave) an unpacked
    copy of the model in `directory` (None: load the packed model)."""
    _copy_dir[:] = [Path(directory)] if directory is not None else []


def copies_bytes(cache_dir: str | Path) -> int:
    """Size of the unpacked copies kept in a cache directory."""
    models = Path(cache_dir) / MODELS_DIR
    return sum(p.stat().st_size for p in models.iterdir() if p.is_file()) if models.is_dir() else 0


def remove_copies(cache_dir: str | Path) -> None:
    shutil.rmtree(Path(cache_dir) / MODELS_DIR, ignore_errors=True)


def packed_model() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

    return Path(MODEL_DIR) / MODEL_FILE


@cache
def identifier() -> Any:
    """py3langid's identifier with normalized probabilities, loaded once per process."""
    from py3langid.langid import LanguageIdentifier

    arrays = _unpacked(_copy_dir[0]) if _copy_dir else None
    if arrays is None:
        return LanguageIdentifier.from_model_file(packed_model(), norm_probs=True)
    return LanguageIdentifier(arrays["ptc"], arrays["pc"], arrays["classes"].tolist(), _stdlib(arrays["nextmove"]),
                              arrays["out_feat"].tolist(), norm_probs=True, tk_row=_stdlib(arrays["nextmove_row"]))


def unpacked_path(directory: str | Path) -> Path:
    return Path(directory) / f"py3langid-{sha256_file(packed_model())[:16]}.npz"


def _unpacked(directory: Path) -> dict[str, Any] | None:
    """The model's arrays from the unpacked copy in `directory`, written first if missing;
    None when that fails (a read-only or full disk, a damaged copy)."""
    import numpy as np

    path = unpacked_path(directory)
    try:
        if not path.is_file():
            _unpack(path)
        with np.load(path, allow_pickle=False) as data:
            if set(_REQUIRED) <= set(data.files):
                return {k: data[k] for k in _REQUIRED}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, lzma.LZMAError):
        pass
    with contextlib.suppress(OSError):
        path.unlink()  # damaged: the next build writes it anew
    return None


def _unpack(path: Path) -> None:
    """Decompress the packed model to `path`, atomically (concurrent builds may race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".unpacking-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out, lzma.open(packed_model()) as src:
            shutil.copyfileobj(src, out, length=1 << 20)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _stdlib(values: Any) -> array:
    """A numpy array of unsigned integers as the stdlib array py3langid's DFA walks."""
    import numpy as np

    out = array(_TYPECODES[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out
