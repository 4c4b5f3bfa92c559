"""presspack sample / score / show and release --quality: reproducible samples, Label
Studio, BRAT and JSONL exports that read back as gold with F1 = 1.0, the counting rules
on hand-made examples, bootstrap intervals, one-line errors for bad gold, and the
"Measured accuracy" section of a release."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from presspack.audit import gold as gold_mod
from presspack.audit import labelstudio, quality, sample, score, show, tables
from presspack.audit.gold import GoldError
from presspack.audit.load import load_gold
from presspack.audit.model import Annotations, Claim, one
from presspack.cli import main
from presspack.orchestrate import build

DATA = Path(__file__).resolve().parent / "data" / "audit"
NEWS = DATA / "news.jsonl"
LS_EXPORT = DATA / "labelstudio-export.json"  # exported by Label Studio 1.23.2 (see test_real_label_studio_export)


@pytest.fixture(scope="session")
def rel(tmp_path_factory, nlp, config):
    """Four short news records of two sources and two months, built once."""
    return build([NEWS], tmp_path_factory.mktemp("audit"), "1.0.0", config, nlp=nlp).release_dir


@pytest.fixture(scope="session")
def exported(rel, tmp_path_factory):
    """The whole release sampled (seed 3) and exported."""
    out = tmp_path_factory.mktemp("sample") / "audit"
    s = sample.draw(rel, 10, seed=3)
    return sample.export(rel, s, out)


def _all_f1(res: dict) -> list[float]:
    out = []
    for layer in ("sentences", "entities", "claims"):
        for name, f in res[layer].items():
            figs = f.values() if name == "per_label" else [f]
            for g in figs:
                out += [g["f1"]] if "f1" in g else [x["f1"] for x in g.values()]
    return out


# -- sampling -------------------------------------------------------------------------


def test_columns_read_exist_in_schemas():
    tables.check_columns()


def test_sample_is_the_lowest_keyed_hashes_and_extends(rel):
    ids = [r["article_id"] for r in tables.article_rows(rel, ())]
    assert len(ids) == 4
    want = sorted(ids, key=lambda i: hashlib.sha256(f"7:{i}".encode()).hexdigest())
    for n in (1, 2, 3, 4, 9):
        s = sample.draw(rel, n, seed=7)
        assert [a["article_id"] for a in s.articles] == want[:n]
        assert s.to_dict() == sample.draw(rel, n, seed=7).to_dict()
    other = [a["article_id"] for a in sample.draw(rel, 4, seed=8).articles]
    assert sorted(other) == sorted(want) and other != want  # another seed, another order


def test_allocation_and_strata(rel):
    assert sample.allocate({"a": 5, "b": 3, "c": 2}, 5) == {"a": 3, "b": 1, "c": 1}
    assert sample.allocate({"a": 1, "b": 1}, 5) == {"a": 1, "b": 1}
    for by, strata in (("source", {"coastpost.example", "dailyrail.example"}), ("month", {"2026-03", "2026-04"})):
        s = sample.draw(rel, 2, seed=1, by=by)
        assert {a["stratum"] for a in s.articles} == strata  # one article from each
        assert s.strata == {k: {"population": 2, "sampled": 1} for k in sorted(strata)}
    assert sample.draw(rel, 3, by="language").strata == {"en": {"population": 4, "sampled": 3}}
    with pytest.raises(sample.SampleError):
        sample.draw(rel, 0)


def test_export_files(rel, exported):
    s = json.loads(exported["sample"].read_text(encoding="utf-8"))
    arts = tables.articles(rel, [a["article_id"] for a in s["articles"]])
    assert s["n"] == 4 and s["seed"] == 3 and s["release"]["version"] == "1.0.0"
    assert all(arts[a["article_id"]].sha256 == a["sha256"] for a in s["articles"])
    tasks = json.loads((exported["labelstudio"] / "tasks.json").read_text(encoding="utf-8"))
    config = ET.fromstring((exported["labelstudio"] / "config.xml").read_text(encoding="utf-8"))
    controls = {c.get("name"): {x.get("value") for x in c} for c in config.iter("Labels")}
    assert set(controls) == {"sentence", "entity", "claim"} and controls["claim"] == {"Source", "Cue", "Content"}
    assert config.find("Text").get("name") == "text" and config.find("Text").get("value") == "$text"
    kinds = set()
    for t in tasks:
        text = t["data"]["text"]
        assert arts[t["data"]["article_id"]].text == text
        ids = set()
        for r in t["predictions"][0]["result"]:
            kinds.add(r["type"])
            if r["type"] == "labels":
                v = r["value"]
                assert r["to_name"] == "text" and text[v["start"]:v["end"]] == v["text"]
                assert len(v["labels"]) == 1 and v["labels"][0] in controls[r["from_name"]]
                ids.add(r["id"])
            else:
                assert r["type"] == "relation" and {r["from_id"], r["to_id"]} <= ids and r["labels"][0] in labelstudio.RELATIONS
    assert kinds == {"labels", "relation"}
    anns = sorted(exported["brat"].glob("*.ann"))
    assert len(anns) == 4 and (exported["brat"] / "annotation.conf").is_file()
    events = [x for p in anns for x in p.read_text(encoding="utf-8").splitlines() if x.startswith("E")]
    assert events and all(x.split("\t")[1].startswith("Attribution:T") and " Content:T" in x for x in events)


def test_round_trip_every_format_scores_one(rel, exported, tmp_path):
    tasks = json.loads((exported["labelstudio"] / "tasks.json").read_text(encoding="utf-8"))
    for t in tasks:  # an annotator who accepts the pre-annotations untouched
        t["annotations"] = [{"id": 1, "result": t["predictions"][0]["result"], "was_cancelled": False}]
    ls = tmp_path / "export.json"
    ls.write_text(json.dumps(tasks, indent=2), encoding="utf-8")
    for path, fmt in ((exported["brat"], "brat"), (exported["jsonl"], "jsonl"), (ls, "labelstudio")):
        g = load_gold(path, rel)
        assert g.format == fmt and g.layers == ("sentences", "entities", "claims") and len(g.docs) == 4
        res = score.score_report(rel, g)
        f1 = _all_f1(res)
        assert len(f1) > 20 and set(f1) == {1.0}, fmt
        assert res["claims"]["triple"]["ci"]["f1"] == [1.0, 1.0] and res["claims"]["content"]["gold"] >= 8


def test_export_refuses_to_overwrite_annotations(rel, exported):
    with pytest.raises(sample.SampleError, match="not empty"):
        sample.export(rel, sample.draw(rel, 1), exported["brat"].parent)


def test_real_label_studio_export(rel):
    """LS_EXPORT: the sample's tasks.json imported into Label Studio 1.23.2 (pip install
    label-studio, a project with config.xml), each task's prediction submitted as its
    annotation through the REST API, the project exported as JSON. It reads back, and our
    own result items for what it read are exactly the ones Label Studio stored."""
    g = load_gold(LS_EXPORT, rel)
    assert g.format == "labelstudio" and len(g.docs) == 4 and g.layers == ("sentences", "entities", "claims")
    exported = json.loads(LS_EXPORT.read_text(encoding="utf-8"))
    arts = tables.articles(rel, g.docs)
    for t in exported:
        mine = labelstudio.result_items(arts[t["data"]["article_id"]], g.docs[t["data"]["article_id"]])
        assert sorted(map(json.dumps, mine)) == sorted(json.dumps({k: r[k] for k in mine[0] if k in r} if r["type"] == "labels" else
                                                                  {k: r[k] for k in ("from_id", "to_id", "type", "direction", "labels")})
                                                       for r in t["annotations"][0]["result"])
    marsh = next(a for a in arts.values() if "Helen Marsh" in a.text)
    claims = {(a.text[c.source[0][0]:c.source[0][1]] if c.source else None, a.text[c.content[0][0]:c.content[0][1]])
              for a in [marsh] for c in g.docs[marsh.article_id].claims}
    assert ("Helen Marsh", "The port authority of Westmere will raise harbour fees by 12 percent in April") in claims


# -- counting rules -------------------------------------------------------------------


def test_sentence_boundaries_and_spans():
    text = "One two. Three four. Five six.  "
    gold = Annotations(sentences=[(0, 8), (9, 20), (21, 30)])
    pred = Annotations(sentences=[(0, 20), (21, 32)])  # one boundary missed; trailing space stripped
    c = score.sentence_counts(text, gold, pred)
    assert c == {"boundary": (1, 1, 2), "span": (1, 2, 3)}


def test_entities_exact_overlap_unlabeled():
    gold = Annotations(entities=[(0, 12, "PERSON"), (20, 26, "GPE"), (30, 35, "ORG")])
    pred = Annotations(entities=[(0, 12, "PERSON"), (19, 26, "GPE"), (30, 35, "PERSON"), (40, 44, "DATE")])
    c = score.entity_counts(gold, pred)
    assert c["exact"] == (1, 4, 3) and c["overlap"] == (2, 4, 3) and c["unlabeled"] == (2, 4, 3)
    assert c["exact:PERSON"] == (1, 2, 1) and c["overlap:GPE"] == (1, 1, 1) and c["exact:ORG"] == (0, 0, 1)
    mapped = score.map_labels(pred, {"PERSON": "PER", "GPE": "LOC"})
    assert mapped.entities == [(0, 12, "PER"), (19, 26, "LOC"), (30, 35, "PER")]


def test_claims_counting():
    text = "Anna Berg said the bridge will close in May for repairs. Police said nothing else."
    content = one(15, 55)  # "the bridge will close in May for repairs"
    gold = Annotations(claims=[Claim(one(0, 9), one(10, 14), content), Claim(None, one(64, 68), one(69, 81))])
    half = one(15, 36)  # "the bridge will close": 4 of 8 words, half of the gold's
    pred = Annotations(claims=[Claim(one(5, 9), one(10, 14), half), Claim(one(57, 63), None, one(69, 73))])
    c = score.claim_counts(text, gold, pred)
    assert c["content"] == (2, 2, 2) and c["content_exact"] == (0, 2, 2) and c["content_any"] == (2, 2, 2)
    assert c["source"] == (1, 2, 1)  # "Berg" overlaps "Anna Berg"; "Police" has no gold source to match
    assert c["cue"] == (1, 1, 2) and c["triple"] == (1, 2, 2)  # the second pair has no predicted cue
    less = Annotations(claims=[Claim(None, None, one(15, 29))])  # 3 of 8 words: under half
    assert score.claim_counts(text, gold, less)["content"] == (0, 1, 2)


def test_discontinuous_content_is_the_union_of_its_pieces():
    text = '"We will win," Haugen said, "and soon."'
    gold = Annotations(claims=[Claim(one(15, 21), one(22, 26), ((0, 14), (28, 39)))])
    pred = Annotations(claims=[Claim(one(15, 21), one(22, 26), one(0, 14))])  # 3 of 5 words
    assert score.claim_counts(text, gold, pred)["content"] == (1, 1, 1)
    assert score.claim_counts(text, gold, pred)["content_exact"] == (0, 1, 1)


def test_intervals_narrow_as_the_sample_grows():
    rng = np.random.default_rng(1)

    def width(n: int) -> float:
        gold = rng.integers(2, 9, size=n)
        pred = gold + rng.integers(-1, 3, size=n)
        tp = np.minimum(gold, pred) - rng.integers(0, 2, size=n)
        counts = np.stack([np.maximum(tp, 0), pred, gold], axis=1)
        f = score.figure(counts, score.bootstrap_weights(n))
        lo, hi = f["ci"]["f1"]
        assert lo <= f["f1"] <= hi
        return hi - lo

    w = [width(n) for n in (10, 40, 160, 640)]
    assert w[0] > w[1] > w[2] > w[3] > 0
    assert w[3] < w[0] / 4  # about 1/sqrt(n)


def test_undefined_resamples_are_left_out():
    counts = np.array([[1, 1, 1], [0, 0, 0], [0, 0, 0]])  # one article has the label
    f = score.figure(counts, score.bootstrap_weights(3))
    assert f["f1"] == 1.0 and f["ci"]["f1"] == [1.0, 1.0]
    none = score.figure(np.zeros((3, 3), dtype=int), score.bootstrap_weights(3))
    assert none["ci"]["f1"] is None and none["f1"] == 0.0


# -- reading gold ---------------------------------------------------------------------


def _brat_copy(exported, tmp_path: Path) -> tuple[Path, Path]:
    d = tmp_path / "brat"
    shutil.copytree(exported["brat"], d)
    return d, min(d.glob("*.ann"))


def test_polnear_layout_reads(rel, exported, tmp_path):
    """Trigger = the Cue span, no separate Attribution span; discontinuous content."""
    d, ann = _brat_copy(exported, tmp_path)
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    a, b = text.index("\n\n"), text.rindex("\n\n")
    first, last = text[: a].rstrip(), text[b + 2:]
    pieces = f"0 {len(first)};{b + 2} {b + 2 + len(last)}"
    ann.write_text(f"T1\tCue 0 3\t{text[:3]}\nT2\tContent {pieces}\t{first} {last}\nT3\tSource 4 8\t{text[4:8]}\n"
                   "E1\tAttribution:T1 Content:T2 Source:T3\n", encoding="utf-8")
    g = load_gold(d, rel, "brat")
    c = g.docs[ann.stem].claims
    assert c == [Claim(one(4, 8), one(0, 3), ((0, len(first)), (b + 2, b + 2 + len(last))))]


@pytest.mark.parametrize("case, line, message", [
    ("offsets", 2, "wrong offsets"),
    ("range", 2, "outside the text"),
    ("label", 2, "unknown BRAT type 'PERSONA'"),
    ("orphan", 3, "belongs to no Attribution event"),
    ("event", 4, "unknown event type"),
])
def test_bad_brat_gold_one_line_naming_file_and_line(rel, exported, tmp_path, case, line, message):
    d, ann = _brat_copy(exported, tmp_path)
    text = ann.with_suffix(".txt").read_text(encoding="utf-8")
    t = f"T1\tSentence 0 5\t{text[:5]}\n"
    t += {"offsets": f"T2\tPERSON 1 6\t{text[:5]}\n", "range": f"T2\tPERSON 5 {len(text) + 3}\tx\n",
          "label": f"T2\tPERSONA 0 5\t{text[:5]}\n", "orphan": f"T2\tCue 0 3\t{text[:3]}\nT3\tSource 4 8\t{text[4:8]}\nE1\tAttribution:T2 Cue:T2\n",
          "event": f"T2\tCue 0 3\t{text[:3]}\nT3\tContent 4 8\t{text[4:8]}\nE1\tQuote:T2 Content:T3\n"}[case]
    ann.write_text(t, encoding="utf-8")
    with pytest.raises(GoldError) as e:
        load_gold(d, rel)
    assert str(e.value).startswith(f"{ann}:{line}: ") and message in str(e.value) and "\n" not in str(e.value)


def test_bad_gold_other_text(rel, exported, tmp_path):
    d, ann = _brat_copy(exported, tmp_path)
    txt = ann.with_suffix(".txt")
    txt.write_text(txt.read_text(encoding="utf-8").replace("the", "teh", 1), encoding="utf-8")
    with pytest.raises(GoldError, match=rf"^{txt}:1: the text of article {ann.stem} differs from the release's"):
        load_gold(d, rel)
    txt.rename(d / "renamed.txt")
    ann.rename(d / "renamed.ann")
    with pytest.raises(GoldError, match=r"renamed.txt:1: this text is not an article of the release"):
        load_gold(d, rel)
    jl = tmp_path / "gold.jsonl"
    jl.write_text('{"article_id": "a0000000000000000", "claims": []}\n', encoding="utf-8")
    with pytest.raises(GoldError, match=rf"^{jl}:1: article a0000000000000000 is not in the release"):
        load_gold(jl, rel)


def test_bad_jsonl_gold(rel, exported, tmp_path):
    first = exported["jsonl"].read_text(encoding="utf-8").splitlines()[0]
    rec = json.loads(first)
    for change, message in ((lambda r: r["entities"][0].update(label="FOO"), "unknown entity label 'FOO'"),
                            (lambda r: r["entities"][0].update(start=r["entities"][0]["start"] + 1), "wrong offsets"),
                            (lambda r: r["sentences"].append([5, 2]), "outside the text (0-"),
                            (lambda r: r.update(text="Another story."), "differs from the release")):
        bad = json.loads(first)
        change(bad)
        p = tmp_path / "bad.jsonl"
        p.write_text(json.dumps(rec) + "\n\n" + json.dumps(bad) + "\n", encoding="utf-8")
        with pytest.raises(GoldError) as e:
            load_gold(p, rel)
        assert str(e.value).startswith(f"{p}:3: ") and message in str(e.value), str(e.value)


def test_bad_labelstudio_gold(rel, tmp_path):
    tasks = json.loads(LS_EXPORT.read_text(encoding="utf-8"))
    result = tasks[1]["annotations"][0]["result"]
    ent = next(r for r in result if r["from_name"] == "entity")
    ent["value"]["labels"] = ["CELEBRITY"]
    p = tmp_path / "export.json"
    p.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    raw = p.read_text(encoding="utf-8")
    region_line = raw.count("\n", 0, raw.index('"CELEBRITY"')) + 1  # the region's "id" is a few lines above
    with pytest.raises(GoldError) as e:
        load_gold(p, rel)
    assert str(e.value).startswith(f"{p}:") and "unknown label 'CELEBRITY'" in str(e.value) and "task 2 (id " in str(e.value)
    line = int(str(e.value)[len(str(p)) + 1:].split(":")[0])
    assert raw.splitlines()[line - 1].strip() == f'"id": {json.dumps(ent["id"])},' and region_line - 12 < line < region_line
    tasks = json.loads(LS_EXPORT.read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"] = [r for r in tasks[0]["annotations"][0]["result"] if r["type"] != "relation"]
    p.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    with pytest.raises(GoldError, match=r"Cue region 'c1-cue' has no relation to a Content region"):
        load_gold(p, rel)
    tasks = json.loads(LS_EXPORT.read_text(encoding="utf-8"))
    tasks[2]["data"]["text"] = tasks[2]["data"]["text"].replace("the", "teh", 1)  # a changed word (an addition at the end would be aligned)
    p.write_text(json.dumps(tasks, indent=1), encoding="utf-8")
    with pytest.raises(GoldError, match="task 3 .*differs from the release's"):
        load_gold(p, rel)
    for t in tasks:
        t["annotations"] = []
    p.write_text(json.dumps(tasks), encoding="utf-8")
    with pytest.raises(GoldError, match="no task has an annotation"):
        load_gold(p, rel)


def test_partial_gold_scores_only_its_layers(rel, exported, tmp_path):
    lines = exported["jsonl"].read_text(encoding="utf-8").splitlines()
    p = tmp_path / "claims.jsonl"
    p.write_text("".join(json.dumps({k: v for k, v in json.loads(x).items() if k in ("article_id", "claims")}) + "\n"
                         for x in lines[:2]), encoding="utf-8")
    res = score.score_report(rel, load_gold(p, rel), annotator="A. Tester", date="2026-12-01")
    assert "claims" in res and "entities" not in res and "sentences" not in res
    assert res["gold"]["articles"] == 2 and res["gold"]["layers"] == ["claims"] and res["annotator"] == "A. Tester"
    empty = tmp_path / "none.jsonl"
    empty.write_text(json.dumps({**json.loads(lines[0]), "claims": []}) + "\n", encoding="utf-8")
    r = score.score_report(rel, load_gold(empty, rel))
    assert r["claims"]["content"]["gold"] == 0 and r["claims"]["content"]["precision"] == 0.0 and r["claims"]["content"]["pred"] > 0


# -- CLI, show and the release's section ------------------------------------------------


def test_cli_sample_score_show(rel, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["sample", str(rel), "--n", "2", "--seed", "7", "--by", "source", "--out", "audit", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 2 and out["by"] == "source" and Path("audit/brat").is_dir()
    assert main(["score", str(rel), "--gold", "audit/brat", "--annotator", "Jo", "--date", "2026-12-01", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["claims"]["triple"]["f1"] == 1.0 and res["date"] == "2026-12-01" and res["gold"]["format"] == "brat"
    assert main(["score", str(rel), "--gold", "audit/predictions.jsonl", "--layers", "entities"]) == 0
    table = capsys.readouterr().out
    assert "entities exact" in table and "claims" not in table.split("\n", 1)[1]
    assert main(["score", str(rel), "--gold", "audit/brat", "--layers", "claims,quotes"]) == 1
    assert "unknown layer(s) quotes" in capsys.readouterr().err
    assert main(["score", str(rel), "--gold", "audit/labelstudio/tasks.json"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no task has an annotation" in err
    aid = out["articles"][0]["article_id"]
    assert main(["show", str(rel), aid, "--width", "90"]) == 0
    assert "claims" in capsys.readouterr().out
    assert main(["show", str(rel), "a0000000000000000"]) == 1


def test_show_highlights(rel):
    aid = next(r["article_id"] for r in tables.article_rows(rel, ("title",)) if r["title"] == "Rail strike called off")
    console = Console(width=100, force_terminal=True, color_system="truecolor", record=True)
    console.print(show.render(rel, aid))
    plain, styled = console.export_text(clear=False), console.export_text(styles=True)
    assert plain.startswith("Rail strike called off") and "Maria Solberg" in plain and "claims" in plain
    assert re.search(r"\x1b\[[0-9;]*36[0-9;]*m", styled) and re.search(r"\x1b\[(?:[0-9]+;)*4[;m]", styled)  # sources, entities
    with pytest.raises(show.ArticleNotFound):
        show.render(rel, "a0000000000000000")


SCORE = {"presspack_score": 1, "release": {"name": "news", "version": "1.0.0"}, "annotator": "Jane Roe", "date": "2026-11-30",
         "gold": {"articles": 50, "format": "labelstudio"}, "bootstrap": {"samples": 1000, "seed": 0, "confidence": 0.95},
         "claims": {"content": {"precision": 0.8123, "recall": 0.7, "f1": 0.752, "tp": 70, "pred": 86, "gold": 100,
                                "ci": {"precision": [0.75, 0.86], "recall": [0.64, 0.76], "f1": [0.7, 0.8]}}},
         "entities": {"exact": {"precision": 0.9, "recall": 0.8, "f1": 0.847, "tp": 8, "pred": 9, "gold": 10, "ci": {"f1": None}},
                      "per_label": {"PERSON": {"exact": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 2, "pred": 2, "gold": 2,
                                                         "ci": {"f1": [1.0, 1.0]}}}}}}


def test_quality_sections(tmp_path):
    md = quality.markdown(SCORE)
    assert md.startswith("## Measured accuracy\n") and "Measured on 50 articles sampled from release news 1.0.0" in md
    assert "annotated by Jane Roe on 2026-11-30" in md and "| claims | content: " in md and "0.752 [0.700, 0.800] | 100 | 86 |" in md
    assert "| entities | exact: mentions, exact span and label | 0.900 | 0.800 | 0.847 | 10 | 9 |" in md and "| PERSON |" in md
    h = quality.html_section(SCORE)
    assert h.startswith('<section id="measured-accuracy">') and "<td>0.752 [0.700, 0.800]</td>" in h
    dp = quality.datapackage_entry(SCORE)
    assert dp["annotator"] == "Jane Roe" and dp["articles"] == 50 and dp["figures"]["claims"]["content"]["ci"]["f1"] == [0.7, 0.8]
    p = tmp_path / "s.json"
    for text, message in (("{", "cannot read it as JSON"), ('{"claims": {}}', "not a presspack score file")):
        p.write_text(text, encoding="utf-8")
        with pytest.raises(quality.QualityError, match=rf"^{p}: {message}"):
            quality.load_quality(p)


def test_release_with_quality_is_reproducible(tmp_path, nlp, config):
    from presspack.release import release
    from presspack.validate import validate

    q = tmp_path / "score.json"
    q.write_text(json.dumps(SCORE), encoding="utf-8")
    dirs = []
    for name in ("a", "b"):
        r = release([NEWS], tmp_path / name, config=config, nlp=nlp, quality=quality.load_quality(q))
        dirs.append(r.build.release_dir)
    a, b = dirs
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    assert all((a / f.name).read_bytes() == (b / f.name).read_bytes() for f in a.iterdir())
    card = (a / "README.md").read_text(encoding="utf-8")
    assert quality.markdown(SCORE) in card and card.index("## Measured accuracy") < card.index("## Citation")
    assert quality.html_section(SCORE) in (a / "report.html").read_text(encoding="utf-8")
    assert json.loads((a / "datapackage.json").read_text(encoding="utf-8"))["quality"] == quality.datapackage_entry(SCORE)
    assert validate(a, frictionless=True).valid
    assert main(["release", str(NEWS), "--out", str(tmp_path / "c"), "--quality", str(tmp_path / "missing.json")]) == 1


def test_gold_format_detection(tmp_path):
    assert gold_mod.detect_format(tmp_path) == "brat"
    assert gold_mod.detect_format(tmp_path / "x.jsonl") == "jsonl" and gold_mod.detect_format(tmp_path / "x.json") == "labelstudio"
    with pytest.raises(GoldError, match="--format"):
        gold_mod.detect_format(tmp_path / "x.csv")
