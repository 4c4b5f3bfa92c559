"""News-industry readers: Reuters-21578 SGML, NITF, NewsML-G2 (exact outputs, hostile input)."""

from __future__ import annotations

import codecs
import tracemalloc
from dataclasses import replace
from pathlib import Path

import pytest

from presspack.config import Limits
from presspack.ingest import discover, reader_for, sgml
from presspack.ingest.types import InputFile, RawArticle, Reject
from presspack.normalize.text import normalize

DATA = Path(__file__).resolve().parent / "data" / "newsformats"


def _read(path: Path, config, fmt: str | None = None) -> list:
    f = InputFile(path=path, rel=path.name, format=fmt or next(discover([path])).format, size=path.stat().st_size)
    return list(reader_for(f.format)(f, config))


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def _one_line_rejects(items: list) -> list[Reject]:
    rejects = [i for i in items if isinstance(i, Reject)]
    assert all(r.reason and "\n" not in r.reason for r in rejects)
    return rejects


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("reut2-000.sgm", "sgml"), ("A.SGML", "sgml"), ("story.nitf", "nitf"), ("feed.xml", "xml"), ("x.xml.bak", "unsupported")],
)
def test_extensions(tmp_path, name, fmt):
    p = _write(tmp_path, name, "x")
    assert next(discover([p])).format == fmt


# --- Reuters-21578 SGML ------------------------------------------------------------------


def test_reuters_records(config):
    items = _read(DATA / "reuters-sample.sgm", config)
    assert [i.origin for i in items] == [f"reuters-sample.sgm#{n}" for n in (11, 12, 13, 14)]
    first, brief, earnings, unproc = items
    assert first.meta == {
        "source": "Reuters",
        "external_id": "11",
        "title": "PRAIRIE WHEAT STOCKS SEEN LOWER",
        "author": "Maren Tolliver, Reuters",
        "published": "3-MAR-1987 09:12:44.10",
    }
    assert [p for p, _ in first.paragraphs] == [
        "WINNIPEG, March 3 - Wheat stocks held on prairie farms are expected to fall by about a tenth this spring, "
        "the grain board said in its monthly outlook.",
        '"Dry weather in the south cut yields," a board economist said, adding that exports to the U.S. & Europe stayed firm.',
        "The board said <Northfield Grain Co> would report its own figures next week.",
    ]
    assert first.notes == [
        "subjects: topics grain, wheat; places canada, usa",
        "Reuters-21578 attributes: TOPICS=YES LEWISSPLIT=TRAIN CGISPLIT=TRAINING-SET OLDID=901",
    ]
    assert isinstance(brief, Reject) and brief.reason == 'record NEWID=12 has no body (TEXT TYPE="BRIEF": a headline only)'
    assert earnings.meta["title"] == "LAKESIDE MILLS <LKM> 4TH QTR NET"
    assert [p for p, _ in earnings.paragraphs] == ["DULUTH, Minn., March 3 - Shr 41 cts vs 37 cts", "Net 2,210,000 vs 1,990,000", "Revs 18.4 mln vs 17.1 mln"]
    # an unprocessed record: its whole TEXT, a Latin-1 byte decoded as cp1252
    assert [p for p, _ in unproc.paragraphs] == [
        "CAFÉ OWNERS IN LYON PROTEST RENT RISE",
        "Owners of cafés in Lyon marched on Tuesday against a planned rise in commercial rents, organisers said.",
    ]
    assert "title" not in unproc.meta


def test_reuters_normalizes_with_date_and_no_control_characters(config):
    art = normalize(_read(DATA / "reuters-sample.sgm", config)[0], config.text, max_chars=10_000)
    assert art.meta["published"] == "1987-03-03T09:12:44Z"
    assert "taken as UTC" in " ".join(art.notes)
    assert not any(ord(c) < 32 and c != "\n" for c in art.text)
    assert art.text.startswith("WINNIPEG, March 3 - Wheat")


REC = '<REUTERS NEWID="{n}">\n<DATE>1-APR-1987 10:00:00.00</DATE>\n<TEXT><TITLE>STORY {n}</TITLE><BODY>Body of story {n} about the harbour.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n'


