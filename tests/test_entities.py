"""Entity mentions, keys across a corpus, gazetteers, the entity index, and a score floor
on a small fixture annotated by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from presspack.annotate.batch import annotate
from presspack.config import load_config
from presspack.entities.mentions import repair_span
from presspack.ingest.types import RawArticle
from presspack.normalize.text import normalize
from presspack.validate.run import validate


def _jsonl(records: list[dict]) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _mentions(nlp, text: str) -> list[dict]:
    art = normalize(RawArticle(origin="t", body=text, meta={"language": "en"}), load_config(None).text, max_chars=100_000)
    return next(annotate([art], nlp)).entities


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("He met the European Union envoy.", "the European Union", "European Union"),
        ("Russia's army advanced.", "Russia's", "Russia"),
        ("The talks were in The Hague.", "The Hague", "The Hague"),
        ("Troops left the U.S. base.", "U.S.", "U.S."),
        ("Shares of Acme Inc. rose.", "Acme Inc.", "Acme Inc."),
        ("(Germany) won.", "(Germany)", "Germany"),
        ("G. Kersey 63 not out.", "G. Kersey 63", "G. Kersey"),
    ],
)
def test_repair_span(text, span, expected):
    s = text.index(span)
    a, b = repair_span(text, s, s + len(span), sentence_start=s == 0, label="PERSON" if "Kersey" in span else "GPE")
    assert text[a:b] == expected


def test_mention_text_never_starts_with_the_or_ends_with_possessive(nlp):
    ents = _mentions(nlp, "The European Union's envoy met the Kremlin's spokesman in The Hague on Friday. Russia's army advanced.")
    texts = {e["text"] for e in ents}
    assert {"European Union", "Kremlin", "The Hague", "Russia"} <= texts
    for t in texts:
        assert not t.lower().startswith("the ") or t == "The Hague"
        assert not t.endswith(("'s", "’s"))


def test_all_caps_headline_entities(nlp):
    ents = _mentions(nlp, "BRAZIL BEAT ARGENTINA IN SAO PAULO\n\nBrazil beat Argentina 2-0 in Sao Paulo on Sunday.")
    head = {e["text"] for e in ents if e["start"] < 34}
    assert {"BRAZIL", "ARGENTINA"} <= head


def test_keys_merge_variants_and_keep_namesakes_apart(make_release):
    records = [
        {"id": "a", "published": "2024-03-01", "text": "Vladimir Putin met officials in Moscow on Monday. President Putin said the talks went well. Mr Putin later left."},
        {"id": "b", "published": "2024-03-05", "text": "Putin spoke to reporters in the Kremlin on Tuesday."},
        {"id": "c", "published": "2024-02-01", "text": "John Smith, a lawyer from Leeds, won the case on Monday. Smith said he was pleased."},
        {"id": "d", "published": "2024-02-02", "text": "Mary Smith, a teacher, opened a school in Oxford. Smith thanked the council."},
        {"id": "e", "published": "2024-02-03", "text": "José Núñez scored twice for the club. Later JOSÉ NÚÑEZ thanked the fans in Madrid."},
        {"id": "f", "published": "2024-02-04", "text": "Jose Nunez signed a new contract with the club in Madrid on Friday."},
    ]
    res = make_release({"news.jsonl": _jsonl(records)})
    rel = res.release_dir
    ents = pd.read_parquet(rel / "entities.parquet")
    arts = pd.read_parquet(rel / "articles.parquet").set_index("article_id")
    ents["doc"] = ents["article_id"].map(arts["external_id"])
    putin = ents[ents["text"].str.contains("Putin")]
    assert set(putin["doc"]) == {"a", "b"}
    assert set(putin["entity_key"]) == {"person:vladimir-putin"}
    assert set(putin["canonical"]) == {"Vladimir Putin"}
    smith = ents[ents["text"].str.contains("Smith")]
    keys = smith.groupby("doc")["entity_key"].agg(set).to_dict()
    assert keys == {"c": {"person:john-smith"}, "d": {"person:mary-smith"}}
    nunez = ents[ents["text"].str.lower().str.contains("n") & ents["doc"].isin(["e", "f"]) & (ents["label"] == "PERSON")]
    assert set(nunez["entity_key"]) == {"person:jose-nunez"}
    index = pd.read_parquet(rel / "entity_index.parquet").set_index("entity_key")
    row = index.loc["person:vladimir-putin"]
    assert (row["n_mentions"], row["n_articles"], row["first_seen"], row["last_seen"]) == (4, 2, "2024-03-01", "2024-03-05")
    assert row["canonical"] == "Vladimir Putin" and pd.isna(row["wikidata"])
    assert set(ents["entity_key"]) == set(index.index)
    assert validate(rel, frictionless=True).valid


def test_gazetteer_and_transliteration_variants(make_release, tmp_path):
    gaz = tmp_path / "gaz.csv"
    gaz.write_text(
        "key,label,canonical,aliases,wikidata\n"
        "kyiv,GPE,Kyiv,Kiev|Kyiv,Q1899\n"
        "zq-labs,ORG,Zorquil Labs,Zorquil|Zorquil Labs,\n",
        encoding="utf-8",
    )
    cfg = tmp_path / "presspack.toml"
    cfg.write_text('[entities]\ngazetteers = ["gaz.csv"]\nvariants = [["Zelensky", "Zelenskyy", "Zelenskiy"]]\n', encoding="utf-8")
    config = load_config(cfg)
    records = [
        {"id": "a", "text": "Volodymyr Zelensky spoke in Kiev on Monday. The start-up zorquil was not mentioned, but Zorquil was."},
        {"id": "b", "text": "Volodymyr Zelenskyy returned to Kyiv on Tuesday after visiting Zorquil Labs."},
    ]
    res = make_release({"news.jsonl": _jsonl(records)}, config=config)
    rel = res.release_dir
    ents = pd.read_parquet(rel / "entities.parquet")
    by_text = ents.groupby("text")["entity_key"].agg(set).to_dict()
    assert by_text["Kiev"] == by_text["Kyiv"] == {"kyiv"}
    assert by_text["Zorquil"] == by_text["Zorquil Labs"] == {"zq-labs"}
    assert "zorquil" not in by_text  # listed names match as written, not in lowercase prose
    zel = ents[ents["text"].str.startswith("Volodymyr")]
    assert len(zel) == 2 and zel["entity_key"].nunique() == 1
    index = pd.read_parquet(rel / "entity_index.parquet").set_index("entity_key")
    assert index.loc["kyiv", "wikidata"] == "Q1899" and index.loc["kyiv", "canonical"] == "Kyiv"
    assert index.loc["kyiv", "n_mentions"] == 2 and index.loc["kyiv", "n_articles"] == 2
    assert set(ents.loc[ents["entity_key"] == "kyiv", "canonical"]) == {"Kyiv"}
    manifest = json.loads((rel / "manifest.json").read_text(encoding="utf-8"))
    import hashlib

    assert manifest["provenance"]["gazetteers"] == [{"name": "gaz.csv", "sha256": hashlib.sha256(gaz.read_bytes()).hexdigest(), "entries": 2}]
    assert validate(rel, frictionless=True).valid


# Hand-annotated fixture (our own sentences): text -> [(mention, CoNLL-style type)].
FIXTURE = [
    ("Angela Merkel met Emmanuel Macron in Paris on Tuesday.", [("Angela Merkel", "PER"), ("Emmanuel Macron", "PER"), ("Paris", "LOC")]),
    ("Shares of Microsoft rose after the company said Satya Nadella would visit Japan.", [("Microsoft", "ORG"), ("Satya Nadella", "PER"), ("Japan", "LOC")]),
    ("The United Nations warned that fighting near Khartoum had displaced thousands.", [("United Nations", "ORG"), ("Khartoum", "LOC")]),
    ("Toyota and Volkswagen reported higher sales in China and Germany.", [("Toyota", "ORG"), ("Volkswagen", "ORG"), ("China", "LOC"), ("Germany", "LOC")]),
    ("Joe Biden told reporters at the White House that NATO would stay united.", [("Joe Biden", "PER"), ("White House", "ORG"), ("NATO", "ORG")]),
    ("Barcelona striker Robert Lewandowski scored twice against Real Madrid in Spain.", [("Barcelona", "ORG"), ("Robert Lewandowski", "PER"), ("Real Madrid", "ORG"), ("Spain", "LOC")]),
    ("The World Health Organization said cases rose in Brazil, Peru and Chile.", [("World Health Organization", "ORG"), ("Brazil", "LOC"), ("Peru", "LOC"), ("Chile", "LOC")]),
    ("Google and Amazon face new rules from the European Commission in Brussels.", [("Google", "ORG"), ("Amazon", "ORG"), ("European Commission", "ORG"), ("Brussels", "LOC")]),
]
TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}


def test_score_floor_on_hand_annotated_fixture(nlp):
    tp = n_pred = n_gold = 0
    for text, gold in FIXTURE:
        g = {(text.index(m), text.index(m) + len(m), lab) for m, lab in gold}
        p = {(e["start"], e["end"], TO_CONLL[e["label"]]) for e in _mentions(nlp, text) if e["label"] in TO_CONLL}
        tp += len(g & p)
        n_pred += len(p)
        n_gold += len(g)
    f1 = 2 * tp / (n_pred + n_gold)
    assert f1 >= 0.85, f"F1 {f1:.3f} ({tp} of {n_gold} gold, {n_pred} predicted)"


def test_sports_result_lines_are_teams(nlp):
    ents = _mentions(nlp, "Results of league matches on Saturday:\n\nPort Vale 2 Oxford 0\n\nMinnesota 6 MILWAUKEE 1")
    teams = {e["text"]: e["label"] for e in ents if e["label"] not in ("CARDINAL", "DATE")}
    assert {k: teams.get(k) for k in ("Port Vale", "Oxford", "Minnesota", "MILWAUKEE")} == dict.fromkeys(("Port Vale", "Oxford", "Minnesota", "MILWAUKEE"), "ORG")


def _labels_after_place_rules(text, mentions):
    """Run the label-consistency step on hand-placed mentions [(name, occurrence, label)]."""
    from presspack.entities.mentions import _consistent_labels, _place_evidence

    raw, pos = [], {}
    for name, label in mentions:
        s = text.index(name, pos.get(name, 0))
        pos[name] = s + len(name)
        raw.append((s, s + len(name), label))
    out = _consistent_labels(text, raw, places=_place_evidence(text, raw))
    return [(text[s:e], label) for s, e, label in out]


def test_place_context_turns_misread_names_into_places():
    text = (
        "Troops advanced towards the city of Varnok. Fighting went on in the Dresk and Olbany axes "
        "and in the direction of Hollin and Pevsk. Officials in Varnok spoke to Marta Pevsk."
    )
    got = _labels_after_place_rules(text, [
        ("Varnok", "PERSON"), ("Dresk", "PERSON"), ("Olbany", "GPE"), ("Hollin", "GPE"),
        ("Pevsk", "PERSON"), ("Varnok", "PERSON"), ("Marta Pevsk", "PERSON"),
    ])
    assert got == [
        ("Varnok", "GPE"), ("Dresk", "GPE"), ("Olbany", "GPE"), ("Hollin", "GPE"),
        # "Pevsk" is also the surname of a person in this article: it stays a person
        ("Pevsk", "PERSON"), ("Varnok", "GPE"), ("Marta Pevsk", "PERSON"),
    ]


def test_people_after_prepositions_stay_people():
    text = "Voters put their faith in Adeyemi. Brandt said it, and Adeyemi agreed with Brandt."
    got = _labels_after_place_rules(text, [("Adeyemi", "PERSON"), ("Brandt", "PERSON"), ("Adeyemi", "PERSON"), ("Brandt", "PERSON")])
    assert got == [("Adeyemi", "PERSON"), ("Brandt", "PERSON"), ("Adeyemi", "PERSON"), ("Brandt", "PERSON")]


def test_example_article_places_are_places(example_release):
    ents = pd.read_parquet(example_release / "entities.parquet")
    labels = dict(zip(ents["text"], ents["label"]))
    for place in ("Kiev", "Sumy", "Donbass", "Kursk", "Kubyansk"):
        assert labels.get(place) == "GPE", place
    assert set(ents.loc[ents["text"].str.contains("Putin"), "label"]) == {"PERSON"}


def _one_pattern(text, raw, names):
    """add_matches as one alternation of every name, longest first (the reference)."""
    import bisect
    import re

    alts = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    pat = re.compile(r"(?<![\w&@.-])(?:" + alts + r")(?![\w&]|[.-]\w|['’]\w\w)")
    taken = sorted((s, e) for s, e, _ in raw)
    starts = [s for s, _ in taken]
    out = list(raw)
    for m in pat.finditer(text):
        k = bisect.bisect_right(starts, m.end() - 1)
        if not (k > 0 and taken[k - 1][1] > m.start()):
            out.append((m.start(), m.end(), names[m.group(0)]))
    return out


def test_add_matches_with_shared_names_equals_one_alternation():
    import random

    from presspack.entities.matching import add_matches
    from presspack.entities.names import known_places

    rng = random.Random(8)
    pieces = ["New", "York", "City", "South", "Sudan", "Guinea", "Papua", "-", "Bissau", "'s", "’s", ".", "&", "@",
              "United States", "Niger", "Nigeria", "1", " ", " ", "\n"]
    words = ["New York", "York City", "South", "Sudan Times", "Papua New Guinea", "Guinea-Bissau", "Al", "Niger"]
    places = known_places()
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", ", ", "."]) for _ in range(rng.randint(1, 25)))
        found = {w: rng.choice(["PERSON", "ORG"]) for w in rng.sample(words, rng.randint(0, 5))}
        a = rng.randint(0, len(text))
        raw = [(a, rng.randint(a, len(text)), "ORG")] if rng.random() < 0.5 else []
        assert add_matches(text, raw, found, shared=places) == _one_pattern(text, raw, {**places, **found})
        assert add_matches(text, raw, found) == (_one_pattern(text, raw, found) if found else raw)
