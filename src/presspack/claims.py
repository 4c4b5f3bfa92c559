"""Claims (who said what), version 1: rules over the dependency parse.

Patterns: reporting verbs with a subject and a clausal complement (also in conjunction
and participial form, "..., stressing that ..."), "according to X", and quoted speech
with a nearby speaker. Speakers are resolved to entities: named mentions directly,
pronouns and descriptions ("He", "The Russian President") to the nearest compatible
entity mentioned before.
"""

from __future__ import annotations

import bisect
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.normalize import Article
from presspack.sentences import sentence_at

QUOTE_OPEN = "“\"«„‘"
QUOTE_CLOSE = "”\"»“’"
PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we"}
GROUP_PRONOUNS = {"they", "it", "we"}
RELATIVE = {"who", "which", "that"}
SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
CONTENT_DEPS = {"ccomp", "xcomp", "parataxis"}


@cache
def lexicon() -> dict[str, Any]:
    data = tomllib.loads(resources.files("presspack").joinpath("data/cues.toml").read_text(encoding="utf-8"))
    for key in ("verbs", "object_verbs", "infinitive_verbs", "predicate_verbs", "nouns"):
        data[key] = frozenset(data.get(key, ()))
    data["verb_phrases"] = {tuple(p.split()) for p in data["verb_phrases"]}
    preps: dict[str, set[str]] = {}
    for phrase in data.get("verb_preps", ()):
        verb, prep = phrase.split(" ", 1)
        preps.setdefault(verb, set()).add(prep.split()[-1])
    data["verb_preps"] = preps
    data["all_verbs"] = data["verbs"] | data["object_verbs"] | data["infinitive_verbs"] | data["predicate_verbs"] | frozenset(preps)
    return data


def _span(tokens: list[Any]) -> tuple[int, int]:
    return min(t.idx for t in tokens), max(t.idx + len(t.text) for t in tokens)


def _trim(text: str, s: int, e: int, *, strip_quotes: bool = False) -> tuple[int, int]:
    junk = " \n,;:–—-" + (QUOTE_OPEN + QUOTE_CLOSE if strip_quotes else "")
    while s < e and text[s] in junk:
        s += 1
    while e > s and (text[e - 1] in junk or text[e - 1] in ".!?" and strip_quotes is False and e - 1 > s and text[e - 2] not in ".!?"):
        if text[e - 1] in ".!?" and not strip_quotes:
            e -= 1
            continue
        e -= 1
    return s, e


def _own_subject(v: Any) -> Any | None:
    for c in v.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            return c
    return None


def _subject(verb: Any) -> Any | None:
    """The subject of a cue verb. A participial cue ("..., stressing that ...") takes the
    subject of the nearest governing cue verb, else of its clause; conjoined verbs
    inherit their head's subject; a relative clause's subject is its head noun."""
    own = _own_subject(verb)
    if own is not None:
        return own
    if verb.dep_ == "relcl":
        return verb.head
    if verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod", "ccomp"):
        fallback = None
        for anc in verb.ancestors:
            subj = _own_subject(anc)
            if subj is not None and _is_cue_verb(anc):
                return subj
            if subj is not None and fallback is None and anc.dep_ not in ("ccomp", "xcomp"):
                fallback = subj
        return fallback
    v = verb
    for _ in range(6):
        if v.dep_ not in ("conj", "xcomp", "advcl") or v.head.i == v.i:
            return None
        v = v.head
        subj = _own_subject(v)
        if subj is not None:
            return subj
    return None


def _speaker_tokens(subj: Any) -> list[Any]:
    """The speaker phrase: the subject's subtree without relative clauses, appositions
    or other material after a comma ("Hugh Hill, a doctor, said" -> "Hugh Hill")."""
    drop: set[int] = set()
    for c in subj.children:
        if c.i > subj.i and c.dep_ in ("relcl", "appos", "acl", "punct", "advcl", "cc", "conj"):
            drop.update(t.i for t in c.subtree)
    idx = {t.i for t in subj.subtree} - drop
    lo = hi = subj.i
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    return [subj.doc[i] for i in range(lo, hi + 1)]


