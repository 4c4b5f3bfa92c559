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


def test_a_surname_means_the_person_written_first_with_it(nlp):
    """A surname alone takes the full name the article wrote first, not the longest:
    "Chris Murphy ... Anne Marie Murphy ... Murphy said" is the senator."""
    text = ("Senator Chris Murphy spoke for fifteen hours. He paid tribute to Anne Marie Murphy, a teacher who died "
            "in the attack. Murphy said the vote would come in June.")
    ents = _mentions(nlp, text)
    last = max((m for m in ents if m["text"] == "Murphy"), key=lambda m: m["start"])
    assert last["canonical"] == "Chris Murphy"
    assert {m["canonical"] for m in ents if m["text"] == "Anne Marie Murphy"} == {"Anne Marie Murphy"}


def test_an_office_before_a_name_is_no_part_of_it(nlp):
    """Local and religious offices are titles like "Senator": the name is the person's."""
    text = ("Councillor Lee Zeldin spoke first. Congresswoman Maria Ortiz said the bill would pass, "
            "and Rabbi David Stern led the prayers.")
    ents = _mentions(nlp, text)
    canon = {m["canonical"] for m in ents if m["label"] == "PERSON"}
    assert {"Lee Zeldin", "Maria Ortiz", "David Stern"} <= canon, canon
    assert not any(c.startswith(("Councillor", "Congresswoman", "Rabbi")) for c in canon)


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
    assert set(ents["entity_key"].dropna()) == set(index.index)
    assert validate(rel, frictionless=True).valid


KEYLESS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}


def test_dates_and_numbers_have_no_key_and_aliases_share_one(make_release):
    records = [
        {"id": "a", "published": "2025-05-02", "text": "Britain will cut rail fares by 5 percent next year, the transport minister said on Monday. "
         "The UK network carried two million passengers in the first week of March."},
        {"id": "b", "published": "2025-05-09", "text": "The United Kingdom and the US signed a trade deal worth $3 billion on Friday. "
         "Officials in America said the deal would take four months to agree."},
    ]
    rel = make_release({"news.jsonl": _jsonl(records)}).release_dir
    ents = pd.read_parquet(rel / "entities.parquet")
    index = pd.read_parquet(rel / "entity_index.parquet").set_index("entity_key")
    # dates and numbers stay mentions, with their own text as name, but have no key
    numbers = ents[ents["label"].isin(KEYLESS)]
    assert {"5 percent", "next year", "Monday", "two million", "$3 billion"} <= set(numbers["text"])
    assert numbers["entity_key"].isna().all() and (numbers["canonical"] == numbers["text"]).all()
    assert ents.loc[~ents["label"].isin(KEYLESS), "entity_key"].notna().all()
    assert not set(index["label"]) & KEYLESS and set(ents["entity_key"].dropna()) == set(index.index)
    # the shipped gazetteer: the names of one country share its key, canonical name and Wikidata id
    keys = ents.groupby("text")["entity_key"].agg(set).to_dict()
    assert keys["Britain"] == keys["UK"] == keys["United Kingdom"] == {"place:united-kingdom"}
    assert keys["US"] == keys["America"] == {"place:united-states"}
    uk = index.loc["place:united-kingdom"]
    assert (uk["canonical"], uk["label"], uk["wikidata"], uk["n_mentions"], uk["n_articles"]) == ("United Kingdom", "GPE", "Q145", 3, 2)
    assert set(ents.loc[ents["entity_key"] == "place:united-kingdom", "canonical"]) == {"United Kingdom"}
    # a claim keeps its links to the dates and amounts it mentions, without a key
    links = pd.read_parquet(rel / "claim_entities.parquet").merge(ents[["mention_id", "label"]], on="mention_id")
    assert len(links) and set(links.loc[links["label"].isin(KEYLESS), "entity_key"].isna()) == {True}
    assert links["label"].isin(KEYLESS).any()
    report = validate(rel, frictionless=True)
    assert report.valid, report.problems[:3]


def test_gazetteer_lookup_user_over_shipped(tmp_path):
    from presspack.entities.gazetteer import builtin_entries, builtin_gazetteer, load_gazetteers

    shipped = builtin_gazetteer()
    assert shipped.files == [] and len(builtin_entries()) >= 20
    assert shipped.lookup("UK").key == shipped.lookup("BRITAIN").key == shipped.lookup("Great Britain").key == "place:united-kingdom"
    assert shipped.lookup("U.S.").key == shipped.lookup("America").key == "place:united-states"
    assert shipped.lookup("uk") is None and shipped.lookup("who") is None  # never a lowercase word
    assert shipped.lookup("England") is None and shipped.lookup("9/11") is None
    user = tmp_path / "mine.toml"
    user.write_text(
        '[[entity]]\nlabel = "EVENT"\ncanonical = "September 11 attacks"\naliases = ["9/11"]\n\n'
        '[[entity]]\nkey = "org:european-union"\nlabel = "ORG"\ncanonical = "EU"\naliases = ["European Union"]\n\n'
        '[[entity]]\nkey = "ship:america"\nlabel = "PRODUCT"\ncanonical = "SS America"\naliases = ["America"]\n',
        encoding="utf-8",
    )
    g = load_gazetteers([user])
    assert g.lookup("9/11").key == "event:september-11-attacks"
    assert g.lookup("E.U.") is None  # the user's entry of that key replaces the shipped one, aliases and all
    assert g.lookup("European Union").canonical == "EU" and g.index_fields("org:european-union")["wikidata"] is None
    assert g.lookup("America").key == "ship:america" and g.lookup("USA").key == "place:united-states"
    assert [f["entries"] for f in g.files] == [3]


