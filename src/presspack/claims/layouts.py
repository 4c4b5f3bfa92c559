"""Layouts: claims read from how a text is laid out rather than from a cue verb's parse.
Transcripts and headlines (a paragraph opening with `NAME: ...`), block quotes after a
lead-in ending in a colon ("The governor added:"), and the speaker of a quote: a cue verb
in its sentence, a speaker and verb after it ('“A,” she said.'), a colon or dash layout
(`X: “...”`, `X – “...”`, `“...” – X`), a lead-in ("She added:", "She continued, “...”"),
else the report or the speaker before it."""

from __future__ import annotations

import re
from typing import Any

from presspack.claims.candidates import Candidate, propose
from presspack.claims.cues import cue_tokens, is_cue_verb, lexicon
from presspack.claims.quotes import QUOTE_CLOSE, QUOTE_OPEN, open_at
from presspack.claims.speakers import speaker_tokens, subject
from presspack.claims.syntax import own_subject, token_span, trim
from presspack.normalize.text import Article

_TRANSCRIPT = re.compile(r"[\"“]?([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ ]+(?=\S)")  # a transcript may be quoted


def transcript_candidates(doc: Any, article: Article) -> list[Candidate]:
    """Interview and debate transcripts and headlines: a paragraph opening with `NAME: ...`
    (the name in capitals, a person or organization the parser recognised, a source noun:
    "Poll: ...", or proper nouns opening the article: its headline)."""
    text = article.text
    out: list[Candidate] = []
    first = article.paragraphs[0][0] if article.paragraphs else -1
    for ps, pe, heading in article.paragraphs:
        m = _TRANSCRIPT.match(text, ps, pe)
        if m is None or heading or open_at(text, m.end()) is not None:
            continue  # a quote after the colon is left to the quote layouts
        name = m.group(1)
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is None:
            continue
        if not (name.isupper() and len(name) > 2 or any(t.ent_type_ in ("PERSON", "ORG") for t in span)
                or name.split()[-1].lower() in lexicon()["source_nouns"]
                or ps == first and all(t.pos_ == "PROPN" for t in span)):  # "Holt: ..." as the headline
            continue
        cs, ce = trim(text, m.end(), pe, strip_quotes=m.start(1) > ps)
        if ce - cs < 3:
            continue
        out.append(propose("transcript", article.text, list(span), (m.end(1), m.end(1) + 1), (cs, ce)))
    return out


def block_quote_candidates(doc: Any, article: Article) -> list[Candidate]:
    """A paragraph introduced by a report whose verb ends it with a colon ("The governor
    added:", "Ana Ruiz wrote:") and given without quote marks (a block quote whose marks
    the page did not have): the paragraph is the content, the report's verb the cue."""
    text = article.text
    out: list[Candidate] = []
    paras = article.paragraphs
    for (_, ple, prev_heading), (ps, pe, heading) in zip(paras, paras[1:]):
        end = ple
        while end > 0 and text[end - 1].isspace():
            end -= 1
        if heading or prev_heading or text[end - 1:end] != ":" or open_at(text, ps) is not None:
            continue
        colon = doc.char_span(end - 1, end, alignment_mode="expand")
        if colon is None:
            continue
        verb = doc[colon[0].i - 1] if colon[0].i > 0 else None  # "X added:", "X wrote on Monday:" is no block lead-in
        subj = subject(verb) if verb is not None and is_cue_verb(verb) else None
        if subj is None:
            continue
        cs, ce = trim(text, ps, pe)
        if ce - cs >= 3:
            out.append(propose("block_quote", article.text, speaker_tokens(subj), token_span(cue_tokens(verb)), (cs, ce), kind="direct"))
    return out




_DASH_NAME = re.compile(r"[–—―][ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})")


def quote_claim(doc: Any, article: Article, qs: int, qe: int) -> Candidate | None:
    """A quote with a speaker in its sentence (a cue verb with a subject, or a colon
    layout `X: "..."`, or a dash layout `"..." – X`: the first of the _SPEAKER_LAYOUTS
    below that finds one), else a quote that goes on from what came before it
    (`continues`: the assembler decides, in text order, whose quote it is)."""
    span = doc.char_span(qs, qe, alignment_mode="expand")
    if span is None:
        return None
    for layout in _SPEAKER_LAYOUTS:
        who = layout(doc, article.text, span, qs, qe)
        if who is not None:
            speaker, cue = who
            return propose("quote", article.text, speaker, cue, (qs, qe))
    return Candidate(content=(qs, qe), finder="quote_continued", continues=True)


