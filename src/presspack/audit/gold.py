"""Gold annotations: reading them in any supported format, checking them against the
release, and the presspack JSONL format.

Every gold article must be an article of the release: it is found by its article id
(checked against the text's sha256) or, when the gold gives no id of the release, by
the sha256 of its text. Gold annotated on the original input text (before the
normalizer changed spaces, line breaks, invisible characters) is found by its id, its
external id or its text up to whitespace, and its spans are aligned to the release's
text (align.py); spans that cannot be mapped are refused and counted in the notes.
Offsets must lie inside the gold's text (and match the span text when the gold repeats
it), labels must be known. Any problem is a GoldError whose message is one line naming
the file and line.

presspack JSONL (one article per line; every key but the id or text optional; a layer
key that is present means "annotated", so [] is "none in this article"):

    {"article_id": "a…", "sha256": "…", "text": "…",
     "sentences": [[start, end], …],
     "entities": [{"start": s, "end": e, "label": "PERSON", "text": "…"}, …],
     "claims": [{"source": SPAN|null, "cue": SPAN|null, "content": SPAN}, …]}

SPAN is {"start", "end", "text"?, "pieces"?: [{"start", "end"}]}. "attributions" is
read as "claims" and a record without article_id is matched by its text, so the
PolNeAR-style {"id", "text", "attributions"} records are gold as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from presspack.audit import tables
from presspack.audit.align import Alignment, AlignStats, align_annotations, skeleton_sha256
from presspack.audit.model import CLAIMS, ENTITIES, LAYERS, SENTENCES, Annotations, Article, Claim, Span, entity_labels, span_text
from presspack.errors import PresspackError
from presspack.package.hashing import sha256_text

FORMATS = ("labelstudio", "brat", "jsonl")


class GoldError(PresspackError):
    """Gold annotations that cannot be scored: the message names the file and line."""


@dataclass
class Gold:
    """Gold annotations of some articles of a release."""

    docs: dict[str, Annotations]
    layers: tuple[str, ...]  # the layers the gold annotates (only these are scored)
    path: str
    format: str
    notes: list[str] = field(default_factory=list)
    alignment: dict[str, int] = field(default_factory=dict)  # AlignStats.to_dict() when texts were aligned
    articles: dict[str, Any] = field(default_factory=dict)  # without a release: the normalized Articles



class Resolver:
    """Finds the release's article for a gold document; GoldError when there is none.

    A gold text that differs from the release's (annotated on the original input,
    before normalization) is found by the article id, the external id or the sha256 of
    its skeleton (align.skeleton_sha256), and its spans are then aligned to the
    release's text by `to_release`."""

    def __init__(self, release: str | Path) -> None:
        self.release = Path(release)
        self.by_id: dict[str, str] = {}
        self.by_hash: dict[str, str] = {}
        for r in tables.article_rows(release, ("sha256",)):
            self.by_id[r["article_id"]] = r["sha256"]
            self.by_hash.setdefault(r["sha256"], r["article_id"])
        self.articles: dict[str, Article] = {}
        self.alignments: dict[str, Alignment] = {}
        self.stats = AlignStats()
        self._by_skeleton: dict[str, str] | None = None
        self._by_external: dict[str, str] | None = None

    def _article(self, aid: str) -> Article:
        if aid not in self.articles:
            self.articles.update(tables.articles(self.release, [aid]))
        return self.articles[aid]

    def _loose(self, text: str, external_id: Any) -> str | None:
        """The release's article for a text that normalization changed, or None."""
        if self._by_skeleton is None:
            self._by_skeleton, self._by_external = {}, {}
            for r in tables.article_rows(self.release, ("text", "external_id")):
                self._by_skeleton.setdefault(skeleton_sha256(r["text"]), r["article_id"])
                if r.get("external_id") is not None:
                    self._by_external.setdefault(str(r["external_id"]), r["article_id"])
        assert self._by_external is not None
        if external_id is not None and str(external_id) in self._by_external:
            return self._by_external[str(external_id)]
        return self._by_skeleton.get(skeleton_sha256(text))

    def _aligned(self, where: str, aid: str, text: str) -> bool:
        al = Alignment(text, self._article(aid).text)
        if not al.covers:
            return False
        self.alignments[aid] = al
        return True

    def __call__(self, where: str, article_id: str | None, text: str | None, sha256: str | None = None,
                 external_id: Any = None) -> Article:
        digest = sha256_text(text) if text is not None else sha256
        if article_id in self.by_id:
            if digest is not None and digest != self.by_id[article_id] and not (text is not None and self._aligned(where, article_id, text)):
                raise GoldError(f"{where}: the text of article {article_id} differs from the release's "
                                f"(sha256 {digest[:12]}…, release {self.by_id[article_id][:12]}…): gold must annotate the release's text")
            aid = article_id
        elif digest is not None and digest in self.by_hash:
            aid = self.by_hash[digest]
        elif article_id is not None and digest is None:
            raise GoldError(f"{where}: article {article_id} is not in the release {self.release}")
        elif text is not None and (found := self._loose(text, external_id)) and self._aligned(where, found, text):
            aid = found
        else:
            raise GoldError(f"{where}: this text is not an article of the release {self.release} "
                            f"(no article has sha256 {str(digest)[:12]}…, nor the same text up to whitespace): "
                            "gold must annotate the release's texts")
        return self._article(aid)

    def to_release(self, where: str, aid: str, ann: Annotations) -> Annotations:
        """ANN, annotated on the gold's text, with offsets into the release's text."""
        al = self.alignments.get(aid)
        return ann if al is None else align_annotations(al, ann, self.stats, where)


