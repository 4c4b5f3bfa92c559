"""What a build returns (BuildResult) and the constants the build's modules share: the
temporary directory prefix, row group sizes, the release date.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from presspack.config import Config

TMP_PREFIX = ".presspack-tmp-"



# Rows per Parquet row group. A writer holds up to one row group of rows in memory, so
# these bound the build's memory: small for articles (long texts), 8192 for the rest
# (65,536 rows of sentences, entities and claims took over 100 MB).
ROW_GROUPS = {"articles": 1024, "sentences": 8192, "entities": 8192, "claims": 8192, "claim_entities": 8192}



@dataclass
class BuildResult:
    release_dir: Path
    version: str
    counts: dict[str, int]
    rows: dict[str, int]
    manifest: dict[str, Any] = field(repr=False, default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)  # NLP cache hits and misses (not in the release)
    # the first PROBLEMS_SHOWN rejected or partial file entries (manifest.json has them all)
    problem_files: list[dict[str, Any]] = field(repr=False, default_factory=list)

    def summary(self) -> str:
        c = self.counts
        return (
            f"wrote {self.release_dir}: {c['accepted']} accepted, {c['rejected']} rejected, "
            f"{c['duplicate']} duplicate ({self.rows.get('sentences', 0)} sentences, "
            f"{self.rows.get('entities', 0)} entities, {self.rows.get('claims', 0)} claims)"
        )



def release_date(config: Config) -> str:
    if config.dataset.date:
        return str(config.dataset.date)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()
    return datetime.now(tz=UTC).date().isoformat()



PROBLEMS_SHOWN = 1000  # rejected or partial files BuildResult lists (all are in the manifest)
