"""Hard-wrapped text: a body wrapped at a fixed width is unwrapped in normalization (the
same text, paragraphs and sentences as the unwrapped body); verse, lists and bodies whose
single line breaks are paragraphs are left alone."""

from __future__ import annotations

import textwrap

import pyarrow.parquet as pq
import pytest

from presspack.config import load_config
from presspack.ingest.types import RawArticle
from presspack.normalize.text import normalize, wrap_width

RULES = load_config(None).text

STORY = [
    "The council of Harbourtown voted on Tuesday to close the old ferry pier, ending a service that had run "
    "for more than ninety years, after engineers warned that its timber supports were rotting faster than expected.",
    "“We had no choice,” said the mayor, Ruth Okafor, who chaired the meeting. “The pier is not safe, and we "
    "will not wait for an accident to prove it.” She added that a temporary landing would open in the spring.",
    "Ferry operators said the decision would cost them passengers. A spokesman for Bay Crossings, the larger "
    "of the two companies, said the firm was studying its options and had asked the council for compensation.",
    "Residents who packed the public gallery were divided. Some applauded the vote; others shouted that the "
    "council had known about the damage for years and done nothing to repair it.",
]
PLAIN = "\n\n".join(STORY)


def norm(body: str, from_txt: bool = False):
    return normalize(RawArticle("o", body, from_txt=from_txt), RULES, max_chars=100_000)


def spans(a) -> list[str]:
    return [a.text[s:e] for s, e, _ in a.paragraphs]


@pytest.mark.parametrize("width", [45, 60, 70, 72, 80])
@pytest.mark.parametrize("from_txt", [False, True])
def test_wrapped_body_gives_the_unwrapped_text(width, from_txt):
    wrapped = "\n\n".join(textwrap.fill(p, width) for p in STORY)
    assert wrapped.count("\n") > 3 * len(STORY)  # really wrapped
    a, b = norm(wrapped, from_txt), norm(PLAIN, from_txt)
    assert a.text == b.text
    assert a.paragraphs == b.paragraphs
    assert spans(a) == STORY
    assert any(n.startswith("hard-wrapped text") for n in a.notes)
    assert not any(n.startswith("hard-wrapped text") for n in b.notes)


def test_wrapped_lines_without_blank_lines_and_indented_paragraphs():
    """Wire copy: no blank lines, each paragraph's first line indented."""
    body = "\n".join(textwrap.fill(p, 68, initial_indent="    ") for p in STORY)
    assert spans(norm(body)) == STORY


def test_wrapped_text_with_a_subheading_and_crlf():
    body = textwrap.fill(STORY[0], 64) + "\r\n\r\nAngry scenes\r\n\r\n" + "\r\n".join(textwrap.fill(STORY[3], 64).split("\n"))
    a = norm(body)
    assert spans(a) == [STORY[0], "Angry scenes", STORY[3]]
    assert [h for _, _, h in a.paragraphs] == [False, True, False]


def test_a_short_line_ending_a_sentence_ends_a_paragraph():
    body = "\n".join(textwrap.fill(p, 70) for p in STORY[:2])
    assert wrap_width(body) is not None
    assert spans(norm(body)) == STORY[:2]


def test_list_items_and_their_hanging_indent_in_wrapped_text():
    items = ("Roads closed this week, the county council said in a statement on Monday\nafternoon:\n"
             "- the coast road between Aston and Bray, in both directions, until\n  Friday night, for repairs to the sea wall\n"
             "- Mill Lane at its junction with the high street, for gas works that\n  will last until the end of the month")
    body = textwrap.fill(STORY[1], 70) + "\n\n" + items
    assert wrap_width(body) is not None
    assert spans(norm(body)) == [
        STORY[1],
        "Roads closed this week, the county council said in a statement on Monday afternoon:",
        "- the coast road between Aston and Bray, in both directions, until Friday night, for repairs to the sea wall",
        "- Mill Lane at its junction with the high street, for gas works that will last until the end of the month",
    ]


def test_a_dash_or_number_wrapped_to_the_start_of_a_line_is_no_list_item():
    body = ("The minister spoke for almost an hour and said that the new harbour\n"
            "plan would cost far more than the council had expected, about £300m\n"
            "- a figure the opposition called absurd - and would take until 2027\n"
            "to finish. She said the work on the outer wall would start in spring\n"
            "and that the old pier would close for good at the end of its season,\n"
            "when the last of the summer ferries had made their final crossings.")
    assert wrap_width(body) is not None
    assert spans(norm(body)) == [" ".join(body.split())]


