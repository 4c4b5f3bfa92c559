"""presspack train claims and presspack.learn: a tiny CRF trained on invented news
paragraphs in seconds, byte-identical directories for the same gold and seed,
candidates from a Doc, one-line errors for too little gold, a damaged model and one
from another version; the --claims-model plumbing into the config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pycrfsuite")

from presspack.audit.load import load_gold  # noqa: E402 - after the skip
from presspack.audit.training import dev_scores, gold_articles  # noqa: E402
from presspack.claims.candidates import Candidate  # noqa: E402
from presspack.cli import main  # noqa: E402
from presspack.config import load_config  # noqa: E402
from presspack.errors import ClaimsModelError, TrainingError  # noqa: E402
from presspack.learn import load_claims_model, train_claims  # noqa: E402
from presspack.learn.features import GoldClaim, labels, sequences  # noqa: E402
from presspack.learn.train import parsed  # noqa: E402

# (text, [(source, cue, content), ...]): phrases of the text, each found once.
NEWS = [
    ("The mayor of Eastfield, Rosa Lind, said on Monday that the bridge would reopen in June.",
     [("Rosa Lind", "said", "that the bridge would reopen in June")]),
    ("\u201cWe will not raise taxes this year,\u201d finance minister Omar Reyes told reporters.",
     [("Omar Reyes", "told", "\u201cWe will not raise taxes this year,\u201d")]),
    ("Police spokesman Dan Hult said the driver had fled the scene.\n\nThe road was closed for three hours.",
     [("Dan Hult", "said", "the driver had fled the scene")]),
    ("Teachers in Northvale warned that schools could close if the strike went on.",
     [("Teachers in Northvale", "warned", "that schools could close if the strike went on")]),
    ("\u201cThe harvest is the worst in a decade,\u201d said farmer Lena Brook. She added that prices would rise.",
     [("farmer Lena Brook", "said", "\u201cThe harvest is the worst in a decade,\u201d"),
      ("She", "added", "that prices would rise")]),
    ("The company announced that it would cut 200 jobs at its Riverside plant.",
     [("The company", "announced", "that it would cut 200 jobs at its Riverside plant")]),
    ("Health officials said on Friday that the outbreak was under control.\n\nNo new cases were reported.",
     [("Health officials", "said", "that the outbreak was under control")]),
    ("Coach Ivan Petrov said his team had played its best game of the season.",
     [("Coach Ivan Petrov", "said", "his team had played its best game of the season")]),
    ("\u201cThis is a great day for the city,\u201d Governor Mia Stone said at the opening.",
     [("Governor Mia Stone", "said", "\u201cThis is a great day for the city,\u201d")]),
    ("The union claimed that the new rules were unsafe for workers.",
     [("The union", "claimed", "that the new rules were unsafe for workers")]),
    ("Residents told the council that the park should stay open at night.",
     [("Residents", "told", "that the park should stay open at night")]),
    ("Scientists at the institute reported that the lake had warmed by two degrees.\n\nThe study took five years.",
     [("Scientists at the institute", "reported", "that the lake had warmed by two degrees")]),
]
DEV = [
    ("The minister said that the hospital would open next spring.",
     [("The minister", "said", "that the hospital would open next spring")]),
    ("\u201cWe expect more rain tomorrow,\u201d forecaster Ken Mills said.",
     [("forecaster Ken Mills", "said", "\u201cWe expect more rain tomorrow,\u201d")]),
]


def _span(text: str, phrase: str) -> dict:
    s = text.index(phrase)
    return {"start": s, "end": s + len(phrase), "text": phrase}


def _write(path: Path, items: list) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for n, (text, claims) in enumerate(items):
            recs = [{"source": _span(text, s), "cue": _span(text, c), "content": _span(text, x)} for s, c, x in claims]
            fh.write(json.dumps({"id": f"n{n}", "text": text, "claims": recs}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def gold_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("learn-gold")
    return _write(d / "train.jsonl", NEWS), _write(d / "dev.jsonl", DEV)


@pytest.fixture(scope="module")
def trained(gold_files, nlp, tmp_path_factory):
    train = gold_articles(load_gold(gold_files[0], None))
    dev = gold_articles(load_gold(gold_files[1], None))
    out = tmp_path_factory.mktemp("models") / "tiny"
    return train_claims(train, out, nlp=nlp, seed=3, dev=dev, evaluate=dev_scores, params={"max_iterations": 40})


def test_labels_are_bio_with_cue_over_source_over_content(nlp, tmp_path):
    gold = gold_articles(load_gold(_write(tmp_path / "g.jsonl", NEWS[:1]), None))
    (doc, g), = parsed(gold, nlp)
    (seq,) = list(sequences(doc, g.article))
    tags = labels(seq, g.claims)
    words = [g.article.text[s:e] for s, e in seq.spans]
    got = {w: t for w, t in zip(words, tags)}
    assert got["Rosa"] == "B-SRC" and got["Lind"] == "I-SRC" and got["said"] == "B-CUE"
    assert got["that"] == "B-CON" and got["June"] == "I-CON" and got["Monday"] == "O"
    # the rules' claims are features: given by the caller, or found by presspack.claims
    t = g.article.text
    c = t.index("that the bridge")
    given = Candidate(content=(c, len(t) - 1), finder="rules", cue=(t.index("said"), t.index("said") + 4))
    (ruled,) = list(sequences(doc, g.article, [given]))
    marks = {w: [x for x in f if x.startswith(("r=", "rB=", "rI="))] for w, f in zip(words, ruled.features)}
    assert "rB=CON" in marks["that"] and "r=CON" in marks["June"] and "rB=CUE" in marks["said"] and marks["Rosa"] == []
    (none,) = list(sequences(doc, g.article, []))
    assert not any(x.startswith("r=") for f in none.features for x in f)
    (found,) = list(sequences(doc, g.article))  # the rules themselves find this one
    assert any("r=CON" in f for f in found.features)
    nested = [GoldClaim(content=((0, len(g.article.text)),), cue=g.claims[0].cue)]
    assert labels(seq, nested)[words.index("said")] == "B-CUE"  # the cue cuts the content
    assert labels(seq, nested)[words.index("said") + 1] == "B-CON"


def test_trained_model_finds_claims(trained, nlp):
    meta = trained.meta
    assert meta["training"]["articles"] == 12 and meta["training"]["claims"] == 13 and meta["training"]["seed"] == 3
    dev = meta["training"]["dev"]
    assert dev["articles"] == 2 and set(dev["scores"]) >= {"content", "source", "cue", "content_exact", "tokens_content"}
    assert dev["scores"]["tokens_content"]["f1"] > 0.5  # learned something from 12 paragraphs
    text = "The director said that the museum would close in May."
    from presspack.normalize.text import Article

    art = Article("a1", "t", text, [(0, len(text), False)])
    doc = nlp(text)
    cands = trained.candidates(doc, art)
    assert cands and all(isinstance(c, Candidate) and c.finder == "model" for c in cands)
    c = cands[0]
    assert "museum" in text[c.content[0]:c.content[1]] and 0 < c.score <= 1
    assert c.cue is None or text[c.cue[0]:c.cue[1]] == "said"


def test_training_is_deterministic(gold_files, nlp, trained, tmp_path):
    train = gold_articles(load_gold(gold_files[0], None))
    dev = gold_articles(load_gold(gold_files[1], None))
    again = train_claims(train, tmp_path / "tiny", nlp=nlp, seed=3, dev=dev, evaluate=dev_scores, params={"max_iterations": 40})
    for name in ("model.json", "claims.crfsuite"):
        assert (again.path / name).read_bytes() == (trained.path / name).read_bytes()
    assert again.fingerprint == trained.fingerprint
    other = train_claims(train, tmp_path / "seed4", nlp=nlp, seed=4, params={"max_iterations": 40})
    assert json.loads((other.path / "model.json").read_text())["training"]["seed"] == 4


def test_too_few_claims_are_refused(gold_files, nlp, tmp_path):
    few = gold_articles(load_gold(_write(tmp_path / "few.jsonl", NEWS[:3]), None))
    with pytest.raises(TrainingError, match=r"3 claim\(s\) in 3 article\(s\): training needs at least 5"):
        train_claims(few, tmp_path / "m", nlp=nlp)
    assert main(["train", "claims", "--gold", str(tmp_path / "few.jsonl"), "--out", str(tmp_path / "m2")]) == 1
    assert not (tmp_path / "m2").exists()


def test_damaged_and_foreign_models_are_one_line_errors(trained, tmp_path):
    def copy(name: str) -> Path:
        d = tmp_path / name
        shutil.copytree(trained.path, d)
        return d

    cases = {}
    d = copy("flipped")
    data = bytearray((d / "claims.crfsuite").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (d / "claims.crfsuite").write_bytes(bytes(data))
    cases[d] = "does not match its sha256"
    d = copy("nometa")
    (d / "model.json").unlink()
    cases[d] = "not a claims model"
    d = copy("badjson")
    (d / "model.json").write_text("{", encoding="utf-8")
    cases[d] = "damaged"
    for key, value in (("presspack_version", "0.0.1"), ("spacy_version", "2.0.0"), ("features_version", 99)):
        d = copy(key)
        meta = json.loads((d / "model.json").read_text(encoding="utf-8"))
        meta[key] = value
        (d / "model.json").write_text(json.dumps(meta), encoding="utf-8")
        cases[d] = f"trained with {key.replace('_', ' ')} {value}"
    cases[tmp_path / "missing"] = "no such claims model directory"
    for path, message in cases.items():
        with pytest.raises(ClaimsModelError) as e:
            load_claims_model(path)
        assert message in str(e.value) and "\n" not in str(e.value), (path, str(e.value))


def test_model_pickles(trained):
    import pickle

    again = pickle.loads(pickle.dumps(trained))
    assert again.fingerprint == trained.fingerprint and again.provenance()["name"] == "tiny"


def test_train_cli_summary_and_json(gold_files, tmp_path, capsys):
    nbsp = tmp_path / "nbsp.jsonl"  # annotated on a text the normalizer changes: aligned to the normalized text
    _write(nbsp, [(t.replace("said", "said\u00a0", 1), c) for t, c in NEWS])
    assert main(["train", "claims", "--gold", str(nbsp), "--out", str(tmp_path / "nbsp-model"), "--seed", "1"]) == 0
    assert "aligned to the normalized text, 0 refused" in capsys.readouterr().err
    out = tmp_path / "cli-model"
    assert main(["train", "claims", "--gold", str(gold_files[0]), "--dev", str(gold_files[1]), "--out", str(out), "--seed", "1"]) == 0
    got = capsys.readouterr()
    assert "trained claims model 'cli-model' on 12 articles (13 claims" in got.out and "content_exact" in got.out
    assert "presspack train: iteration 1: loss" in got.err and "presspack train: features: 12/12 articles" in got.err
    meta = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert meta["training"]["gold"][0]["name"] == "train.jsonl" and len(meta["training"]["gold"][0]["sha256"]) == 64
    assert main(["train", "claims", "--gold", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "x")]) == 1
    assert "no such file or directory" in capsys.readouterr().err


def test_claims_model_in_config(trained, tmp_path):
    cfg = load_config(None, claims_model=str(trained.path))
    assert cfg.to_dict()["claims_model"] == {"name": "tiny", "sha256": trained.fingerprint}
    assert cfg.fingerprint_dict()["claims_model"] == trained.fingerprint
    assert "claims_model" not in load_config(None).fingerprint_dict()  # builds without a model keep their fingerprint
    toml = tmp_path / "presspack.toml"
    toml.write_text(f'[build]\nclaims_model = "{trained.path.as_posix()}"\n', encoding="utf-8")
    assert load_config(toml).claims_model == trained.path.as_posix()


def test_build_records_the_claims_model(trained, make_release, config, capsys):
    import dataclasses

    from presspack.package.manifest import read_manifest

    cfg = dataclasses.replace(config, claims_model=str(trained.path))
    res = make_release({"a.txt": "Harbour news\n\nThe harbour master said that the pier would close in May.\n"}, config=cfg)
    prov = read_manifest(res.release_dir)["provenance"]
    assert prov["claims_model"]["name"] == "tiny" and prov["claims_model"]["sha256"] == trained.fingerprint
    assert prov["claims_model"]["training"]["articles"] == 12 and prov["config"]["claims_model"]["name"] == "tiny"
    card = (res.release_dir / "README.md").read_text(encoding="utf-8")
    assert "Claims by model `tiny`" in card and "trained on 12 annotated articles (13 claims), dev content F1" in card
    assert main(["info", str(res.release_dir)]) == 0
    assert "claims    model tiny (sha256" in capsys.readouterr().out


def test_refine_takes_the_models_boundaries_of_the_rules_claims():
    from presspack.learn import refine

    rules = [Candidate(content=(10, 40), finder="rules", cue=(5, 9), source=(0, 4)),
             Candidate(content=(60, 80), finder="rules", cue=(55, 59))]
    model = [Candidate(content=(12, 44), finder="model", cue=(5, 9)),  # the first claim, other bounds
             Candidate(content=(62, 66), finder="model"),  # too small a part of the second
             Candidate(content=(90, 99), finder="model")]  # no rule claim: left out
    got = refine(rules, model)
    assert [c.content for c in got] == [(12, 44), (60, 80)]
    assert got[0].cue == (5, 9) and got[0].source == (0, 4) and got[0].finder == "rules"
    assert refine(rules, model, finder="model")[0].finder == "model" and refine(rules, [])[1] == rules[1]


def test_refine_keeps_the_rules_content_where_the_models_would_swallow_a_cue():
    """A model content that would take in the claim's own cue or source, or the cue of
    another rule claim (which the assembler would then drop as nested), is not taken."""
    from presspack.learn import refine

    rules = [Candidate(content=(10, 40), finder="rules", cue=(5, 9), source=(0, 4)),
             Candidate(content=(50, 70), finder="rules", cue=(42, 46), source=(41, 42))]
    assert refine(rules, [Candidate(content=(10, 48), finder="model")])[0].content == (10, 40)  # the next cue
    assert refine(rules, [Candidate(content=(4, 40), finder="model")])[0].content == (10, 40)  # its own cue
    assert refine(rules, [Candidate(content=(12, 40), finder="model")])[0].content == (12, 40)
    inner = [Candidate(content=(0, 60), finder="rules", cue=(62, 66)), Candidate(content=(30, 50), finder="rules", cue=(22, 26))]
    assert refine(inner, [Candidate(content=(0, 58), finder="model")])[0].content == (0, 58)  # that cue was inside already


def test_refine_takes_the_models_boundaries_as_they_are():
    """refine moves a content only to the model's matching span; the complementizer
    before it is the assembler's (claims.syntax.with_complementizer), for every finder."""
    from presspack.learn import refine

    def span(text, phrase):
        s = text.index(phrase)
        return s, s + len(phrase)

    t = 'The mayor said that the bridge would reopen.'
    rules = [Candidate(content=span(t, "bridge would reopen"), finder="rules", cue=span(t, "said"))]
    model = [Candidate(content=span(t, "the bridge would reopen"), finder="model")]
    got = refine(rules, model, finder="model")
    assert got[0].content == span(t, "the bridge would reopen") and got[0].cue == rules[0].cue
    assert refine(rules, [])[0].content == span(t, "bridge would reopen")


def test_build_with_the_model_draws_the_rules_claims_boundaries(trained, tmp_path, nlp, config):
    """A build with --claims-model: the rules' claims whose boundaries the model drew say
    method 'model'; the rows are the same with two worker processes and without the cache."""
    import dataclasses

    import pyarrow.parquet as pq

    from presspack.orchestrate import build

    src = tmp_path / "in"
    src.mkdir()
    for i, item in enumerate(DEV + NEWS[:4]):
        (src / f"a{i}.txt").write_text("Harbour news\n\n" + item[0] + "\n", encoding="utf-8")
    cfg = dataclasses.replace(config, claims_model=str(trained.path), cache=False)
    one = build([src], tmp_path / "one", "1.0.0", cfg, nlp=nlp).release_dir
    two = build([src], tmp_path / "two", "1.0.0", dataclasses.replace(cfg, jobs=2)).release_dir
    rows = pq.read_table(one / "claims.parquet").to_pylist()
    assert rows and {r["method"] for r in rows} & {"model"}
    assert (one / "claims.parquet").read_bytes() == (two / "claims.parquet").read_bytes()
