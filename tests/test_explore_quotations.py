"""The explorer's quotation page: a quotation's mentions by date and outlet with each
variant's changed words marked (rendered in headless Chromium), the links between a
quotation and its short fragments, the links to it from claims, query results and the
quotations table, and that table's month facet."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
import sys

import lxml.html
import pyarrow.parquet as pq
import pytest
from test_explore import _dom, _free_port, _texts, _wait

from presspack.explore.metadata import datasette_metadata
from presspack.explore.quotation import marked_mention, quotation
from presspack.explore.serve import make_datasette
from presspack.explore.sqlite import export_sqlite

BRIDGE = "We will open the new bridge before the winter comes to the valley"
NEWS = [
    ("ledger.example", "2025-04-02", "Bridge promised", "Governor Ada Brenner visited the valley on Monday. "
     f"“{BRIDGE},” Brenner said. Engineers said the work was on time."),
    ("herald.example", "2025-04-05", "Bridge before the snow", "Governor Ada Brenner spoke to the council on Friday. "
     "“We will open the new bridge before the snow comes to the valley,” Brenner told the council."),
    ("ledger.example", "2025-05-11", "Bridge delayed", "Governor Ada Brenner said on Sunday that the “new bridge” would wait. "
     "“The valley has been patient with us,” Brenner said."),
]


@pytest.fixture(scope="module")
def release(news_release):
    return news_release(NEWS, prefix="b")


@pytest.fixture(scope="module")
def db(release, tmp_path_factory):
    return export_sqlite(release, tmp_path_factory.mktemp("db") / "presspack.db")


@pytest.fixture(scope="module")
def bridge(release):
    """The claims quoting the bridge promise (the first mention and a variant) and their
    quotation_id, and the claim quoting its fragment "new bridge" with its own quotation_id."""
    claims = pq.read_table(release / "claims.parquet").to_pylist()
    theirs = [c for c in claims if "bridge" in c["content_text"]]
    assert len(theirs) == 3 and theirs[0]["quotation_id"]  # must-contain
    whole = [c for c in theirs if c["quotation_id"] == theirs[0]["quotation_id"]]
    fragment = next(c for c in theirs if "“new bridge”" in c["content_text"])
    assert len(whole) == 2 and fragment["quotation_id"] and fragment not in whole  # a fragment of 2 words: a quotation of its own
    return whole, theirs[0]["quotation_id"], fragment


@pytest.mark.parametrize(("content", "kind", "expected"), [
    ("We will open the new bridge before the snow comes to the", "direct",
     'We will open the new bridge before the <del class="pp-changed">winter</del><ins class="pp-changed">snow</ins> comes to the'),
    ("We will open the bridge before the winter", "direct", 'We will open the <del class="pp-dropped">new</del> bridge before the winter'),
    ("We will open the new, new bridge before", "direct", 'We will open the new, <ins class="pp-added">new</ins> bridge before'),
    ("she said “the new bridge” again", "partial", "the new bridge"),  # an excerpt: nothing marked
    ("We will open the <new> bridge & before", "direct", "We will open the &lt;new&gt; bridge &amp; before"),  # escaped
])
def test_marked_mention_marks_the_changed_words(content, kind, expected):
    assert str(marked_mention(content, kind, BRIDGE)) == expected


def test_quotation_page_data(release, db, bridge):
    theirs, qid, fragment = bridge
    with sqlite3.connect(db) as con:
        assert quotation(con, "q0000000000000000") is None
        found = quotation(con, qid)
        part = quotation(con, fragment["quotation_id"])
        month = con.execute("select month from quotations where quotation_id = ?", [qid]).fetchone()[0]
    q = found["quotation"]
    assert q["text"] == BRIDGE and (q["n_mentions"], q["n_articles"], q["n_sources"], q["n_variants"]) == (2, 2, 2, 1)
    assert q["fragment_of"] is None and found["part_of"] is None
    assert [(f["quotation_id"], f["text"], f["n_mentions"]) for f in found["fragments"]] == [(fragment["quotation_id"], "new bridge", 1)]
    assert found["n_fragments"] == 1 and not part["fragments"]
    assert part["quotation"]["fragment_of"] == qid and (part["part_of"]["quotation_id"], part["part_of"]["text"]) == (qid, BRIDGE)
    assert month == "2025-04"  # the first mention's month
    dates = [m["article_published"] for m in found["mentions"]]
    assert dates == sorted(dates) and {m["claim_id"] for m in found["mentions"]} == {c["claim_id"] for c in theirs}
    variant = next(m for m in found["mentions"] if m["quotation_variant"])
    assert variant["quotation_variant"] == "~winter>snow" and "<ins" in variant["marked"] and "<del" in variant["marked"]
    assert all("<ins" not in m["marked"] for m in found["mentions"] if not m["quotation_variant"])
    assert [(s["source"], s["mentions"]) for s in found["sources"]] == [("ledger.example", 1), ("herald.example", 1)]


def test_quotations_table_has_speaker_and_month_facets(release):
    tables = datasette_metadata(release)["databases"]["presspack"]["tables"]
    assert {"speaker_name", "month"} <= set(tables["quotations"]["facets"])
    assert "first mention" in tables["quotations"]["columns"]["month"]


def test_claims_queries_and_quotations_link_to_the_quotation_page(release, tmp_path, bridge):
    theirs, qid, fragment = bridge
    ds, _, _ = make_datasette(release, db=tmp_path / "links.db")
    href = f"/quotation/{qid}"
    claims = lxml.html.document_fromstring(asyncio.run(ds.client.get("/links/claims")).text)
    assert {a.get("href") for a in claims.xpath("//td[contains(@class, 'col-quotation_id')]/a")} >= {href}
    table = lxml.html.document_fromstring(asyncio.run(ds.client.get("/links/quotations?_facet=month")).text)
    assert href in {a.get("href") for a in table.xpath("//td[contains(@class, 'col-text')]/a")}
    assert "2025-04" in table.text_content() and "2025-05" in table.text_content()  # the month facet's values
    assert {a.get("href") for a in table.xpath("//td[contains(@class, 'col-fragment_of')]/a")} == {href}  # the fragment's row
    rows = lxml.html.document_fromstring(asyncio.run(ds.client.get(f"/links/quotations?fragment_of={qid}")).text)
    assert {a.get("href") for a in rows.xpath("//td[contains(@class, 'col-text')]/a")} == {f"/quotation/{fragment['quotation_id']}"}
    query = lxml.html.document_fromstring(asyncio.run(ds.client.get("/links/most_repeated_quotations")).text)
    assert href in {a.get("href") for a in query.xpath("//td//a[@class='pp-quotation-link']")}
    article = lxml.html.document_fromstring(asyncio.run(ds.client.get(f"/article/{theirs[0]['article_id']}")).text)
    assert href in {a.get("href") for a in article.xpath("//table[contains(@class, 'pp-claims')]//a[@class='pp-quotation-link']")}
    speaker = lxml.html.document_fromstring(asyncio.run(ds.client.get(f"/speaker/{theirs[0]['speaker_key']}")).text)
    assert href in {a.get("href") for a in speaker.xpath("//a[@class='pp-quotation-link']")}
    assert asyncio.run(ds.client.get("/quotation/q0000000000000000")).status_code == 404


def test_served_quotation_page_in_headless_chromium(release, bridge, tmp_path, chromium):
    theirs, qid, fragment = bridge
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "presspack", "serve", str(release), "--port", str(port),
                             "--db", str(tmp_path / "served.db")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/-/versions.json", proc)
        root = _dom(chromium, f"http://127.0.0.1:{port}/quotation/{qid}", tmp_path / "profile")
        part = _dom(chromium, f"http://127.0.0.1:{port}/quotation/{fragment['quotation_id']}", tmp_path / "profile")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert _texts(root, "//blockquote[@class='pp-quotation-text']") == [f"“{BRIDGE}”"]
    rows = root.xpath("//table[contains(@class, 'pp-mentions')]/tbody/tr")
    assert [r.get("data-published") for r in rows] == ["2025-04-02", "2025-04-05"]
    assert [" ".join(r.xpath("./td[2]")[0].text_content().split()) for r in rows] == ["ledger.example", "herald.example"]
    assert {r.get("data-claim"): r.xpath(".//td[contains(@class, 'pp-mention')]/a")[0].get("href") for r in rows} == {
        c["claim_id"]: f"/article/{c['article_id']}#{c['claim_id']}" for c in theirs}
    variant = root.xpath("//tr[contains(@class, 'pp-variant-row')]")
    assert len(variant) == 1 and variant[0].get("data-published") == "2025-04-05"
    assert _texts(variant[0], ".//ins") == ["snow"] and _texts(variant[0], ".//del") == ["winter"]
    assert not root.xpath("//tr[not(contains(@class, 'pp-variant-row'))]//td[contains(@class, 'pp-mention')]//ins")
    assert _texts(root, "//table[contains(@class, 'pp-outlets')]/tbody/tr/td[1]") == ["ledger.example", "herald.example"]
    assert {a.get("href") for a in root.xpath("//a[@class='pp-speaker-link']")} == {f"/speaker/{theirs[0]['speaker_key']}"}
    links = root.xpath("//table[contains(@class, 'pp-fragments')]/tbody/tr")  # the fragment quoted elsewhere, with its mentions
    assert [(r.xpath(".//a")[0].get("href"), [" ".join(td.text_content().split()) for td in r.xpath("./td")]) for r in links] == [
        (f"/quotation/{fragment['quotation_id']}", ["“new bridge”", "1", "1", "2025-05-11 ledger.example"])]
    assert not root.xpath("//p[@class='pp-fragment-of']") and not part.xpath("//table[contains(@class, 'pp-fragments')]")
    assert [a.get("href") for a in part.xpath("//p[@class='pp-fragment-of']/a")] == [f"/quotation/{qid}"]  # and back
    assert [r.get("data-claim") for r in part.xpath("//table[contains(@class, 'pp-mentions')]/tbody/tr")] == [fragment["claim_id"]]
