"""Quotations across articles: normalization, the merging rules, variants, stable ids,
and the same bytes for any --jobs and with the NLP cache."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from presspack.orchestrate.run import build
from presspack.package.tables import TableWriter
from presspack.quotations import words as W
from presspack.quotations.finish import finish

DATA = Path(__file__).resolve().parent / "data" / "quotations"
TRUMP = ("person:donald-trump", "Donald Trump")
WALL = "We will build a great wall along the border and Mexico is going to pay for that wall"


@pytest.mark.parametrize(("pieces", "expected"), [
    (["“We will WIN,” he said"], ["we", "will", "win", "he", "said"]),
    (["We will... win [...] again!"], ["we", "will", "win", "again"]),
    (["It's «done»"], ["it", "s", "done"]),
    (["", " , ! "], []),
])
def test_normalize_drops_marks_case_punctuation_and_ellipses(pieces, expected):
    assert W.normalize(pieces) == expected


@pytest.mark.parametrize(("content", "kind", "expected"), [
    ("We are ready", "direct", ["We are ready"]),
    ("We are ready,” she said. “We always were", "direct", ["We are ready", "We always were"]),
    ("the plan was “a stupid wall” and “a disgrace”", "partial", ["a stupid wall", "a disgrace"]),
    ("no quote marks at all", "indirect", []),
    ("that “we are in this together", "partial", ["we are in this together"]),  # the content ends inside its quote
])
def test_quoted_pieces(content, kind, expected):
    assert W.quoted_pieces(content, kind) == expected


@pytest.mark.parametrize(("words", "canonical", "expected"), [
    ("a b c", "a b c", None),
    ("b c", "a b c d", None),  # an excerpt is no variant
    ("a c", "a b c", "-b"),
    ("a b x c", "a b c", "+x"),
    ("a y c", "a b c", "~b>y"),
    ("x b c d e", "a b c d e", "~a>x"),
    ("b c d e f g h i", "a b c d e", None),  # a different passage going on beyond the canonical text
    ("though the people are here", "if she wins although the people are here", "~although>though"),
])
def test_variant_is_the_word_level_difference_inside_the_quoted_part(words, canonical, expected):
    assert W.variant(words.split(), canonical.split()) == expected


def test_window_hashes_equal_the_hash_of_the_same_words_alone():
    h = W.WordHasher()
    long = h("the mayor said we will build it now".split())
    assert W.windows(long, 3)[3] == W.seq_hash(h("we will build".split()))
    assert len(W.windows(long, 8)) == 1 and len(W.windows(long, 9)) == 0


def _article(aid: str, source: str | None, published: str | None) -> dict:
    return {"article_id": aid, "origin": aid, "text": "x", "n_sentences": 0, "n_tokens": 0, "sha256": "0", "source": source, "published": published}


def _claim(aid: str, i: int, content: str, kind: str = "direct", speaker: tuple[str | None, str | None] = TRUMP) -> dict:
    return {"claim_id": f"{aid}-c{i}", "article_id": aid, "sentence_id": f"{aid}-s{i}", "content_text": content, "content_start": 0,
            "content_end": len(content), "kind": kind, "speaker_key": speaker[0], "speaker_name": speaker[1],
            "speaker_type": "person" if speaker[0] else "unknown", "method": "quote"}


def _quotations(tmp: Path, articles: list[dict], claims: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    """finish() over hand-made articles and claims tables: (quotations rows, claim_id -> claim)."""
    tmp.mkdir(parents=True)
    for table, rows in (("articles", articles), ("claims", claims)):
        w = TableWriter(table, tmp / f"{table}.parquet")
        w.write(rows)
        w.close()
    writers = {"claims": w}
    finish(tmp, writers, 65_536)
    out = {c["claim_id"]: c for c in pq.read_table(tmp / "claims.parquet").to_pylist()}
    return pq.read_table(tmp / "quotations.parquet").to_pylist(), out


ARTS = [_article("a1", "one.example", "2016-01-01"), _article("a2", "two.example", "2016-01-03"), _article("a3", None, None)]


def test_merging_rules(tmp_path):
    claims = [
        _claim("a1", 1, WALL),
        _claim("a2", 1, "we will build a GREAT wall along the border [...] and Mexico is going to pay for that wall!"),  # ellipsis, case
        _claim("a2", 2, "he promised “a great wall along the border” for the country", "partial"),  # a fragment, same speaker
        _claim("a3", 1, "the American people deserve far better than this broken government", speaker=("person:hillary-clinton", "Hillary Clinton")),
        _claim("a3", 2, "the American people are tired of politicians who never listen to them"),  # shares 3 words only
        _claim("a3", 3, WALL.lower(), speaker=("person:bernie-sanders", "Bernie Sanders")),  # another speaker
        _claim("a1", 2, "nothing is quoted here", "indirect"),
    ]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    wall = cl["a1-c1"]["quotation_id"]
    assert wall and cl["a2-c1"]["quotation_id"] == cl["a2-c2"]["quotation_id"] == cl["a3-c3"]["quotation_id"] == wall
    assert len({cl["a3-c1"]["quotation_id"], cl["a3-c2"]["quotation_id"], wall}) == 3
    assert cl["a1-c2"]["quotation_id"] is None
    q = next(r for r in rows if r["quotation_id"] == wall)
    assert q["text"] == WALL and q["n_words"] == 18
    assert (q["n_mentions"], q["n_articles"], q["n_sources"]) == (4, 3, 2)
    assert q["speaker_key"] is None and q["n_speakers"] == 2  # the disagreement is recorded, not resolved
    assert q["speakers"] == "person:donald-trump (3); person:bernie-sanders (1)"
    assert (q["first_article_id"], q["first_published"], q["last_article_id"], q["last_published"]) == ("a1", "2016-01-01", "a2", "2016-01-03")
    assert len(rows) == 3 and all(r["n_variants"] == 0 for r in rows)
    assert all(c["quotation_variant"] is None for c in cl.values())


def test_short_fragments_join_only_one_quotation_of_their_speaker(tmp_path):
    other = "nobody will build a great wall along the river in this town ever again"  # 7 words in common
    claims = [
        _claim("a1", 1, WALL),
        _claim("a1", 2, other),
        _claim("a2", 1, "it would “build a great wall along the”", "partial"),  # in two quotations of the speaker: on its own
        _claim("a2", 2, "“Mexico is going to pay,” he said", "partial"),  # in one: joins it
        _claim("a3", 1, "“Mexico is going to pay,” she said", "partial", speaker=("person:jane-doe", "Jane Doe")),  # not her quotation
        _claim("a3", 2, "“Mexico is going to pay,” someone said", "partial", speaker=(None, None)),  # unresolved
        _claim("a3", 3, "it was “a great wall”", "partial"),  # a short fragment of both quotations: on its own
    ]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    assert cl["a2-c2"]["quotation_id"] == cl["a1-c1"]["quotation_id"]
    ids = [cl[k]["quotation_id"] for k in ("a1-c1", "a1-c2", "a2-c1", "a3-c1", "a3-c2", "a3-c3")]
    assert len(set(ids)) == 6
    assert all(r["fragment_of"] is None for r in rows)  # "a great wall" is in both quotations: a fragment of neither


FOX = ("person:vicente-fox", "Vicente Fox")
STUPID = "It is a stupid wall that will never work, and we are not going to pay for it"
PEOPLE = ("person:hillary-clinton", "Hillary Clinton")


@pytest.mark.parametrize(("content", "speaker", "part_of"), [
    ("he called it “a stupid wall” again", FOX, "a1-c1"),  # the example: 3 words
    ("a “STUPID WALL”, he said", FOX, "a1-c1"),  # 2 words, case and punctuation aside
    ("“never work, and we”", FOX, "a1-c1"),  # 4 words
    ("it was a “stupid” idea", FOX, None),  # one word is never a fragment
    ("he called it “a stupid wall” again", (None, None), None),  # unresolved speaker
    ("he called it “a stupid wall” again", TRUMP, None),  # another speaker
    ("he said “stupid never” twice", FOX, None),  # the words are not in a row in the quotation
    ("he called it “a stupid fence”", FOX, None),  # not its words
    ("“the American people”, she said", PEOPLE, None),  # in two statements of hers: a fragment of neither
    ("“mothers of this city”, she said", PEOPLE, "a2-c1"),  # in one: a fragment of it
    ("“broken government”, she said", PEOPLE, None),  # in one of hers, and in someone else's quotation too
])
def test_a_short_quote_is_a_fragment_of_the_one_longer_quotation_of_its_speaker(tmp_path, content, speaker, part_of):
    """A quote of 2 to 4 words keeps a quotation of its own; fragment_of names the longer
    quotation it is part of, under the conditions a 5-word fragment joins one."""
    claims = [
        _claim("a1", 1, STUPID, speaker=FOX),
        _claim("a1", 2, "the American people deserve far better than this broken government", speaker=PEOPLE),
        _claim("a2", 1, "the American people know what the mothers of this city have done", speaker=PEOPLE),
        _claim("a2", 2, "nobody in this town wants a broken government again", speaker=(None, None)),
        _claim("a3", 1, content, "partial", speaker=speaker),
    ]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    by_id = {r["quotation_id"]: r for r in rows}
    longer = {cl[k]["quotation_id"] for k in ("a1-c1", "a1-c2", "a2-c1", "a2-c2")}
    assert len(longer) == 4 and len(rows) == 5  # never glued, never merged
    short = by_id[cl["a3-c1"]["quotation_id"]]
    assert short["quotation_id"] not in longer and short["n_mentions"] == 1 and short["first_article_id"] == "a3"
    assert short["fragment_of"] == (cl[part_of]["quotation_id"] if part_of else None)
    assert all(by_id[q]["fragment_of"] is None and by_id[q]["n_mentions"] == 1 for q in longer)  # its mentions count on its own row
    assert cl["a3-c1"]["quotation_variant"] is None


def test_a_short_fragment_of_a_quotation_of_5_to_7_words_needs_one_speaker_in_its_article(tmp_path):
    claims = [
        _claim("a1", 1, "a truly historic day for us", speaker=FOX),  # 6 words, no longer form
        _claim("a2", 1, "it was “a truly historic” moment", "partial", speaker=FOX),
        _claim("a2", 2, "Mexico will never pay for a wall, never ever", speaker=FOX),
        _claim("a3", 1, "it would “pay for a wall”", "partial", speaker=FOX),  # in a3, once with Fox ...
        _claim("a3", 2, "“pay for a wall” was her phrase too", "partial", speaker=PEOPLE),  # ... once with another speaker
    ]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    by_id = {r["quotation_id"]: r for r in rows}
    assert by_id[cl["a2-c1"]["quotation_id"]]["fragment_of"] == cl["a1-c1"]["quotation_id"] != cl["a2-c1"]["quotation_id"]
    assert cl["a3-c1"]["quotation_id"] == cl["a3-c2"]["quotation_id"] != cl["a2-c2"]["quotation_id"]  # one node, two speakers: apart
    assert by_id[cl["a3-c1"]["quotation_id"]]["fragment_of"] is None
    assert len(rows) == 4


def test_small_partitions_and_fragment_chunks_give_the_same_bytes(tmp_path, monkeypatch):
    """The shingles spread over many hash partitions and the fragment keys read one at a
    time (the paths of a release too large for one) give the same tables."""
    from presspack.quotations import index, shingles

    claims = [
        _claim("a1", 1, WALL), _claim("a1", 2, STUPID, speaker=FOX),
        _claim("a2", 1, "we will build a GREAT wall along the border [...] and Mexico is going to pay for that wall!"),
        _claim("a2", 2, "he promised “a great wall along the border” for the country", "partial"),
        _claim("a3", 1, "he called it “a stupid wall” again", "partial", speaker=FOX),
        _claim("a3", 2, "It is a stupid wall that will never work, and we are going to pay for it", speaker=FOX),
    ]
    _quotations(tmp_path / "one", ARTS, claims)
    monkeypatch.setattr(shingles, "PART_ROWS", 3)
    monkeypatch.setattr(index, "KEY_CHUNK", 1)
    parts = []

    class Recording(shingles.HashPartitions):
        def __init__(self, total: int) -> None:
            super().__init__(total)
            parts.append(self.parts)

    monkeypatch.setattr(index, "HashPartitions", Recording)
    rows, cl = _quotations(tmp_path / "many", ARTS, claims)
    assert parts and parts[0] > 10
    assert cl["a1-c2"]["quotation_id"] == cl["a3-c2"]["quotation_id"] != cl["a3-c1"]["quotation_id"]
    assert next(r for r in rows if r["quotation_id"] == cl["a3-c1"]["quotation_id"])["fragment_of"] == cl["a1-c2"]["quotation_id"]
    for name in ("quotations.parquet", "claims.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "many" / name).read_bytes(), name


def test_variants_record_the_changed_words(tmp_path):
    claims = [
        _claim("a1", 1, WALL),
        _claim("a2", 1, "We will build a big wall along the border and Mexico is going to pay for that wall"),
        _claim("a3", 1, "We will build a great wall along the border and Mexico will pay for that wall"),
        _claim("a3", 2, "We will build a great wall … and Mexico is going to pay for that wall"),  # an elision
    ]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    assert len(rows) == 1 and rows[0]["n_variants"] == 3
    assert cl["a1-c1"]["quotation_variant"] is None
    assert cl["a2-c1"]["quotation_variant"] == "~great>big"
    assert cl["a3-c1"]["quotation_variant"] == "~is going to>will"
    assert cl["a3-c2"]["quotation_variant"] == "-along the border"


def test_quotation_id_is_stable_when_later_articles_are_added(tmp_path):
    first = [_claim("a1", 1, WALL), _claim("a1", 2, "the people of this state deserve a governor who listens to them")]
    later = [_article("a4", "four.example", "2016-02-01")]
    more = [_claim("a4", 1, "We will build a great, great wall along the border and Mexico is going to pay for that wall, believe me"),
            _claim("a4", 2, "an entirely new statement made in a later article of the release")]
    rows_a, cl_a = _quotations(tmp_path / "a", ARTS, first)
    rows_b, cl_b = _quotations(tmp_path / "b", ARTS + later, first + more)
    assert {r["quotation_id"] for r in rows_a} < {r["quotation_id"] for r in rows_b}
    assert cl_b["a4-c1"]["quotation_id"] == cl_a["a1-c1"]["quotation_id"]
    wall = next(r for r in rows_b if r["quotation_id"] == cl_a["a1-c1"]["quotation_id"])
    assert wall["text"].endswith("believe me") and wall["last_article_id"] == "a4"  # the longest form is canonical


def test_fragment_links_are_stable_and_leave_the_longer_quotation_id_alone(tmp_path):
    """A short fragment quoted before its quotation (a1 is the earliest article) neither
    takes over that quotation's id nor changes it; later articles keep both ids and the link."""
    stupid = [_claim("a2", 1, STUPID, speaker=FOX)]
    fragment = [_claim("a1", 1, "he called it “a stupid wall” again", "partial", speaker=FOX)]
    later = [_article("a4", "four.example", "2016-02-01")]
    more = [_claim("a4", 1, "It is a stupid wall that will never work, and we are not going to pay for it, ever", speaker=FOX),
            _claim("a4", 2, "“a stupid wall”, he said", "partial", speaker=FOX)]
    alone, _ = _quotations(tmp_path / "alone", ARTS, stupid)
    rows_a, cl_a = _quotations(tmp_path / "a", ARTS, stupid + fragment)
    rows_b, cl_b = _quotations(tmp_path / "b", ARTS + later, stupid + fragment + more)
    wall = cl_a["a2-c1"]["quotation_id"]
    assert wall == alone[0]["quotation_id"] == cl_b["a2-c1"]["quotation_id"] == cl_b["a4-c1"]["quotation_id"]
    frag_a = {r["quotation_id"]: r for r in rows_a}[cl_a["a1-c1"]["quotation_id"]]
    frag_b = {r["quotation_id"]: r for r in rows_b}[cl_b["a1-c1"]["quotation_id"]]
    assert frag_a["quotation_id"] == frag_b["quotation_id"] != wall and frag_a["fragment_of"] == frag_b["fragment_of"] == wall
    assert {r["quotation_id"]: r for r in rows_b}[cl_b["a4-c2"]["quotation_id"]]["fragment_of"] == wall  # each article's own fragment
    assert [r["n_mentions"] for r in rows_b if r["quotation_id"] == wall] == [2]


