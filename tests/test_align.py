"""Gold annotated on the original input text (non-breaking spaces, hard line breaks,
invisible characters) is aligned to the release's normalized text: spans that can be
mapped are, the others are refused and counted; `presspack score` says how many."""

from __future__ import annotations

import json

import pytest

from presspack.audit import score, tables
from presspack.audit.align import Alignment, AlignStats, align_annotations, skeleton_sha256
from presspack.audit.gold import GoldError
from presspack.audit.load import load_gold
from presspack.audit.model import Annotations, Claim, one
from presspack.cli import main

# An original text as a corpus distributes it: non-breaking spaces, a hard line break
# inside a paragraph, three line breaks between paragraphs, a zero-width space.
ORIGINAL = ("Mayor\u00a0Ines Vale said on Tuesday that the ferry\u00a0service would resume in May.\n\n\n"
            "\u201cWe owe it to the island,\u201d Vale told the council.\n"
            "Critics said the plan\u200b was too expensive.")


def _span(text: str, phrase: str) -> dict:
    s = text.index(phrase)
    return {"start": s, "end": s + len(phrase), "text": phrase}


def test_identical_texts_map_to_themselves():
    al = Alignment("a b", "a b")
    assert al.identical and al.span(one(0, 3)) == one(0, 3) and al.share == 1.0


def test_whitespace_and_invisible_characters_are_aligned():
    target = "Mayor Ines Vale said\n\nthe plan was"
    source = "Mayor\u00a0Ines  Vale\u200b said\n\n\nthe\u00a0plan was"
    al = Alignment(source, target)
    assert al.share == 1.0 and al.covers
    for phrase in ("Mayor\u00a0Ines", "Vale\u200b said", "said\n\n\nthe\u00a0plan was"):
        s = source.index(phrase)
        (ms, me), = al.span(one(s, s + len(phrase)))
        assert target[ms:me].split() == phrase.replace("\u200b", "").split()
    assert skeleton_sha256(source) == skeleton_sha256(target)


def test_a_span_the_release_lost_is_refused():
    source, target = "Hello big world. Bye now.", "Hello world. Bye now."
    al = Alignment(source, target)
    assert al.covers and not Alignment(target, source).covers  # the release only takes away
    assert not Alignment("the plan", "teh plan").covers  # a changed word: another text
    assert al.span(one(6, 9)) is None  # "big": gone
    assert al.span(one(6, 15)) is None  # "big world": partly gone
    (s, e), = al.span(one(17, 20))
    assert target[s:e] == "Bye"
    stats = AlignStats()
    ann = Annotations(sentences=[(0, 16), (17, 25)], entities=[(17, 20, "PERSON")],
                      claims=[Claim(None, None, one(6, 15)), Claim(None, one(17, 20), one(21, 25))])
    got = align_annotations(al, ann, stats, "x")
    assert len(got.claims) == 1 and got.claims[0].content == one(target.index("now."), len(target))
    assert stats.to_dict() == {"articles": 1, "spans_aligned": 4, "spans_refused": 2, "claims_dropped": 1}
    assert "2 refused" in stats.note() and "1 claim(s) left out" in stats.note()


@pytest.fixture(scope="module")
def original_release(tmp_path_factory, nlp, config):
    from presspack.orchestrate import build

    src = tmp_path_factory.mktemp("orig-in") / "docs.jsonl"
    src.write_text(json.dumps({"id": "ferry-1", "text": ORIGINAL}) + "\n", encoding="utf-8")
    return build([src], tmp_path_factory.mktemp("orig-out"), "1.0.0", config, nlp=nlp).release_dir


def test_score_aligns_gold_on_the_original_text(original_release, tmp_path, capsys):
    rel = original_release
    (art,) = tables.articles(rel, [r["article_id"] for r in tables.article_rows(rel, ())]).values()
    assert art.text != ORIGINAL  # the normalizer changed it
    claim = {"source": _span(ORIGINAL, "Vale"), "cue": _span(ORIGINAL, "told"),
             "content": _span(ORIGINAL, "\u201cWe owe it to the island,\u201d")}
    indirect = {"source": _span(ORIGINAL, "Mayor\u00a0Ines Vale"), "cue": _span(ORIGINAL, "said"),
                "content": _span(ORIGINAL, "the ferry\u00a0service would resume in May")}
    critics = {"source": _span(ORIGINAL, "Critics"), "cue": _span(ORIGINAL, "said the"),
               "content": _span(ORIGINAL, "the plan\u200b was too expensive")}
    gold_path = tmp_path / "gold.jsonl"
    # PolNeAR's layout: no article id, the original text, "attributions"
    gold_path.write_text(json.dumps({"id": "ferry-1", "text": ORIGINAL, "attributions": [indirect, claim, critics]}) + "\n",
                         encoding="utf-8")
    gold = load_gold(gold_path, rel)
    assert gold.alignment == {"articles": 1, "spans_aligned": 9, "spans_refused": 0, "claims_dropped": 0}
    ann = gold.docs[art.article_id]
    t = art.text
    got = [(t[c.source[0][0]:c.source[0][1]], t[c.cue[0][0]:c.cue[0][1]], t[c.content[0][0]:c.content[0][1]]) for c in ann.claims]
    assert got == [("Mayor Ines Vale", "said", "the ferry service would resume in May"),
                   ("Vale", "told", "\u201cWe owe it to the island,\u201d"),
                   ("Critics", "said the", "the plan was too expensive")]
    report = score.score_report(rel, gold)
    assert report["gold"]["alignment"]["spans_aligned"] == 9
    assert main(["score", str(rel), "--gold", str(gold_path)]) == 0
    assert "1 article(s) were annotated on a text that normalization changed: 9 span(s) aligned to the release's text, 0 refused" in capsys.readouterr().err


def test_another_text_is_still_refused(original_release, tmp_path):
    gold_path = tmp_path / "gold.jsonl"
    other = ORIGINAL.replace("ferry", "bridge")
    gold_path.write_text(json.dumps({"text": other, "claims": []}) + "\n", encoding="utf-8")
    with pytest.raises(GoldError, match="not an article of the release"):
        load_gold(gold_path, original_release)
