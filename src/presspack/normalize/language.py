"""Language identification, offline (py3langid ships its model in the wheel).

Robust on short and mixed texts:
- the text is classified in chunks of whole paragraphs (at least CHUNK_CHARS each) and
  the chunks vote, weighted by their letters and the model's probability, so a German
  article quoting an English sentence stays German and a mixed text reports its mix;
- a short body is classified together with its title (more evidence);
- a short text the model is unsure of (or that has too few letters for it, "Who is
  there?") is also checked against the function words (spaCy's stop words) of the
  model's three best guesses: each guess with at least FUNCTION_HITS of them scores its
  probability p and its function words' share f of the words (plus one, so a few words
  never make a certainty) combined, 1 - (1 - p)(1 - f), and the best is taken; a text
  without such a signal ("Angela
  Merkel in Paris", a name, a number) stays unidentified;
- below `min_confidence` nothing is asserted: the language stays null with a note,
  unless the page declared one (`<html lang>`), which is then used, with a note.
A `language` given by the input always wins and is never second-guessed.
"""

from __future__ import annotations

import importlib.util
import re
from functools import cache
from pathlib import Path
from typing import Any

from presspack.normalize.langmodel import identifier

CHUNK_CHARS = 500  # paragraphs are grouped into chunks of at least this many characters
SAMPLE_CHARS = 5000  # only this much of a long text is classified
MIN_LETTERS = 20  # fewer letters than this: not identifiable
SHORT_LETTERS = 200  # fewer letters: the title is added as evidence
MIN_CONFIDENCE = 0.5
MIXED_SHARE = 0.25  # a second language with at least this share of the votes is noted
FUNCTION_HITS = 2  # a short text's function words: at least this many of its language's
FUNCTION_CANDIDATES = 3  # checked for the model's best guesses

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

_NOISE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+|#\w+|@\w+")


def _letters(s: str) -> int:
    return sum(c.isalpha() for c in s)


def _chunks(text: str, sample: int) -> list[str]:
    out: list[str] = []
    cur = ""
    used = 0
    for para in text.split("\n\n"):
        para = _NOISE.sub(" ", para).strip()
        if not para:
            continue
        cur = f"{cur}\n{para}" if cur else para
        if len(cur) >= CHUNK_CHARS:
            out.append(cur)
            used += len(cur)
            cur = ""
            if used >= sample:
                break
    if cur:
        if out and len(cur) < CHUNK_CHARS // 2:
            out[-1] = f"{out[-1]}\n{cur}"  # a short tail joins the last chunk
        else:
            out.append(cur)
    return out


def vote(text: str, *, sample: int = SAMPLE_CHARS) -> dict[str, float]:
    """Share of the evidence per language: each chunk votes with letters x probability,
    divided by all letters (so the shares sum to at most 1)."""
    ident = identifier()
    scores: dict[str, float] = {}
    total = 0
    for chunk in _chunks(text, sample):
        n = _letters(chunk)
        if n < MIN_LETTERS:
            continue
        code, prob = ident.classify(chunk)
        scores[code] = scores.get(code, 0.0) + n * float(prob)
        total += n
    return {k: v / total for k, v in sorted(scores.items(), key=lambda kv: -kv[1])} if total else {}


@cache
def _function_words(code: str) -> frozenset[str]:
    """The language's function words: spaCy's stop words (empty for a language spaCy lacks).
    Read from spacy/lang/<code>/stop_words.py alone (a plain list): importing the
    language's package would cost about a quarter of a second per language."""
    spec = importlib.util.find_spec("spacy")
    if not re.fullmatch(r"[a-z]{2,3}", code) or spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "lang" / code / "stop_words.py"
    module_spec = importlib.util.spec_from_file_location(f"presspack_stop_words_{code}", path)
    if not path.is_file() or module_spec is None or module_spec.loader is None:
        return frozenset()
    try:
        module = importlib.util.module_from_spec(module_spec)
        module_spec.loader.exec_module(module)
    except (OSError, ImportError, SyntaxError):  # unreadable, or not the plain list it should be: no function words
        return frozenset()
    return frozenset(w.lower() for w in getattr(module, "STOP_WORDS", ()))


def function_word_vote(text: str) -> dict[str, float]:
    """A short text's language from the model's best guesses and their function words:
    {code: combined share} for the best-scoring guess with at least FUNCTION_HITS function
    words, else {}."""
    cleaned = _NOISE.sub(" ", text)
    words = [w.lower() for w in _WORD.findall(cleaned)]
    if len(words) < FUNCTION_HITS:
        return {}
    scored = []
    for code, p in identifier().rank(cleaned)[:FUNCTION_CANDIDATES]:
        hits = sum(w in _function_words(code) for w in words)
        if hits >= FUNCTION_HITS:
            scored.append((1 - (1 - float(p)) * (1 - hits / (len(words) + 1)), code))
    if not scored:
        return {}
    share, code = max(scored)
    return {code: share}


def language_shares(text: str, title: str | None) -> dict[str, float]:
    short = _letters(text[:SAMPLE_CHARS]) < SHORT_LETTERS
    if title and short:
        text = f"{title}\n\n{text}"
    shares = vote(text)
    if short and (not shares or next(iter(shares.values())) < MIN_CONFIDENCE):
        return function_word_vote(text) or shares
    return shares


def identify(text: str, *, title: str | None = None) -> tuple[str | None, float]:
    """ISO 639-1 code of the text's main language and a confidence in [0, 1] (its share
    of the evidence); (None, 0.0) when the text has too few letters."""
    shares = language_shares(text, title)
    if not shares:
        return None, 0.0
    return next(iter(shares.items()))


def assign(meta: dict[str, Any], text: str, *, min_confidence: float = MIN_CONFIDENCE, evidence: Any = None) -> list[str]:
    """Fill meta['language'] unless the input gave one; return notes for the manifest.
    `evidence(text, title) -> {code: share}` may replace the identifier (e.g. a cache)."""
    hint = meta.pop("language_hint", None)
    if meta.get("language"):
        return []
    shares = (evidence or language_shares)(text, meta.get("title"))
    if not shares:
        return []
    (code, share), *rest = shares.items()
    declared = _base_code(hint)
    if share < min_confidence:
        if declared:
            meta["language"] = declared
            return [f"language {declared!r} taken from the page's declaration (identification uncertain: {code!r} {share:.2f})"]
        return [f"language not identified with confidence (best guess {code!r} at {share:.2f}): left null"]
    meta["language"] = code
    meta["language_score"] = share  # how sure: weakly identified languages still get the main pipeline (nlp.pipeline_language)
    notes = []
    mixed = [f"{k} {v:.0%}" for k, v in rest if v >= MIXED_SHARE]
    if mixed:
        notes.append(f"mixed languages: {code} {share:.0%}, " + ", ".join(mixed))
    return notes


def _base_code(tag: Any) -> str | None:
    if not isinstance(tag, str):
        return None
    base = tag.strip().lower().replace("_", "-").split("-")[0]
    return base if re.fullmatch(r"[a-z]{2}", base) else None
