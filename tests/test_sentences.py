"""Sentence splitting: every hard rule with exact expected sentences, on our own texts."""

from __future__ import annotations

import pytest

from presspack.annotate.batch import annotate
from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.nlp.sentences import refine
from presspack.normalize.text import normalize

CASES = {
    "titles": (
        "Dr. Smith arrived late. He spoke to Mr. Jones and Prof. Brown.",
        ["Dr. Smith arrived late.", "He spoke to Mr. Jones and Prof. Brown."],
    ),
    "abbreviations and months": (
        "The U.S. Army left on Sept. 5. It returned in May.",
        ["The U.S. Army left on Sept. 5.", "It returned in May."],
    ),
    "abbreviation then opener": (
        "Mr. Brown met the U.K. minister on Jan. 3 at 10 a.m. in Washington D.C. The talks ended.",
        ["Mr. Brown met the U.K. minister on Jan. 3 at 10 a.m. in Washington D.C.", "The talks ended."],
    ),
    "company abbreviations": (
        "Shares of Acme Inc. rose 5%. The company said sales grew. Acme Inc. The firm expanded.",
        ["Shares of Acme Inc. rose 5%.", "The company said sales grew.", "Acme Inc.", "The firm expanded."],
    ),
    "initials": (
        "J. R. R. Tolkien wrote many books. He died in 1973.",
        ["J. R. R. Tolkien wrote many books.", "He died in 1973."],
    ),
    "decimals and money": (
        "The company earned $10.5 billion in 2023. Profit rose 3.5 percent to $1.2 million.",
        ["The company earned $10.5 billion in 2023.", "Profit rose 3.5 percent to $1.2 million."],
    ),
    "units before a full stop": (
        "The resort could cost $40m. Between 10 and 12 hotels closed. Sales fell 3m. Output rose at 5 p.m. on Friday.",
        ["The resort could cost $40m.", "Between 10 and 12 hotels closed.", "Sales fell 3m.",
         "Output rose at 5 p.m. on Friday."],
    ),
    "ellipses": (
        "I waited... Nobody came. He paused ... and then left.",
        ["I waited...", "Nobody came.", "He paused ... and then left."],
    ),
    "quotes ending a sentence": (
        '"We will win," he said. "Is it over?" she asked. They left.',
        ['"We will win," he said.', '"Is it over?" she asked.', "They left."],
    ),
    "quoted sentence": (
        'She said it was over. "It is done." Then she left.',
        ["She said it was over.", '"It is done."', "Then she left."],
    ),
    "numbered list": (
        "1. Buy milk. 2. Walk the dog. 3. Call Anna.",
        ["1. Buy milk.", "2. Walk the dog.", "3. Call Anna."],
    ),
    "enumeration in brackets": (
        "The plan has three parts: (a) taxes, (b) spending and (c) debt. It passed.",
        ["The plan has three parts: (a) taxes, (b) spending and (c) debt.", "It passed."],
    ),
    "parentheses": (
        "He teaches science (He previously worked for 5 years as an engineer.) at the local University. He is happy.",
        ["He teaches science (He previously worked for 5 years as an engineer.) at the local University.", "He is happy."],
    ),
    "urls and emails": (
        "Visit www.example.com/news.html for more. Write to info@example.org today. Thanks.",
        ["Visit www.example.com/news.html for more.", "Write to info@example.org today.", "Thanks."],
    ),
    "url at sentence end": (
        "Read it at https://example.com/a.b?x=1. Then call us.",
        ["Read it at https://example.com/a.b?x=1.", "Then call us."],
    ),
    "inline numbered list": (
        "1.) Pack the tent 2.) Load the car 3.) Drive north",
        ["1.) Pack the tent", "2.) Load the car", "3.) Drive north"],
    ),
    "inline list with periods": (
        "1. Pack the tent. 2. Load the car. 3. Drive north.",
        ["1. Pack the tent.", "2. Load the car.", "3. Drive north."],
    ),
    "inline lettered list": (
        "a. Red apples b. Green pears c. Ripe plums",
        ["a. Red apples", "b. Green pears", "c. Ripe plums"],
    ),
    "bulleted numbers": (
        "\u2022 4. Rinse the rice \u2022 5. Boil the water",
        ["\u2022 4. Rinse the rice", "\u2022 5. Boil the water"],
    ),
    "list inside a sentence": (
        "(a) Taxes, (b) spending and (c) debt were on the table. It passed.",
        ["(a) Taxes, (b) spending and (c) debt were on the table.", "It passed."],
    ),
    "numbers that do not count on": (
        "1. The team scored 3. Nobody expected it.",
        ["1. The team scored 3.", "Nobody expected it."],
    ),
    "initials are no list": (
        "A. Smith and B. Jones met at noon. They talked.",
        ["A. Smith and B. Jones met at noon.", "They talked."],
    ),
    "name with an exclamation mark": (
        "He sang with Wham! in the eighties. Then he went solo.",
        ["He sang with Wham! in the eighties.", "Then he went solo."],
    ),
    "quoted statement then speech tag": (
        "He looked up. 'It is late.' she whispered. \"We stay.\" he said.",
        ["He looked up.", "'It is late.' she whispered.", '"We stay." he said.'],
    ),
    "spaced ellipses": (
        "The rule was weakened . . . but not dropped. It ended in a vote . . . . Nobody came.",
        ["The rule was weakened . . . but not dropped.", "It ended in a vote . . . .", "Nobody came."],
    ),
    "omission after a sentence": (
        "They met twice. . . . The second meeting was short.",
        ["They met twice.", ". . . The second meeting was short."],
    ),
    "citation after a quotation": (
        '"The ships [...] sailed at dawn" (Baker 12). The harbor emptied.',
        ['"The ships [...] sailed at dawn" (Baker 12).', "The harbor emptied."],
    ),
    "omission between sentences": (
        "The ships sailed at dawn. [...] The harbor emptied.",
        ["The ships sailed at dawn.", "[...] The harbor emptied."],
    ),
    "aside after a sentence": (
        "The ships sailed at dawn. (Nobody saw them leave.) The harbor emptied.",
        ["The ships sailed at dawn.", "(Nobody saw them leave.)", "The harbor emptied."],
    ),
    "number sign": (
        "It is filed under N\u00b0. 42.7. The file is thin.",
        ["It is filed under N\u00b0. 42.7.", "The file is thin."],
    ),
    "time then a title": (
        "The train left at 9 p.m. Dr. Lee stayed behind. At 7 a.m. Dr. Lee went home.",
        ["The train left at 9 p.m.", "Dr. Lee stayed behind.", "At 7 a.m. Dr. Lee went home."],
    ),
    "no end after a plain word": (  # the parser alone splits after "13th"
        "Advocates argue the 13th Amendment still permits forced labour in prisons. The court disagreed.",
        ["Advocates argue the 13th Amendment still permits forced labour in prisons.", "The court disagreed."],
    ),
    "links and separators": (
        "See https://example.com/a.html https://example.com/b.html Both are new. *** The next story starts here.",
        ["See https://example.com/a.html", "https://example.com/b.html", "Both are new.", "***", "The next story starts here."],
    ),
}


