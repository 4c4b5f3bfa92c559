"""The example article: the foundation issue's acceptance facts."""

from __future__ import annotations

import pandas as pd
import pytest

BOILERPLATE = ["4 Min Read", "Source link", "Share This Article", "Leave a Comment", "Leave a Reply", "Your email address"]


@pytest.fixture(scope="module")
def tables(example_release):
    return {t: pd.read_parquet(example_release / f"{t}.parquet") for t in ("articles", "sentences", "entities", "claims")}


def test_header_fields(tables):
    a = tables["articles"].iloc[0]
    assert a["title"] == "Putin rejects a “truce on Kiev’s terms”… Is the war heading towards a new round of escalation?"
    assert a["section"] == "policy"
    assert a["source"] == "aljazeera.net"
    assert a["language"] == "en"
    assert a["origin"] == "putin-rejects-truce.txt"


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_no_boilerplate_in_any_text(tables, phrase):
    for t, df in tables.items():
        for col in [c for c in df.columns if c == "text" or c.endswith("_text") or c == "title"]:
            assert not df[col].dropna().str.contains(phrase, regex=False).any(), (t, col)


def test_heading_is_its_own_sentence(tables):
    s = tables["sentences"]
    row = s[s["text"] == "Crimes of the Ukrainian regime"]
    assert len(row) == 1
    assert bool(row.iloc[0]["is_heading"])
    assert s["is_heading"].sum() == 1


def test_putin_mentions_share_one_key(tables):
    e = tables["entities"]
    putin = e[e["text"].isin(["Putin", "Vladimir Putin"])]
    assert len(putin) >= 5
    assert putin["entity_key"].nunique() == 1
    assert set(putin["canonical"]) == {"Vladimir Putin"}


def test_claims_resolve_to_putin(tables):
    e, c = tables["entities"], tables["claims"]
    key = e[e["text"] == "Vladimir Putin"]["entity_key"].iloc[0]
    mine = c[c["speaker_key"] == key]
    assert len(mine) >= 12
    assert set(mine["speaker_name"]) == {"Vladimir Putin"}
    assert "He" in set(mine["speaker_text"])
    assert "The Russian President" in set(mine["speaker_text"])


def test_sumy_claim(tables):
    c = tables["claims"]
    hit = c[(c["cue_text"] == "said") & c["content_text"].str.contains("about 10.5 kilometers from the city of Sumy", regex=False)]
    assert len(hit) == 1


def test_offsets_slice_to_text(tables):
    text = tables["articles"].iloc[0]["text"]
    for _, r in tables["sentences"].iterrows():
        assert text[r["start"]:r["end"]] == r["text"]
    for _, r in tables["entities"].iterrows():
        assert text[r["start"]:r["end"]] == r["text"]
    for _, r in tables["claims"].iterrows():
        for p in ("speaker", "cue", "content"):
            if not pd.isna(r[f"{p}_start"]):
                assert text[r[f"{p}_start"]:r[f"{p}_end"]] == r[f"{p}_text"]


def test_integer_dtypes(tables):
    assert str(tables["claims"]["speaker_start"].dtype) == "Int32"
    assert str(tables["sentences"]["start"].dtype) == "Int32"
    assert str(tables["articles"]["n_tokens"].dtype) == "Int32"
    assert str(tables["sentences"]["is_heading"].dtype) == "boolean"
