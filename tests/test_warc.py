"""Web archives: response records to articles, WARC metadata, limits, bombs and damage."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc

import pandas as pd
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from presspack.config import Config, Limits
from presspack.ingest import warc as warc_reader
from presspack.ingest.types import InputFile, RawArticle, Reject

STORY_A = [
    "Rail workers in the northern province walked out on Monday after talks over a new wage agreement collapsed late on Sunday night.",
    "The union said the strike would last at least three days and that freight services would be the first to stop.",
    "The transport minister called the walkout irresponsible and urged both sides to return to the table this week.",
]
STORY_B = [
    "A small museum in the river valley has reopened after a two-year renovation that uncovered medieval paintings behind the plaster.",
    "Restorers found the paintings while replacing damaged walls, the museum director told visitors at the reopening ceremony.",
    "Entry will be free for the rest of the month, and the museum plans guided tours of the restored rooms in the summer.",
]


def page(title: str, paras: list[str], canonical: str | None = None, charset: str = "utf-8") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    body = "".join(f"<p>{p}</p>" for p in paras)
    return f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title>{link}</head><body><article><h1>{title}</h1>{body}</article></body></html>'


def make_warc(records: list[tuple], *, gz: bool = True) -> bytes:
    """records: (type, url, status, content type, payload bytes[, extra http headers])."""
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=gz)
    w.write_record(w.create_warcinfo_record("test.warc.gz", {"software": "presspack-tests"}))
    for i, (rtype, url, status, ctype, payload, *extra) in enumerate(records):
        date = f"2024-03-0{i + 1}T12:00:00Z"
        if rtype == "response":
            http = StatusAndHeaders(f"{status} X", [("Content-Type", ctype), *(extra[0] if extra else [])], protocol="HTTP/1.1")
            rec = w.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http, warc_headers_dict={"WARC-Date": date})
        else:
            rec = w.create_warc_record(url, rtype, payload=io.BytesIO(payload), warc_headers_dict={"WARC-Date": date})
        w.write_record(rec)
    return buf.getvalue()


ARCHIVE = [
    ("request", "https://news.example/rail", None, None, b"GET /rail HTTP/1.1\r\nHost: news.example\r\n\r\n"),
    ("response", "https://news.example/rail?utm_source=x", 200, "text/html; charset=utf-8", page("Rail strike begins", STORY_A).encode()),
    ("response", "https://news.example/gone", 404, "text/html", b"<html><body>Not found</body></html>"),
    ("response", "https://news.example/logo.png", 200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
    ("response", "https://mirror.example/museum", 200, "text/html", page("Museum reopens", STORY_B, canonical="https://Museum-News.example/reopens#top").encode()),
    ("metadata", "https://news.example/rail", None, None, b"via: crawler"),
]


def _read(tmp_path, name: str, data: bytes, **limits: int) -> list:
    p = tmp_path / name
    p.write_bytes(data)
    f = InputFile(path=p, rel=name, format="warc", size=p.stat().st_size)
    return list(warc_reader.read(f, Config(limits=Limits(**limits))))


def test_records_to_articles(tmp_path):
    items = _read(tmp_path, "crawl.warc.gz", make_warc(ARCHIVE))
    arts = [i for i in items if isinstance(i, RawArticle)]
    rejects = [i for i in items if isinstance(i, Reject)]
    assert [a.meta["title"] for a in arts] == ["Rail strike begins", "Museum reopens"]
    rail, museum = arts
    assert rail.meta["url"].startswith("https://news.example/rail")
    assert rail.meta["fetched"] == "2024-03-02T12:00:00Z"
    assert museum.meta["url"].lower().startswith("https://museum-news.example/reopens")  # the canonical link wins
    for a in arts:
        assert a.origin.startswith("crawl.warc.gz#urn:uuid:")
    assert len({a.origin for a in items}) == len(items)
    reasons = sorted(r.reason for r in rejects)
    assert reasons == ["HTTP status 404, not 200", "content type 'image/png' is not HTML"]


def test_uncompressed_warc_and_legacy_charset(tmp_path):
    para = STORY_B[1] + " “Remarkable,” she said – twice."
    data = make_warc([("response", "https://news.example/m", 200, "text/html; charset=windows-1252", page("Museum", [STORY_B[0], para, STORY_B[2]], charset="").encode("cp1252"))], gz=False)
    (item,) = _read(tmp_path, "plain.warc", data)
    assert isinstance(item, RawArticle)
    assert para in item.body


def test_build_from_warc(make_release):
    result = make_release({"crawl.warc.gz": make_warc(ARCHIVE)})
    arts = pd.read_parquet(result.release_dir / "articles.parquet")
    assert list(arts["fetched"]) == ["2024-03-02T12:00:00Z", "2024-03-05T12:00:00Z"]
    assert list(arts["url"]) == ["https://news.example/rail", "https://museum-news.example/reopens"]
    assert set(arts["language"]) == {"en"}
    manifest = json.loads((result.release_dir / "manifest.json").read_text())
    (entry,) = manifest["files"]
    assert entry["status"] == "partial" and entry["format"] == "warc"
    assert len(entry["article_ids"]) == 2 and len(entry["records"]) == 2


def test_record_payload_cap(tmp_path):
    big = page("Big", STORY_A).encode() + b"<!--" + b"x" * 300_000 + b"-->"
    items = _read(tmp_path, "big.warc.gz", make_warc([ARCHIVE[1], ("response", "https://news.example/big", 200, "text/html", big)]), max_record_bytes=100_000)
    assert isinstance(items[0], RawArticle)
    assert isinstance(items[1], Reject) and "max_record_bytes" in items[1].reason


def test_gzip_bomb_record_is_rejected_within_memory(tmp_path):
    bomb = ("response", "https://bomb.example/", 200, "text/html", b"<html><body><p>" + b"\0" * 40_000_000)
    data = make_warc([ARCHIVE[1], bomb, ARCHIVE[4]])
    assert len(data) < 500_000
    tracemalloc.start()
    items = _read(tmp_path, "bomb.warc.gz", data, max_record_bytes=1_000_000, max_decompressed_bytes=5_000_000)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert isinstance(items[0], RawArticle)
    assert isinstance(items[1], Reject) and "max_record_bytes" in items[1].reason
    assert isinstance(items[-1], Reject) and "gzip bomb" in items[-1].reason and items[-1].origin == "bomb.warc.gz"
    assert peak < 30_000_000


def test_http_content_encoding_bomb_is_capped(tmp_path):
    """A gzip Content-Encoding bomb: the record is rejected and peak memory does not
    grow with the bomb's size (warcio inflates one 16 KB block at a time)."""
    peaks = []
    for size in (20_000_000, 60_000_000):
        payload = gzip.compress(b"<html><body><p>" + b"a" * size)
        rec = ("response", "https://bomb.example/", 200, "text/html", payload, [("Content-Encoding", "gzip")])
        data = make_warc([rec, ARCHIVE[1]])
        del payload, rec
        tracemalloc.start()
        items = _read(tmp_path, f"enc{size}.warc.gz", data, max_record_bytes=1_000_000)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert isinstance(items[0], Reject) and "max_record_bytes" in items[0].reason
        assert isinstance(items[1], RawArticle)
    assert peaks[1] < 1.3 * peaks[0] and peaks[1] < 64_000_000


