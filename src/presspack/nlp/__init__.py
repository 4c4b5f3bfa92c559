"""Stage 3: spaCy pipelines. Loading and model identity (`pipeline`), faster runs of
spaCy's rule-based components (`rules`), sentence boundaries (`sentences`)."""

from presspack.nlp.pipeline import load_pipeline, model_identity, model_info

__all__ = ["load_pipeline", "model_identity", "model_info"]