def test_hostile_quotations_do_not_blow_up(tmp_path):
    long = " ".join(f"w{i % 997}x{i}" for i in range(50_000))
    claims = [_claim("a1", i, "“Yes,” he said", "partial") for i in range(300)]  # one-word quotes
    claims += [_claim("a2", 1, long), _claim("a3", 1, long[: len(long) // 2])]
    rows, cl = _quotations(tmp_path / "r", ARTS, claims)
    assert cl["a2-c1"]["quotation_id"] == cl["a3-c1"]["quotation_id"]
    assert len({cl[f"a1-c{i}"]["quotation_id"] for i in range(300)}) == 1
    assert max(r["n_words"] for r in rows) == W.MAX_WORDS


@pytest.fixture(scope="module")
def tram_builds(tmp_path_factory, nlp, config):
    """The tram articles built with --jobs 1, --jobs 2, and twice through one NLP cache."""
    tmp = tmp_path_factory.mktemp("quotations")
    base = dataclasses.replace(config, cache=False, batch_size=1)
    out = {"one": build([DATA / "tram.jsonl"], tmp / "one", "1.0.0", dataclasses.replace(base, jobs=1), nlp=nlp).release_dir,
           "two": build([DATA / "tram.jsonl"], tmp / "two", "1.0.0", dataclasses.replace(base, jobs=2), nlp=nlp).release_dir}
    cached = dataclasses.replace(config, cache=True, cache_dir=str(tmp / "cache"))
    build([DATA / "tram.jsonl"], tmp / "warm", "1.0.0", cached, nlp=nlp)
    out["cached"] = build([DATA / "tram.jsonl"], tmp / "cached", "1.0.0", cached, nlp=nlp).release_dir
    src = tmp / "more"
    src.mkdir()
    for name in ("tram.jsonl", "later.jsonl"):
        shutil.copy(DATA / name, src / name)
    out["more"] = build([src], tmp / "more-out", "1.0.0", base, nlp=nlp).release_dir
    return out


def test_a_quotation_repeated_across_three_articles(tram_builds):
    rel = tram_builds["one"]
    claims = pq.read_table(rel / "claims.parquet").to_pylist()
    rows = pq.read_table(rel / "quotations.parquet").to_pylist()
    tram = [c for c in claims if "tram line that connects" in c["content_text"]]
    assert len(tram) == 3 and len({c["quotation_id"] for c in tram}) == 1 and tram[0]["quotation_id"]
    q = next(r for r in rows if r["quotation_id"] == tram[0]["quotation_id"])
    assert (q["n_articles"], q["n_sources"], q["first_published"], q["last_published"]) == (3, 3, "2024-03-01", "2024-03-05")
    assert q["first_source"] == "northfield-ledger.example" and "every single district" in q["text"]
    assert sum(c["quotation_variant"] is not None for c in tram) >= 1
    people = [c for c in claims if c["content_text"].startswith("The people of Northfield deserve")]
    assert len(people) == 2 and len({c["quotation_id"] for c in people}) == 2  # a shared phrase is not a quotation


@pytest.mark.parametrize("other", ["two", "cached"])
def test_quotations_are_byte_identical_across_jobs_and_cache(tram_builds, other):
    for name in ("quotations.parquet", "claims.parquet"):
        assert (tram_builds["one"] / name).read_bytes() == (tram_builds[other] / name).read_bytes(), name


def test_quotation_ids_stay_when_articles_are_added(tram_builds):
    ids = {r["quotation_id"] for r in pq.read_table(tram_builds["one"] / "quotations.parquet").to_pylist()}
    more = {r["quotation_id"]: r for r in pq.read_table(tram_builds["more"] / "quotations.parquet").to_pylist()}
    assert ids < set(more)
    tram = next(r for r in more.values() if "tram line that connects" in r["text"])
    assert tram["quotation_id"] in ids and tram["n_articles"] == 4 and tram["last_source"] == "northfield-herald.example"
    links = {(r["quotation_id"], r["fragment_of"]) for r in pq.read_table(tram_builds["one"] / "quotations.parquet").to_pylist() if r["fragment_of"]}
    assert links and links <= {(q, r["fragment_of"]) for q, r in more.items()}  # a short fragment and its link stay too


def test_diff_reports_quotations_added_and_removed(tram_builds):
    from presspack.extras.diff import diff_releases

    d = diff_releases(tram_builds["one"], tram_builds["more"])
    more = {r["quotation_id"]: r for r in pq.read_table(tram_builds["more"] / "quotations.parquet").to_pylist()}
    assert d.quotations_added and not d.quotations_removed
    assert any("most expensive promise" in more[q]["text"] for q in d.quotations_added)
    assert d.to_dict()["quotations"]["added"] == d.quotations_added
    assert f"quotations added: {len(d.quotations_added)}" in d.summary()
    back = diff_releases(tram_builds["more"], tram_builds["one"])
    assert back.quotations_removed == d.quotations_added and not back.quotations_added
    assert not diff_releases(tram_builds["one"], tram_builds["two"]).quotations_added


def test_report_lists_the_most_repeated_quotations(tram_builds):
    page = (tram_builds["more"] / "report.html").read_text(encoding="utf-8")
    assert "Most repeated quotations" in page and "tram line that connects" in page
    section = page[page.index("Most repeated quotations"):]
    assert "most expensive promise" not in section  # quoted by one article only


def test_bench_quotations_runs_and_prints_its_ratios(tmp_path):
    import subprocess
    import sys

    bench = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_quotations.py"
    proc = subprocess.run([sys.executable, str(bench), "--quotations", "400", "--factor", "2", "--work", str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "time 2x / 1x:" in proc.stdout and "peak RSS 2x / 1x:" in proc.stdout
    assert not list(tmp_path.iterdir())  # scratch removed