def test_reuters_damaged_records_are_rejected_one_by_one(tmp_path, config):
    text = (
        "<!DOCTYPE lewis SYSTEM \"lewis.dtd\">\n"
        + REC.format(n=1)
        + '<REUTERS NEWID="2">\n<TEXT><BODY>No end tag here.</BODY></TEXT>\n'  # runs into the next record
        + REC.format(n=3)
        + "<REUTERS>\n<TEXT>no body, no id</TEXT>\n</REUTERS>\n"
        + '<REUTERS NEWID="5">\n<DATE>garbage</DATE>\n<TEXT><BODY>Cut off in the mid'
    )
    items = _read(_write(tmp_path, "damaged.sgm", text), config)
    assert [(i.origin, type(i).__name__) for i in items] == [
        ("damaged.sgm#1", "RawArticle"),
        ("damaged.sgm#2", "Reject"),
        ("damaged.sgm#3", "RawArticle"),
        ("damaged.sgm#16", "Reject"),
        ("damaged.sgm#5", "Reject"),
    ]
    reasons = [r.reason for r in _one_line_rejects(items)]
    assert reasons == [
        "record has no </REUTERS> end tag before the next record (record at line 8)",
        "record at line 16 has no body",
        "truncated record: the file ends before </REUTERS> (record at line 19)",
    ]
    assert items[0].paragraphs == [("Body of story 1 about the harbour.", False)]


def test_reuters_records_across_chunk_boundaries(tmp_path, config, monkeypatch):
    monkeypatch.setattr(sgml, "CHUNK", 7)
    items = _read(_write(tmp_path, "small.sgm", "".join(REC.format(n=n) for n in range(1, 6))), config)
    assert [i.meta["title"] for i in items] == [f"STORY {n}" for n in range(1, 6)]


def test_reuters_oversized_record_is_skipped_not_held(tmp_path, config):
    p = tmp_path / "big.sgm"
    with open(p, "w", encoding="ascii") as fh:
        fh.write(REC.format(n=1))
        fh.write('<REUTERS NEWID="2"><TEXT><BODY>' + "word " * 4_000_000 + "</BODY></TEXT></REUTERS>\n")
        fh.write(REC.format(n=3))
    cfg = replace(config, limits=Limits(max_record_bytes=1_000_000))
    tracemalloc.start()
    items = _read(p, cfg)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [i.origin for i in items] == ["big.sgm#1", "big.sgm#2", "big.sgm#3"]
    assert isinstance(items[1], Reject) and "record too large" in items[1].reason and "line 7" in items[1].reason
    assert items[2].meta["title"] == "STORY 3"
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "no <REUTERS> records"),
        (b"<html><body>not reuters</body></html>", "no <REUTERS> records"),
        (codecs.BOM_UTF16_LE + "<REUTERS NEWID=\"1\"><TEXT><BODY>Ferry news.</BODY></TEXT></REUTERS>".encode("utf-16-le"), None),
        (b'<REUTERS NEWID="1"><TEXT><BODY>Cr\xe9che fees rise \x81\x8d again.</BODY></TEXT></REUTERS>', None),
    ],
)
def test_reuters_odd_files(tmp_path, config, data, reason):
    items = _read(_write(tmp_path, "odd.sgm", data), config)
    assert len(items) == 1
    if reason:
        assert isinstance(items[0], Reject) and reason in items[0].reason
    else:
        assert isinstance(items[0], RawArticle) and items[0].meta["external_id"] == "1" and items[0].body.endswith(".")


# --- NITF ----------------------------------------------------------------------------------


def test_nitf_article(config):
    (art,) = _read(DATA / "tramway.nitf", config)
    assert art.origin == "tramway.nitf"
    assert art.meta == {
        "title": "Riverside Tramway Opens, Two Years Late and Over Budget",
        "author": "GRACE OKAFOR",
        "description": "The city's first tram line opened on Monday after delays that doubled its cost.",
        "published": "2026-11-03",
        "source": "The Harbour Courier",
        "url": "https://courier.example.org/2026/11/03/riverside-tramway.html",
        "external_id": "1700042",
        "section": "N.Y. / Region",
    }
    assert art.paragraphs == [
        ("RIVERSIDE, Nov. 2 — The city's first tram line carried passengers on Monday, two years after the date first promised.", False),
        ("“We owe riders an apology and a good service,” the transit director, Grace Okafor, said at the opening — to scattered applause.", False),
        ("Costs", True),
        ("The line cost 412 million dollars, against 205 million in the plan approved in 2021, according to the council's auditors.", False),
    ]
    assert art.notes == [
        "subjects: subject Economy; classifier Transit Systems, Budgets and Budgeting; location Riverside (Fictional City); "
        "person Okafor, Grace; keyword tramway"
    ]


