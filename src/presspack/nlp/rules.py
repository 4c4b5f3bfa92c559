"""spaCy's rule-based components, run faster with the same result.

An English pipeline spends about a fifth of its time in two components that only look
things up: the attribute ruler (tag -> POS and morphology, a few exceptions) and the rule
lemmatizer. Both do per-token Python work that repeats for every token of the same kind:
the ruler's Matcher tries ~180 patterns on every token, the lemmatizer builds a morphology
object per token to find its cache entry. Here each kind of token is worked out once,
by the component itself, and the answer reused:

- `FastAttributeRuler` finds the same matches as `AttributeRuler.match` and hands them to
  the ruler's own `set_annotations`. A one-token pattern's match depends only on the
  token's own attributes, so the one-token patterns run (with spaCy's Matcher) on the
  first token of each kind, a kind being the values of the attributes those patterns
  test; the patterns of several tokens run with a Matcher of their own over the Doc.
- `FastLemmatizer` calls the lemmatizer's own rule (or lookup) method once per (ORTH,
  POS, MORPH), the key of the lemmatizer's own cache, and sets the lemmas as an array.

Anything else (other attributes tested, other lemmatizer modes, other classes) runs the
component itself. tests/test_rules.py compares every token attribute with spaCy's run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from weakref import WeakKeyDictionary, proxy

# Token attributes a one-token pattern may test for the fast path: the key of a token's
# kind is made of them (read with Doc.to_array).
_KEY_ATTRS = frozenset({"ORTH", "TEXT", "LOWER", "NORM", "TAG", "POS", "DEP", "IS_SPACE", "IS_PUNCT", "IS_ALPHA",
                        "IS_DIGIT", "SHAPE", "ENT_TYPE"})
# Past this many kinds (tokens, or lemmatizer keys) a cache starts again: memory stays bounded
# however many distinct words go through.
MAX_KINDS = 100_000


class FastAttributeRuler:
    """AttributeRuler.match, with the one-token patterns matched once per kind of token and
    the patterns of several tokens only where their first token matches."""

    def __init__(self, ruler: Any, tests: dict[str, _Tests], window: int) -> None:
        from spacy.attrs import intify_attr
        from spacy.matcher import Matcher

        self.ruler = proxy(ruler)  # _FAST's value must not keep its key alive
        self.single = Matcher(ruler.vocab)
        self.multi = Matcher(ruler.vocab)
        self.first = Matcher(ruler.vocab)  # the first token of each pattern of several
        for key, pattern in _patterns(ruler):
            if _one_token(pattern):
                self.single.add(key, [pattern])
            else:
                self.multi.add(key, [pattern])
                self.first.add("first", [pattern[:1]])
        names = sorted(tests)
        self.attr_ids = [intify_attr("ORTH" if name == "TEXT" else name) for name in names]
        self.tests = [tests[name] for name in names]
        self.window = window  # the longest pattern; 0: run the patterns of several over the Doc
        self.kinds: dict[tuple[int, ...], tuple[list[tuple[int, int]], bool]] = {}

    @classmethod
    def of(cls, ruler: Any) -> FastAttributeRuler | None:
        """The fast matcher for `ruler`, or None when a one-token pattern tests something
        the kind of a token cannot hold. The patterns of several tokens are tried from
        their first tokens when all have a fixed length and the kinds can hold what their
        first tokens test."""
        single = [p[0] for _, p in _patterns(ruler) if _one_token(p)]
        multi = [p for _, p in _patterns(ruler) if not _one_token(p)]
        strings = ruler.vocab.strings
        if all(map(_fixed, multi)):
            tests = _tests_of(single + [p[0] for p in multi], strings)
            if tests is not None:
                return cls(ruler, tests, max(map(len, multi), default=0))
        tests = _tests_of(single, strings)
        return None if tests is None else cls(ruler, tests, 0)

    def match(self, doc: Any) -> list[tuple[int, int, int, int]]:
        """The list AttributeRuler.match(doc) returns."""
        strings = self.ruler.vocab.strings
        matches: list[tuple[int, int, int, int]] = []
        kinds = self.kinds
        if len(kinds) > MAX_KINDS:
            kinds.clear()
        starts = []
        for i, kind in enumerate(self._kinds(doc)):
            found = kinds.get(kind)
            if found is None:
                token = doc[i:i + 1]
                found = kinds[kind] = ([(int(strings[m_id]), m_id)
                                        for m_id, _, _ in self.single(token, allow_missing=True, as_spans=False)],
                                       bool(self.first(token, allow_missing=True)))
            matches.extend((attr_id, m_id, i, i + 1) for attr_id, m_id in found[0])
            if found[1]:
                starts.append(i)
        if self.window:  # a pattern of fixed length matching at i lies in doc[i:i + window]
            found_multi = [(m_id, i, i + e) for i in starts
                           for m_id, s, e in self.multi(doc[i:i + self.window], allow_missing=True, as_spans=False) if s == 0]
        else:
            found_multi = self.multi(doc, allow_missing=True, as_spans=False)
        matches.extend((int(strings[m_id]), m_id, s, e) for m_id, s, e in found_multi)
        matches.sort()
        return matches

    def _kinds(self, doc: Any) -> Iterator[tuple[int, ...]]:
        """Each token's kind: for every attribute tested, whether a pattern names its value,
        the value if so, and which of the patterns' regular expressions match it."""
        import numpy

        if not self.tests:
            return iter([()] * len(doc))
        raw = doc.to_array(self.attr_ids).reshape(len(doc), len(self.tests))
        cols = []
        for col, tests in enumerate(self.tests):
            values = raw[:, col]
            named = numpy.isin(values, numpy.array(tests.named, dtype=values.dtype))
            cols += [named.astype("int64"), numpy.where(named, values, 0).astype("int64")]
            if tests.regexes:
                uniq, inverse = numpy.unique(values, return_inverse=True)
                masks = numpy.array([tests.regex_mask(self.ruler.vocab.strings[int(u)]) for u in uniq.tolist()])
                cols.append(masks[inverse])
        return map(tuple, numpy.stack(cols, axis=1).tolist())

    def __call__(self, doc: Any) -> Any:
        self.ruler.set_annotations(doc, self.match(doc))
        return doc


