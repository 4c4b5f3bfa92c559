"""Stage 6: annotate(batch) -> AnnotatedArticle rows (sentences, entities, claims) from
each article's Doc (`batch`); where the batches run (`executors`: inline, processes,
Dask); the NLP cache that makes rebuilds incremental (`cache`). It comes after the
entities and claims stages because it calls both on every Doc."""

from presspack.annotate.batch import AnnotatedArticle, annotate, annotate_batch

__all__ = ["AnnotatedArticle", "annotate", "annotate_batch"]
