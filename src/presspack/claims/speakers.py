"""Speaker resolution: from the mention as written to an entity of the article."""

from __future__ import annotations

import bisect
import tomllib
from functools import cache
from importlib import resources
from typing import Any

from presspack.normalize.text import Article

PERSON_PRONOUNS = {"he", "she", "him", "her", "i", "we"}
GROUP_PRONOUNS = {"they", "it", "we"}
RELATIVE = {"who", "which", "that"}


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
