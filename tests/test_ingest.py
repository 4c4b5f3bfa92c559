"""Readers and decoding: exact expected outputs."""

from __future__ import annotations

import pytest

from presspack.config import load_config
from presspack.errors import InputRejected
from presspack.ingest.decode import decode_bytes
from presspack.ingest.text import parse_text, rules_for

RULES = rules_for(load_config(None))


def test_text_header():
    raw = parse_text("\n\nA headline here | world\n\nexample.com\n3 min read\n\nFirst paragraph.\n\nShare This Article\nLeave a Comment\n", "x.txt", RULES)
    assert raw.meta == {"title": "A headline here", "section": "world", "source": "example.com"}
    assert raw.body.strip() == "First paragraph."
    assert raw.notes == ["reading time: 3 min read"]


def test_text_without_header_lines():
    raw = parse_text("Title only\nBody starts right here.\n", "x.txt", RULES)
    assert raw.meta == {"title": "Title only"}
    assert raw.body.strip() == "Body starts right here."


def test_text_title_only_is_rejected():
    with pytest.raises(InputRejected, match="no article body"):
        parse_text("Just a title\n\n", "x.txt", RULES)


def test_user_boilerplate_extends_defaults(tmp_path):
    cfg = tmp_path / "p.toml"
    cfg.write_text('[text]\nboilerplate = ["follow us on .*"]\n')
    rules = rules_for(load_config(cfg))
    raw = parse_text("T\n\nBody.\n\nFollow us on Mastodon\nSource link\n", "x.txt", rules)
    assert raw.body.strip() == "Body."


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("Café “quoted”".encode(), "Café “quoted”", "utf-8"),
        (b"\xef\xbb\xbfCaf\xc3\xa9", "Café", "utf-8-sig"),
        ("Café".encode("utf-16"), "Café", "utf-16"),
    ],
)
def test_decode_direct(data, text, encoding):
    assert decode_bytes(data) == (text, encoding)


def test_decode_cp1252_by_detection():
    data = "The minister’s “plan” costs €5 million – a record, officials said.\n".encode("cp1252") * 3
    text, enc = decode_bytes(data)
    assert "“plan”" in text and "€5" in text
    assert enc.replace("_", "").lower() in ("cp1252", "windows1252")


def test_decode_binary_rejected():
    with pytest.raises(InputRejected, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
