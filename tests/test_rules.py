"""presspack.rules: spaCy's attribute ruler and lemmatizer, run faster, give the same Doc."""

import pytest
import spacy
from spacy.tokens import Doc

from presspack.nlp import rules
from presspack.nlp.pipeline import deferred_components, load_pipeline, run_deferred
from presspack.nlp.rules import FastAttributeRuler, run_rules

# Our own sentences, with what the English ruler's exceptions and the lemmatizer's rules
# are for: contractions, pronouns, existential "there", words of two tokens, whitespace
# tokens, unknown words, capitals, numbers.
TEXTS = [
    "The minister said on Tuesday that the talks ain't over and they're gonna resume.\n\n"
    "“We've gotta keep going,” she told reporters in Vilnius. Let's see, y'all.",
    "There were 14 protesters outside; there is no plan, the mayor's office added.  C'mon!",
    "I'd say the Zorblatt rulings weren't binding, he argued, citing the court's 2019 opinions.",
    "Officials fear the floods could worsen. Analysts expected slower growth, warning of risks.",
    "He denied the claims. “It's a lie,” the senator insisted, calling them baseless.\n",
]


@pytest.fixture(scope="module")
def reference():
    """A pipeline of its own, run by spaCy alone (its lemmatizer's cache is its own)."""
    return load_pipeline()


def _doc_bytes(doc):
    return doc.to_bytes(exclude=["tensor", "user_data"])


def test_the_pipeline_with_fast_rules_gives_the_same_docs_as_spacy(nlp, reference):
    assert deferred_components(nlp) == ("attribute_ruler", "lemmatizer")
    expected = [_doc_bytes(d) for d in reference.pipe(TEXTS)]
    for _ in range(2):  # the second time from the kinds and lemmas already worked out
        got = [_doc_bytes(run_deferred(d, nlp)) for d in nlp.pipe(TEXTS, disable=deferred_components(nlp))]
        assert got == expected
    tokens = [(t.pos_, t.lemma_) for t in run_deferred(next(nlp.pipe(TEXTS[:1], disable=deferred_components(nlp))), nlp)]
    assert ("VERB", "say") in tokens and ("AUX", "be") in tokens and ("PRON", "they") in tokens


def test_the_pipelines_own_lemmatizer_keeps_its_tables(nlp):
    run_deferred(next(nlp.pipe(["Prices were rising."], disable=deferred_components(nlp))), nlp)
    index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert all(isinstance(v, list) for v in index.values())  # the sets are the copy's


def test_caches_start_again_past_their_bound_with_the_same_result(nlp, reference, monkeypatch):
    monkeypatch.setattr(rules, "MAX_KINDS", 5)
    expected = [_doc_bytes(d) for d in reference.pipe(TEXTS)]
    got = [_doc_bytes(run_deferred(d, nlp)) for d in nlp.pipe(TEXTS, disable=deferred_components(nlp))]
    assert got == expected
    fast = rules._FAST[nlp.get_pipe("attribute_ruler")]
    assert isinstance(fast, FastAttributeRuler) and len(fast.kinds) <= 5 + len(nlp(TEXTS[-1]))


def _ruled(patterns):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    for pats, attrs, index in patterns:
        ruler.add(pats, attrs, index=index)
    return nlp, ruler


WORDS = ["Gov.", "officials", "in", "  ", "New", "York", "said", "the", "new", "gov.", "plan", "is", "new", "."]
TAGS = ["NNP", "NNS", "IN", "_SP", "NNP", "NNP", "VBD", "DT", "JJ", "NN", "NN", "VBZ", "JJ", "."]

# Conditions of every form the kinds hold (value, IN, NOT_IN, REGEX, booleans), patterns of
# several tokens, an index from the end, and rules that overlap (the later wins).
PATTERNS = [
    ([[{"TAG": "NNP"}]], {"POS": "PROPN"}, 0),
    ([[{"TAG": {"IN": ["NN", "NNS"]}}]], {"POS": "NOUN"}, 0),
    ([[{"TAG": {"NOT_IN": ["NN", "NNS", "NNP", "_SP"]}}]], {"POS": "X"}, 0),
    ([[{"LOWER": {"REGEX": r"^gov\.?$"}}]], {"LEMMA": "government", "POS": "NOUN"}, 0),
    ([[{"IS_SPACE": True}]], {"POS": "SPACE", "TAG": "_SP"}, 0),
    ([[{"LOWER": "new"}, {"TAG": "NNP"}]], {"MORPH": "Degree=Pos"}, -1),
    ([[{"LOWER": "new", "TAG": "JJ"}]], {"LEMMA": "new", "POS": "ADJ"}, 0),
    ([[{"TAG": "VBZ"}, {"LOWER": "new"}]], {"LEMMA": "be"}, 0),
]


def _tagged(nlp):
    return Doc(nlp.vocab, words=WORDS, tags=TAGS)


@pytest.mark.parametrize("extra", [
    [],
    [([[{"LOWER": "the"}, {"OP": "?"}, {"TAG": "NN"}]], {"LEMMA": "the"}, 0)],  # a pattern of varying length
])
def test_fast_ruler_sets_what_spacys_ruler_sets(extra):
    nlp, ruler = _ruled(PATTERNS + extra)
    fast = FastAttributeRuler.of(ruler)
    assert fast is not None and fast.window == (0 if extra else 2)
    expected = ruler(_tagged(nlp))
    for _ in range(2):
        got = fast(_tagged(nlp))
        assert fast.match(_tagged(nlp)) == ruler.match(_tagged(nlp))
        assert [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in got] == \
               [(t.pos_, t.tag_, t.lemma_, str(t.morph)) for t in expected]
    assert expected[0].lemma_ == "government" and expected[4].morph.get("Degree") == [] and expected[5].morph.get("Degree") == ["Pos"]


def test_a_ruler_testing_what_a_kind_cannot_hold_runs_as_it_is():
    nlp, ruler = _ruled([([[{"LENGTH": {">=": 4}}]], {"POS": "NOUN"}, 0)])
    assert FastAttributeRuler.of(ruler) is None
    doc = run_rules(ruler, _tagged(nlp))
    assert [t.pos_ for t in doc][:3] == ["NOUN", "NOUN", ""]


def test_a_pipeline_and_its_fast_components_are_freed_together():
    import gc

    nlp, ruler = _ruled(PATTERNS)
    run_rules(ruler, _tagged(nlp))
    plain_nlp, plain = _ruled([([[{"LENGTH": {">=": 4}}]], {"POS": "NOUN"}, 0)])  # no fast run: runs as it is
    run_rules(plain, _tagged(plain_nlp))
    assert ruler in rules._FAST and plain in rules._FAST
    n = len(rules._FAST)
    del nlp, ruler, plain_nlp, plain
    gc.collect()
    assert len(rules._FAST) == n - 2
