"""Hostile inputs: a fixture generator that writes every case into a directory.

    python tests/hostile.py DIR        # writes the cases, prints one line per case

`write_cases(root)` returns {relative path: Case}: what the build must do with each
(`accepted`, `rejected`, `partial`, or `any` when the outcome legitimately depends on
which readers are installed, e.g. HTML and WARC). Whatever the outcome, every case must
be in the manifest, with a one-line reason when not accepted. Cases are generated from
code (seeded), never copied from real documents.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

GOOD = (
    "Harbour authority plans new ferry terminal\n\nexample.org\n\n"
    "The harbour authority said on Tuesday that a new ferry terminal would open in 2028.\n\n"
    "“We expect twice as many passengers,” director Lena Holm told reporters.\n"
)
GOOD_BODY = "Port officials in Gdańsk said the new crane would double capacity by spring."
SECRET = "root:x:0:0:hostile-marker"  # content of the file the XXE cases point at
WORDS = "council river harbour minister budget school railway energy market weather".split()


@dataclass(frozen=True)
class Case:
    expect: str  # accepted | rejected | partial | any
    why: str  # what the case is
    reason: str | None = None  # a substring the manifest reason must contain (when rejected)


def _gzip_bomb(path: Path, mb: int) -> None:
    """`mb` megabytes of zeros, gzip-compressed (about 1,000:1), written in chunks."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"\0" * (1 << 20)
    with open(path, "wb") as fh:
        for _ in range(mb):
            fh.write(comp.compress(chunk))
        fh.write(comp.flush())