class _Tests:
    """What the one-token patterns test of one attribute: values they name (a plain value,
    IN or NOT_IN: all other values fare alike) and regular expressions."""

    def __init__(self) -> None:
        self.named: list[int] = []
        self.regexes: list[re.Pattern[str]] = []

    def add(self, cond: Any, strings: Any) -> bool:
        """Take one condition; False for one of another form (a comparison, a set predicate...)."""
        if isinstance(cond, dict):
            if len(cond) != 1:
                return False
            (op, value), = cond.items()
            if op == "REGEX" and isinstance(value, str):
                self.regexes.append(re.compile(value))
                return True
            if op not in ("IN", "NOT_IN") or not isinstance(value, list):
                return False
            values = value
        else:
            values = [cond]
        for v in values:
            if isinstance(v, bool):
                self.named.append(int(v))
            elif isinstance(v, str):
                self.named.append(strings[v])
            else:
                return False
        return True

    def regex_mask(self, text: str) -> int:
        return sum(1 << j for j, rx in enumerate(self.regexes) if rx.search(text))


def _patterns(ruler: Any) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(key, pattern) of every pattern of the ruler, in the order of its keys."""
    for attr_id in range(len(ruler.attrs)):
        key = str(attr_id)
        for pattern in ruler.matcher.get(key)[1]:
            yield key, pattern


def _tests_of(specs: list[dict[str, Any]], strings: Any) -> dict[str, _Tests] | None:
    """What the token specs test, by attribute; None if one tests what a kind cannot hold."""
    tests: dict[str, _Tests] = {}
    for spec in specs:
        for name, cond in spec.items():
            name = name.upper()
            if name not in _KEY_ATTRS or not tests.setdefault(name, _Tests()).add(cond, strings):
                return None
    return tests


def _fixed(pattern: list[dict[str, Any]]) -> bool:
    """Whether the pattern matches a fixed number of tokens (no operator)."""
    return not any(k.upper() == "OP" for token in pattern for k in token)


def _one_token(pattern: list[dict[str, Any]]) -> bool:
    return len(pattern) == 1 and _fixed(pattern)


class FastLemmatizer:
    """Lemmatizer.__call__, calling the lemmatizer's own rule or lookup method once per
    (ORTH, POS, MORPH), the key of the lemmatizer's cache (spaCy caches only some of its
    answers, and looks every other one up again per token).

    The method runs on a copy of the lemmatizer whose table of known forms ("lemma_index",
    lists of up to 57,000 words searched with `in`) holds sets: the same answers, without a
    scan of the list per candidate form of a new word. The pipeline's own lemmatizer is
    left as it is."""

    def __init__(self, lemmatizer: Any) -> None:
        import copy

        from spacy.lookups import Lookups

        self.lemmatizer = proxy(lemmatizer)  # _FAST's value must not keep its key alive
        shadow = copy.copy(lemmatizer)
        shadow.lookups = Lookups()
        for name in lemmatizer.lookups.tables:
            table = lemmatizer.lookups.get_table(name)
            data = {k: frozenset(v) if name == "lemma_index" else v for k, v in table.items()}
            shadow.lookups.add_table(name, data)
        shadow.cache = {}
        self.method = getattr(type(lemmatizer), f"{lemmatizer.mode}_lemmatize")
        self.shadow = shadow
        self.memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Any) -> Any:
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not self.lemmatizer._validated:  # what Lemmatizer.__call__ checks first
            from spacy.errors import Errors

            self.lemmatizer._validate_tables(Errors.E1004)
        memo = self.memo
        if len(memo) > MAX_KINDS:  # the copy's cache too: spaCy's keeps every key it ever saw
            memo.clear()
            self.shadow.cache.clear()
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        todo = numpy.arange(len(doc)) if self.lemmatizer.overwrite else numpy.flatnonzero(lemmas == 0)
        strings = doc.vocab.strings
        for i, key in zip(todo.tolist(), map(tuple, arr[todo, :3].tolist()), strict=True):
            lemma = memo.get(key)
            if lemma is None:
                lemma = memo[key] = self.method(self.shadow, doc[i])[0]
            lemmas[i] = strings.add(lemma)
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


# Per component: its fast run, or False when it has none. Never the component itself: a
# value referring to its key would keep the entry, and the pipeline, alive.
_FAST: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()


def run_rules(component: Any, doc: Any) -> Any:
    """component(doc), through the fast run when there is one for it."""
    fast = _FAST.get(component)
    if fast is None:
        fast = _FAST[component] = _fast_run(component) or False
    return fast(doc) if fast else component(doc)


def _fast_run(component: Any) -> Any:
    from spacy.pipeline import AttributeRuler

    if type(component) is AttributeRuler:
        return FastAttributeRuler.of(component)
    if _lemmatizer_pure(component) and component.mode in ("rule", "lookup"):
        return FastLemmatizer(component)
    return None


def _lemmatizer_pure(component: Any) -> bool:
    """Whether the lemma depends on ORTH, POS and MORPH only: spaCy's lemmatizer and its
    English subclass (which reads POS and MORPH in is_base_form)."""
    from spacy.lang.en.lemmatizer import EnglishLemmatizer
    from spacy.pipeline import Lemmatizer

    return type(component) in (Lemmatizer, EnglishLemmatizer)
