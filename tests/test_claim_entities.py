"""Claim targets: the claim_entities link table (which entities each claim's content names)."""

from __future__ import annotations

import pandas as pd

from presspack.claims.targets import claim_entity_rows
from presspack.validate.run import validate


def _claim(cid, start, end):
    return {"claim_id": cid, "article_id": "a1", "content_start": start, "content_end": end}


def _mention(start, end, key):
    return {"mention_id": f"a1-m{start}-{end}", "article_id": "a1", "start": start, "end": end, "entity_key": key}


def test_mentions_inside_the_content_only():
    claims = [_claim("a1-c10-50", 10, 50), _claim("a1-c60-80", 60, 80)]
    mentions = [
        _mention(0, 9, "person:speaker"),  # before the content (the speaker)
        _mention(45, 55, "org:straddles"),  # crosses the end of the first content
        _mention(10, 16, "place:first"),  # at the very start
        _mention(30, 50, "org:last"),  # ends exactly at the end
        _mention(62, 70, "place:first"),
    ]
    assert claim_entity_rows(claims, mentions) == [
        {"claim_id": "a1-c10-50", "article_id": "a1", "mention_id": "a1-m10-16", "entity_key": "place:first"},
        {"claim_id": "a1-c10-50", "article_id": "a1", "mention_id": "a1-m30-50", "entity_key": "org:last"},
        {"claim_id": "a1-c60-80", "article_id": "a1", "mention_id": "a1-m62-70", "entity_key": "place:first"},
    ]
    assert claim_entity_rows([], mentions) == [] and claim_entity_rows(claims, []) == []


ARTICLES = {
    "one.txt": (
        "Harbour plan\n\nMayor Ingrid Solberg said that the Port Authority of Vennholm had misled the council.\n\n"
        "The Port Authority said in a statement that Solberg was wrong about the dredging costs.\n"
    ),
    "two.txt": (
        "Council vote\n\nSolberg told reporters that Vennholm would sue the Port Authority.\n"
    ),
}


def test_what_x_claims_about_y(make_release):
    rel = make_release(ARTICLES).release_dir
    assert validate(rel).valid
    claims = pd.read_parquet(rel / "claims.parquet")
    links = pd.read_parquet(rel / "claim_entities.parquet")
    ents = pd.read_parquet(rel / "entities.parquet")
    arts = pd.read_parquet(rel / "articles.parquet").set_index("article_id")
    # every link is a mention inside its claim's content, with the mention's (merged) key
    j = links.merge(claims, on=["claim_id", "article_id"]).merge(ents, on=["mention_id", "article_id"], suffixes=("", "_m"))
    assert len(j) == len(links) > 0
    assert (j["start"] >= j["content_start"]).all() and (j["end"] <= j["content_end"]).all()
    assert (j["entity_key"] == j["entity_key_m"]).all()
    for r in j.itertuples():
        assert arts.loc[r.article_id, "text"][r.start : r.end] in r.content_text
    # "Solberg" alone in the second article is merged with "Ingrid Solberg": one key in both tables
    solberg = set(ents.loc[ents["text"].str.contains("Solberg"), "entity_key"])
    assert len(solberg) == 1
    key = solberg.pop()
    # what does Solberg claim, and about whom? Her claims name the port authority
    said = j[j["speaker_key"] == key]
    assert len(said) > 0
    assert any("Port Authority" in t for t in said["text"])
    # the port authority's claim is about Solberg
    assert key in set(j.loc[j["speaker_text"].fillna("").str.contains("Port Authority"), "entity_key"])
