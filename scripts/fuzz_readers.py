"""Fuzz the input readers: mutate seed inputs for a bounded time and check that every
reader (and normalization after it) yields articles or one-line rejects, never raises.

    .venv/bin/python scripts/fuzz_readers.py --seconds 60
    .venv/bin/python scripts/fuzz_readers.py --seconds 600 --seed 3 --crashes /tmp/fuzz-crashes

A mutational fuzzer (seeded, reproducible): bit flips, byte insertions and deletions,
chunk duplication and splices of tokens that matter to the formats (quotes, newlines,
NUL, BOMs, surrogate escapes, brackets). Crashing inputs are saved to --crashes. Exit 1
when any input made a reader raise.
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

from presspack.config import load_config
from presspack.errors import InputRejected
from presspack.ingest import reader_for
from presspack.ingest.types import InputFile, RawArticle, Reject
from presspack.normalize.text import normalize

SEEDS = {
    "text": [
        b"Harbour plans | local\n\nexample.org\n\n4 Min Read\n\nThe harbour authority said on Tuesday that it would act.\n\n"
        b"\xe2\x80\x9cWe will,\xe2\x80\x9d director Lena Holm said.\n",
        "Caf\u00e9 rules\n\nThe caf\u00e9 owners said prices rose by \u20ac2.\n".encode("cp1252"),
        codecs.BOM_UTF16_LE + "Title\n\nBody text of the article.\n".encode("utf-16-le"),
    ],
    "jsonl": [
        b'{"id": "r1", "title": "Port", "text": "Dock workers said the strike would go on.", "published": "2025-01-02", "url": "https://example.org/a?utm_source=x"}\n'
        b'{"id": 2, "text": "Second record.\\n\\nWith two paragraphs."}\n',
        b'\xef\xbb\xbf{"text": "BOM first", "published": "2025-06-01T12:00:00+14:00"}\n[1, 2]\n"str"\n',
    ],
    "csv": [
        b'id,title,text,published\nc1,"Two\nlines","First paragraph.\n\nSecond, quoted ""well"".",2025-01-01\nc2,T,Plain text,someday\n',
        b"text\nOne column only\n",
    ],
    "sgml": [
        b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS TOPICS="YES" NEWID="1">\n<DATE> 2-MAR-1987 10:00:00.00</DATE>\n'
        b"<TOPICS><D>ship</D></TOPICS>\n<TEXT>&#2;\n<TITLE>PORT &lt;AB> REOPENS</TITLE>\n<DATELINE>    OSLO, March 2 - </DATELINE><BODY>The port\n"
        b"reopened, AT&T said.\n    Ships queued.\n Reuter\n&#3;</BODY></TEXT>\n</REUTERS>\n"
        b'<REUTERS NEWID="2"><TEXT TYPE="BRIEF"><TITLE>BRIEF</TITLE></TEXT></REUTERS>\n<REUTERS NEWID="3"><TEXT TYPE="UNPROC">Caf\xe9 news.</TEXT></REUTERS>\n',
    ],
    "xml": [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<nitf><head><title>T</title><pubdata date.publication="20261103T000000"/></head><body><body.head>'
        b"<hedline><hl1>Tram opens</hl1></hedline><byline>By A. Writer</byline><dateline>RIVERSIDE, Nov. 2</dateline></body.head>"
        b"<body.content><block class=\"full_text\"><p>The tram &#8220;opened&#8221;.</p><hl2>Costs</hl2><p>It cost more.</p></block></body.content></body></nitf>\n",
        b'<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet><newsItem guid="g1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>'
        b"<contentMeta><headline>Ferry strike</headline><by>By T. Reis</by><subject><name>labour</name></subject></contentMeta><contentSet>"
        b'<inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Ferry strike</h1><p>Crews walked out.</p>'
        b'</body></html></inlineXML></contentSet></newsItem><newsItem guid="g2"><contentSet><inlineData contenttype="text/plain">A.\n\nB.</inlineData>'
        b"</contentSet></newsItem></itemSet></newsMessage>\n",
    ],
}
TOKENS = [b'"', b"\n", b"\r\n", b"\n\n", b"\x00", b",", b"{", b"}", b"[", b"]", b"\\", b"\\ud800", b"\\u0000", codecs.BOM_UTF8,
          codecs.BOM_UTF16_LE, b"\xff", b"\xc3", b"\xe2\x80", b'"text": ', b"NaN", b"1e999", b"9999-12-31T23:59:59-05:00", b"\t", b"\xe2\x80\xa8",
          b"<", b">", b"&", b"&#3;", b"</REUTERS>", b"<REUTERS>", b"<!ENTITY a \"b\">", b"&mdash;", b"<p>", b"</p>"]
EXT = {"text": ".txt", "jsonl": ".jsonl", "csv": ".csv", "sgml": ".sgm", "xml": ".xml"}


def mutate(data: bytes, rnd: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rnd.randint(1, 8)):
        op = rnd.randrange(6)
        pos = rnd.randint(0, len(b))
        if op == 0 and b:
            i = rnd.randrange(len(b))
            b[i] ^= 1 << rnd.randrange(8)
        elif op == 1:
            b[pos:pos] = rnd.choice(TOKENS)
        elif op == 2 and b:
            del b[pos:pos + rnd.randint(1, 16)]
        elif op == 3 and b:
            j = rnd.randint(pos, min(len(b), pos + 64))
            b[pos:pos] = bytes(b[pos:j]) * rnd.randint(1, 4)
        elif op == 4:
            b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
        else:
            b = b[:pos]
    return bytes(b)


def run_one(data: bytes, fmt: str, path: Path, config) -> None:
    path.write_bytes(data)
    f = InputFile(path=path, rel=path.name, format=fmt, size=len(data))
    for item in reader_for(fmt)(f, config):
        if isinstance(item, Reject):
            if not item.reason or "\n" in item.reason:
                raise AssertionError(f"reject reason is not one line: {item.reason!r}")
            continue
        if not isinstance(item, RawArticle):
            raise AssertionError(f"reader yielded {type(item).__name__}")
        try:
            art = normalize(item, config.text, max_chars=config.limits.max_article_chars)
        except InputRejected:
            continue
        art.text.encode("utf-8")
        for s, e, _ in art.paragraphs:
            if not (0 <= s < e <= len(art.text)):
                raise AssertionError(f"paragraph span {s}:{e} outside the text")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60, help="time budget (default 60)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--crashes", type=Path, default=Path("fuzz-crashes"), help="where crashing inputs are saved")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    config = load_config(None)
    corpus = {fmt: list(seeds) for fmt, seeds in SEEDS.items()}
    n = crashes = 0
    end = time.monotonic() + args.seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < end:
            fmt = rnd.choice(sorted(corpus))
            data = mutate(rnd.choice(corpus[fmt]), rnd)
            n += 1
            try:
                run_one(data, fmt, Path(tmp) / f"input{EXT[fmt]}", config)
            except Exception:  # noqa: BLE001 - that is what a fuzzer looks for
                crashes += 1
                args.crashes.mkdir(parents=True, exist_ok=True)
                name = args.crashes / f"{hashlib.sha256(data).hexdigest()[:16]}{EXT[fmt]}"
                name.write_bytes(data)
                print(f"CRASH {fmt} {name}:\n{traceback.format_exc()}", file=sys.stderr)
                continue
            if len(corpus[fmt]) < 200 and rnd.random() < 0.05:
                corpus[fmt].append(data)  # keep some mutants as new seeds
    print(f"fuzz_readers: {n} inputs in {args.seconds:.0f} s (seed {args.seed}), {crashes} crash(es)")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
