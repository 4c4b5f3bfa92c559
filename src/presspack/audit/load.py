"""Loading gold annotations in any of the formats (the JSONL reader is in `gold`, BRAT and
Label Studio in their modules), checked against the release's texts, or, for training
(no release), against their own texts as the build would normalize them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from presspack.audit import brat, labelstudio
from presspack.audit.align import Alignment, AlignStats
from presspack.audit.gold import FORMATS, Gold, GoldError, Resolver, detect_format, known_labels, read_jsonl
from presspack.audit.model import Article
from presspack.config import Config, load_config
from presspack.errors import InputRejected
from presspack.ingest.types import RawArticle
from presspack.normalize.text import Article as NormalizedArticle
from presspack.normalize.text import normalize


class TextResolver(Resolver):
    """A Resolver without a release: each gold text is normalized as a build of a JSONL
    record would normalize it, and its spans are aligned to that text."""

    def __init__(self, config: Config | None = None) -> None:
        self.release = Path(".")
        self.by_id, self.by_hash, self.articles, self.alignments = {}, {}, {}, {}
        self.config = config or load_config()
        self.normalized: dict[str, NormalizedArticle] = {}
        self.repeats: list[str] = []  # ids given to texts seen before (left out of the gold)
        self.stats = AlignStats(target="the normalized")

    def __call__(self, where: str, article_id: str | None, text: str | None, sha256: str | None = None,
                 external_id: Any = None) -> Article:
        if not isinstance(text, str):
            raise GoldError(f"{where}: training gold must carry its text (a JSONL record's \"text\", a BRAT .txt, "
                            "a Label Studio task's data.text)")
        try:
            art = normalize(RawArticle(origin=where, body=text), self.config.text,
                            max_chars=self.config.limits.max_article_chars)
        except InputRejected as e:
            raise GoldError(f"{where}: {e}") from None
        aid = art.article_id
        if aid in self.normalized:  # the same text again (a build keeps one): left out, with a note
            aid = f"{aid}-{len(self.repeats) + 2}"
            self.repeats.append(aid)
        self.normalized[aid] = art
        self.articles[aid] = Article(aid, art.text, art.sha256)
        al = Alignment(text, art.text)
        if not al.identical:
            self.alignments[aid] = al
        return self.articles[aid]


def load_gold(path: str | Path, release: str | Path | None, fmt: str | None = None,
              label_map: dict[str, str] | None = None, config: Config | None = None) -> Gold:
    """The gold at PATH (format FMT, else by its name), checked against RELEASE; with
    RELEASE None (training), against its own texts, normalized (Gold.articles holds them)."""
    path = Path(path)
    if not path.exists():
        raise GoldError(f"{path}: no such file or directory")
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise GoldError(f"{path}: unknown gold format {fmt!r} (one of {', '.join(FORMATS)})")
    labels = known_labels(label_map)
    resolve = Resolver(release) if release is not None else TextResolver(config)
    readers: dict[str, Callable[[Path, Resolver, tuple[str, ...]], Gold]] = {
        "jsonl": read_jsonl, "brat": brat.read_brat, "labelstudio": labelstudio.read_labelstudio}
    gold = readers[fmt](path, resolve, labels)
    if not gold.docs:
        raise GoldError(f"{path}: no annotated article in the gold")
    if (note := resolve.stats.note()) is not None:
        gold.notes.append(note)
        gold.alignment = resolve.stats.to_dict()
    if isinstance(resolve, TextResolver):
        if resolve.repeats:
            gold.notes.append(f"{len(resolve.repeats)} article(s) repeat the text of an earlier one: left out")
            for aid in resolve.repeats:
                gold.docs.pop(aid, None)
        gold.articles = {aid: resolve.normalized[aid] for aid in gold.docs}
    return gold