def test_word_broken_at_its_hyphen_is_joined_without_a_space():
    text = ("Officials said the well-known harbour master, who had worked at the port for thirty-five years, "
            "would retire. The long-awaited report is due on Friday, the authority said in a statement.")
    body = textwrap.fill(text, 42, break_on_hyphens=True)  # "...The long-" / "awaited report..."
    assert any(line.endswith("-") for line in body.split("\n"))  # the wrapper did break a hyphenated word
    assert norm(body).text == text


def test_balanced_wrapping_is_detected_too():
    """Lines filled towards a goal below the width (as `fmt` does), not greedily: a
    line ends once it reaches 56 characters, or before a word that would pass 64."""
    words = " ".join(STORY).split()
    lines, cur = [], ""
    for w in words:
        if cur and (len(cur) >= 56 or len(cur) + 1 + len(w) > 64):
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    body = "\n".join(lines)
    assert max(map(len, lines)) <= 64
    assert sum(len(a) + 1 + len(b.split()[0]) <= 64 for a, b in zip(lines, lines[1:])) > len(lines) // 3  # not greedy
    assert wrap_width(body) is not None
    assert norm(body).text == " ".join(STORY)


def test_offsets_index_the_unwrapped_text():
    a = norm("\n\n".join(textwrap.fill(p, 55) for p in STORY))
    assert "\n" not in a.text.replace("\n\n", "")
    for (s, e, _), p in zip(a.paragraphs, STORY, strict=True):
        assert a.text[s:e] == p


def test_unwrapping_is_idempotent():
    once = norm(textwrap.fill(" ".join(STORY), 66))
    twice = norm(once.text)
    assert twice.text == once.text and twice.paragraphs == once.paragraphs


POEM = """The rain came down on Harbour Street,
and no one walked the quay;
the boats lay still, the gulls were gone,
the sea turned grey as clay.
The lamps were lit at four o'clock,
the ferry did not run,
and every window on the hill
was waiting for the sun."""

VERSE = """Shall we go down to the harbour wall tonight?
They say the boats come in before the light,
And every lamp along the quay is lit,
And all the town is out to wait for it;
The fishermen are singing as they row,
And on the hill the chapel bells ring slow."""

LIST = """Roads closed this week:
- the coast road between Aston and Bray, both ways, until Friday night
- Mill Lane at the junction with the high street, for gas works
- the north bridge, one lane only, during the day from Monday onwards
- Station Road, overnight, for resurfacing work by the county council"""

ONE_LINE_PARAGRAPHS = """The harbour reopened on Monday after a week of repairs to the outer wall.
Officials said the damage was less serious than first feared by the engineers.
Ships queued outside the port through the night, waiting for the tide to turn.
The port authority expects traffic to return to normal by Friday, a spokesman said.
Fishermen welcomed the news."""

ADDRESS = """Harbourtown Council
Town Hall, 1 Market Square, Harbourtown
Telephone 01234 567890 for the planning office
Opening hours Monday to Friday, nine to five
Closed on public holidays and during elections"""


@pytest.mark.parametrize("body", [POEM, VERSE, LIST, ONE_LINE_PARAGRAPHS, ADDRESS], ids=["poem", "verse", "list", "paragraphs", "address"])
def test_short_or_ragged_lines_are_left_alone(body):
    assert wrap_width(body) is None
    a = norm(body)
    assert spans(a) == [" ".join(line.split()) for line in body.split("\n")]  # every line stays a paragraph
    assert not any(n.startswith("hard-wrapped") for n in a.notes)


def test_txt_without_wrapping_keeps_its_single_newline_rules():
    body = "This line is wrapped\nin the middle of a sentence.\nA new one starts.\n\nSecond block."
    assert wrap_width(body) is None
    assert spans(norm(body, from_txt=True)) == ["This line is wrapped in the middle of a sentence.", "A new one starts.", "Second block."]


def test_a_wrapped_record_gives_the_sentences_of_the_unwrapped_one(make_release, tmp_path):
    """The reported case end to end: a JSONL record wrapped at 70 characters."""
    import json

    wrapped = "\n".join(textwrap.fill(p, 70) for p in STORY)
    out = make_release({"a.jsonl": json.dumps({"id": "w", "text": wrapped}) + "\n"}, out=tmp_path / "w")
    ref = make_release({"a.jsonl": json.dumps({"id": "w", "text": PLAIN}) + "\n"}, out=tmp_path / "p")
    got = pq.read_table(out.release_dir / "sentences.parquet", columns=["text"]).column("text").to_pylist()
    want = pq.read_table(ref.release_dir / "sentences.parquet", columns=["text"]).column("text").to_pylist()
    assert got == want
    assert len(got) < wrapped.count("\n")  # not a sentence per line
    assert all("\n" not in s for s in got)
