"""Readers leave process-wide settings as they found them: logger levels of the HTML and
WARC extractors and csv.field_size_limit are changed only while they work."""

from __future__ import annotations

import csv
import logging

from presspack.config import load_config
from presspack.ingest import html, records
from presspack.ingest.discover import discover
from presspack.ingest.quiet import csv_field_limit, quiet_loggers

PAGE = (b"<html><head><title>Harbour vote</title></head><body><article><h1>Harbour vote</h1>"
        + b"<p>" + b"The council voted on Tuesday to expand the harbour after a long debate. " * 6 + b"</p>"
        + b"</article></body></html>")


def test_quiet_loggers_restores_each_level():
    a, b = logging.getLogger("presspack-test-a"), logging.getLogger("presspack-test-b")
    a.setLevel(logging.INFO)
    b.setLevel(logging.NOTSET)
    with quiet_loggers("presspack-test-a", "presspack-test-b"):
        assert a.level == b.level == logging.CRITICAL
    assert (a.level, b.level) == (logging.INFO, logging.NOTSET)


def test_reading_a_page_leaves_the_extractors_loggers_as_they_were():
    for name in html.EXTRACTOR_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        item, _ = html.page_item(PAGE, "page.html")
        assert item.body.startswith("The council voted")
        assert {logging.getLogger(n).level for n in html.EXTRACTOR_LOGGERS} == {logging.DEBUG}
    finally:
        for name in html.EXTRACTOR_LOGGERS:
            logging.getLogger(name).setLevel(logging.NOTSET)


def test_reading_a_csv_leaves_the_field_size_limit_as_it_was(tmp_path):
    before = csv.field_size_limit()
    with csv_field_limit(10):
        assert csv.field_size_limit() == 10
    assert csv.field_size_limit() == before
    (tmp_path / "a.csv").write_text("title,text\nVote,The council voted.\n", encoding="utf-8")
    f = next(discover([tmp_path]))
    items = list(records.read_csv(f, load_config(None)))
    assert [i.body for i in items] == ["The council voted."]
    assert csv.field_size_limit() == before