def _sentences(nlp, text: str) -> list[str]:
    rules = load_config(None).text
    art = normalize(RawArticle(origin="t", body=text, meta={"language": "en"}), rules, max_chars=100_000)
    ann = next(annotate([art], nlp))
    return [s["text"] for s in ann.sentences]


@pytest.mark.parametrize("name", sorted(CASES))
def test_hard_rule(nlp, name):
    text, expected = CASES[name]
    assert _sentences(nlp, text) == expected


def test_paragraphs_are_boundaries_and_offsets_hold(nlp):
    text = "A first paragraph ends here\n\nA second one starts. It has two sentences."
    assert _sentences(nlp, text) == ["A first paragraph ends here", "A second one starts.", "It has two sentences."]


def _split(text: str, starts: list[int], openers: frozenset[str] = frozenset()) -> list[str]:
    cuts = refine(text, 0, len(text), starts, openers)
    return [text[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)]


def test_rules_work_without_a_parser_in_other_latin_languages():
    de = "Dr. Müller kam gestern an. Er traf Prof. Weber in der Stadt. Danach fuhr er heim."
    assert _split(de, []) == ["Dr. Müller kam gestern an.", "Er traf Prof. Weber in der Stadt.", "Danach fuhr er heim."]
    fr = "M. Dupont est arrivé hier soir. Il a vu le Dr. Martin. Ils sont partis ensemble!"
    assert _split(fr, []) == ["M. Dupont est arrivé hier soir.", "Il a vu le Dr. Martin.", "Ils sont partis ensemble!"]


def test_rules_veto_wrong_splitter_boundaries():
    text = "Dr. Smith met J. R. Ewing at https://x.org/a.html today. Then he left."
    bad = [text.index("Smith"), text.index("R."), text.index("Ewing"), text.index("org"), text.index("Then")]
    assert _split(text, bad) == ["Dr. Smith met J. R. Ewing at https://x.org/a.html today.", "Then he left."]


def test_rules_never_split_a_spaced_ellipsis():
    text = "It was weakened . . . and then dropped. . . . The end came . . . . Nobody stayed."
    first = text.index(". . .")
    bad = [first + 4, text.index(". . . The") + 2, text.index("came") + 9]  # a splitter's cuts between the dots
    assert _split(text, bad) == ["It was weakened . . . and then dropped.", ". . . The end came . . . .", "Nobody stayed."]


def test_openers_of_a_language_spacy_lacks_are_none_and_other_errors_surface(monkeypatch):
    from presspack.nlp import sentences

    assert sentences._openers("en") and sentences._openers("xx-no-such") == frozenset()

    def broken(lang):
        raise ValueError("not an unknown language: a bug")

    sentences._openers.cache_clear()
    monkeypatch.setattr("spacy.util.get_lang_class", broken)
    try:
        with pytest.raises(ValueError, match="a bug"):
            sentences._openers("de")
    finally:
        sentences._openers.cache_clear()
