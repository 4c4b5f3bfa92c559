"""Learned claims: a CRF tagger of source, cue and content spans over the build's spaCy
Doc, trained from gold annotations (`presspack train claims`), whose predictions are
Candidates (presspack.claims.candidates) with finder "model".

features.py (token features, BIO labels), decode.py (tags -> Candidates), model.py (the
model directory, loading, `ClaimsModel.candidates(doc, article)`), train.py (parsing
gold articles as the build does, training, the summary), combine.py (`refine`: the
rules' claims with the model's content boundaries, the combination measured best).
"""

from presspack.learn.combine import refine
from presspack.learn.features import GoldClaim
from presspack.learn.model import ClaimsModel, load_claims_model, model_provenance
from presspack.learn.train import MIN_CLAIMS, GoldArticle, train_claims

__all__ = ["MIN_CLAIMS", "ClaimsModel", "GoldArticle", "GoldClaim", "load_claims_model", "model_provenance", "refine", "train_claims"]
