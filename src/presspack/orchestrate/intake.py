"""The build's intake: every input file discovered, read by its reader, normalized,
de-duplicated and given a language; accepted articles go on to the NLP, everything else
is recorded in the ledger with a status and a reason.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from presspack.config import Config
from presspack.errors import InputRejected
from presspack.ingest import discover, reader_for
from presspack.ingest.types import RawArticle, Reject
from presspack.normalize import language as default_language
from presspack.normalize.dedup import Deduplicator
from presspack.normalize.text import Article, normalize
from presspack.orchestrate.ledger import Ledger
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import Spool
from presspack.progress import NO_PROGRESS, Progress


def accepted_articles(sources: list[str | Path], config: Config, ledger: Ledger, progress: Progress | None, language: Any = None) -> Iterator[Article]:
    """Every accepted, de-duplicated article, in sorted input order; the ledger records
    everything else. `progress` (presspack.progress.Progress, or None) advances by one as
    each input file is opened; `language` identifies languages (default:
    presspack.normalize.language)."""
    if language is None:
        language = default_language
    progress = progress or NO_PROGRESS

    for f in discover(sources, config.exclude):
        entry = ledger.open_file(f)
        progress.advance()
        if f.status is not None:  # excluded by a pattern (discover): not read
            entry.update(status=f.status, reason=f.reason)
            continue
        if f.error:
            entry.update(status="rejected", reason=f.error)
            ledger.counts["rejected"] += 1
            continue
        try:
            f.sha256 = entry["sha256"] = sha256_file(f.path)
        except OSError as e:
            entry.update(status="rejected", reason=f"cannot read: {e.strerror or e}")
            ledger.counts["rejected"] += 1
            continue
        reader = reader_for(f.format)
        if reader is None:
            entry.update(status="rejected", reason=f"unsupported file type {Path(f.rel).suffix or '(no extension)'!r}")
            ledger.counts["rejected"] += 1
            continue
        try:
            for item in reader(f, config):
                if isinstance(item, Reject):
                    entry["records"].append({"origin": item.origin, "status": "rejected", "reason": item.reason})
                    ledger.counts["rejected"] += 1
                    continue
                art = accept_item(item, config, entry, ledger, language)
                if art is not None:
                    yield art
        except OSError as e:
            entry["records"].append({"origin": f.rel, "status": "rejected", "reason": f"read error: {e.strerror or e}"})
            ledger.counts["rejected"] += 1
        except Exception as e:  # noqa: BLE001 - a reader bug must not stop the build: the rest of the file is one reject
            entry["records"].append({"origin": f.rel, "status": "rejected", "reason": _internal(e)})
            ledger.counts["rejected"] += 1
        finally:
            ledger.close_file(entry, f)


def accept_item(item: RawArticle, config: Config, entry: dict[str, Any], ledger: Ledger, language: Any) -> Article | None:
    try:
        art = normalize(item, config.text, max_chars=config.limits.max_article_chars)
    except InputRejected as e:
        entry["records"].append({"origin": item.origin, "status": "rejected", "reason": str(e)})
        ledger.counts["rejected"] += 1
        return None
    except Exception as e:  # noqa: BLE001 - one bad record never stops the build
        entry["records"].append({"origin": item.origin, "status": "rejected", "reason": _internal(e)})
        ledger.counts["rejected"] += 1
        return None
    first = ledger.seen_ids.get(art.article_id)
    if first is not None:
        basis = "URL" if art.meta.get("url") else "text"
        entry["records"].append(
            {"origin": item.origin, "status": "duplicate", "reason": f"same {basis} as {first}", "duplicate_of": art.article_id}
        )
        ledger.counts["duplicate"] += 1
        return None
    if config.dedup.enabled:
        ledger.dedup = ledger.dedup or Deduplicator.from_settings(config.dedup, ledger.signatures)
        dup = ledger.dedup.check(art.article_id, art.text)
        if dup is not None:
            entry["records"].append({"origin": item.origin, "status": "duplicate", "reason": dup.reason(), "duplicate_of": dup.kept})
            ledger.counts["duplicate"] += 1
            return None
    ledger.seen_ids[art.article_id] = item.origin
    art.notes.extend(language.assign(art.meta, art.text))
    entry["article_ids"].append(art.article_id)
    for n in art.notes:
        entry.setdefault("notes", Spool()).append({"article_id": art.article_id, "origin": art.origin, "note": n})
    ledger.counts["accepted"] += 1
    return art


def _internal(e: Exception) -> str:
    msg = " ".join(str(e).split())[:200]
    return f"internal error (please report): {type(e).__name__}: {msg}"