NITF = '<nitf><head><pubdata date.publication="{date}"/></head><body><body.head><dateline>{dl}</dateline></body.head><body.content>{body}</body.content></body></nitf>'


@pytest.mark.parametrize(
    ("date", "published"),
    [("20261103T000000", "2026-11-03"), ("20261103T153000-0500", "2026-11-03T15:30:00-0500"), ("20261103", "2026-11-03"), ("Nov 3, 2026", "Nov 3, 2026")],
)
def test_nitf_dates(tmp_path, config, date, published):
    (art,) = _read(_write(tmp_path, "d.xml", NITF.format(date=date, dl="", body="<p>Text.</p>")), config)
    assert art.meta["published"] == published


def test_nitf_dateline_already_in_text_is_not_repeated(tmp_path, config):
    body = "<p>OSLO, May 2 — The fjord ferry will run all winter, the operator said.</p>"
    (art,) = _read(_write(tmp_path, "d.nitf", NITF.format(date="", dl="OSLO, May 2", body=body)), config)
    assert art.paragraphs == [("OSLO, May 2 — The fjord ferry will run all winter, the operator said.", False)]


def test_nitf_without_encoding_declaration_is_decoded(tmp_path, config):
    data = NITF.format(date="", dl="", body="<p>Le caf\xe9 du port rouvre ses portes.</p>").encode("cp1252")
    (art,) = _read(_write(tmp_path, "latin.nitf", data), config)
    assert art.body == "Le café du port rouvre ses portes."
    assert "no XML encoding declared" in art.notes[0]


LAUGHS = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("bomb.nitf", f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY lol0 "lol">{LAUGHS}]><nitf><body><body.content><p>&lol9;</p></body.content></body></nitf>', "XML"),
        ("few.nitf", '<!DOCTYPE nitf [<!ENTITY x "ferry">]><nitf><body><body.content><p>&x;</p></body.content></body></nitf>', "declares entities"),
        ("truncated.nitf", NITF.format(date="", dl="", body="<p>Cut off")[:-30], "malformed XML"),
        ("nobody.nitf", NITF.format(date="", dl="", body=""), "no article body"),
        ("headline.nitf", '<nitf><body><body.head><hedline><hl1>Only this</hl1></hedline></body.head><body.content><p>Only this</p></body.content></body></nitf>', "repeats the headline"),
        ("undefined.nitf", "<nitf><body><body.content><p>a &mdash; b</p></body.content></body></nitf>", "malformed XML"),
        ("bad-utf8.nitf", b'<?xml version="1.0" encoding="UTF-8"?><nitf><body><body.content><p>caf\xe9</p></body.content></body></nitf>', "malformed XML"),
        ("rss.xml", '<rss version="2.0"><channel><title>x</title></channel></rss>', "root element <rss>"),
        ("notxml.xml", "just text, not XML", "malformed XML"),
        ("empty.xml", "", "malformed XML"),
        ("rss.nitf", "<rss/>", "not <nitf>"),
    ],
)
def test_xml_rejects_one_line(tmp_path, config, name, data, reason):
    items = _read(_write(tmp_path, name, data), config)
    assert len(items) == 1 and isinstance(items[0], Reject), items
    assert reason in items[0].reason and "\n" not in items[0].reason


def test_xml_external_entities_are_never_read(tmp_path, config):
    secret = _write(tmp_path, "secret.txt", "hostile-marker")
    for name, doc in (
        ("xxe.nitf", f'<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file://{secret}">]><nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>'),
        ("pe.xml", f'<!DOCTYPE newsItem [<!ENTITY % x SYSTEM "file://{secret}"> %x;]><newsItem guid="g"><contentSet><inlineData contenttype="text/plain">Hi there.</inlineData></contentSet></newsItem>'),
    ):
        items = _read(_write(tmp_path, name, doc), config)
        assert [type(i) for i in items] == [Reject]
        assert "hostile-marker" not in items[0].reason and "declares entities" in items[0].reason


