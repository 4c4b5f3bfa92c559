"""JSONL and CSV readers: fields, origins and record-level rejects (exact)."""

from __future__ import annotations

from pathlib import Path

from presspack.config import load_config
from presspack.ingest.records import read_csv, read_jsonl
from presspack.ingest.types import InputFile, RawArticle, Reject

CONFIG = load_config(None)


def items(tmp_path: Path, name: str, data: str, reader):
    p = tmp_path / name
    p.write_text(data, encoding="utf-8", newline="")
    f = InputFile(path=p, rel=name, format="x", size=p.stat().st_size)
    return list(reader(f, CONFIG)), f


def test_csv_fields_and_embedded_newlines(tmp_path):
    data = 'id,title,text,url,published,author\r\n7,Budget vote,"Line one.\n\nLine two, with comma.",https://News.example/x?utm_medium=a,2024-02-01T09:30:00Z,Ann Lee\r\n8,No text,,,,\r\n'
    got, f = items(tmp_path, "a.csv", data, read_csv)
    assert isinstance(got[0], RawArticle)
    assert got[0].origin == "a.csv#7"
    assert got[0].body == "Line one.\n\nLine two, with comma."
    assert got[0].meta == {"external_id": "7", "url": "https://News.example/x?utm_medium=a", "published": "2024-02-01T09:30:00Z", "author": "Ann Lee", "title": "Budget vote"}
    assert isinstance(got[1], Reject) and got[1].origin == "a.csv#8" and got[1].reason == "record 3 has no text"
    assert f.encoding == "utf-8"


def test_csv_without_text_column(tmp_path):
    got, _ = items(tmp_path, "b.csv", "id,body\n1,hello\n", read_csv)
    assert len(got) == 1 and isinstance(got[0], Reject) and "no 'text' column" in got[0].reason


def test_jsonl_wrong_types(tmp_path):
    data = '{"id": 5, "text": "Body here.", "title": 12, "author": ["a", "b"]}\n{"text": 42}\n\n'
    got, _ = items(tmp_path, "c.jsonl", data, read_jsonl)
    assert got[0].origin == "c.jsonl#5"
    assert got[0].meta == {"external_id": "5", "title": "12"}
    assert got[0].notes == ["'author' of type list ignored"]
    assert isinstance(got[1], Reject) and got[1].origin == "c.jsonl#2" and "not a string" in got[1].reason