def test_truncated_archive_keeps_what_was_read(tmp_path):
    data = make_warc([ARCHIVE[1], ARCHIVE[4]])
    items = _read(tmp_path, "cut.warc.gz", data[:-200])
    assert isinstance(items[0], RawArticle) and items[0].meta["title"] == "Rail strike begins"
    assert isinstance(items[-1], Reject) and "truncated" in items[-1].reason and "could not be read" in items[-1].reason


def test_not_an_archive(tmp_path):
    (item,) = _read(tmp_path, "junk.warc", b"this is not a web archive\n" * 20)
    assert isinstance(item, Reject) and "not a valid WARC" in item.reason
    (item,) = _read(tmp_path, "empty.warc.gz", b"")
    assert isinstance(item, Reject) and "no HTML response records" in item.reason


def _arc_record(url: str, date: str, ctype: str, payload: bytes) -> bytes:
    return f"{url} 10.0.0.1 {date} {ctype} {len(payload)}\n".encode() + payload + b"\n"


def test_arc_archive(tmp_path):
    head = _arc_record("filedesc://crawl.arc", "20240301120000", "text/plain", b"1 0 tests\nURL IP-address Archive-date Content-type Archive-length\n")
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page("Museum reopens", STORY_B).encode()
    data = gzip.compress(head) + gzip.compress(_arc_record("http://museum.example/reopens", "20240302120000", "text/html", http))
    (item,) = _read(tmp_path, "crawl.arc.gz", data)
    assert isinstance(item, RawArticle)
    assert item.origin == "crawl.arc.gz#2"  # ARC records have no id: the record number
    assert item.meta["fetched"] == "2024-03-02T12:00:00Z" and item.meta["url"] == "http://museum.example/reopens"


def test_bad_content_length_is_resynchronized_quietly(tmp_path, capfd):
    data = make_warc([ARCHIVE[1], ARCHIVE[4]], gz=False)
    first = data.index(b"WARC-Type: response")
    cl = data.index(b"Content-Length: ", first)
    end = data.index(b"\r\n", cl)
    n = int(data[cl + 16 : end])
    broken = data[: cl + 16] + str(n - 40).encode() + data[end:]
    items = _read(tmp_path, "broken.warc", broken)
    assert [i.meta["title"] for i in items] == ["Rail strike begins", "Museum reopens"]  # warcio skips to the next record
    assert capfd.readouterr().err == ""  # its warning does not reach the terminal