def test_external_dtd_entities_are_read_as_html(tmp_path, config):
    doc = '<!DOCTYPE nitf SYSTEM "http://example.invalid/nitf.dtd"><nitf><body><body.content><p>Tolls rise &mdash; again.</p></body.content></body></nitf>'
    (art,) = _read(_write(tmp_path, "ext.nitf", doc), config)
    assert art.body == "Tolls rise — again."


# --- NewsML-G2 -----------------------------------------------------------------------------


def test_newsml_item(config):
    (art,) = _read(DATA / "ferry-strike.xml", config)
    assert art.origin == "ferry-strike.xml#urn:newsml:wire.example.com:20261201:ferry-strike"
    assert art.meta == {
        "title": "Ferry crews strike over night shifts",
        "author": "Tomás Reis",
        "description": "Ferry crews walked out for 24 hours in a dispute over night shifts.",
        "published": "2026-12-01T11:30:00+01:00",
        "source": "Example Wire",
        "url": "https://wire.example.com/news/ferry-strike?utm_source=feed",
        "external_id": "urn:newsml:wire.example.com:20261201:ferry-strike",
        "language": "en",
    }
    assert art.paragraphs[0] == (
        "LISBON, Dec 1 (Example Wire) - Ferry crews across the river walked out on Tuesday in a 24-hour strike over night shifts, "
        "halting crossings for thousands of commuters.",
        False,
    )
    assert len(art.paragraphs) == 3
    assert art.notes == ["subjects: subject labour, strike; genre genre:Current; keyword ferries; located Lisbon"]
    normal = normalize(art, config.text, max_chars=10_000)
    assert normal.meta["published"] == "2026-12-01T10:30:00Z"
    assert normal.meta["url"] == "https://wire.example.com/news/ferry-strike"


def test_newsml_message(config):
    bakery, photo, weather = _read(DATA / "wire-batch.xml", config)
    assert bakery.meta["author"] == "Sara Lind" and bakery.meta["source"] == "Example Wire"
    assert bakery.meta["language_hint"] == "en"
    # the XHTML <h1> repeats the headline: dropped
    assert [p for p, _ in bakery.paragraphs] == [
        "A bakery in the village of Holt won the national rye bread prize on Monday, its owner said.",
        '"The recipe is my grandmother\'s," said owner Sara Lind.',
    ]
    assert isinstance(photo, Reject) and photo.reason == "item class ninat:picture is not text"
    assert photo.origin == "wire-batch.xml#urn:newsml:wire.example.com:20261202:photo"
    assert weather.paragraphs == [
        ("Forecasters issued a frost warning for the northern valleys on Tuesday.", False),
        ("Temperatures are expected to fall to minus eight degrees overnight.", False),
    ]
    assert weather.meta["published"] == "2026-12-02T07:58:00Z"


ITEM = '<newsItem guid="g{n}"><contentMeta><headline>H{n}</headline></contentMeta><contentSet>{content}</contentSet></newsItem>'


def test_newsml_truncated_message_keeps_items_before_the_damage(tmp_path, config):
    ok = ITEM.format(n=1, content='<inlineData contenttype="text/plain">The council met.</inlineData>')
    remote = ITEM.format(n=2, content='<remoteContent href="https://example.org/x.txt"/>')
    doc = f"<newsMessage><itemSet>{ok}{remote}{ok.replace('g1', 'g3')}<newsItem guid='g4'><contentSet><inlineData>cut"
    items = _read(_write(tmp_path, "cut.xml", doc), config)
    assert [(i.origin, type(i).__name__) for i in items] == [
        ("cut.xml#g1", "RawArticle"), ("cut.xml#g2", "Reject"), ("cut.xml#g3", "RawArticle"), ("cut.xml", "Reject")]
    assert "content is remote (https://example.org/x.txt)" in items[1].reason
    assert "malformed XML" in items[3].reason and "after 3 item(s)" in items[3].reason
    _one_line_rejects(items)


def test_newsml_packages_and_empty_messages(tmp_path, config):
    items = _read(_write(tmp_path, "pkg.xml", '<newsMessage><itemSet><packageItem guid="p1"/></itemSet></newsMessage>'), config)
    assert [(i.origin, i.reason) for i in items] == [("pkg.xml#p1", "a packageItem, not a newsItem (no article text)")]
    items = _read(_write(tmp_path, "empty.xml", "<newsMessage><header/></newsMessage>"), config)
    assert [i.reason for i in items] == ["no NewsML-G2 items in the file"]
