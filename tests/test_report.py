"""report.html: self-contained, byte-reproducible, and its charts render in headless Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from presspack.extras.report import ACCENT, COLOR, Stats, charts, report_html, short, ticks
from presspack.orchestrate.run import build

CHART_TITLES = ["Articles per source", "Articles over time", "Language mix", "Sentences per article",
                "Top entities per label", "Top speakers", "Claims per article", "Direct vs indirect claims"]
NEWS = [
    ("harbour.example.org", "2025-01-14", "Port director Samuel Okafor said the harbour in Rotterdam would reopen on Friday. "
     "“We have repaired the quay,” Okafor told reporters."),
    ("harbour.example.org", "2025-02-03", "Dock workers in Antwerp voted to end the strike, union leader Maria Lopez said."),
    ("city.example.net", "2025-02-20", "Mayor Lena Park said the council would approve the budget. "
     "“Schools come first,” Park said. The opposition said the plan was too expensive."),
    ("city.example.net", "2025-03-09", "Le maire a annoncé un nouveau budget pour les écoles de la ville de Lyon."),
]


@pytest.fixture(scope="module")
def news_release(tmp_path_factory, nlp, config):
    src = tmp_path_factory.mktemp("news")
    recs = [{"id": str(i), "source": s, "published": d, "text": t, "url": f"https://{s}/n{i}"} for i, (s, d, t) in enumerate(NEWS)]
    (src / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
    return build([src], tmp_path_factory.mktemp("out"), "1.0.0", config, nlp=nlp).release_dir


def test_report_is_self_contained(news_release):
    page = (news_release / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == len(CHART_TITLES)
    for title in CHART_TITLES:
        assert f"<h2>{title}</h2>" in page
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\(\s*['\"]?https?:|src=", page, re.I)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # charts' SVG ids do not collide
    assert "harbour.example.org" in page and "2025-02" in page and "Okafor" in page


def test_report_is_byte_reproducible(news_release, tmp_path):
    page = (news_release / "report.html").read_bytes()
    assert report_html(news_release).encode() == page
    code = "import sys; from presspack.extras.report import report_html; sys.stdout.buffer.write(report_html(sys.argv[1]).encode())"
    other = subprocess.run([sys.executable, "-c", code, str(news_release)], capture_output=True, check=True).stdout
    assert other == page


def test_report_renders_in_headless_chromium(news_release, tmp_path, chromium):
    from PIL import Image

    exe = chromium
    shot = tmp_path / "report.png"
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
           "--no-first-run", "--disable-sync", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
           "--window-size=1200,5000", f"--screenshot={shot}", (news_release / "report.html").as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and shot.is_file(), proc.stderr[-2000:]
    img = Image.open(shot).convert("RGB")
    assert img.size == (1200, 5000)

    def near(rgb: tuple[int, int, int], hex_: str) -> bool:
        want = tuple(int(hex_[i : i + 2], 16) for i in (1, 3, 5))
        return all(abs(a - b) <= 8 for a, b in zip(rgb, want, strict=True))

    counts = {COLOR: 0, ACCENT: 0}
    dark = 0
    for n, rgb in img.getcolors(maxcolors=1 << 24):
        for c in counts:
            if near(rgb, c):
                counts[c] += n
        if sum(rgb) < 200:
            dark += n
    # bars in the chart colours (blue: sources, languages, histograms, entities; orange: speakers, kinds)
    assert counts[COLOR] > 20_000 and counts[ACCENT] > 5_000, counts
    assert dark > 5_000  # text and axes were drawn


def test_ticks_are_round_integer_steps_up_to_the_maximum():
    assert ticks(318) == [0, 50, 100, 150, 200, 250, 300, 350]
    assert ticks(318, most=3) == [0, 200, 400]
    assert ticks(9) == [0, 2, 4, 6, 8, 10]
    assert ticks(7) == [0, 1, 2, 3, 4, 5, 6, 7]
    assert ticks(1837) == [0, 500, 1000, 1500, 2000]
    assert ticks(0) == ticks(1) == [0, 1]


def test_long_labels_are_cut_to_32_characters():
    assert short("Port director Samuel Okafor") == "Port director Samuel Okafor"
    assert short("x" * 32) == "x" * 32
    assert short("The International Association of Port Authorities") == "The International Association o…"
    assert len(short("y" * 100)) == 32


def test_an_empty_chart_says_so():
    stats = Stats(articles=2, sentences_per_article=[3, 5])
    svgs = {title: draw(f"c{i}") for i, (title, _, draw) in enumerate(charts(stats), start=1)}
    for title in ("Articles per source", "Language mix", "Top speakers", "Direct vs indirect claims"):
        assert ">no data</text>" in svgs[title], title
    assert ">no publication dates</text>" in svgs["Articles over time"]
    assert ">no entities</text>" in svgs["Top entities per label"]
    assert "no data" not in svgs["Sentences per article"] and "no data" not in svgs["Claims per article"]
    assert '<title id="c2-title">Articles per month of publication</title>' in svgs["Articles over time"]


def test_every_chart_is_well_formed_svg_with_its_text_escaped():
    import xml.etree.ElementTree as ET
    from collections import Counter

    odd = 'Café <b>& "Sons"</b> \'Ltd\' with a name far longer than thirty-two characters'
    stats = Stats(articles=3, sources=Counter({odd: 2, "a.example": 1}), months=Counter({"2025-01": 2, "2025-02": 1}),
                  languages=Counter({"en": 3}), sentences_per_article=[0, 4, 57],
                  entities={"ORG": Counter({odd: 3}), "PERSON": Counter({"Okafor": 1})}, speakers=Counter({odd: 1}),
                  claims_per_article=Counter({"1": 2}), kinds=Counter({"direct": 2}))
    for i, (title, _, draw) in enumerate(charts(stats), start=1):
        root = ET.fromstring(draw(f"c{i}"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox").startswith("0 0 "), title
        assert all(e.get("id").startswith(f"c{i}-") for e in root.iter() if e.get("id")), title
        texts = [e.text for e in root.iter("{http://www.w3.org/2000/svg}text")]
        assert texts and "no data" not in texts, title
    page_texts = "".join(draw(f"c{i}") for i, (_, _, draw) in enumerate(charts(stats), start=1))
    assert "Café &lt;b&gt;&amp; \"Sons\"&lt;/b&gt; 'Ltd' with…" in page_texts  # cut to 32 characters, escaped
    assert "<b>" not in page_texts