def _cue_tokens(verb: Any) -> list[Any]:
    toks = [verb]
    for c in verb.children:
        if c.dep_ == "prt" or _phrase_part(verb, c):
            toks.append(c)
    return toks


def _phrase_part(verb: Any, c: Any) -> bool:
    """`c` completes a multi-word cue with `verb` ("made clear", "pointed out")."""
    return c.dep_ in ("acomp", "dobj", "oprd", "ccomp", "prt", "advmod") and c.i == verb.i + 1 and (verb.lemma_.lower(), c.lower_) in lexicon()["verb_phrases"]


def _is_cue_verb(tok: Any) -> bool:
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    lemma = tok.lemma_.lower()
    if lemma in ("point", "make", "go", "lay", "spell"):
        return any((lemma, c.lower_) in lexicon()["verb_phrases"] for c in tok.children)
    return lemma in lexicon()["all_verbs"]


def _content_child(verb: Any) -> tuple[Any, list[Any]] | None:
    """The root of the content under a cue verb and any tokens that extend the cue
    (a preposition in "called for"), by the verb's pattern in the lexicon."""
    lex = lexicon()
    lemma = verb.lemma_.lower()
    kids = list(verb.children)
    if lemma in lex["verbs"]:
        for c in kids:
            if c.dep_ in ("ccomp", "parataxis") and not _phrase_part(verb, c) and c.i > verb.i or (c.dep_ == "ccomp" and not _phrase_part(verb, c)):
                return c, []
    if lemma in lex["infinitive_verbs"]:
        for c in kids:
            if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX"):
                return c, []
    if lemma in lex["predicate_verbs"]:
        obj = next((c for c in kids if c.dep_ == "dobj"), None)
        for c in kids:
            if c.dep_ == "oprd" and obj is not None:
                return obj, [c]
    preps = lex["verb_preps"].get(lemma)
    if preps:
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in preps:
                obj = next((g for g in c.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return obj, [c]
    if lemma in lex["object_verbs"]:
        for c in kids:
            if c.dep_ == "dobj" and c.i > verb.i and c.pos_ not in ("PRON",):
                return c, []
    return None


def _host_clause(verb: Any) -> tuple[Any, list[Any]] | None:
    """An inserted cue ("That, he argued, is why ..." / "... is over, she said"): the
    clause it is inserted in is the content."""
    if verb.dep_ == "parataxis" and verb.head.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in lexicon()["verbs"] and _own_subject(verb) is not None:
        return verb.head, [verb]
    return None


def claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    text = article.text
    resolver = SpeakerResolver(doc, article, mentions)
    found: list[dict[str, Any]] = []
    covered: list[tuple[int, int]] = []
    quotes = quote_spans(text)

    for tok in doc:
        if not _is_cue_verb(tok):
            continue
        found_content = _content_child(tok)
        if found_content is None:
            found_content = _host_clause(tok)
            if found_content is None:
                continue
        content, extra_cue = found_content
        hosted = bool(extra_cue) and extra_cue[0].dep_ == "parataxis"
        if hosted:
            inner = {t.i for t in tok.subtree}
            ctoks = [t for t in content.subtree if t.i not in inner or t.i == content.i]
            extra_cue = []
        elif extra_cue and extra_cue[0].dep_ == "oprd":
            ctoks = list(content.subtree) + list(extra_cue[0].subtree)
            extra_cue = []
        else:
            ctoks = [t for t in content.subtree if not (t.dep_ == "mark" and t.head.i == content.i and t.lower_ in ("that", "whether", "if"))]
        if not ctoks:
            continue
        cs, ce = _trim(text, *_span(ctoks))
        if ce - cs < 3:
            continue
        subj = _subject(tok)
        if subj is not None and not hosted and any(a.i == content.i for a in subj.ancestors):
            subj = None
        speaker = _speaker_tokens(subj) if subj is not None else None
        cue = _span(_cue_tokens(tok) + [t for t in extra_cue if t.i == tok.i + 1])
        cs, ce, run = _group_quotes(text, quotes, cs, ce, cue)
        found.append(_row(article, sentences, resolver, speaker, cue, (cs, ce), tok, kind="direct" if run else None))
        covered.append((cs, ce))

    for row in _according_to(doc, article, sentences, resolver):
        found.append(row)
        covered.append((row["content_start"], row["content_end"]))

    for qs, qe in quotes:
        if any(s <= qs and qe <= e for s, e in covered):
            continue
        if len(text[qs:qe].split()) < 4:
            continue
        row = _quote_claim(doc, article, sentences, resolver, qs, qe, found)
        if row:
            found.append(row)

    return _finish(article, found)


def quote_claim_rows(doc: Any, article: Article, sentences: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Reduced claims for pipelines without a parser: quotes with a nearby speaker."""
    resolver = SpeakerResolver(doc, article, mentions)
    found: list[dict[str, Any]] = []
    for qs, qe in quote_spans(article.text):
        if len(article.text[qs:qe].split()) >= 4:
            row = _quote_claim(doc, article, sentences, resolver, qs, qe, found)
            if row:
                found.append(row)
    return _finish(article, found)


def _finish(article: Article, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # a cue inside someone's direct quote ("“I think ...”") is part of what they said
    direct = [(r["content_start"], r["content_end"]) for r in found if r["kind"] == "direct"]
    found = [r for r in found if r["cue_start"] is None or not any(s <= r["cue_start"] < e and (s, e) != (r["content_start"], r["content_end"]) for s, e in direct)]
    rows: dict[str, dict[str, Any]] = {}
    for r in sorted(found, key=lambda r: (r["content_start"], r["content_end"], r["cue_start"] or -1)):
        cid = f"{article.article_id}-c{r['content_start']}-{r['content_end']}"
        if cid in rows:
            continue
        r["claim_id"] = cid
        rows[cid] = r
    return list(rows.values())


def _kind(text: str, s: int, e: int) -> str:
    span = text[s:e]
    n_q = sum(span.count(q) for q in "“”\"«»")
    if n_q == 0:
        before = text[max(0, s - 2):s]
        after = text[e:e + 2]
        if any(q in before for q in QUOTE_OPEN) and any(q in after for q in QUOTE_CLOSE + ",."):
            return "direct"
        return "indirect"
    stripped = span.strip(" " + QUOTE_OPEN + QUOTE_CLOSE + ".,")
    if span[:1] in QUOTE_OPEN and span.rstrip(".,")[-1:] in QUOTE_CLOSE and not any(q in stripped for q in "“”\""):
        return "direct"
    outside = []
    depth = False
    for c in span:
        if c in "“”\"«»":
            depth = not depth
            continue
        if not depth:
            outside.append(c)
    words_out = len("".join(outside).split())
    return "partial" if words_out >= 3 else "mixed"


def _row(article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver, speaker: list[Any] | None,
         cue: tuple[int, int] | None, content: tuple[int, int], anchor: Any, kind: str | None = None) -> dict[str, Any]:
    text = article.text
    cs, ce = content
    sent = sentence_at(sentences, cue[0] if cue else cs)
    row: dict[str, Any] = {
        "article_id": article.article_id,
        "sentence_id": sent["sentence_id"] if sent else None,
        "speaker_text": None, "speaker_start": None, "speaker_end": None,
        "speaker_key": None, "speaker_name": None,
        "cue_text": None, "cue_start": None, "cue_end": None,
        "content_text": text[cs:ce], "content_start": cs, "content_end": ce,
        "kind": kind or _kind(text, cs, ce),
    }
    if speaker:
        ss, se = _trim(text, *_span(speaker))
        if ss < se:
            row.update(speaker_text=text[ss:se], speaker_start=ss, speaker_end=se)
            key, name = resolver.resolve(speaker, ss, se)
            row.update(speaker_key=key, speaker_name=name)
    if cue:
        row.update(cue_text=text[cue[0]:cue[1]], cue_start=cue[0], cue_end=cue[1])
    return row


def _according_to(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver) -> list[dict[str, Any]]:
    """"according to X": X is the speaker; the content is the clause the phrase
    modifies (or the rest of the sentence when it modifies the whole sentence)."""
    out = []
    text = article.text
    for tok in doc:
        if tok.lower_ != "according" or tok.i + 1 >= len(doc) or doc[tok.i + 1].lower_ != "to":
            continue
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"] or [c for c in tok.children if c.dep_ == "pobj"]
        if not objs:
            continue
        src = objs[0]
        speaker = _speaker_tokens(src)
        phrase = {t.i for t in tok.subtree} | {t.i for t in to.subtree} | {tok.i, to.i}
        clause = tok.head
        while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
            clause = clause.head
        part = [t for t in clause.subtree if t.i not in phrase and not t.is_space
                and not (t.dep_ == "mark" and t.head.i == clause.i)]
        lo, hi = min(phrase), max(phrase)
        before = [t for t in part if t.i < lo]
        after = [t for t in part if t.i > hi]
        if not any(not t.is_punct for t in after):
            part = before
        elif not any(not t.is_punct for t in before):
            part = after
        if len(part) < 3:
            continue
        cs, ce = _trim(text, *_span(part))
        if ce - cs < 3:
            continue
        out.append(_row(article, sentences, resolver, speaker, (tok.idx, to.idx + len(to.text)), (cs, ce), tok))
    return out


# Opening mark -> the marks that may close it. Straight and doubled-apostrophe quotes close
# themselves; „ closes with “ or ” (German and Eastern European style).
_PAIRS = {"“": "”\"", "\"": "\"”", "«": "»", "»": "«", "„": "“”", "''": "''", "``": "''"}
MAX_QUOTE_CHARS = 5000


def _open_at(text: str, i: int) -> str | None:
    two = text[i:i + 2]
    if two in ("''", "``"):
        return two
    c = text[i]
    if c in "“«„\"" or (c == "»" and text[i + 1:i + 2].isalnum()):
        return c
    return None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages (without the quote marks). A quote may continue over a
    paragraph break only when the next paragraph reopens it with an opening mark (the
    newspaper convention); a mark that is never closed within its paragraph is ignored,
    so a stray mark cannot swallow the rest of the article."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        mark = _open_at(text, i)
        if mark is None:
            i += 1
            continue
        closers = _PAIRS[mark]
        j = i + len(mark)
        end = -1
        while j < n and j - i <= MAX_QUOTE_CHARS:
            if mark in ("''", "``"):
                if text.startswith("''", j):
                    end = j
                    break
            elif text[j] in closers and not (text[j] == "“" and mark == "“"):
                end = j
                break
            elif text[j] == mark and mark == "“":  # a new opening: the old quote was stray
                break
            if text.startswith("\n\n", j):
                nxt = j + 2
                if nxt < n and _open_at(text, nxt) == mark:
                    j = nxt + len(mark)
                    continue
                break
            j += 1
        if end < 0:
            i += len(mark)
            continue
        a, b = i + len(mark), end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1] in " ,.":
            b -= 1
        if a < b:
            out.append((a, b))
        i = end + (2 if mark in ("''", "``") else 1)
    return out


def _group_quotes(text: str, quotes: list[tuple[int, int]], cs: int, ce: int, cue: tuple[int, int] | None) -> tuple[int, int, bool]:
    """Extend a content that is (part of) a quote to the run of quotes around it in the
    paragraph: "“A,” said X. “B.”" has one content from A to B. Returns the new span and
    whether it is a quote run (direct speech)."""
    k = next((i for i, (qs, qe) in enumerate(quotes) if qs < ce and cs < qe and (qe - qs) * 2 >= min(ce - cs, qe - qs)), None)
    if k is None:
        return cs, ce, False
    if not (quotes[k][0] <= cs + 2 and ce <= quotes[k][1] + 2):
        return cs, ce, False  # the quote is only part of the content (partial quote)
    if cue is not None and quotes[k][0] <= cue[0] < quotes[k][1]:
        return cs, ce, False  # a cue inside the quote ("“I think ...”") is quoted itself

    def joins(gap_s: int, gap_e: int) -> bool:
        gap = text[gap_s:gap_e]
        if "\n\n" in gap or len(gap) > 120:
            return False
        if not gap.strip(" \n,.;:–—-“”\"«»„'"):
            return True
        return cue is not None and gap_s <= cue[0] and cue[1] <= gap_e and gap.count(".") <= 2

    def whole(j: int) -> bool:
        """Quote j is a sentence of its own (not a fragment inside other words)."""
        qe = quotes[j][1]
        if any(ch in ".!?…" for ch in text[qe:qe + 2]):
            return True
        nxt = quotes[j + 1][0] if j + 1 < len(quotes) else len(text)
        tail = text[qe:nxt].split("\n\n", 1)[0]
        return not tail.strip(" \n,.;:–—-“”\"«»„'")

    lo = hi = k
    while hi + 1 < len(quotes) and joins(quotes[hi][1], quotes[hi + 1][0]) and whole(hi + 1):
        hi += 1
    while lo > 0 and joins(quotes[lo - 1][1], quotes[lo][0]):
        lo -= 1
    return min(cs, quotes[lo][0]), max(ce, quotes[hi][1]), True


def _quote_claim(doc: Any, article: Article, sentences: list[dict[str, Any]], resolver: SpeakerResolver,
                 qs: int, qe: int, found: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A quote with a speaker in its sentence (a cue verb with a subject, or a colon
    layout `X: "..."`, or a dash layout `"..." – X`), else the previous claim's speaker."""
    text = article.text
    span = doc.char_span(qs, qe, alignment_mode="expand")
    if span is None:
        return None
    sent = span[0].sent
    for tok in sent:
        if (tok.i < span.start or tok.i >= span.end) and _is_cue_verb(tok):
            subj = _subject(tok)
            if subj is not None and not (span.start <= subj.i < span.end):
                return _row(article, sentences, resolver, _speaker_tokens(subj), _span(_cue_tokens(tok)), (qs, qe), tok)
    pre = text[max(0, qs - 3):qs]
    if ":" in pre:
        head = [t for t in sent if t.i < span.start and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
        if head:
            ent_toks = [t for t in head if t.i >= head[-1].i - 3]
            colon = text.rindex(":", max(0, qs - 3), qs)
            return _row(article, sentences, resolver, ent_toks, (colon, colon + 1), (qs, qe), span[0])
    post = text[qe:qe + 4]
    if any(d in post for d in "–—―"):
        tail = [t for t in sent if t.i >= span.end and t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
        if tail:
            dash = qe + next(k for k, ch in enumerate(post) if ch in "–—―")
            return _row(article, sentences, resolver, [t for t in tail if t.i <= tail[0].i + 3 and t.ent_iob_ != "O"], (dash, dash + 1), (qs, qe), span[0])
    prev = [r for r in found if r["content_end"] <= qs and r["speaker_start"] is not None and qs - r["content_end"] < 600]
    if prev:
        p = prev[-1]
        row = _row(article, sentences, resolver, None, None, (qs, qe), span[0])
        row.update(speaker_key=p["speaker_key"], speaker_name=p["speaker_name"])
        return row
    return None


class SpeakerResolver:
    """Maps a speaker mention to an entity (key, canonical name) within one article.

    Named speakers resolve through the entity mention at their head; pronouns to the
    latest person who spoke (speaker continuity), else the nearest person mentioned
    before; descriptions to the entity the same noun stood next to ("Russian President
    Vladimir Putin" -> "The Russian President"), else the nearest compatible entity.
    """

    CONTINUITY_CHARS = 1500

    def __init__(self, doc: Any, article: Article, mentions: list[dict[str, Any]]) -> None:
        self.doc = doc
        self.text = article.text
        self.mentions = sorted(mentions, key=lambda m: m["start"])
        self.starts = [m["start"] for m in self.mentions]
        self.speakers: list[tuple[int, str, str]] = []  # (position, key, name) of resolved person speakers

    def _at(self, s: int, e: int) -> dict[str, Any] | None:
        for m in self.mentions:
            if m["start"] <= s and e <= m["end"] and m["label"] in ("PERSON", "ORG", "GPE", "NORP", "PER", "FAC", "LOC"):
                return m
        return None

    def _previous(self, pos: int, labels: tuple[str, ...]) -> dict[str, Any] | None:
        k = bisect.bisect_left(self.starts, pos) - 1
        while k >= 0:
            m = self.mentions[k]
            if m["label"] in labels and m["end"] <= pos:
                return m
            k -= 1
        return None

    def resolve(self, tokens: list[Any], s: int, e: int) -> tuple[str | None, str | None]:
        key, name = self._resolve(tokens, s, e)
        if key is not None and key.startswith("person:"):
            self.speakers.append((s, key, name or ""))
        return key, name

    def _resolve(self, tokens: list[Any], s: int, e: int) -> tuple[str | None, str | None]:
        ids = {t.i for t in tokens}
        head = next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), tokens[0])
        m = self._at(head.idx, head.idx + len(head.text))
        if m is not None:
            return m["entity_key"], m["canonical"]
        low = head.lower_
        if head.tag_ in ("WP", "WDT") or low in RELATIVE:
            target = head.head.head if head.head.dep_ == "relcl" else None
            if target is not None:
                tm = self._at(target.idx, target.idx + len(target.text))
                if tm is not None:
                    return tm["entity_key"], tm["canonical"]
                if target.pos_ == "NOUN":
                    return self._description(target, target.idx)
            return None, None
        if head.pos_ == "PRON":
            if low in PERSON_PRONOUNS:
                return self._person_before(s)
            if low in GROUP_PRONOUNS:
                m = self._previous(s, ("ORG", "GPE", "NORP"))
                return (m["entity_key"], m["canonical"]) if m else (None, None)
            return None, None
        if head.pos_ in ("NOUN", "PROPN"):
            return self._description(head, s)
        return None, None

    def _person_before(self, s: int) -> tuple[str | None, str | None]:
        recent = [sp for sp in self.speakers if sp[0] < s]
        last = self._previous(s, ("PERSON",))
        if recent and s - recent[-1][0] <= self.CONTINUITY_CHARS:
            # a person named after the last speaker takes over, if named in full
            if last is None or last["start"] < recent[-1][0] or last["entity_key"] == recent[-1][1] or " " not in last["canonical"]:
                return recent[-1][1], recent[-1][2]
        if last is not None:
            return last["entity_key"], last["canonical"]
        return None, None

    def _description(self, head: Any, s: int) -> tuple[str | None, str | None]:
        """A description ("the Russian President", "the ministry")."""
        noun = head.lower_
        lemma = head.lemma_.lower()
        for m in reversed([m for m in self.mentions if m["end"] <= s]):
            before = self.text[max(0, m["start"] - 40):m["start"]].lower().split()[-4:]
            after = self.text[m["end"]:m["end"] + 40].lower()
            appos = after.startswith(", ") and noun in after[2:].replace(",", " ").split()[:4]
            if noun in before or appos:
                return m["entity_key"], m["canonical"]
        if lemma in _org_nouns():
            m = self._previous(s, ("ORG", "GPE", "NORP"))
            return (m["entity_key"], m["canonical"]) if m else (None, None)
        if lemma in _person_nouns():
            return self._person_before(s)
        return None, None


@cache
def _org_nouns() -> frozenset[str]:
    return frozenset({"ministry", "government", "company", "party", "department", "agency", "office", "committee",
                      "council", "court", "army", "military", "police", "kremlin", "firm", "group", "organization",
                      "organisation", "bank", "union", "administration", "campaign", "embassy", "parliament",
                      "congress", "senate", "commission", "authority", "authorities", "regulator", "board", "team"})


@cache
def _person_nouns() -> frozenset[str]:
    base = {"president", "minister", "leader", "senator", "official", "spokesman", "spokeswoman", "spokesperson",
            "chairman", "chief", "secretary", "governor", "mayor", "candidate", "premier", "chancellor", "king",
            "queen", "general", "commander", "ambassador", "envoy", "director", "executive", "ceo", "founder",
            "man", "woman", "doctor", "lawyer", "judge", "officer", "analyst", "expert", "diplomat", "head", "nominee",
            "congressman", "congresswoman", "representative", "adviser", "advisor", "aide", "manager", "coach", "player"}
    titles = {t.split()[-1] for t in tomllib.loads(resources.files("presspack").joinpath("data/names.toml").read_text(encoding="utf-8"))["person_titles"]}
    return frozenset(base | titles)
