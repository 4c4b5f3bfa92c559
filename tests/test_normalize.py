"""Normalization: exact outputs."""

from __future__ import annotations

from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.normalize.text import normalize

RULES = load_config(None).text


def norm(body: str, from_txt: bool = False, **meta):
    return normalize(RawArticle("o", body, meta=meta, from_txt=from_txt), RULES, max_chars=10_000)


def test_whitespace_controls_and_nfc():
    a = norm("  Cafe\u0301   au\u200b lait\u0007.\r\n\r\n\r\nSecond\tparagraph .  ")
    assert a.text == "Café au lait.\n\nSecond paragraph ."
    assert a.paragraphs == [(0, 13, False), (15, 33, False)]


def test_typographic_quotes_and_dashes_kept():
    assert norm("He said: “No” – then left…").text == "He said: “No” – then left…"


def test_heading_between_paragraphs():
    a = norm("First para here.\n\nA Short Subheading\n\nNext para.\n\nTrailing short line")
    heads = [a.text[s:e] for s, e, h in a.paragraphs if h]
    assert heads == ["A Short Subheading"]


def test_wrapped_lines_joined_in_txt():
    a = norm("This line is wrapped\nin the middle of a sentence.\nA new one starts.", from_txt=True)
    assert a.text == "This line is wrapped in the middle of a sentence.\nA new one starts.".replace("\n", "\n\n")


def test_lines_without_blank_lines_are_paragraphs():
    a = norm("One.\nTwo.\nThree.")
    assert a.text == "One.\n\nTwo.\n\nThree."


def test_ids_from_url_else_text():
    a = norm("Same text.", url="HTTPS://Example.COM/a?utm_source=x&b=2#frag")
    b = norm("Other text.", url="https://example.com/a?b=2")
    c = norm("Same text.")
    assert a.meta["url"] == "https://example.com/a?b=2"
    assert a.article_id == b.article_id != c.article_id
    assert c.article_id == norm("Same   text.").article_id


def test_published_dates():
    assert norm("x", published="2024-03-05").meta["published"] == "2024-03-05"
    assert norm("x", published="2024-03-05T10:00:00+02:00").meta["published"] == "2024-03-05T08:00:00Z"
    assert norm("x", published="March 5, 2024").meta["published"] == "2024-03-05"
    bad = norm("x", published="not a date at all")
    assert "published" not in bad.meta
    assert any("could not be parsed" in n for n in bad.notes)
