"""presspack serve / export: the SQLite and DuckDB exports, the Datasette metadata, the
article page (rendered in headless Chromium) and full-text search."""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

import duckdb
import lxml.html
import pyarrow.parquet as pq
import pytest
import sqlite_utils

from presspack.cli import main
from presspack.errors import ExploreError
from presspack.explore import pages
from presspack.explore.article import article_html
from presspack.explore.duckdb import export_duckdb
from presspack.explore.metadata import QUERIES, datasette_metadata
from presspack.explore.order import reading_order, reorder
from presspack.explore.pages import every_month, highlighted, search, words_query
from presspack.explore.plugin import inline_code
from presspack.explore.serve import make_datasette
from presspack.explore.sqlite import META_TABLE, cached_database, export_sqlite
from presspack.explore.tables import release_tables
from presspack.package.schemas import fields, foreign_keys, is_required, primary_key, span_columns, table_schema

ROOT = Path(__file__).resolve().parent.parent
NEWS = [
    ("harbour.example.org", "2025-01-14", "Harbour reopens", "Port director Samuel Okafor said the harbour in Rotterdam "
     "would reopen on Friday. “We have repaired the quay. The ships can return,” Okafor told reporters."),
    ("harbour.example.org", "2025-02-03", "Strike ends in Antwerp", "Dock workers in Antwerp voted to end the strike, union "
     "leader Maria Lopez said. “Schools come first,” Mayor Lena Park said on Tuesday."),
    ("city.example.net", "2025-02-20", "Budget approved", "Mayor Lena Park said the council would approve the budget. "
     "“Schools come first,” Park said. The opposition said the plan was too expensive."),
    ("city.example.net", "2025-03-09", "Harbour budget", "The harbour budget was approved by the council in Rotterdam on "
     "Monday, officials said."),
]
SEARCHES = [("claims", "first"), ("claims", "quay"), ("sentences", "harbour"), ("articles", "budget")]


@pytest.fixture(scope="module")
def release(news_release):
    return news_release(NEWS, prefix="n")


@pytest.fixture(scope="module")
def db(release, tmp_path_factory):
    return export_sqlite(release, tmp_path_factory.mktemp("db") / "presspack.db")


def _parquet(release: Path, table: str) -> list[dict]:
    return pq.read_table(release / f"{table}.parquet").to_pylist()


def _duckdb_hits(release: Path, table: str, column: str, word: str) -> int:
    """Rows whose column holds `word` as a token: what FTS5's unicode61 tokenizer matches."""
    sql = f"select count(*) from read_parquet(?) where regexp_matches(lower({column}), ?)"
    return duckdb.connect().execute(sql, [str(release / f"{table}.parquet"), rf"\b{word}\b"]).fetchone()[0]


def test_sqlite_export_is_byte_identical_and_complete(release, db, tmp_path):
    again = export_sqlite(release, tmp_path / "elsewhere" / "other-name.db")
    assert again.read_bytes() == db.read_bytes()
    con = sqlite_utils.Database(db)
    for table in release_tables(release):
        t = con[table]
        assert t.count == pq.ParquetFile(release / f"{table}.parquet").metadata.num_rows, table
        assert t.pks == primary_key(table)
        assert [c for c in t.columns_dict if c != "month"] == [f["name"] for f in fields(table)]
        assert {(fk.column, fk.other_table, fk.other_column) for fk in t.foreign_keys} == {
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0]) for fk in foreign_keys(table)}
    assert con["articles"].detect_fts() == "articles_fts" and con["claims"].detect_fts() == "claims_fts"
    months = {r["published"][:7]: r["month"] for r in con.query("select published, month from articles")}
    assert months == {"2025-01": "2025-01", "2025-02": "2025-02", "2025-03": "2025-03"}
    assert {r["month"] for r in con.query("select month from claims")} <= set(months)
    assert not list(tmp_path.glob("elsewhere/.*"))  # no temporary file left