def check_span(where: str, text: str, span: Span, given: str | None = None, what: str = "span") -> Span:
    """SPAN itself when its pieces lie inside TEXT, are non-empty and (when GIVEN) spell
    GIVEN (pieces joined by a space, or the text from the first start to the last end)."""
    for s, e in span:
        if not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) or isinstance(e, bool):
            raise GoldError(f"{where}: {what} offsets must be integers, not {s!r} {e!r}")
        if not 0 <= s < e <= len(text):
            raise GoldError(f"{where}: {what} offsets {s}-{e} are outside the text (0-{len(text)}) or empty")
    if given is not None and given not in (span_text(text, span), text[span[0][0]:span[-1][1]]):
        s, e = span[0][0], span[-1][1]
        raise GoldError(f"{where}: {what} {s}-{e} reads {text[s:e][:40]!r} in the text, the gold says {given[:40]!r} (wrong offsets?)")
    return tuple(sorted(span))


def check_label(where: str, label: Any, known: Iterable[str], what: str = "entity label") -> str:
    known = tuple(known)
    if label not in known:
        raise GoldError(f"{where}: unknown {what} {label!r} (known: {', '.join(known)})")
    return str(label)


def layers_of(present: Iterable[str]) -> tuple[str, ...]:
    got = set(present)
    return tuple(x for x in LAYERS if x in got)


# -- presspack JSONL ------------------------------------------------------------------


def _jsonl_span(where: str, text: str, d: Any, what: str) -> Span | None:
    if d is None:
        return None
    if not isinstance(d, dict) or "start" not in d or "end" not in d:
        raise GoldError(f"{where}: {what} must be an object with start and end, not {str(d)[:40]!r}")
    pieces = d.get("pieces") or [d]
    span = tuple((p.get("start"), p.get("end")) for p in pieces)
    return check_span(where, text, span, d.get("text") if not d.get("pieces") else None, what)