def _cue_in_sentence(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """A cue verb with a subject outside the quote, in the quote's sentences: the one whose
    phrase holds the quote, else the first. A quote of several sentences: the cue sits in
    the sentence the quote closes ("“A. B,” said X."), and the parser may have made the
    quote's end its subject."""
    sent = span[0].sent
    last = span[-1].sent
    found = []
    for tok in doc[sent.start:max(sent.end, last.end)]:
        if (tok.i < span.start or tok.i >= span.end) and is_cue_verb(tok):
            subj = subject(tok)
            if subj is not None and span.start <= subj.i < span.end and last.start > sent.start:
                subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass") and not span.start <= c.i < span.end), None)
            if subj is not None and span.start <= subj.i < span.end and tok.tag_ == "VBG":
                subj = _host_outside(tok, span)  # "X seemed unmoved, telling reporters, “A lot of people said ...”"
            if subj is not None and not (span.start <= subj.i < span.end):
                found.append((tok, subj))
    if not found:
        return None
    # the cue whose phrase holds the quote, else the first ("Lamenting X, they often say, “...”": say)
    tok, subj = next(((t, s) for t, s in found if t.left_edge.i <= span.start and span.end <= t.right_edge.i + 1), found[0])
    return speaker_tokens(subj), token_span(cue_tokens(tok))


def _host_outside(participle: Any, span: Any) -> Any | None:
    """The subject of the clause a participle hangs on, outside the quote `span`, where the
    parser made a verb inside the quote the sentence's root."""
    for anc in participle.ancestors:
        subj = own_subject(anc) if not span.start <= anc.i < span.end else None
        if subj is not None and not span.start <= subj.i < span.end:
            return subj
    return None


def _cue_after(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """'“A,” Bennett shot back.': a speaker and a verb right after the quote (_speaker_after)."""
    after = _speaker_after(doc, text, qe)
    if after is None:
        return None
    speaker, verb = after
    return speaker, token_span(cue_tokens(verb))


def _colon_before(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """`X: “...”`: a name right before a colon that opens the quote; the colon is the cue."""
    if ":" not in text[max(0, qs - 3):qs]:
        return None
    head = [t for t in span[0].sent if t.i < span.start and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
    if not head:  # "Holt: “...”" opening a paragraph, a name the parser did not recognise
        line = text.rfind("\n", 0, qs) + 1
        m = _TRANSCRIPT.match(text, line, qs)
        name = doc.char_span(line, m.end(1), alignment_mode="expand") if m is not None and m.end() >= qs - 2 else None
        head = list(name) if name is not None and all(t.is_title or t.is_upper for t in name) else []
    if not head:
        return None
    ent_toks = [t for t in head if t.i >= head[-1].i - 3]
    colon = text.rindex(":", max(0, qs - 3), qs)
    if text[head[-1].idx + len(head[-1].text):colon].strip():
        return None  # "X gave it a whirl in an interview with CNN on Tuesday: “...”": CNN is no speaker
    return ent_toks, (colon, colon + 1)


def _dash_before(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """"Ana Ruiz – “...”" at the start of a paragraph (a list of voices); the dash is the cue."""
    before = text[max(0, qs - 4):qs].rstrip(" ”" + QUOTE_OPEN)
    if before[-1:] not in "–—―":
        return None
    dash = max(0, qs - 4) + len(before) - 1
    line = text.rfind("\n", 0, dash) + 1
    name = doc.char_span(line, dash, alignment_mode="contract")
    toks = [t for t in name if not t.is_space] if name is not None else []
    if (toks and len(toks) <= 8 and toks[0].pos_ == "PROPN" and toks[0].is_title
            and all(t.pos_ in ("PROPN", "NUM") or t.text == "," or t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") for t in toks)):
        name_toks = toks[:next((k for k, t in enumerate(toks) if t.text == ","), len(toks))]  # "Ana Ruiz, 34"
        return name_toks, (dash, dash + 1)
    return None


def _lead_in(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """A lead-in that ends in a colon, also in the paragraph before ("She added:"), or in
    the comma that opens the quote ("She continued, “...”")."""
    lead = text[max(0, qs - 8):qs].rstrip(" \n'" + QUOTE_OPEN)  # ' of a quote opened with two (''A'')
    lead_end = max(0, qs - 8) + len(lead)
    mark = doc.char_span(lead_end - 1, lead_end, alignment_mode="expand") if lead[-1:] in (":", ",") else None
    if mark is None:
        return None
    if lead.endswith(":"):
        # the lead-in's last cue verb with a subject, else its last verb with one ("that I
        # had to change my answer: “...”"), before the colon (not a verb of the quote)
        verbs = [t for t in reversed(doc[mark[0].sent.start:mark[0].i]) if t.pos_ in ("VERB", "AUX")]
        for tok in [t for t in verbs if is_cue_verb(t)] + [t for t in verbs if not is_cue_verb(t)]:
            subj = subject(tok)
            if subj is not None:
                return speaker_tokens(subj), token_span(cue_tokens(tok))
    if lead.endswith(",") and mark[0].i > 0:
        # the verb right before the comma that opens the quote
        verb = doc[mark[0].i - 1]
        if verb.pos_ == "ADV" and verb.i > 0:
            verb = doc[verb.i - 1]
        if (verb.pos_ == "VERB" and verb.tag_ in ("VBD", "VBZ", "VBP") and verb.dep_ in ("ROOT", "conj")
                and not any(c.dep_ == "mark" for c in verb.children)):
            subj = subject(verb)
            if subj is not None and subj.i < verb.i and not _interrupts(text, subj):
                return speaker_tokens(subj), token_span(cue_tokens(verb))
    return None


def _interrupts(text: str, t: Any) -> bool:
    """'“A,” he continued, “B”': the phrase of `t` (a speaker, or a sentence's first word)
    comes right after a closing quote mark, inside a run of quotes that is one content
    (the assembler joins them)."""
    before = _ending_before(text, t.left_edge.idx)
    return before[-1:] in QUOTE_CLOSE or before.endswith("''")


def _ending_before(text: str, i: int, marks: str = "") -> str:
    """The last two characters of text[:i] with trailing whitespace stripped, then any of
    `marks`: text[:i].rstrip().rstrip(marks)[-2:], without copying the text before `i`."""
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0 and text[i - 1] in marks:
        i -= 1
    return text[max(0, i - 2):i]


def _dash_after(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """`"..." – X`: a name after a dash that follows the quote; the dash is the cue."""
    post = text[qe:qe + 4]
    if not any(d in post for d in "–—―"):
        return _signed_below(doc, text, qe)
    dash = qe + next(k for k, ch in enumerate(post) if ch in "–—―")
    tail = [t for t in span[0].sent if t.i >= span.end and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
    tail = [t for t in tail if t.i <= tail[0].i + 3 and t.ent_iob_ != "O" and t.is_alpha] if tail else []
    if not tail:  # a name the parser did not recognise or put in another sentence ("...” ― Ana Ruiz")
        m = _DASH_NAME.match(text, dash)
        name = doc.char_span(m.start(1), m.end(1), alignment_mode="expand") if m is not None else None
        tail = list(name) if name is not None else []
    return (tail, (dash, dash + 1)) if tail else None


def _said_before(doc: Any, text: str, span: Any, qs: int, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """'Ana Ruiz, the party's spokeswoman, said in a statement. “...”', 'He tweeted a warning.
    “...”': the sentence before the quote, in its paragraph or ending the one before, is a
    speaker and a cue verb that says nothing of its own; the quote is what was said."""
    sent = span[0].sent
    if sent.start == 0 or text[sent.start_char:qs].strip(" \n'" + QUOTE_OPEN):
        return None  # the quote does not open its sentence
    lead = doc[sent.start - 1].sent
    root = lead.root
    said_in = text[lead.start_char:sent.start_char].rstrip()
    if said_in[-1:] != "." or "\n\n" in said_in or any(ch in QUOTE_OPEN + QUOTE_CLOSE for ch in said_in) or "''" in said_in:
        return None  # not a sentence of its own, or one that quotes what was said
    if _interrupts(text, lead[0]) and _ending_before(text, lead.start_char, "'" + QUOTE_CLOSE)[-1:] != ".":
        return None  # '“A?” Holmes asked in the New Year. “B.”': the cue of the quote before, which this one goes on
    if not is_cue_verb(root) or root.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    said = lexicon()["said_objects"]
    if any(c.dep_ in _SAYING_DEPS or c.dep_ == "dobj" and c.lemma_.lower() not in said for c in root.children):
        return None  # "She said she would go." says something of its own
    subj = subject(root)
    return (speaker_tokens(subj), token_span(cue_tokens(root))) if subj is not None and subj.i < root.i else None


_SAYING_DEPS = frozenset({"ccomp", "xcomp", "parataxis", "advcl", "pcomp", "acomp", "oprd", "attr", "conj", "dative"})

_SIGNATURE = re.compile(r"[^\w\n]{0,4}\n\n[ \t]*[-–—―][ \t]*([A-Z][\w.'’-]*(?:[ \t]+[A-Z][\w.'’-]*){0,3})[ \t]*(?:[,.]|\n|$)")


def _signed_below(doc: Any, text: str, qe: int) -> tuple[list[Any], tuple[int, int]] | None:
    """A quote paragraph signed in the next one ("“...”¶¶- Michelle Marks, Philadelphia.",
    "¶¶-President Obama, tweeting after the speech."): the name after the dash."""
    m = _SIGNATURE.match(text, qe)
    name = doc.char_span(m.start(1), m.end(1), alignment_mode="expand") if m is not None else None
    if name is None or not any(t.pos_ == "PROPN" for t in name):
        return None  # "- Free parking." is a list, not a signature
    dash = m.start(1) - 1
    while text[dash] not in "-–—―":
        dash -= 1
    return list(name), (dash, dash + 1)


# in this order: the first that finds a speaker wins
_SPEAKER_LAYOUTS = (_cue_in_sentence, _cue_after, _colon_before, _dash_before, _lead_in, _dash_after, _said_before)
_CLOSED = re.compile(r"([,?!]?)[ ]?(?:''|[”\"»’])[ \t]+")


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})


_ARTICLES = ("the", "a", "an")


def short_speech(doc: Any, text: str, qe: int) -> bool:
    """A quote of a few words is speech (not a title or a scare quote) when a speaker and
    a cue verb follow its closing mark: '“Too much hate,” she said.'"""
    after = _speaker_after(doc, text, qe)
    return after is not None and is_cue_verb(after[1])


def is_title(doc: Any, span: Any) -> bool:
    """A quoted name of a show, book or event, not speech: a few words, every word of
    four letters or more capitalised, right after a preposition or a possessive
    ('on CBS's “Face the Nation,” Ryan said', 'taking part in “Get Out the Vote Day”')."""
    words = [t for t in span if t.is_alpha]
    if not words or len(words) > 8 or any(t.text in ".!?" for t in span):
        return False
    if not all(t.text[0].isupper() for t in words if len(t.text) >= 4):
        return False
    before = next((t for t in reversed(doc[max(0, span.start - 3):span.start])
                   if t.text not in QUOTE_OPEN and not t.is_space), None)
    return before is not None and (before.tag_ == "POS" or before.pos_ == "ADP" and before.lower_ not in ("as", "like"))


def _speaker_after(doc: Any, text: str, qe: int) -> tuple[list[Any], Any] | None:
    """'“A,” Bennett shot back.' / '“A?” the mayor asked on Monday.': a quote closed after a
    comma, ? or ! and followed by a name, pronoun or description and a verb: the verb is
    the cue and the phrase before it the speaker (also when the verb is not in the lexicon
    or the parser linked neither to the quote); or by the verb and then the name or
    description ('“A,” continued the mayor.')."""
    m = _CLOSED.match(text, qe)
    if m is None:
        return None
    ender = m.group(1) or text[qe - 1:qe]
    if ender not in (",", "?", "!"):
        return None
    start = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
    if start is None:
        return None
    k = start[0].i
    first = doc[k]
    if first.pos_ == "VERB" and first.tag_ in ("VBD", "VBZ") and ender == ",":
        return _named_after(doc, first)
    if not (first.pos_ == "PROPN" or first.lower_ in _SUBJECT_PRONOUNS or first.lower_ in _ARTICLES):
        return None
    speaker: list[Any] = []
    done = False
    for t in doc[k:k + 12]:
        if t.pos_ == "VERB":
            return (speaker, t) if speaker and t.tag_ in ("VBD", "VBZ", "VBP") else None
        if speaker and t.dep_ == "ROOT" and t.i + 1 < len(doc) and doc[t.i + 1].text in ".!?" and t.i > k + 1:
            return speaker, t  # '“A,” the email read.': the sentence's last word, its root, is the verb (tagged a noun)
        if t.i > k and t.is_sent_start or t.text in QUOTE_OPEN + QUOTE_CLOSE:
            return None
        if t.text == "," or t.pos_ in ("AUX", "ADV", "PART") and t.tag_ != "POS":  # "the mayor's niece" goes on
            done = True  # "Ramos, 58, told", "she later said"
        elif not done:
            if speaker and speaker[0].lower_ in _SUBJECT_PRONOUNS:
                return None
            speaker.append(t)
    return None


def _named_on(doc: Any, t: Any) -> bool:
    """A word the tagger took for a verb inside a name's description: only nouns follow it
    up to the sentence's end, and a name ends it ("said England sevens coach Mike Friday.")."""
    rest = []
    for u in doc[t.i + 1:t.i + 7]:
        if u.is_punct:
            break
        rest.append(u)
    end = t.i + 1 + len(rest)
    return (bool(rest) and rest[-1].pos_ == "PROPN" and end < len(doc) and doc[end].text in (".", "!", "?")
            and all(u.pos_ in ("NOUN", "PROPN") for u in rest))


def _named_after(doc: Any, verb: Any) -> tuple[list[Any], Any] | None:
    """The name or description after an inverted verb ("continued the mayor", "wrote
    Ana Ruiz"), up to the next punctuation, verb or preposition."""
    speaker: list[Any] = []
    for t in doc[verb.i + 1:verb.i + 8]:
        if t.is_punct or t.is_sent_start or t.pos_ in ("VERB", "AUX", "ADP") and not (speaker and _named_on(doc, t)):
            break
        speaker.append(t)
    if speaker and (speaker[0].pos_ == "PROPN" or speaker[0].lower_ in _ARTICLES):
        return speaker, verb
    return None