@pytest.mark.parametrize(("table", "word"), SEARCHES)
def test_full_text_search_matches_duckdb_on_the_parquet(release, db, table, word):
    column = {"claims": "content_text", "sentences": "text", "articles": "title"}[table]
    with sqlite3.connect(db) as con:
        hits = con.execute(f"select count(*) from {table}_fts where {table}_fts match ?", [word]).fetchone()[0]
    assert hits == _duckdb_hits(release, table, column, word)
    assert hits >= (1 if table == "claims" else 2)  # the texts above (claims: must-contain, from the model)


def test_a_release_published_before_a_column_was_added_exports_it_as_null(release, tmp_path):
    """A required column the schema gained after the release was built: both exports keep
    the schema's columns, leave that one null and keep every row."""
    old = tmp_path / "old"
    old.mkdir()
    for p in release.iterdir():
        old.joinpath(p.name).write_bytes(p.read_bytes())
    required = next(f["name"] for f in fields("claims")
                    if is_required(f) and f["name"] not in (*primary_key("claims"), "article_id", "sentence_id"))
    claims = pq.read_table(old / "claims.parquet")
    pq.write_table(claims.drop_columns([required]), old / "claims.parquet")
    with sqlite3.connect(export_sqlite(old, tmp_path / "old.db")) as con:
        assert con.execute(f'select count(*), count("{required}") from claims').fetchone() == (claims.num_rows, 0)
        assert required in pages.table_columns(con, "claims")
    con = duckdb.connect(str(export_duckdb(old, tmp_path / "old.duckdb")), read_only=True)
    assert con.execute(f'select count(*), count("{required}") from claims').fetchone() == (claims.num_rows, 0)


def test_cached_database_is_regenerated_only_when_the_release_changes(release, tmp_path):
    path, generated = cached_database(release, cache_dir=tmp_path / "cache")
    assert generated and path.is_file() and tmp_path / "cache" in path.parents
    assert not list(release.glob("*.db"))  # never inside the release
    assert cached_database(release, cache_dir=tmp_path / "cache") == (path, False)
    copy = tmp_path / "copy"
    copy.mkdir()
    for p in release.iterdir():
        copy.joinpath(p.name).write_bytes(p.read_bytes())
    with (copy / "SHA256SUMS").open("a") as f:
        f.write("0" * 64 + "  extra\n")
    other, generated = cached_database(copy, cache_dir=tmp_path / "cache")
    assert generated and other != path
    chosen = tmp_path / "chosen.db"
    assert cached_database(release, db=chosen) == (chosen, True)
    assert cached_database(copy, db=chosen) == (chosen, True)  # stale: another release
    assert cached_database(copy, db=chosen) == (chosen, False)
    taken = tmp_path / "taken.db"
    taken.write_text("not a database")
    with pytest.raises(ExploreError, match="not a presspack export"):
        cached_database(release, db=taken)
    assert taken.read_text() == "not a database"


