"""Loading pipelines: the fast profile builds only the components it runs, and the
processes that run pipelines keep the per-batch arrays in the heap."""

import subprocess
import sys
import textwrap

import pytest
import spacy

from presspack.nlp import heap
from presspack.nlp.pipeline import FAST_COMPONENTS, _unneeded, load_pipeline, resolve_model_name

TEXT = ("The mayor of Lisbon, Ana Ferreira, opened the new bridge on Monday. "
        "Officials from the European Commission attended the ceremony.\n\n"
        "Ferreira said the works had cost 40 million euros.")


def test_the_fast_profile_excludes_what_senter_and_ner_do_not_read():
    name = resolve_model_name(None)
    assert _unneeded(name, FAST_COMPONENTS) == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]
    fast = load_pipeline(name, profile="fast")
    assert fast.pipe_names == ["presspack_boundaries", "senter", "ner"]
    # the NER of a pipeline loaded without the others finds what the whole model's NER finds
    whole = spacy.load(name)
    expected = [(e.text, e.label_) for e in whole(TEXT).ents]
    assert ("Ana Ferreira", "PERSON") in expected
    assert [(e.text, e.label_) for e in fast(TEXT).ents] == expected
    assert len(list(fast(TEXT).sents)) == 3


def _listening_pipeline(path):
    """A pipeline whose NER listens to a shared tok2vec, beside a tagger it does not need."""
    nlp = spacy.blank("en")
    nlp.add_pipe("tok2vec")
    nlp.add_pipe("tagger")
    listener = {"@architectures": "spacy.Tok2VecListener.v1", "width": 96, "upstream": "*"}
    nlp.add_pipe("ner", config={"model": {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner",
                                          "extra_state_tokens": False, "hidden_width": 16, "maxout_pieces": 2,
                                          "use_upper": True, "tok2vec": listener}})
    nlp.get_pipe("tagger").add_label("NN")
    nlp.get_pipe("ner").add_label("ORG")
    nlp.initialize()
    nlp.to_disk(path)


def test_a_shared_embedding_a_wanted_component_listens_to_is_kept(tmp_path):
    _listening_pipeline(tmp_path / "listening")
    assert _unneeded(str(tmp_path / "listening"), FAST_COMPONENTS) == ["tagger"]
    fast = load_pipeline(str(tmp_path / "listening"), profile="fast")
    assert [n for n in fast.pipe_names if n not in ("presspack_boundaries", "sentencizer")] == ["tok2vec", "ner"]
    assert fast("Acme Corp opened an office.").ents is not None  # the listener has its embedding


def test_an_unreadable_layout_loads_everything_and_keeps_only_what_is_needed(tmp_path):
    assert _unneeded(str(tmp_path / "no-such-pipeline"), FAST_COMPONENTS) == []
    assert _unneeded("no_such_package_for_this_test", FAST_COMPONENTS) == []


FAULTS = textwrap.dedent("""
    import resource, sys
    import numpy as np
    from presspack.nlp import heap
    applied = heap.keep_arrays_in_heap() if sys.argv[1] == "tuned" else False
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(60):  # what a pipeline does batch after batch: large arrays made and freed
        a = np.ones((2000 + i, 1024), dtype="float32")  # 8 MB, above glibc's starting threshold
        del a
    print(applied, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_large_arrays_freed_and_made_again_stop_faulting_pages():
    import presspack

    script = FAULTS
    src = str(presspack.__file__).rsplit("/presspack/", 1)[0]
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": src}
    runs = {}
    for mode in ("default", "tuned"):
        out = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True, env=env, check=True)
        applied, faults = out.stdout.split()
        runs[mode] = (applied, int(faults))
    if runs["tuned"][0] != "True":
        pytest.skip("not glibc")
    # untuned: each array, a little larger than the last, is a fresh mapping faulted in anew
    assert runs["default"][1] > 60 * 300
    assert runs["tuned"][1] < runs["default"][1] / 10
    assert (heap.MMAP_THRESHOLD, heap.TRIM_THRESHOLD) == (32 << 20, 64 << 20)


def test_a_users_own_malloc_settings_win(monkeypatch):
    heap.keep_arrays_in_heap.cache_clear()
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "1048576")
    try:
        assert heap.keep_arrays_in_heap() is False
    finally:
        heap.keep_arrays_in_heap.cache_clear()


def test_a_sourced_component_keeps_everything_loaded(tmp_path):
    """A component copied from another pipeline (`source = ...`) does not say what it
    listens to: nothing is excluded from the config, _keep_only prunes after loading."""
    nlp = spacy.blank("en")
    nlp.add_pipe("tagger")
    nlp.get_pipe("tagger").add_label("NN")
    nlp.initialize()
    nlp.to_disk(tmp_path / "p")
    config = (tmp_path / "p" / "config.cfg").read_text()
    config = config.replace("pipeline = [\"tagger\"]", "pipeline = [\"tagger\",\"ner\"]")
    (tmp_path / "p" / "config.cfg").write_text(config + "\n[components.ner]\nsource = \"somewhere_else\"\n")
    assert _unneeded(str(tmp_path / "p"), FAST_COMPONENTS) == []