def test_a_gazetteer_keys_a_date(nlp, tmp_path):
    from presspack.entities.gazetteer import load_gazetteers

    user = tmp_path / "events.csv"
    user.write_text("key,label,canonical,aliases,wikidata\nevent:9-11,EVENT,September 11 attacks,9/11,\n", encoding="utf-8")
    text = "Twenty years after 9/11, the memorial in New York opened on Sunday."
    art = normalize(RawArticle(origin="t", body=text, meta={"language": "en"}), load_config(None).text, max_chars=100_000)
    ents = {e["text"]: e for e in next(annotate([art], nlp, gazetteer=load_gazetteers([user]))).entities}
    assert (ents["9/11"]["entity_key"], ents["9/11"]["label"], ents["9/11"]["canonical"]) == ("event:9-11", "EVENT", "September 11 attacks")
    assert ents["Sunday"]["entity_key"] is None and ents["New York"]["entity_key"] == "place:new-york"


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
    from presspack.entities.evidence import person_evidence, place_evidence
    from presspack.entities.mentions import _consistent_labels

    raw, pos = [], {}
    for name, label in mentions:
        s = text.index(name, pos.get(name, 0))
        pos[name] = s + len(name)
        raw.append((s, s + len(name), label))
    out = _consistent_labels(text, raw, places=place_evidence(text, raw), people=person_evidence(text, raw))
    return [(text[s:e], label) for s, e, label in out]


def test_a_name_after_a_persons_role_is_a_person():
    text = ("The woman's lawyer, Susan K Marlow, said her client would sue. Party leader Nicola Brand welcomed it. "
            "John Lewis opened a store and the retailer, Thomas Cook, sold holidays.")
    got = _labels_after_place_rules(text, [
        ("Susan K Marlow", "ORG"), ("Nicola Brand", "ORG"), ("John Lewis", "ORG"), ("Thomas Cook", "ORG"),
    ])
    assert got == [("Susan K Marlow", "PERSON"), ("Nicola Brand", "PERSON"), ("John Lewis", "ORG"), ("Thomas Cook", "ORG")]


def test_two_names_right_after_a_role_are_a_person_whatever_the_given_name():
    text = ("Wales coach Tor-Bjorn Halvik picked his side. His friend, Rolling Stones guitarist Ann Lee, "
            "watched. The retailer, Marks Spencer, sold tickets.")
    got = _labels_after_place_rules(text, [("Tor-Bjorn Halvik", "ORG"), ("Rolling Stones", "ORG"), ("Marks Spencer", "ORG")])
    assert got == [("Tor-Bjorn Halvik", "PERSON"), ("Rolling Stones", "ORG"), ("Marks Spencer", "ORG")]


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


def test_entity_index_skips_mentions_without_a_key_in_memory_and_on_disk():
    from presspack.entities.index import EntityIndex

    def mention(aid, key, label, name):
        return {"article_id": aid, "entity_key": key, "label": label, "canonical": name}

    stream = [
        ({"published": "2025-01-02"}, [mention("a1", None, "DATE", "last year"), mention("a1", "org:acme", "ORG", "Acme"),
                                       mention("a1", None, "CARDINAL", "one")]),
        ({"published": "2025-01-05"}, [mention("a2", None, "DATE", "last year")]),
        ({"published": None}, [mention("a3", "org:acme", "ORG", "ACME"), mention("a3", None, "ORDINAL", "first")]),
    ]
    got = []
    for spill_after in (None, 0):
        idx = EntityIndex(spill_after=spill_after)
        for art, ms in stream:
            idx.add(art, ms)
        rows, _ = idx.rows(idx.resolve())
        got.append([(r["entity_key"], r["n_mentions"], r["n_articles"], r["first_seen"], r["last_seen"]) for r in rows])
        idx.close()
    assert got[0] == got[1] == [("org:acme", 2, 2, "2025-01-02", "2025-01-02")]


def test_a_name_with_a_persons_apposition_or_title_elsewhere_is_a_person():
    """An organisation's name opening with a given name and followed by a person's role
    ("Susan Okoro, chief of ..."), or whose last word the article writes with a title
    elsewhere ("Mr Varga said"), is a person; a name that is only its own title
    ("King Cross") or that has an organisation's apposition stays as the NER said."""
    text = ("Susan Okoro, chief of the port authority, spoke first. Bela Varga welcomed the plan. "
            "Later Mr Varga said it would pass. John Lewis, the retailer, agreed. Trains left King Cross early.")
    got = _labels_after_place_rules(text, [
        ("Susan Okoro", "ORG"), ("Bela Varga", "ORG"), ("John Lewis", "ORG"), ("King Cross", "ORG"),
    ])
    assert got == [("Susan Okoro", "PERSON"), ("Bela Varga", "PERSON"), ("John Lewis", "ORG"), ("King Cross", "ORG")]
