"""Language identification, offline (py3langid ships its model)."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str, *, sample: int = 3000) -> tuple[str | None, float]:
    """ISO 639-1 code of the text's language and the model's probability."""
    snippet = text[:sample]
    if sum(c.isalpha() for c in snippet) < 20:
        return None, 0.0
    code, prob = _identifier().classify(snippet)
    return code, float(prob)
