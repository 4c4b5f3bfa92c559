"""HTML pages: body and metadata extraction, headings, rejects, size limits and parser safety."""

from __future__ import annotations

import gzip
import hashlib
import json
import socket
import time
import tracemalloc

import pandas as pd
import pytest

from presspack.config import Config, Limits
from presspack.ingest import html as html_reader
from presspack.ingest import html_body
from presspack.ingest.types import InputFile, RawArticle, Reject

BODY = [
    "The harbour authority in Eastport approved a plan on Tuesday to deepen the main shipping channel, "
    "ending a dispute with local fishermen that had lasted more than three years.",
    "The dredging work will start in April and cost about 40 million euros, most of it paid by the regional government, "
    "according to documents seen by reporters before the vote.",
    "Fishermen had warned that the work would drive away the cod that spawn near the harbour mouth every winter.",
    "Officials said the new schedule avoids the spawning season entirely and that the channel would be monitored for two years.",
    "The harbour expects larger container ships to call at Eastport from 2027, which could double its cargo traffic.",
]
SUBHEAD = "Fishermen win a concession"

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbour channel plan approved | Eastport Tribune</title>
<link rel="canonical" href="https://WWW.Eastport-Tribune.example/news/harbour-channel?utm_source=rss&amp;utm_medium=feed">
<meta property="og:site_name" content="Eastport Tribune">
<meta property="og:title" content="Harbour channel plan approved">
<meta name="author" content="Mara Lindqvist">
<meta name="description" content="The dredging of the shipping channel will avoid the cod spawning season.">
<meta property="article:published_time" content="2024-03-05T18:30:00+01:00">
<meta property="article:section" content="Local">
</head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<main><article>
<h1>Harbour channel plan approved</h1>
<p class="byline">By Mara Lindqvist</p>
<p>{BODY[0]}</p>
<p>{BODY[1]}</p>
<h2>{SUBHEAD}</h2>
<p>{BODY[2]}</p>
<p>{BODY[3]}</p>
<p>{BODY[4]}</p>
<h3>Read more about the harbour</h3>
</article></main>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>Reader4711: This is a scandal and everyone in the town council knows it very well indeed.</p></div>
</section>
<footer><p>Copyright 2024 Eastport Tribune. All rights reserved. Terms of use. Privacy policy.</p></footer>
</body></html>
"""

NAV_ONLY = """<!DOCTYPE html><html><head><title>Sections</title></head><body>
<nav><ul><li><a href="/a">News</a></li><li><a href="/b">Sport</a></li><li><a href="/c">Culture</a></li></ul></nav>
<footer>Contact us</footer></body></html>"""


def _config(**limits: int) -> Config:
    return Config(limits=Limits(**limits))


def _read(tmp_path, name: str, data: bytes, **limits: int) -> list:
    p = tmp_path / name
    p.write_bytes(data)
    f = InputFile(path=p, rel=name, format="html", size=p.stat().st_size)
    return list(html_reader.read(f, _config(**limits)))


def test_body_and_metadata(tmp_path):
    (item,) = _read(tmp_path, "harbour.html", PAGE.encode())
    assert isinstance(item, RawArticle)
    m = item.meta
    assert m["title"] == "Harbour channel plan approved"
    assert m["author"] == "Mara Lindqvist"
    assert m["source"] == "Eastport Tribune"
    assert m["section"] == "Local"
    assert m["description"].startswith("The dredging of the shipping channel")
    assert m["url"].lower().startswith("https://www.eastport-tribune.example/news/harbour-channel")
    assert m["published"] == "2024-03-05T18:30:00+01:00"
    texts = [t for t, _ in item.paragraphs]
    for para in BODY:
        assert para in texts
    assert (SUBHEAD, True) in item.paragraphs
    assert all(not h for t, h in item.paragraphs if t in BODY)
    joined = "\n".join(texts)
    for boilerplate in ("Reader4711", "Copyright 2024", "Weather", "Read more about"):
        assert boilerplate not in joined
    assert texts[0] != "Harbour channel plan approved"  # the headline is the title, not body


def test_build_normalizes_page_metadata(make_release):
    result = make_release({"harbour.html.gz": gzip.compress(PAGE.encode())})
    arts = pd.read_parquet(result.release_dir / "articles.parquet")
    a = arts.iloc[0]
    url = "https://www.eastport-tribune.example/news/harbour-channel"
    assert a["url"] == url
    assert a["article_id"] == "a" + hashlib.sha256(url.encode()).hexdigest()[:16]
    assert a["published"] == "2024-03-05T17:30:00Z"
    assert a["language"] == "en"
    assert a["origin"] == "harbour.html.gz"
    sents = pd.read_parquet(result.release_dir / "sentences.parquet")
    heads = sents[sents["is_heading"].astype(bool)]
    assert SUBHEAD in set(heads["text"])
    for _, s in sents.iterrows():
        assert a["text"][s["start"] : s["end"]] == s["text"]
    manifest = json.loads((result.release_dir / "manifest.json").read_text())
    (entry,) = manifest["files"]
    assert entry["status"] == "accepted" and entry["format"] == "html" and entry["encoding"] == "utf-8"


def test_date_only_page_stays_a_date(tmp_path):
    page = PAGE.replace('content="2024-03-05T18:30:00+01:00"', 'content="2024-03-05"')
    (item,) = _read(tmp_path, "d.html", page.encode())
    assert item.meta["published"] == "2024-03-05"


def test_written_out_timestamp_keeps_its_time(tmp_path):
    from presspack.ingest.meta import parse_published

    page = PAGE.replace('content="2024-03-05T18:30:00+01:00"', 'content="March 5, 2024 6:30 PM EST"')
    (item,) = _read(tmp_path, "t.html", page.encode())
    assert parse_published(item.meta["published"]) == ("2024-03-05T23:30:00Z", None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Updated: March 1, 2024 10:15 AM EST", "2024-03-01T15:15:00Z"),
        ("Posted on 2024-03-01 10:15 CET", "2024-03-01T09:15:00Z"),
        ("Fri, 01 Mar 2024 10:15:00 GMT", "2024-03-01T10:15:00Z"),
        ("Published: 1 March 2024", "2024-03-01"),
        ("2024-03-01T10:15:00.000+05:30", "2024-03-01T04:45:00Z"),
    ],
)
def test_page_date_forms(value, expected):
    from presspack.ingest.meta import parse_published

    assert parse_published(value) == (expected, None)


def test_declared_legacy_charset(tmp_path):
    page = PAGE.replace('<meta charset="utf-8">', '<meta charset="windows-1252">').replace(BODY[2], BODY[2] + " “We were heard,” one skipper said – at last.")
    (item,) = _read(tmp_path, "cp.html", page.encode("cp1252"))
    assert any("“We were heard,” one skipper said – at last." in t for t, _ in item.paragraphs)


def test_latin1_label_is_read_as_windows_1252():
    data = '<meta charset="iso-8859-1"><p>“Quoted” – café</p>'.encode("cp1252")
    assert html_reader.decode_html(data) == ('<meta charset="iso-8859-1"><p>“Quoted” – café</p>', "cp1252")
    assert html_reader.decode_html("<p>caf\u00e9</p>".encode("latin-1"), "ISO-8859-1")[0] == "<p>café</p>"


def test_page_without_article_is_rejected(tmp_path):
    (item,) = _read(tmp_path, "nav.html", NAV_ONLY.encode())
    assert isinstance(item, Reject) and "no article body" in item.reason


def test_empty_and_binary_pages_are_rejected(tmp_path):
    (empty,) = _read(tmp_path, "e.html", b"")
    (binary,) = _read(tmp_path, "b.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10)
    assert isinstance(empty, Reject) and isinstance(binary, Reject)


def test_gzip_bomb_is_rejected_within_memory(tmp_path):
    bomb = gzip.compress(b"<html><body><p>" + b"\0" * 60_000_000, compresslevel=9)
    assert len(bomb) < 200_000
    tracemalloc.start()
    (item,) = _read(tmp_path, "bomb.html.gz", bomb, max_record_bytes=1_000_000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(item, Reject) and "gzip bomb" in item.reason
    assert peak < 10_000_000


def test_truncated_gzip_is_rejected(tmp_path):
    data = gzip.compress(PAGE.encode())
    (item,) = _read(tmp_path, "cut.html.gz", data[: len(data) // 2])
    assert isinstance(item, Reject) and "truncated" in item.reason


def test_xxe_entities_are_not_resolved_and_nothing_is_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PASSWORD-42")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    page = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY xxe SYSTEM "file://{secret}">\n'
        f'<!ENTITY net SYSTEM "http://127.0.0.1:{port}/dtd">\n%net;\n]>\n'
        + PAGE.split("\n", 1)[1].replace(f"<p>{BODY[1]}</p>", f"<p>{BODY[1]} &xxe; &net;</p>")
    )
    (item,) = _read(tmp_path, "xxe.html", page.encode())
    try:
        with pytest.raises(BlockingIOError):
            listener.accept()  # no connection was attempted
    finally:
        listener.close()
    assert isinstance(item, RawArticle)
    assert "TOP-SECRET" not in item.body
    assert BODY[0] in item.body


def test_billion_laughs_is_not_expanded(tmp_path):
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    page = "<!DOCTYPE html [\n" + "\n".join(ents) + "\n]>\n" + PAGE.split("\n", 1)[1].replace(f"<p>{BODY[4]}</p>", f"<p>{BODY[4]} &lol9;</p>")
    tracemalloc.start()
    t0 = time.perf_counter()
    (item,) = _read(tmp_path, "lol.html", page.encode())
    elapsed = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(item, RawArticle)
    assert "lollollol" not in item.body
    assert len(item.body) < 5000
    assert elapsed < 10 and peak < 50_000_000


def test_blocks_mark_headings_and_drop_headline_and_trailing_heading():
    from types import SimpleNamespace

    from lxml import etree

    body = etree.fromstring("<body><head>Port deal signed</head><p>First.</p><head>Costs</head><p>Second.</p><head>Related stories</head></body>")
    doc = SimpleNamespace(text="Port deal signed\nFirst.\nCosts\nSecond.\n|---|\nRelated stories", body=body, title="Port deal signed")
    assert html_body.body_blocks(doc) == [("First.", False), ("Costs", True), ("Second.", False)]


def _no_trafilatura_body(monkeypatch):
    monkeypatch.setattr(html_reader, "extract_body", lambda tree, url: None)


def test_readability_is_the_first_fallback(tmp_path, monkeypatch):
    _no_trafilatura_body(monkeypatch)
    (item,) = _read(tmp_path, "harbour.html", PAGE.encode())
    assert isinstance(item, RawArticle)
    texts = [t for t, _ in item.paragraphs]
    assert all(p in texts for p in BODY) and (SUBHEAD, True) in item.paragraphs
    assert texts[0] != "Harbour channel plan approved"  # the headline stays the title
    assert item.meta["title"] == "Harbour channel plan approved" and item.meta["author"] == "Mara Lindqvist"
    assert item.notes == ["body from readability: trafilatura found 0 words of main text"]


LD_BODY = "\n".join(BODY[:3]).replace("euros", "euros &amp; more")
LD = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Ferry strike ends",
                 "datePublished": "2024-06-02T09:15:00Z", "articleBody": LD_BODY})
SCRIPTED = f"""<!DOCTYPE html><html lang="en"><head><title>Ferry strike ends | Coast Courier</title>
<script type="application/ld+json">{LD}</script></head>
<body><div id="app">Loading&hellip;</div><script>window.render()</script></body></html>"""


def test_json_ld_article_body_rescues_a_scripted_page(tmp_path, monkeypatch):
    (item,) = _read(tmp_path, "ferry.html", SCRIPTED.encode())
    assert isinstance(item, RawArticle) and item.notes == []  # trafilatura reads articleBody itself, as one block
    _no_trafilatura_body(monkeypatch)
    (item,) = _read(tmp_path, "ferry.html", SCRIPTED.encode())
    assert isinstance(item, RawArticle)
    assert [t for t, _ in item.paragraphs] == [BODY[0], BODY[1].replace("euros", "euros & more"), BODY[2]]
    assert item.notes == ["body from JSON-LD articleBody: trafilatura found 0 words of main text"]
    assert item.meta["title"] == "Ferry strike ends" and item.meta["published"] == "2024-06-02T09:15:00Z"


def test_fallback_order(tmp_path, monkeypatch):
    _no_trafilatura_body(monkeypatch)
    calls = []

    def fake(name, words):
        return name, lambda tree, url: calls.append(name) or [(" ".join(["word"] * words), False)]

    monkeypatch.setattr(html_reader, "FALLBACKS", (fake("readability", 10), fake("JSON-LD articleBody", 0), fake("jusText", 30)))
    (item,) = _read(tmp_path, "harbour.html", PAGE.encode())
    assert calls == ["readability", "JSON-LD articleBody", "jusText"]
    assert item.notes == ["body from jusText: trafilatura found 0 words of main text"]


def test_json_ld_article_body_in_html():
    tree = html_reader.parse_html(
        '<html><head><script type="application/ld+json">'
        + json.dumps({"@graph": [{"@type": "WebPage"}, {"@type": "Article", "articleBody": "<p>One <b>bold</b> line.</p><p>Two.</p>"}]})
        + "</script></head><body></body></html>"
    )
    assert html_body.json_ld_body(tree, None) == [("One bold line.", False), ("Two.", False)]


def test_page_where_every_extractor_fails_is_rejected_with_what_each_found(tmp_path):
    (item,) = _read(tmp_path, "nav.html", NAV_ONLY.encode())
    assert isinstance(item, Reject)
    assert item.reason.startswith("no article body: fewer than 25 words of main text (trafilatura ")
    for name in ("readability", "JSON-LD articleBody", "jusText"):
        assert name in item.reason


def test_html_blocks_keep_inline_text_with_its_block():
    root = html_reader.parse_html("<div>Lead <a href='#'>link</a> text.<p>Para <i>one</i>.</p>tail words<h2>Sub</h2></div>").find(".//div")
    assert html_body.html_blocks(root) == [("Lead link text.", False), ("Para one.", False), ("tail words", False), ("Sub", True)]
