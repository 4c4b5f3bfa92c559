"""Quoted passages: robust quote-mark pairing and runs of quotes around a cue."""

from __future__ import annotations

import re

QUOTE_OPEN = "“\"«„‘"
QUOTE_CLOSE = "”\"»“’"

# Opening mark -> the marks that may close it. Straight and doubled-apostrophe quotes close
# themselves; „ closes with “ or ” (German and Eastern European style).
_PAIRS = {"”": "”\"", "“": "”\"", "\"": "\"”", "«": "»", "»": "«", "„": "“”", "''": "''", "``": "''"}
MAX_QUOTE_CHARS = 5000
# where a quote may open, and per opening mark where its scan has something to decide
# (a closer, the mark itself, a paragraph break)
_CANDIDATE = re.compile("[“”«„\"»'`]")
_STOPS = {mark: re.compile("|".join(re.escape(x) for x in sorted(set(closers) | {mark, "\n\n"} if len(mark) == 1 else {"''", "\n\n"})))
          for mark, closers in _PAIRS.items()}


def open_at(text: str, i: int) -> str | None:
    """The quote mark that opens a quote at `i` (one or two characters), else None."""
    two = text[i:i + 2]
    if two in ("''", "``"):
        return two
    c = text[i]
    if c in "“«„\"" or (c == "»" and text[i + 1:i + 2].isalnum()):
        return c
    if c == "”" and text[i + 1:i + 2].isalnum() and (i == 0 or text[i - 1] == "\n" or text[max(0, i - 2):i] in (": ", "– ", "— ", "― ")):
        return c  # a quote opened with the closing mark, at the start of a paragraph or after a colon or dash
    return None


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quoted passages (without the quote marks). A quote may continue over a
    paragraph break only when the next paragraph reopens it with an opening mark (the
    newspaper convention); a mark that is never closed within its paragraph is ignored,
    so a stray mark cannot swallow the rest of the article. A straight mark after a space
    and before a word opens a new quote ('... involved. "In addition, ...": the style
    that reopens a quote at each sentence): the quote before it ends there. Long because
    the pairing is one scan over the marks, its cases side by side."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        m = _CANDIDATE.search(text, i)
        if m is None:
            break
        i = m.start()
        mark = open_at(text, i)
        if mark is None:
            i += 1
            continue
        closers = _PAIRS[mark]
        stops = _STOPS[mark]
        j = i + len(mark)
        end = -1
        reopen = False
        while j < n and j - i <= MAX_QUOTE_CHARS:
            nxt_m = stops.search(text, j)
            if nxt_m is None:
                break
            j = nxt_m.start()
            if j - i > MAX_QUOTE_CHARS:
                break
            if mark in ("''", "``"):
                if text.startswith("''", j):
                    end = j
                    break
            elif text[j] in closers and not (text[j] == "“" and mark == "“"):
                end = j
                if text[j] == "\"" and text[j - 1].isspace() and text[j + 1:j + 2].isalnum():
                    reopen = True  # 'involved. "In addition': a new quote opens; this one ended before it
                break
            elif text[j] == mark == "“" and not text[j - 1].isspace() and (j + 1 == n or text[j + 1].isspace() or text[j + 1] in ",.;:!?)"):
                end = j  # “...“: closed with the opening mark (a typo's shape: after a word, before a space)
                break
            elif text[j] == mark and mark == "“":  # a new opening: the old quote was stray
                break
            if text.startswith("\n\n", j):
                nxt = j + 2
                if nxt < n and open_at(text, nxt) == mark:
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
        i = end if reopen else end + (2 if mark in ("''", "``") else 1)
    return out


def _opens(text: str, gap_s: int, gap_e: int, cue: tuple[int, int] | None) -> bool:
    """The cue in the gap opens the quote after it ("“A.” He told MPs: “B.”", "“A.” She
    adds, “B.”"): the quote before the gap is not part of its content."""
    if cue is None or not gap_s <= cue[0] < gap_e:
        return False
    lead = text[gap_s:gap_e].rstrip(" \n" + QUOTE_OPEN)
    return lead.endswith(":") or lead.endswith(",") and any(ch in ".!?" for ch in text[gap_s - 1:gap_s + 2])


def group_quotes(text: str, quotes: list[tuple[int, int]], cs: int, ce: int, cue: tuple[int, int] | None,
                  cue_starts: list[int] | None = None) -> tuple[int, int, bool]:
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
        if cue_starts is not None and sum(1 for c in cue_starts if gap_s <= c < gap_e) > 1:
            return False  # "“A,” he said, adding that “B”": B is the second cue's content
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
    while lo > 0 and joins(quotes[lo - 1][1], quotes[lo][0]) and not _opens(text, quotes[lo - 1][1], quotes[lo][0], cue):
        lo -= 1
    qs, qe = quotes[lo][0], quotes[hi][1]
    if cs < qs and not text[cs:qs].strip(" " + QUOTE_OPEN):
        cs = qs  # no lone opening mark at the start of the content
    if ce > qe and not text[qe:ce].strip(" .,!?" + QUOTE_CLOSE):
        ce = qe
    return min(cs, qs), max(ce, qe), True
