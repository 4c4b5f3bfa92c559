"""A trained claims model: its directory, loading it, and candidates from a Doc.

MODEL_DIR holds two files: `claims.crfsuite` (the CRF, python-crfsuite's binary format)
and `model.json`: the format version, the model's name, the presspack, spaCy and
features versions it was trained with, the spaCy pipeline whose parses it learned
from, the training parameters and summary (articles, claims, seed, dev scores) and the
sha256 of the CRF file. Both are written deterministically (the same gold, seed and
versions give the same bytes). Loading checks all of it and raises ClaimsModelError
with one line when the directory is damaged or from another version.

python-crfsuite is the `presspack[train]` extra; without it, loading a model is the same
kind of one-line error (with the install command).
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path
from typing import Any

from presspack._version import __version__
from presspack.claims.candidates import Candidate
from presspack.errors import ClaimsModelError
from presspack.learn.decode import FINDER
from presspack.learn.decode import candidates as decode_candidates
from presspack.learn.features import FEATURES_VERSION, sequences
from presspack.normalize.text import Article
from presspack.package.hashing import sha256_file

FORMAT = 1
MODEL_FILE = "claims.crfsuite"
META_FILE = "model.json"
INSTALL = "pip install 'presspack[train]'"


def crfsuite() -> Any:
    """The pycrfsuite module, or ClaimsModelError with the install command."""
    try:
        import pycrfsuite
    except ImportError:
        raise ClaimsModelError(f"claims models need python-crfsuite, which is not installed: {INSTALL}") from None
    return pycrfsuite


def spacy_version() -> str:
    try:
        return importlib.metadata.version("spacy")
    except importlib.metadata.PackageNotFoundError:
        return "none"


def meta_bytes(meta: dict[str, Any]) -> bytes:
    """model.json as written: sorted keys, two-space indent, one final newline."""
    return (json.dumps(meta, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _read_meta(path: Path) -> dict[str, Any]:
    if not path.is_dir():
        raise ClaimsModelError(f"{path}: no such claims model directory (train one with presspack train claims)")
    try:
        meta = json.loads((path / META_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClaimsModelError(f"{path}: not a claims model (no {META_FILE}; train one with presspack train claims)") from None
    except (OSError, ValueError) as e:
        raise ClaimsModelError(f"{path}/{META_FILE}: damaged ({e}): train the model again") from None
    if not isinstance(meta, dict) or meta.get("presspack_claims_model") != FORMAT:
        raise ClaimsModelError(f"{path}/{META_FILE}: not a presspack claims model of format {FORMAT}")
    return meta


def check_meta(path: Path, meta: dict[str, Any]) -> None:
    """ClaimsModelError when the model was trained with other versions or its file changed."""
    want = {"presspack_version": __version__, "spacy_version": spacy_version(), "features_version": FEATURES_VERSION}
    for key, value in want.items():
        if meta.get(key) != value:
            raise ClaimsModelError(f"{path}: this claims model was trained with {key.replace('_', ' ')} {meta.get(key)}, "
                                   f"this is {value}: train it again with presspack train claims")
    files = meta.get("files")
    if not isinstance(files, dict) or MODEL_FILE not in files:
        raise ClaimsModelError(f"{path}/{META_FILE}: damaged (no sha256 of {MODEL_FILE}): train the model again")
    model = path / MODEL_FILE
    if not model.is_file():
        raise ClaimsModelError(f"{path}: damaged ({MODEL_FILE} is missing): train the model again")
    if sha256_file(model) != files[MODEL_FILE]:
        raise ClaimsModelError(f"{path}: damaged ({MODEL_FILE} does not match its sha256 in {META_FILE}): train the model again")


class ClaimsModel:
    """A loaded claims model. `candidates(doc, article)` gives its Candidates for one
    parsed article; `fingerprint` identifies it (for the NLP cache key and provenance).
    Picklable (the tagger reopens in each process)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.meta = _read_meta(self.path)
        check_meta(self.path, self.meta)
        self.fingerprint = sha256_file(self.path / META_FILE)  # model.json holds the CRF file's sha256
        self._tagger: Any = None
        self._open()

    def _open(self) -> None:
        tagger = crfsuite().Tagger()
        try:
            tagger.open(str(self.path / MODEL_FILE))
        except (OSError, ValueError) as e:
            raise ClaimsModelError(f"{self.path}: damaged ({MODEL_FILE} cannot be read: {e}): train the model again") from None
        self._tagger = tagger

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "meta": self.meta, "fingerprint": self.fingerprint}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.meta, self.fingerprint = state["path"], state["meta"], state["fingerprint"]
        check_meta(self.path, self.meta)
        self._open()

    @property
    def name(self) -> str:
        return str(self.meta.get("name"))

    def provenance(self) -> dict[str, Any]:
        """What a release records about the model (model_provenance)."""
        return _provenance(self.meta, self.fingerprint)

    def tag(self, features: list[list[str]]) -> tuple[list[str], list[float]]:
        """The tags of one sequence and the marginal probability of each."""
        tags = list(self._tagger.tag(features))
        return tags, [self._tagger.marginal(t, i) for i, t in enumerate(tags)]

    def candidates(self, doc: Any, article: Article, rules: list[Any] | None = None) -> list[Candidate]:
        """The model's Candidates for one article (DOC is the build's Doc of article.text).
        The rules' claims are features: pass RULES (the article's claims rows or rule
        Candidates) when the caller has them, else they are found here."""
        out: list[Candidate] = []
        for seq in sequences(doc, article, rules):
            tags, scores = self.tag(seq.features)
            out.extend(decode_candidates(seq, tags, scores))
        return out


def _provenance(meta: dict[str, Any], sha256: str) -> dict[str, Any]:
    return {"name": meta.get("name"), "sha256": sha256, "finder": FINDER, "pipeline": meta.get("pipeline"),
            "training": meta.get("training")}


def model_provenance(path: str | Path) -> dict[str, Any]:
    """What a release records about the claims model at PATH (checked, without loading
    the CRF): name, sha256 of model.json (which holds the CRF file's), the finder name of
    its claims, the spaCy pipeline it learned from and its training summary."""
    path = Path(path)
    meta = _read_meta(path)
    check_meta(path, meta)
    return _provenance(meta, sha256_file(path / META_FILE))


def load_claims_model(path: str | Path) -> ClaimsModel:
    """The claims model in directory PATH; ClaimsModelError (one line) when it cannot be used."""
    return ClaimsModel(path)
