"""Finding known names in a text: every occurrence of a set of names (gazetteer entries,
names already recognised elsewhere in the article), leftmost-longest, as one alternation.
"""

from __future__ import annotations

import re
from functools import lru_cache


def add_matches(text: str, raw: list[tuple[int, int, str]], names: dict[str, str], *, shared: dict[str, str] | None = None) -> list[tuple[int, int, str]]:
    """Add a mention for every whole-word occurrence of a listed name (longest first)
    that does not overlap an existing mention. `shared` names (the same for every
    article, e.g. the country list) are matched with a pattern compiled once; `names`
    take precedence for the label of a name in both."""
    shared = shared or {}
    if not names and not shared:
        return raw
    if "" in names or "" in shared:  # an empty name matches everywhere: the plain pattern keeps that meaning
        merged = {**shared, **names}
        alts = "|".join(re.escape(n) for n in sorted(merged, key=lambda n: (-len(n), n)))
        spans = [(m.start(), m.end(), m.group(0)) for m in re.finditer(_NAME_BEFORE + "(?:" + alts + ")" + _NAME_AFTER, text)]
    else:
        spans = _leftmost_longest(text, [names, shared])
    labels = {**shared, **names}
    taken = sorted((s, e) for s, e, _ in raw)
    import bisect

    starts = [s for s, _ in taken]
    out = list(raw)
    for s, e, name in spans:
        k = bisect.bisect_right(starts, e - 1)
        if k > 0 and taken[k - 1][1] > s:
            continue
        out.append((s, e, labels[name]))
    return out



# A listed name is matched as a whole word: not after a letter, digit, &, @, "." or "-",
# and not before a word character, "&", ".x"/"-x" or an "'xx" ending.
_NAME_BEFORE = r"(?<![\w&@.-])"



_NAME_AFTER = r"(?![\w&]|[.-]\w|['’]\w\w)"



@lru_cache(maxsize=32)
def _finder(names: frozenset[str]) -> re.Pattern[str]:
    """At every position where some name matches (as a whole word), the longest one."""
    alts = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return re.compile(_NAME_BEFORE + "(?=((?:" + alts + ")" + _NAME_AFTER + "))")



def _leftmost_longest(text: str, groups: list[dict[str, str]]) -> list[tuple[int, int, str]]:
    """The matches re.finditer would give for one alternation of all names, longest first:
    scanning left to right, at each position the longest name that matches there, then
    on after it. Each group has its own pattern, so a group shared by every article is
    compiled once."""
    best: dict[int, str] = {}
    for names in groups:
        if not names:
            continue
        for m in _finder(frozenset(names)).finditer(text):
            name = m.group(1)
            if len(name) > len(best.get(m.start(), "")):
                best[m.start()] = name
    out = []
    pos = 0
    for s in sorted(best):
        if s >= pos:
            name = best[s]
            out.append((s, s + len(name), name))
            pos = s + len(name)
    return out
