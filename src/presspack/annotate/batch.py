"""annotate(batch): the rows of each article from its spaCy Doc.

annotate()'s rows depend only on (articles, pipeline, config): the same in a test, a
worker process and on a Dask worker, and the unit the NLP cache stores. It is not pure:
it keeps, per process, how many characters each pipeline has run outside memory zones
(_WARMED), and spaCy's vocabulary and tokenizer cache grow as it runs; neither changes
the rows. Batches run in
parts of bounded text inside spaCy memory zones; each Doc gives sentences, entities
(entities.mentions) and claims (claims), as plain picklable rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from presspack import claims as claims_mod
from presspack.entities import mentions as ent_mod
from presspack.learn import refine
from presspack.nlp import sentences as sent_mod
from presspack.nlp.pipeline import deferred_components, memory_zones, one_blas_thread, pipeline_language, run_deferred
from presspack.normalize.text import Article


@dataclass
class AnnotatedArticle:
    """Plain, picklable rows for one article."""

    article: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None



def annotate(
    articles: Iterable[Article],
    nlp: Any,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    gazetteer: Any = None,
    pipelines: dict[str, Any] | None = None,
    claims_model: Any = None,
) -> Iterator[AnnotatedArticle]:
    """Run the pipeline over a stream of articles, lazily, and derive every row from each
    Doc. Articles in another language go through that language's pipeline when one is
    configured (`pipelines`), else pass through without NLP.

    This is the unit of work of every executor (inline, worker processes, Dask): its rows
    depend only on the articles and the pipeline (plain picklable rows); the state it
    keeps (_WARMED, spaCy's caches) changes memory and speed, never rows.

    The pipeline's deferred_components() (rule-based) run after the others, through
    run_deferred (same Doc, a fraction of the time). `claims_model` (presspack.learn's
    ClaimsModel) draws the content boundaries of the rules' claims (learn.refine)."""
    lang = nlp.lang
    pipelines = pipelines or {}

    def docs_in() -> Iterator[tuple[Any, Article]]:
        for a in articles:
            run = pipeline_language(a, lang, pipelines) == lang
            doc = nlp.make_doc(a.text if run else "")
            doc.user_data["presspack_paragraphs"] = a.paragraphs
            yield doc, a

    later = deferred_components(nlp)
    for doc, art in nlp.pipe(docs_in(), batch_size=batch_size, n_process=n_process, as_tuples=True, disable=later):
        use = pipeline_language(art, lang, pipelines)
        if use is None:
            yield skipped(art, f"language {art.meta.get('language')!r} has no installed pipeline: no NLP run (sentences are paragraphs)")
            continue
        pipe = nlp
        if use == lang:
            doc = run_deferred(doc, nlp)
        else:
            pipe = pipelines[use]
            own = pipe.make_doc(art.text)
            own.user_data["presspack_paragraphs"] = art.paragraphs
            doc = pipe(own)
        yield derive(doc, art, pipe=pipe, gazetteer=gazetteer, claims_model=claims_model if pipe is nlp else None)



def annotate_batch(articles: list[Article], nlp: Any, *, batch_size: int = 32, gazetteer: Any = None,
                   pipelines: dict[str, Any] | None = None, claims_model: Any = None) -> list[AnnotatedArticle]:
    """annotate() over one batch, as a list: what a worker runs and the cache stores."""
    longest = max((len(a.text) for a in articles), default=0)
    for p in (nlp, *(pipelines or {}).values()):
        if longest >= p.max_length:  # max_article_chars, not spaCy, bounds the length of an article
            p.max_length = longest + 1
    out: list[AnnotatedArticle] = []
    done = _WARMED.get(nlp, 0)
    warming = done < WARM_CHARS
    with one_blas_thread(), nullcontext() if warming else memory_zones(nlp, *(pipelines or {}).values()):
        for part in _bounded(articles, MAX_BATCH_CHARS):
            out.extend(annotate(part, nlp, batch_size=batch_size, gazetteer=gazetteer, pipelines=pipelines,
                                claims_model=claims_model))
    if warming:
        _WARMED[nlp] = done + sum(len(a.text) for a in articles)
    return out



# The first this many characters a pipeline runs on in this process go outside memory
# zones: spaCy's tokenizer does not add to its cache inside a zone, so its cache fills with
# the common words first (the vocabulary keeps what these batches added: a fixed amount).
WARM_CHARS = 256_000



_WARMED: WeakKeyDictionary[Any, int] = WeakKeyDictionary()  # per pipeline: characters run outside zones



# The memory a pipeline run needs grows with the text of the batch (the parser and NER
# hold arrays of tokens x features x width: about 200 MB for 64,000 characters with
# en_core_web_sm), so a batch runs in parts of at most this many characters (an article
# longer than that alone). The rows do not depend on how articles are batched.
MAX_BATCH_CHARS = 64_000



def _bounded(articles: list[Article], max_chars: int) -> Iterator[list[Article]]:
    part: list[Article] = []
    size = 0
    for a in articles:
        if part and size + len(a.text) > max_chars:
            yield part
            part, size = [], 0
        part.append(a)
        size += len(a.text)
    if part:
        yield part



def derive(doc: Any, art: Article, *, pipe: Any, gazetteer: Any = None, claims_model: Any = None) -> AnnotatedArticle:
    """Every row of one article from its Doc (with a claims model, the rules' candidates
    take the model's content boundaries before they are assembled)."""

    sents = sent_mod.sentence_rows(doc, art)
    ents = ent_mod.mention_rows(doc, art, sents, nlp=pipe, gazetteer=gazetteer)
    if "parser" not in pipe.pipe_names:
        clms = claims_mod.quote_claim_rows(doc, art, sents, ents)
    elif claims_model is not None:
        def with_model(rules: list[Any]) -> list[Any]:
            return refine(rules, claims_model.candidates(doc, art, rules), finder="model")

        clms = claims_mod.claim_rows(doc, art, sents, ents, refine=with_model)
    else:
        clms = claims_mod.claim_rows(doc, art, sents, ents)
    row = art.row()
    row["n_sentences"] = len(sents)
    row["n_tokens"] = sum(1 for t in doc if not t.is_space)
    return AnnotatedArticle(article=row, sentences=sents, entities=ents, claims=clms)



def skipped(article: Article, note: str) -> AnnotatedArticle:
    """An article no pipeline runs on (e.g. another language): paragraphs as sentences."""

    sents = sent_mod.paragraph_rows(article)
    row = article.row()
    row["n_sentences"] = len(sents)
    row["n_tokens"] = 0
    return AnnotatedArticle(article=row, sentences=sents, note=note)