def _warc_record(uri: str, html: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + html
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2025-01-02T03:04:05Z\r\n"
        "WARC-Record-ID: <urn:uuid:12345678-1234-1234-1234-123456789abc>\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def _html(title: str, body: str) -> bytes:
    return f"<!doctype html><html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>".encode()


def write_cases(root: Path, *, big: bool = True) -> dict[str, Case]:
    """Write every hostile case under root. `big=False` leaves out the multi-megabyte ones."""
    rnd = random.Random(7)
    root.mkdir(parents=True, exist_ok=True)
    cases: dict[str, Case] = {}

    def put(rel: str, data: bytes | str, case: Case) -> None:
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases[rel] = case

    # a good article and good records, so the release is never empty
    put("good.txt", GOOD, Case("accepted", "a normal article"))

    # empty, whitespace, invisible
    put("empty.txt", b"", Case("rejected", "empty file", "empty"))
    put("whitespace.txt", " \t\n\n \r\n\u3000\n", Case("rejected", "whitespace only", "empty"))
    put("zero_width.txt", "\u200b\u200b\n\n\u200d\ufeff\n", Case("rejected", "zero-width characters only"))
    put("empty.jsonl", b"\n\n", Case("rejected", "JSONL with blank lines only", "empty"))
    put("empty.csv", b"", Case("rejected", "empty CSV", "empty"))

    # binary and NUL bytes
    put("binary.txt", bytes(rnd.randrange(256) for _ in range(4096)), Case("rejected", "random bytes"))
    put("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(rnd.randrange(256) for _ in range(2048)), Case("rejected", "a PNG named .txt"))
    put("nul_text.txt", b"Title with a stray NUL\n\n" + (GOOD_BODY + " ").encode() * 20 + b"\x00" + GOOD_BODY.encode(),
        Case("accepted", "text with one stray NUL byte"))
    put("nul_padded.txt", GOOD.replace("ferry", "cargo").encode() + b"\x00" * 512, Case("accepted", "text padded with NUL bytes"))
    put("nul_heavy.txt", b"a\x00b\x00\x00c\x00" * 200, Case("rejected", "mostly NUL bytes"))
    put("binary.jsonl", bytes(rnd.randrange(256) for _ in range(4096)), Case("rejected", "random bytes named .jsonl"))
    put("binary.csv", b"text\n" + bytes(rnd.randrange(256) for _ in range(4096)), Case("any", "random bytes under a CSV header"))

    # encodings
    put("undecodable.txt", b"Title\n\n" + bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50, Case("any", "bytes undefined in UTF-8 and cp1252"))
    put("cp1252.txt", "Caf\u00e9 owners protest\n\nThe caf\u00e9 owners said the new rules would cost \u20ac2,000 a year.\n".encode("cp1252"),
        Case("accepted", "legacy cp1252 text"))
    put("utf16_bom.txt", codecs.BOM_UTF16_LE + GOOD.replace("ferry", "bus").encode("utf-16-le"), Case("accepted", "UTF-16 with BOM"))
    put("utf16_nobom.txt", GOOD.replace("ferry", "tram").encode("utf-16-le"), Case("accepted", "UTF-16 without BOM"))
    put("utf16.jsonl", codecs.BOM_UTF16_LE + (json.dumps({"id": "u16", "text": GOOD_BODY.replace("crane", "ship")}) + "\n").encode("utf-16-le"),
        Case("accepted", "UTF-16 JSON Lines"))
    put("bad_bom.txt", codecs.BOM_UTF8 + b"Title\n\nText \xff\xfe broken", Case("any", "a UTF-8 BOM followed by invalid UTF-8"))
    put("lone_surrogate.jsonl", '{"id": "sur", "text": "Lone surrogate \\ud800 in the minister\'s statement."}\n',
        Case("accepted", "JSON escape of a lone surrogate"))

    # sizes and shapes
    if big:
        line = " ".join(rnd.choice(WORDS) for _ in range(480_000))[: 3 * 1024 * 1024]
        put("single_line_3mb.txt", line, Case("any", "a 3 MB file that is one line"))
        put("single_line_3mb.jsonl", json.dumps({"id": "long", "title": "Long", "text": line}) + "\n", Case("any", "a 3 MB JSON record"))
        words = " ".join(rnd.choice(WORDS) for _ in range(400_000))
        put("no_punct_400k.txt", "Endless text without punctuation\n\n" + words + "\n", Case("accepted", "400,000 words, no punctuation"))
        put("huge_record.jsonl", json.dumps({"id": "ok1", "text": GOOD_BODY}) + "\n" + json.dumps({"id": "huge", "text": "x " * 2_500_000}) + "\n",
            Case("partial", "one record over max_record_bytes", "1 record(s) rejected"))
        put("huge_field.csv", "id,text\nc1," + "y" * 5_000_000 + "\nc2,Dock workers said the strike would end.\n",
            Case("any", "a CSV field over max_record_bytes"))
        put("huge_file.txt", "Big\n\n" + ("The council met. " * 250_000), Case("rejected", "a .txt file over max_record_bytes", "too large"))
    put("many_lines.txt", "Title\n\n" + "\n".join(f"line {i}" for i in range(20_000)), Case("accepted", "20,000 one-word lines"))
    put("title_only.txt", "Only a title here\n", Case("rejected", "a title and nothing else", "no article body"))
    put("long_word.txt", "Title\n\n" + "a" * 300_000, Case("accepted", "one 300,000-character word"))

    # file names and paths
    deep = "/".join(f"level{i:02d}" for i in range(40))
    put(f"{deep}/deep.txt", GOOD.replace("ferry", "deep-water"), Case("accepted", "40 directory levels"))
    put("名前 with spaces/Ünïcödé file name.txt", GOOD.replace("ferry", "river"), Case("accepted", "Unicode and spaces in names"))
    put("line\nbreak name.txt", GOOD.replace("ferry", "canal"), Case("accepted", "a newline in a file name"))
    put("-dash and $(shell) `name`.txt", GOOD.replace("ferry", "lake"), Case("accepted", "shell metacharacters in a file name"))
    put("folder.txt/inside.txt", GOOD.replace("ferry", "island"), Case("accepted", "a directory named like a file"))
    put("no_extension", GOOD, Case("rejected", "no extension", "unsupported"))
    put("notes.md", "# notes", Case("rejected", "unsupported extension", "unsupported"))
    raw_name = os.fsencode(root) + b"/caf\xe9 latin1 name.txt"
    with open(raw_name, "wb") as fh:
        fh.write(GOOD.replace("ferry", "latin").encode())
    cases["caf\\xe9 latin1 name.txt"] = Case("accepted", "a file name that is not UTF-8")
    os.symlink(".", root / "loop")
    cases["loop"] = Case("rejected", "a directory symlink loop", "loop")
    os.symlink("self_b.txt", root / "self_a.txt")
    os.symlink("self_a.txt", root / "self_b.txt")
    cases["self_a.txt"] = Case("rejected", "a file symlink loop")
    cases["self_b.txt"] = Case("rejected", "a file symlink loop")
    os.symlink("does/not/exist.txt", root / "dangling.txt")
    cases["dangling.txt"] = Case("rejected", "a dangling symlink")
    os.mkfifo(root / "fifo.txt")
    cases["fifo.txt"] = Case("rejected", "a FIFO (reading it would block)", "not a regular file")
    if os.geteuid() != 0:  # root reads mode-000 files anyway: the case is meaningless there
        put("unreadable.txt", GOOD.replace("ferry", "locked"), Case("rejected", "a file without read permission", "cannot read"))
        os.chmod(root / "unreadable.txt", 0)

    # malformed JSON Lines
    recs = [
        json.dumps({"id": "j1", "title": "Good record", "text": GOOD_BODY.replace("spring", "summer"), "published": "2025-03-04"}),
        '{"id": "j2", "text": "unterminated',
        '{"id": "j3", "text": "raw newline',
        'inside a string"}',
        json.dumps(["a", "list"]),
        json.dumps("a string"),
        "42",
        "null",
        json.dumps({"id": "j9", "text": 12345}),
        json.dumps({"id": "j10", "text": ["a", "list"]}),
        json.dumps({"id": {"nested": 1}, "title": ["x"], "text": "Wrong metadata types did not stop the ferry service.", "published": {"y": 1}, "url": 7, "author": True}),
        json.dumps({"id": "j12", "text": "   "}),
        json.dumps({"id": "j13"}),
        "[" * 100_000 + "]" * 100_000,
        '{"id": "j15", "text": "NaN and Infinity", "n": NaN}',
        '{"id": "j16", "text": "duplicate keys", "text": "Second value of a duplicated key about the harbour budget."}',
        "\x00\x01\x02 control characters",
    ]
    put("malformed.jsonl", "\n".join(recs) + "\n", Case("partial", "malformed and mistyped JSON records"))
    put("one_big_array.jsonl", json.dumps([{"text": GOOD_BODY}] * 3, indent=2), Case("rejected", "a pretty-printed JSON array in a .jsonl"))

    # malformed CSV
    put("embedded_newlines.csv", 'id,title,text\nc1,"Two\nlines","First paragraph about the harbour.\n\nSecond paragraph, quoted ""properly""."\n',
        Case("accepted", "quoted fields with newlines"))
    put("broken_quote.csv", 'id,text\nq1,"Council approved the budget."\nq2,"unterminated quote\nq3,never read\n',
        Case("partial", "an unterminated quote"))
    put("ragged.csv", "id,text,published\nr1,Short row\nr2,Long row about trams,2025-01-01,extra,fields\nr3,Ferry fares rise again,2025-01-02\n",
        Case("partial", "rows with too few and too many fields"))
    put("no_text_column.csv", "id,body\n1,hello\n", Case("rejected", "no text column", "no 'text' column"))
    put("header_only.csv", "id,text\n", Case("rejected", "a header and no rows", "empty"))
    put("nul.csv", "id,text\nn1,Bridge repairs start\x00 in May.\n", Case("any", "a NUL byte inside a CSV field"))
    put("semicolon.csv", "id;text\n1;Harbour tolls will rise\n", Case("rejected", "semicolon-separated", "no 'text' column"))

    # dates
    dates = ["2025-02-30", "someday", "0000-00-00", "99999-01-01", "9999-12-31T23:59:59-05:00", "1e400", "-1",
             "2025-01-01T25:61:00Z", "31/31/2031", "", "Mon, 32 Jan 2025", "2025-06-01T12:00:00+14:00"]
    put("bad_dates.jsonl", "\n".join(json.dumps({"id": f"d{i}", "text": f"Story {i}: the {WORDS[i % len(WORDS)]} vote was delayed again.",
                                                 "published": d}) for i, d in enumerate(dates))
        + "\n" + json.dumps({"id": "dnum", "text": "Numeric date on the budget vote.", "published": 1e308}) + "\n",
        Case("accepted", "unparseable and overflowing dates (null, with a note)"))

    # compressed, HTML and WARC (readers may be absent: any outcome, but accounted for)
    _gzip_bomb(root / "bomb.html.gz", 100)
    cases["bomb.html.gz"] = Case("any", "gzip bomb: 100 MB of zeros in ~100 kB")
    _gzip_bomb(root / "bomb.warc.gz", 100)
    cases["bomb.warc.gz"] = Case("any", "gzip bomb named .warc.gz")
    _gzip_bomb(root / "bomb.jsonl.gz", 20)
    cases["bomb.jsonl.gz"] = Case("any", "gzip bomb named .jsonl.gz")
    page = gzip.compress(_html("Truncated page", GOOD_BODY * 20), mtime=0)
    put("truncated.html.gz", page[: len(page) // 2], Case("any", "a gzip file cut in half"))
    warc = _warc_record("https://example.org/a", _html("Harbour news", GOOD_BODY)) + _warc_record("https://example.org/b", _html("Second", GOOD_BODY * 3))
    put("truncated.warc", warc[: len(warc) - 150], Case("any", "a WARC file cut inside its last record"))
    put("truncated.warc.gz", gzip.compress(warc, mtime=0)[:-40], Case("any", "a .warc.gz without its end"))
    put("garbage.warc", b"WARC/1.0\r\nContent-Length: 99999999999\r\n\r\nshort", Case("any", "a WARC header with an absurd length"))
    secret = root.parent / f"{root.name}-secret.txt"
    secret.write_text(SECRET, encoding="utf-8")  # outside the inputs: XXE must never read it
    laughs = "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    put("entity_bomb.html", f'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY lol0 "lol">{laughs}]><html><body><p>&lol9;</p><p>{GOOD_BODY}</p></body></html>',
        Case("any", "billion laughs entity expansion"))
    put("xxe.html", f'<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file://{secret}">]><html><body><p>&xxe;</p><p>{GOOD_BODY}</p></body></html>',
        Case("any", "XML external entity pointing at a local file"))
    put("xxe.xhtml.html", f'<!DOCTYPE html [<!ENTITY % x SYSTEM "file://{secret}"> %x;]><html><body>{GOOD_BODY}</body></html>', Case("any", "parameter entity XXE"))
    put("html_entities.txt", "Entities &amp; more\n\n" + "&lt;&amp;&#x41;&#65; " * 20000 + "\n", Case("accepted", "HTML entities in plain text stay text"))

    # news-industry formats: Reuters SGML, NITF and NewsML-G2 (XML parsed with entities off)
    rec = '<REUTERS NEWID="{n}"><DATE>2-MAR-1987 10:00:00.00</DATE><TEXT><TITLE>T{n}</TITLE><BODY>{body}\n Reuter\n&#3;</BODY></TEXT></REUTERS>\n'
    put("reuters_damaged.sgm", rec.format(n=1, body=GOOD_BODY) + '<REUTERS NEWID="2"><TEXT><BODY>no end tag\n'
        + rec.format(n=3, body="AT&T &lt;T> &#1;&#31; \x01 raw control " + GOOD_BODY) + '<REUTERS NEWID="4"><TEXT><BODY>cut',
        Case("partial", "Reuters records without an end tag, cut off, with control characters"))
    junk = random.Random(25)
    put("reuters_binary.sgm", bytes(junk.randrange(256) for _ in range(5000)), Case("rejected", "random bytes named .sgm", "binary"))
    put("reuters_junk.sgm", "".join(junk.choice("<>&;#/ REUTERSabc\n") for _ in range(5000)), Case("rejected", "SGML-like junk", "no <REUTERS> records"))
    put("reuters_bytes.sgm", rec.format(n=1, body=GOOD_BODY).encode("utf-8") + b'<REUTERS NEWID="2"><TEXT><BODY>\xff\xfe\x81\x00\x8d '
        + GOOD_BODY.encode("utf-16-le") + b"</BODY></TEXT></REUTERS>", Case("any", "a record of bytes undefined in UTF-8 and cp1252"))
    nitf = "<nitf><body><body.content><p>{}</p></body.content></body></nitf>"
    put("entity_bomb.nitf", f'<?xml version="1.0"?><!DOCTYPE nitf [<!ENTITY lol0 "lol">{laughs}]>' + nitf.format("&lol9;"),
        Case("rejected", "billion laughs in NITF", "XML"))
    put("xxe_newsml.xml", f'<!DOCTYPE newsItem [<!ENTITY xxe SYSTEM "file://{secret}">]><newsItem guid="x"><contentSet>'
        '<inlineData contenttype="text/plain">&xxe;</inlineData></contentSet></newsItem>', Case("rejected", "XXE in NewsML-G2", "declares entities"))
    put("deep.nitf", "<nitf>" + "<block>" * 100_000 + nitf.format(GOOD_BODY), Case("rejected", "100,000 nested XML elements", "malformed XML"))
    put("truncated.nitf", nitf.format(GOOD_BODY)[:-25], Case("rejected", "an NITF file cut off", "malformed XML"))
    item = '<newsItem guid="g{}"><contentSet><inlineData contenttype="text/plain">{}</inlineData></contentSet></newsItem>'
    put("truncated_feed.xml", "<newsMessage><itemSet>" + item.format(1, "Feed item one: the tram depot will close for repairs in May.")
        + item.format(2, "Feed item two: the bridge toll rises in June.")[:-40],
        Case("partial", "a NewsML-G2 message cut off inside its second item"))
    put("latin1_nodecl.nitf", nitf.format("Le caf\xe9 du port rouvre apr\xe8s les travaux.").encode("latin-1"),
        Case("accepted", "NITF in Latin-1 without an encoding declaration"))
    put("rss.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title></channel></rss>',
        Case("rejected", "XML that is not a news format", "root element <rss>"))

    # texts that table readers take for missing values
    put("missing_lookalikes.jsonl", "".join(json.dumps({"id": v, "title": v, "text": v}) + "\n" for v in ("nan", "NaN", "null", "None", "NA", "-")),
        Case("accepted", "texts 'nan', 'null', 'NA' that readers may take for missing values"))

    # path traversal in ids and urls
    trav = [
        {"id": "../../../../tmp/presspack-escape", "text": "Traversal in the id of a harbour story.", "url": "https://example.org/../../etc/passwd"},
        {"id": "/etc/passwd", "text": "Absolute path as an id in a council story.", "url": "file:///etc/passwd"},
        {"id": "..\\..\\windows", "text": "Backslash traversal in a railway story.", "url": "javascript:alert(1)"},
        {"id": "a/b/../../../c", "text": "Nested traversal in an energy story.", "url": "http://[::1]:99999/x"},
        {"id": "con", "text": "A reserved Windows name in a school story.", "url": "https://example.org/%2e%2e/%2e%2e/x?next=../../y"},
    ]
    put("traversal.jsonl", "\n".join(json.dumps(r) for r in trav) + "\n", Case("accepted", "path traversal in ids and urls"))
    put("..%2F..%2Fescape.txt", GOOD.replace("ferry", "escape"), Case("accepted", "an encoded traversal in a file name"))
    return cases


def main() -> int:
    root = Path(sys.argv[1])
    for rel, case in write_cases(root).items():
        print(f"{case.expect:9} {rel!r}: {case.why}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