def _jsonl_doc(where: str, rec: Any, resolve: Resolver, labels: tuple[str, ...]) -> tuple[str, Annotations, set[str]]:
    if not isinstance(rec, dict):
        raise GoldError(f"{where}: a record must be a JSON object")
    aid = rec.get("article_id")
    if aid is None and rec.get("text") is None:
        raise GoldError(f"{where}: a record needs article_id or text")
    art = resolve(where, aid, rec.get("text"), rec.get("sha256"), rec.get("external_id", rec.get("id")))
    text, ann = rec.get("text") if isinstance(rec.get("text"), str) else art.text, Annotations()
    layers = {k for k in LAYERS if k in rec} | ({CLAIMS} if "attributions" in rec else set())
    for x in rec.get(SENTENCES) or []:
        if not isinstance(x, list | tuple) or len(x) != 2:
            raise GoldError(f"{where}: a sentence must be [start, end], not {str(x)[:40]!r}")
        ann.sentences.append(check_span(where, text, ((x[0], x[1]),), None, "sentence")[0])
    for x in rec.get(ENTITIES) or []:
        span = _jsonl_span(where, text, x, "entity")
        ann.entities.append((span[0][0], span[-1][1], check_label(where, x.get("label"), labels)))
    for x in rec.get(CLAIMS, rec.get("attributions")) or []:
        if not isinstance(x, dict):
            raise GoldError(f"{where}: a claim must be an object with source, cue and content")
        ann.claims.append(Claim(*(_jsonl_span(where, text, x.get(k), k) for k in ("source", "cue", "content"))))
    return art.article_id, resolve.to_release(where, art.article_id, ann), layers


def read_jsonl(path: Path, resolve: Resolver, labels: tuple[str, ...]) -> Gold:
    docs: dict[str, Annotations] = {}
    present: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise GoldError(f"{where}: not JSON: {e.msg}") from None
            aid, ann, layers = _jsonl_doc(where, rec, resolve, labels)
            if aid in docs:
                raise GoldError(f"{where}: article {aid} is annotated twice")
            docs[aid], present = ann, present | layers
    return Gold(docs, layers_of(present), str(path), "jsonl")


def _span_json(text: str, span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    d: dict[str, Any] = {"start": span[0][0], "end": span[-1][1], "text": span_text(text, span)}
    if len(span) > 1:
        d["pieces"] = [{"start": s, "end": e} for s, e in span]
        d["text"] = text[span[0][0]:span[-1][1]]
    return d


def jsonl_record(art: Article, ann: Annotations, layers: Iterable[str] = LAYERS) -> dict[str, Any]:
    """The presspack JSONL record of one article's annotations."""
    t = art.text
    rec: dict[str, Any] = {"article_id": art.article_id, "sha256": art.sha256}
    layers = set(layers)
    if SENTENCES in layers:
        rec[SENTENCES] = [[s, e] for s, e in ann.sentences]
    if ENTITIES in layers:
        rec[ENTITIES] = [{"start": s, "end": e, "label": lab, "text": t[s:e]} for s, e, lab in ann.entities]
    if CLAIMS in layers:
        rec[CLAIMS] = [{k: _span_json(t, getattr(c, k)) for k in ("source", "cue", "content")} for c in ann.claims]
    return rec


def write_jsonl(path: Path, items: Iterable[tuple[Article, Annotations]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.writelines(json.dumps(jsonl_record(art, ann), ensure_ascii=False) + "\n" for art, ann in items)


# -- any format -----------------------------------------------------------------------


def detect_format(path: Path) -> str:
    if path.is_dir():
        return "brat"
    if path.suffix == ".jsonl":
        return "jsonl"
    if path.suffix == ".json":
        return "labelstudio"
    if path.suffix == ".ann":
        return "brat"
    raise GoldError(f"{path}: cannot tell the gold format from the name: pass --format labelstudio, brat or jsonl")




def known_labels(label_map: dict[str, str] | None = None) -> tuple[str, ...]:
    """Entity labels gold may use: the release's (schemas/), or the label map's targets."""
    if label_map:
        return tuple(sorted(set(label_map.values())))
    return entity_labels()