def test_cache_info_and_clear_count_and_remove_the_cached_exports(release, tmp_path, capsys):
    """Each release served leaves an export in the cache; `presspack cache` shows them and
    `clear` removes them, never a --db file of the user's."""
    cache = tmp_path / "cache"
    path, _ = cached_database(release, cache_dir=cache)
    chosen = tmp_path / "chosen.db"
    cached_database(release, db=chosen)
    assert main(["cache", "info", "--cache-dir", str(cache), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["exports"] == 1 and info["exports_bytes"] == path.stat().st_size > 0
    assert main(["cache", "clear", "--cache-dir", str(cache)]) == 0
    assert "1 SQLite export(s) for presspack serve" in capsys.readouterr().out
    assert not path.exists() and chosen.is_file()
    assert main(["cache", "info", "--cache-dir", str(cache), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exports"] == 0


def test_duckdb_export_has_the_tables_keys_and_rows(release, tmp_path):
    out = export_duckdb(release, tmp_path / "release.duckdb")
    con = duckdb.connect(str(out), read_only=True)
    for table in release_tables(release):
        names = [f["name"] for f in fields(table)]
        cols = ", ".join(f'"{n}"' for n in names)
        rows = con.execute(f"select {cols} from {table}").fetchall()
        assert rows == [tuple(r[n] for n in names) for r in _parquet(release, table)], table
    kinds = {(t, k) for t, k in con.execute("select table_name, constraint_type from duckdb_constraints()").fetchall()}
    for table in release_tables(release):
        assert (table, "PRIMARY KEY") in kinds
        assert bool(foreign_keys(table)) == ((table, "FOREIGN KEY") in kinds)
    assert con.execute("select count(*) from claims where month is null").fetchone()[0] == 0


def test_article_html_nests_spans_and_cuts_the_crossing_ones():
    text = "Park said it. “One. Two,” he said."
    sentences = [{"sentence_id": "s0", "start": 0, "end": 13, "is_heading": False},
                 {"sentence_id": "s1", "start": 14, "end": 19, "is_heading": False},
                 {"sentence_id": "s2", "start": 20, "end": 34, "is_heading": False}]
    entities = [{"mention_id": "m0", "start": 0, "end": 4, "label": "PERSON", "canonical": "Lena Park"}]
    claims = [{"claim_id": "c1", "speaker_start": 26, "speaker_end": 28, "speaker_name": None, "speaker_text": "he",
               "cue_start": 29, "cue_end": 33, "content_start": 15, "content_end": 23, "kind": "direct"}]
    page = article_html(text, sentences, entities, claims)
    root = lxml.html.fragment_fromstring(page, create_parent="div")
    assert root.text_content() == text
    assert root.get_element_by_id("m0").text_content() == "Park" and root.get_element_by_id("m0").tag == "mark"
    parts = root.xpath('//*[@data-span="c1-content"]')
    assert [p.text_content() for p in parts] == ["One.", " ", "Two"]  # cut at the sentences' boundaries
    assert [p.get("id") for p in parts] == ["c1-content", None, None]
    assert [p.getparent().get("id") for p in parts] == ["s1", None, "s2"]
    anchor = root.get_element_by_id("c1")
    assert anchor.tag == "a" and anchor.get("class") == "pp-claim" and anchor.getnext().get("id") == "c1-content"
    assert root.get_element_by_id("c1-cue").text_content() == "said"


def test_metadata_describes_every_column_and_the_canned_queries_run(release, db):
    meta = datasette_metadata(release, "presspack")
    assert meta["title"].endswith("1.0.0") and "Cite as:" in meta["description_html"]
    tables = meta["databases"]["presspack"]["tables"]
    for table in release_tables(release):
        assert tables[table]["description"] == table_schema(table)["description"]
        assert {k: v for k, v in tables[table]["columns"].items() if k != "month"} == {
            f["name"]: f["description"] for f in fields(table)}
    assert tables["claims"]["facets"][0] == "speaker_name" and {"kind", "month"} <= set(tables["claims"]["facets"])
    assert tables[META_TABLE]["hidden"]
    with sqlite3.connect(db) as con:
        for table, meta in tables.items():  # a facet on a missing column would break the table's page
            assert set(meta.get("facets", [])) <= set(pages.table_columns(con, table)), table
        con.row_factory = sqlite3.Row
        results = {name: [dict(r) for r in con.execute(q["sql"], {"speaker": "Samuel Okafor", "entity": "Rotterdam", "quotation": ""})]
                   for name, q in QUERIES.items()}
    assert any("Okafor" in (r["speaker_name"] or "") for r in results["top_speakers"])
    assert {r["title"] for r in results["articles_mentioning"]} == {"Harbour reopens", "Harbour budget"}
    assert all(r["articles"] > 1 for r in results["repeated_quotes"])
    assert "Schools come first" in {r["content_text"] for r in results["repeated_quotes"]}


def test_claims_read_speaker_cue_content_first_and_lose_no_column():
    order = reading_order("claims")
    names = [f["name"] for f in fields("claims")]
    assert sorted(order) == sorted(names)
    at = order.index
    assert at("speaker_name") < at("speaker_text") < at("cue_text") < at("content_text") < at("kind") < at("claim_id")
    speaker_facts = [c for c in names if c.startswith("speaker_") and not c.endswith(("_start", "_end", "_key"))]
    assert order[: len(speaker_facts)] == sorted(speaker_facts, key=lambda c: c != "speaker_name")  # e.g. speaker_type
    offsets = [c for _, start, end in span_columns("claims") for c in (start, end)]
    assert sorted(order[-len(offsets):]) == sorted(offsets)
    assert reading_order("sentences") == [f["name"] for f in fields("sentences")]  # no claim parts: the schema's order
    assert reading_order("no_such_table") == []


def test_reorder_keeps_the_link_column_first_and_each_cell_under_its_header():
    class Row(list):  # Datasette's rows are their own type, built from a list of cells
        pass

    names = ["claim_id", "article_id", "content_text", "month", "speaker_name", "cue_text"]
    columns = [{"name": n, "is_pk": n == "claim_id"} for n in names]
    rows = [Row({"column": n, "value": f"{n}-{i}"} for n in names) for i in range(2)]
    new_columns, new_rows = reorder("claims", columns, rows)
    assert [c["name"] for c in new_columns] == ["claim_id", "speaker_name", "cue_text", "content_text", "article_id", "month"]
    assert all(type(r) is Row and [c["column"] for c in r] == [c["name"] for c in new_columns] for r in new_rows)
    assert [c["value"] for c in new_rows[1]][:2] == ["claim_id-1", "speaker_name-1"]
    assert reorder("articles", columns, rows) == (columns, rows)
    assert reorder(None, columns, rows) == (columns, rows)


@pytest.mark.parametrize(("query", "pattern", "mode"), [
    ("Schools", r"\bschools\b", "raw"),
    ('"schools come first"', r"\bschools come first\b", "raw"),
    ("quay OR budget", r"\b(quay|budget)\b", "raw"),
    ("harb*", r"\bharb\w*", "raw"),
    ("Okafor (harbour", r"(?=.*\bokafor\b)(?=.*\bharbour\b)", "words"),  # not FTS5 syntax: plain words
])
def test_front_page_search_reads_fts5_syntax_else_plain_words(release, db, query, pattern, mode):
    with sqlite3.connect(db) as con:
        found = search(con, query, limit=2)
    assert found["mode"] == mode and [r["table"] for r in found["results"]] == ["claims", "sentences", "articles"]
    for r in found["results"]:
        expected = [row for row in _parquet(release, r["table"]) if re.search(pattern, row[r["column"]].lower())]
        assert r["total"] == len(expected), (query, r["table"])
        assert len(r["rows"]) == min(2, len(expected))
        assert all(row["hit"].count("<mark>") >= 1 for row in r["rows"])
    assert any(r["total"] for r in found["results"])


def test_search_hits_are_escaped_and_marked():
    assert str(highlighted("a <b> \x02c\x03 & d")) == "a &lt;b&gt; <mark>c</mark> &amp; d"
    assert words_query('say "no" now') == '"say" """no""" "now"'
    assert str(inline_code("The `text` <b> of `x`")) == "The <code>text</code> &lt;b&gt; of <code>x</code>"
    assert str(inline_code("odd ` tick")) == "odd ` tick"


def test_speaker_page_data_and_its_facts_from_the_claims_schema(release, db, tmp_path, monkeypatch):
    """The speaker's columns of the claims schema (speaker_type, speaker_role, ...) show on
    the speaker's page when present; simulated here on a copy of the export."""
    claims = _parquet(release, "claims")
    keys = [c["speaker_key"] for c in claims if c["speaker_key"]]
    top = max(sorted(set(keys)), key=keys.count)
    theirs = [c for c in claims if c["speaker_key"] == top]
    copy = tmp_path / "typed.db"
    copy.write_bytes(db.read_bytes())
    with sqlite3.connect(copy) as con:
        assert pages.speaker(con, "person:nobody-here") is None
        plain = pages.speaker(con, top)
        for column in ("speaker_type", "speaker_role"):
            if column not in pages.table_columns(con, "claims"):
                con.execute(f"alter table claims add column {column} text")
        con.execute("update claims set speaker_type = 'person', speaker_role = null where speaker_key = ?", [top])
        con.execute("update claims set speaker_role = 'mayor' where claim_id = ?", [theirs[0]["claim_id"]])
        schema = [f["name"] for f in fields("claims")]
        monkeypatch.setattr(pages, "column_names", lambda t: schema + [c for c in ("speaker_type", "speaker_role") if c not in schema])
        typed = pages.speaker(con, top)
    assert plain["total"] == len(theirs) and len(plain["claims"]) == len(theirs)
    assert plain["n_articles"] == len({c["article_id"] for c in theirs}) == len(plain["articles"])
    assert [m["n"] for m in plain["months"]] and sum(m["n"] for m in plain["months"]) == len(theirs)
    months = [m["month"] for m in plain["months"]]
    assert months == sorted(months) and len(months) == len(set(months))
    assert plain["written"][0]["n"] >= plain["written"][-1]["n"] and plain["entity"]["entity_key"] == top
    assert typed["facts"] == {"speaker_type": [{"value": "person", "n": len(theirs)}], "speaker_role": [{"value": "mayor", "n": 1}]}
    ds, _, _ = make_datasette(release, db=copy)  # the page, rendered in process over the copy
    page = lxml.html.document_fromstring(asyncio.run(ds.client.get(f"/speaker/{top}")).text)
    assert _texts(page, "//dd[contains(@class, 'pp-fact-speaker_type')]") == [f"person ({len(theirs)})"]
    assert _texts(page, "//dd[contains(@class, 'pp-fact-speaker_role')]") == ["mayor (1)"]
    header = _texts(page, "//table[contains(@class, 'pp-speaker-claims')]/thead//th")
    assert header[:4] == ["written as", "type", "role", "cue"]


def test_every_month_fills_the_gaps_of_a_time_line():
    counts = [{"month": "2024-11", "n": 2}, {"month": "2025-02", "n": 1}, {"month": None, "n": 4}]
    assert every_month(counts) == [{"month": "2024-11", "n": 2}, {"month": "2024-12", "n": 0}, {"month": "2025-01", "n": 0},
                                   {"month": "2025-02", "n": 1}, {"month": None, "n": 4}]
    assert every_month([]) == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, proc: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"server exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"server did not answer {url}")


def _dom(exe: str, url: str, profile: Path) -> lxml.html.HtmlElement:
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--no-first-run", "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", url]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "<body" in proc.stdout, proc.stderr[-2000:]
    return lxml.html.document_fromstring(proc.stdout)


def _span_text(root: lxml.html.HtmlElement, key: str) -> str:
    return "".join(e.text_content() for e in root.xpath("//div[@id='pp-text']//*[@data-span=$k]", k=key))


@pytest.fixture(scope="module")
def server(release, tmp_path_factory):
    """One server for the module's browser tests (its database: served.db)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "presspack", "serve", str(release), "--port", str(port),
                             "--db", str(tmp_path_factory.mktemp("serve") / "served.db")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait(f"http://127.0.0.1:{port}/-/versions.json", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _check_article(root: lxml.html.HtmlElement, article: dict, release: Path) -> None:
    assert root.get_element_by_id("pp-text").text_content() == article["text"]
    aid = article["article_id"]
    for s in (r for r in _parquet(release, "sentences") if r["article_id"] == aid):
        assert _span_text(root, s["sentence_id"]) == s["text"]
    for e in (r for r in _parquet(release, "entities") if r["article_id"] == aid):
        assert _span_text(root, e["mention_id"]) == e["text"]
        assert "pp-ent" in root.get_element_by_id(e["mention_id"]).classes
    for c in (r for r in _parquet(release, "claims") if r["article_id"] == aid):
        assert root.xpath("//a[@class='pp-claim'][@id=$i]", i=c["claim_id"])
        for part in ("speaker", "cue", "content"):
            if c[f"{part}_text"]:
                assert _span_text(root, f"{c['claim_id']}-{part}") == c[f"{part}_text"]
                assert f"pp-{part}" in root.get_element_by_id(f"{c['claim_id']}-{part}").classes


def test_served_article_page_and_search_in_headless_chromium(release, server, tmp_path, chromium):
    exe = chromium
    claims = _parquet(release, "claims")
    okafor = next(c for c in claims if "Okafor" in (c["speaker_text"] or ""))  # must-contain: the harbour director speaks
    article = next(a for a in _parquet(release, "articles") if a["article_id"] == okafor["article_id"])
    root = _dom(exe, f"{server}/article/{article['article_id']}", tmp_path / "p1")
    _check_article(root, article, release)
    speakers = {a.get("href") for a in root.xpath("//table[contains(@class, 'pp-claims')]//a[@class='pp-speaker-link']")}
    assert speakers == {f"/speaker/{c['speaker_key']}" for c in claims if c["article_id"] == article["article_id"] and c["speaker_key"]}
    assert root.xpath("//h1")[0].text_content() == "Harbour reopens"
    assert not root.xpath("//script[starts-with(@src, 'http')] | //link[starts-with(@href, 'http')]")  # no CDN

    table = _dom(exe, f"{server}/served/claims", tmp_path / "p2")
    links = {a.get("href") for a in table.xpath("//a[@class='pp-place']")}
    assert links == {f"/article/{c['article_id']}#{c['claim_id']}" for c in claims}

    keys = [c["speaker_key"] for c in claims if c["speaker_key"]]
    top = max(sorted(set(keys)), key=keys.count)
    page = _page(f"{server}/served/top_speakers")
    assert f"/speaker/{top}" in {a.get("href") for a in page.xpath("//td//a[@class='pp-speaker-link']")}
    page = _page(f"{server}/served/claims_by_speaker?{urlencode({'speaker': top})}")
    assert len(page.xpath("//td//a[@class='pp-place'][contains(@href, '#')]")) == keys.count(top)

    for name, word in SEARCHES:
        page = _page(f"{server}/served/{name}?_search={word}")
        found = re.search(r"([\d,]+) rows? where search matches", page.text_content())
        column = {"claims": "content_text", "sentences": "text", "articles": "title"}[name]
        assert found and int(found[1].replace(",", "")) == _duckdb_hits(release, name, column, word), (name, word)


def _page(url: str) -> lxml.html.HtmlElement:
    """A page as the server sends it (they are rendered server-side; no script needed)."""
    with urllib.request.urlopen(url) as r:
        return lxml.html.document_fromstring(r.read().decode())


def _texts(root: lxml.html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in root.xpath(xpath)]


def test_served_front_page_searches_and_lists_speakers_and_tables_in_headless_chromium(release, server, tmp_path, chromium):
    claims = _parquet(release, "claims")
    root = _dom(chromium, f"{server}/?q=schools", tmp_path / "home")
    assert root.xpath("//form[@role='search']//input[@name='q']/@value") == ["schools"]
    sections = [s.get("id") for s in root.xpath("//section[@class='pp-result']")]
    assert sections == ["pp-hits-claims", "pp-hits-sentences", "pp-hits-articles"]  # claims first
    for table, column in (("claims", "content_text"), ("sentences", "text"), ("articles", "title")):
        total = root.xpath(f"//section[@id='pp-hits-{table}']//*[@class='pp-meta pp-total']")[0].text_content()
        assert total == f"{_duckdb_hits(release, table, column, 'schools')} found", table
    hits = [c for c in claims if re.search(r"\bschools\b", c["content_text"].lower())]
    rows = root.xpath("//section[@id='pp-hits-claims']//tbody/tr")
    assert len(rows) == len(hits) >= 2  # must-contain: "Schools come first", twice
    cells = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in rows]
    assert {(c[1], c[2]) for c in cells} == {(h["cue_text"], h["content_text"]) for h in hits}  # speaker - cue - content
    assert all(m.text_content().lower() == "schools" for m in root.xpath("//section[@id='pp-hits-claims']//mark"))
    assert {a.get("href") for a in root.xpath("//section[@id='pp-hits-claims']//td[3]/a")} == {
        f"/article/{h['article_id']}#{h['claim_id']}" for h in hits}

    keys = [c["speaker_key"] for c in claims if c["speaker_key"]]
    listed = root.xpath("//section[@id='pp-top-speakers']//tbody/tr")
    assert len(listed) == len(set(keys))
    first = listed[0].xpath(".//a[@class='pp-speaker-link']")[0]
    assert first.get("href") == f"/speaker/{max(sorted(set(keys)), key=keys.count)}"
    tables = {a.text_content(): a.getparent().text_content() for a in root.xpath("//dl[@class='pp-tables']/dt/a[contains(@href, '/served/')]")}
    for table in release_tables(release):
        n = pq.ParquetFile(release / f"{table}.parquet").metadata.num_rows
        assert f"{n:,} rows" in tables[table], table  # every table on the front page, articles included
    assert not root.xpath("//script[starts-with(@src, 'http')] | //link[starts-with(@href, 'http')]")  # no CDN


def test_served_speaker_page_and_claims_table_in_headless_chromium(release, server, tmp_path, chromium):
    claims, articles = _parquet(release, "claims"), {a["article_id"]: a for a in _parquet(release, "articles")}
    keys = [c["speaker_key"] for c in claims if c["speaker_key"]]
    top = max(sorted(set(keys)), key=keys.count)
    theirs = [c for c in claims if c["speaker_key"] == top]
    root = _dom(chromium, f"{server}/speaker/{top}", tmp_path / "speaker")
    assert root.xpath("//h1")[0].text_content() == theirs[0]["speaker_name"]
    rows = root.xpath("//table[contains(@class, 'pp-speaker-claims')]/tbody/tr[@class='pp-claim-row']")
    assert len(rows) == len(theirs)
    dates = [r.get("data-published") for r in rows]
    assert dates == sorted(dates) and set(dates) == {articles[c["article_id"]]["published"] for c in theirs}  # over time
    headed = _texts(root, "//table[contains(@class, 'pp-speaker-claims')]/tbody/tr[@class='pp-article-row']//a")
    assert len(headed) == len({c["article_id"] for c in theirs})  # claims grouped under their article
    assert {a.get("href") for a in root.xpath("//table[contains(@class, 'pp-speaker-claims')]//a[@class='pp-place']")} == {
        f"/article/{c['article_id']}#{c['claim_id']}" for c in theirs}
    listed = _texts(root, "//table[contains(@class, 'pp-speaker-articles')]/tbody/tr/td[2]")
    assert sorted(listed) == sorted({articles[c["article_id"]]["title"] for c in theirs})
    with pytest.raises(urllib.error.HTTPError, match="404"):
        urllib.request.urlopen(f"{server}/speaker/person:nobody-here")

    table = _dom(chromium, f"{server}/served/claims", tmp_path / "claims")
    header = [th.get("data-column") for th in table.xpath("//table[@class='rows-and-columns']/thead/tr/th")]
    assert header == ["claim_id", *(c for c in reading_order("claims") if c != "claim_id"), "month"]  # every column
    assert header.index("speaker_name") == 1 and header.index("speaker_text") < header.index("cue_text") < header.index("content_text")
    assert header.index("content_text") < header.index("article_id")  # who - said - what before ids and offsets
    cells = table.xpath("//table[@class='rows-and-columns']/tbody/tr[1]/td")
    assert [c.get("class").split()[0] for c in cells] == [f"col-{h}" for h in header]  # cells follow their headers
    links = {a.get("href") for a in table.xpath("//td[contains(@class, 'col-speaker_name')]/a[@class='pp-speaker-link']")}
    assert links == {f"/speaker/{k}" for k in keys}
    assert table.xpath("//details[@class='pp-columns']/summary") and not table.xpath("//dl[@class='column-descriptions']")
    assert len(table.xpath("//details[@class='pp-columns']//dt")) == len(fields("claims")) + 1  # + month, folded away
    with urllib.request.urlopen(f"{server}/served/claims.json?_shape=array&_size=1") as r:
        assert list(json.load(r)[0]) == [*(f["name"] for f in fields("claims")), "month"]  # JSON keeps the schema's order


def test_browser_tests_skip_without_chromium_saying_how_to_install_it(monkeypatch, tmp_path):
    """`make test` installs nothing system-wide: without chromium the browser tests skip,
    with the install command; in CI (where .ci/run installs it) they fail instead."""
    from conftest import find_chromium

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"apt-get install --no-install-recommends chromium"):
        find_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"\.ci/run installs it"):
        find_chromium()
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert find_chromium() == str(tmp_path / "chromium")


def test_make_test_installs_no_system_package_and_ci_installs_chromium_first():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_rule = re.search(r"^test:(.*)$", makefile, re.M)
    assert test_rule and "chromium" not in test_rule[1].split("##")[0]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install" in ci and ci.strip().splitlines()[-1] == "make test"  # the README's test command, last


def test_serve_without_the_extra_says_how_to_install_it(release, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "datasette", None)
    assert main(["serve", str(release)]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'presspack[explore]'" in err


def test_serve_refuses_a_port_in_use(release, tmp_path, capsys):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["serve", str(release), "--port", str(port), "--db", str(tmp_path / "x.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"presspack serve: error: cannot listen on 127.0.0.1:{port}")


def _shell_examples(doc: Path) -> list[str]:
    """The commands of a doc's ```sh and ```console blocks (```text blocks are shown, not run)."""
    blocks = re.findall(r"^```(?:sh|console)\n(.*?)^```", doc.read_text(encoding="utf-8"), re.M | re.S)
    return [line.removeprefix("$ ") for b in blocks for line in b.splitlines() if line.strip()]


def test_every_shell_example_of_the_explore_docs_runs_on_the_sample_dataset(tmp_path):
    commands = _shell_examples(ROOT / "docs" / "explore.md")
    assert len(commands) >= 4 and not any(c.startswith("presspack serve") for c in commands)
    (tmp_path / "dataset").symlink_to(ROOT / "dataset")
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ.get('PATH', '')}"}
    for command in commands:
        proc = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0 and proc.stdout.strip(), f"{command}: {proc.stderr[-2000:]}"
    assert not (ROOT / "dataset" / "1.0.0" / "sample.db").exists()
    assert (tmp_path / "sample.db").is_file() and (tmp_path / "sample.duckdb").is_file()


def test_bench_serve_runs_on_a_tiny_corpus(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for p in sorted((ROOT / "tests" / "data" / "news").glob("*.txt"))[:3]:
        (corpus / p.name).write_bytes(p.read_bytes())
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_serve.py"), str(corpus), "--repeat", "1", "--jobs", "1",
                           "--work", str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "serve, first answer, cached database: median" in proc.stdout and "export --to sqlite: median" in proc.stdout
    assert [p.name for p in tmp_path.iterdir()] == ["corpus"]  # scratch removed
