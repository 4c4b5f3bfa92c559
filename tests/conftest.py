"""Shared fixtures: the spaCy pipeline is loaded once per test session."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from presspack.config import load_config
from presspack.orchestrate.run import build

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _nlp_cache_dir(tmp_path_factory):
    """Builds in tests use a fresh NLP cache, never the user's."""
    os.environ["PRESSPACK_CACHE_DIR"] = str(tmp_path_factory.mktemp("nlp-cache"))


@pytest.fixture(scope="session")
def nlp():
    from presspack.nlp.pipeline import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def config():
    return load_config(ROOT / "examples" / "presspack.toml")


@pytest.fixture(scope="session")
def example_release(tmp_path_factory, nlp, config):
    """The example article built once for the session."""
    out = tmp_path_factory.mktemp("example")
    return build([ROOT / "examples"], out, "1.0.0", config, nlp=nlp).release_dir


@pytest.fixture(scope="session")
def news_release(tmp_path_factory, nlp, config):
    """Build a release from news rows (source, published, title, text), written as one
    JSONL file of records with ids 0, 1, ... and URLs https://SOURCE/PREFIX<id>."""

    def _build(rows, prefix: str = "n"):
        src = tmp_path_factory.mktemp("news")
        recs = [{"id": str(i), "source": s, "published": d, "title": t, "text": x, "url": f"https://{s}/{prefix}{i}"}
                for i, (s, d, t, x) in enumerate(rows)]
        (src / "news.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs), encoding="utf-8")
        return build([src], tmp_path_factory.mktemp("out"), "1.0.0", config, nlp=nlp).release_dir

    return _build


@pytest.fixture
def make_release(tmp_path, nlp, config):
    """Build a release from files written into a fresh input directory."""

    def _make(files: dict[str, bytes | str], version: str = "1.0.0", out: Path | None = None, **kw):
        src = tmp_path / "in"
        if src.exists():
            shutil.rmtree(src)
        src.mkdir()
        for name, data in files.items():
            p = src / name
            p.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, str):
                p.write_text(data, encoding="utf-8")
            else:
                p.write_bytes(data)
        return build([src], out or tmp_path / "out", version, kw.pop("config", config), nlp=nlp, **kw)

    return _make


CHROMIUM_MISSING = ("chromium is not installed, so this browser test is skipped: install Debian's package as root "
                    "(`apt-get install --no-install-recommends chromium`, or `make chromium`; see docs/development.md)")


def find_chromium() -> str:
    """Headless Chromium for the browser tests: skips the test with CHROMIUM_MISSING when it
    is not on PATH; fails instead in CI (CI=true), where .ci/run installs it."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI=true and {CHROMIUM_MISSING.split(', so')[0]}: .ci/run installs it (as root)")
        pytest.skip(CHROMIUM_MISSING)
    return exe


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of chromium (see find_chromium)."""
    return find_chromium()
