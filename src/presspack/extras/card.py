"""The release's README.md (a dataset card with Hugging Face front matter and datasheet
sections) and its CHANGELOG.md, both generated from the release directory."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from presspack.audit.quality import markdown
from presspack.config import NOT_SPECIFIED, not_specified_note
from presspack.extras.cite import bibtex, dump_yaml, release_meta, url_of
from presspack.extras.diff import ReleaseDiff
from presspack.package import schemas
from presspack.package.manifest import manifest_files, read_manifest

MAX_IDS = 50
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"))


def _md(s: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def changelog(release_dir: str | Path, d: ReleaseDiff | None) -> str:
    """CHANGELOG.md of one release: what changed since the previous release."""
    release_dir = Path(release_dir)
    dp = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    version, date = dp.get("version"), read_manifest(release_dir).get("created")
    rows = {r["name"]: r.get("rows") for r in dp.get("resources", [])}
    out = [f"# Changelog: {dp.get('title', dp.get('name'))}", "", f"## {version} ({date})", ""]
    if d is None:
        out.append("First release: " + ", ".join(f"{n} {t}" for t, n in rows.items()) + ".")
        return "\n".join(out) + "\n"
    out += [
        f"Changes since {d.a}: **{d.bump or 'no'}** change (semantic versioning: major = incompatible schema change, "
        "minor = articles added or removed, patch = only derived annotations or metadata changed).",
        "",
        f"- Articles: {len(d.added)} added, {len(d.removed)} removed, {len(d.changed)} changed "
        f"({len(d.text_changed)} text, {len(d.metadata_changed)} metadata, {len(d.annotations_changed)} annotations).",
    ]
    for t, r in d.rows.items():
        a, b = r["a"], r["b"]
        delta = f" ({b - a:+d})" if a is not None and b is not None else ""
        out.append(f"- {t}: {'-' if a is None else a} → {'-' if b is None else b} rows{delta}")
    out += [f"- Schema: {c.line()}{'' if c.compatible else ' (incompatible)'}" for c in d.schema] or ["- Schema: unchanged"]
    for label, ids in (("Added articles", d.added), ("Removed articles", d.removed), ("Changed articles", d.changed)):
        if ids:
            more = f" and {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else ""
            out += ["", f"### {label}", "", ", ".join(f"`{i}`" for i in ids[:MAX_IDS]) + more]
    return "\n".join(out) + "\n"


def _article_stats(release_dir: Path) -> dict[str, Counter[str]]:
    stats: dict[str, Counter[str]] = {"language": Counter(), "source": Counter(), "year": Counter()}
    path = release_dir / "articles.parquet"
    if not path.is_file():
        return stats
    pf = pq.ParquetFile(path)
    cols = [c for c in ("language", "source", "published") if c in pf.schema_arrow.names]
    for batch in pf.iter_batches(batch_size=65_536, columns=cols):
        d = batch.to_pydict()
        stats["language"].update(x or "unknown" for x in d.get("language", []))
        stats["source"].update(x or "unknown" for x in d.get("source", []))
        stats["year"].update(x[:4] if x else "unknown" for x in d.get("published", []))
    return stats


def _front_matter(meta: dict[str, Any], tables: list[dict[str, Any]], languages: list[str], n_articles: int) -> str:

    size = next((label for limit, label in SIZE_CATEGORIES if n_articles < limit), "n>100M")
    fm: dict[str, Any] = {"pretty_name": meta["title"]}
    fm["license"] = str(meta["license"]).lower() if meta["license"] else "unknown"  # the Hub's value for "not specified"
    if languages:
        fm["language"] = languages
    if meta["keywords"]:
        fm["tags"] = meta["keywords"]
    fm["size_categories"] = [size]
    fm["configs"] = [
        {"config_name": r["name"], "data_files": [{"split": "train", "path": r["path"]}], **({"default": True} if i == 0 else {})}
        for i, r in enumerate(tables)
    ]
    return "---\n" + dump_yaml(fm) + "---\n"


def _dictionary(resource: dict[str, Any]) -> list[dict[str, str]]:
    """The data dictionary of a table: from schemas/ (the release was built from them),
    else from the release's own schema."""
    if resource["name"] in schemas.available_tables():
        return schemas.data_dictionary(resource["name"])
    return [{"name": f["name"], "type": f.get("type", ""), "description": f.get("description", ""), "constraints": ""}
            for f in resource.get("schema", {}).get("fields", [])]


def claims_model_card_line(cm: dict[str, Any]) -> str:
    """The card's line about a claims model (provenance `claims_model`): "claims by model
    X, trained on N annotated articles, dev F1 ..."."""
    t = cm.get("training") or {}
    dev = t.get("dev") or {}
    f = (dev.get("scores") or {}).get("content") or {}
    ci = f.get("ci", {}).get("f1")
    score = (f", dev content F1 {f['f1']:.3f}" + (f" (95% CI {ci[0]:.3f}-{ci[1]:.3f})" if ci else "")
             + f" on {dev.get('articles')} held-out articles") if f.get("f1") is not None else ", no dev scores"
    return (f"6. Claims by model `{_md(cm.get('name'))}` (sha256 `{str(cm.get('sha256'))[:16]}`, method `{cm.get('finder', 'model')}`), "
            f"trained on {t.get('articles')} annotated articles ({t.get('claims')} claims){score}.")


def dataset_card(release_dir: str | Path, quality: dict[str, Any] | None = None) -> str:
    """The release's README.md. Long because it is the card's one template, read top to
    bottom in the order of the sections it writes; splitting it would scatter them."""
    release_dir = Path(release_dir)
    dp = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    m = read_manifest(release_dir)
    meta = release_meta(release_dir)
    prov = m.get("provenance", {})
    model = prov.get("model", {})
    cfg = prov.get("config", {})
    tables = [r for r in dp.get("resources", []) if r.get("format") == "parquet"]
    rows = {r["name"]: r.get("rows", 0) for r in tables}
    stats = _article_stats(release_dir)
    langs = sorted(k for k in stats["language"] if k != "unknown")
    counts = m.get("counts", {})
    by_format: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for f in manifest_files(release_dir, skip=("article_ids", "notes")):  # one entry at a time: there may be millions
        by_format[f.get("format")] += 1
        reasons.update(r.get("reason") or f.get("reason") for r in (f.get("records") or [f]) if r.get("status") == "rejected")
    libs = ", ".join(f"{k} {v}" for k, v in prov.get("libraries", {}).items())
    url = url_of(meta)
    L: list[str] = [_front_matter(meta, tables, langs, rows.get("articles", 0))]
    L += [f"# {meta['title']} (version {meta['version']})", ""]
    if meta["description"]:
        L += [meta["description"], ""]
    if meta["missing"]:
        L += [f"> **{not_specified_note(meta['missing'])}** Ask whoever built this release before reusing it; "
              "they can fill in `[dataset]` in a presspack.toml (`presspack init` writes one) and rebuild.", ""]
    L += [
        f"Released {meta['date']}" + (f" · {url}" if url else "") + f" · licence {meta['license'] or NOT_SPECIFIED}"
        + f" · built with presspack {meta['presspack']}.", "",
        "| table | rows | file |", "|---|---:|---|",
        *[f"| {r['name']} | {r.get('rows', 0)} | `{r['path']}` |" for r in tables], "",
        "## Motivation", "",
        (meta["description"] + " " if meta["description"] else "")
        + "The dataset turns news articles into tables researchers can query and cite: the articles, their sentences, "
        "the named entities mentioned and the claims made in them (who said what, with the speaker, the cue and the "
        "content as exact character spans of the article text).", "",
        "## Composition", "",
        f"- {rows.get('articles', 0)} articles, {rows.get('sentences', 0)} sentences, {rows.get('entities', 0)} entity mentions, "
        f"{rows.get('claims', 0)} claims.",
        "- Languages: " + (", ".join(f"{k} ({v})" for k, v in stats["language"].most_common()) or "none") + ".",
        "- Sources: " + (", ".join(f"{_md(k)} ({v})" for k, v in stats["source"].most_common(20)) or "none") + ".",
        "- Publication years: " + (", ".join(f"{k} ({v})" for k, v in sorted(stats["year"].items())) or "none") + ".",
        "- Every span (`start`/`end`, end-exclusive, Unicode code points) indexes `articles.text`: "
        "`text[start:end]` equals the stored span text.", "",
        "## Collection", "",
        f"- Inputs: {counts.get('files', len(m.get('files', [])))} file(s) from {', '.join(prov.get('sources', [])) or 'unknown'} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(by_format.items(), key=str)) or 'none'}); input hash `{prov.get('inputs_sha256')}`.",
        f"- {counts.get('accepted', 0)} articles accepted, {counts.get('rejected', 0)} inputs rejected, "
        f"{counts.get('duplicate', 0)} duplicates dropped. `manifest.json` lists every input file and record with its status and reason.",
    ]
    if reasons:
        L.append("- Rejection reasons: " + "; ".join(f"{_md(k)} ({v})" for k, v in reasons.most_common(10)) + ".")
    L += [
        "",
        "## Preprocessing", "",
        "1. Decoding (UTF-8, BOMs, else detected), Unicode NFC, `\\n` line ends, paragraphs separated by one blank line, "
        "boilerplate lines removed, exact duplicates (same canonical URL or same text) dropped.",
        "2. Language: given by the input, else identified with py3langid.",
        f"3. spaCy pipeline `{model.get('name')}` {model.get('version')} (components: {', '.join(model.get('pipeline', []))}; "
        f"sentence boundaries by the {model.get('sentence_splitter')}; trained on {', '.join(model.get('sources', [])) or 'unknown data'}), "
        f"profile `{cfg.get('profile')}`, batch size {cfg.get('batch_size')}.",
        "4. Entities: spaCy NER mentions with a normalized `entity_key` and a `canonical` name per article.",
        "5. Claims: rules over the dependency parse (reporting verbs, 'according to', quotations with a nearby speaker); "
        "pronouns and descriptions resolved to a named speaker where possible."
        if cfg.get("profile") != "fast"
        else "5. Claims: quotations with a nearby speaker only (profile `fast`: no dependency parse).",
        *([claims_model_card_line(prov["claims_model"])] if prov.get("claims_model") else []),
        f"- Versions: presspack {prov.get('presspack')}, Python {prov.get('python')}, {libs}.",
        f"- Configuration fingerprint `{prov.get('config_sha256')}`; `presspack info` prints the full provenance.", "",
        "## Uses and limits", "",
        "- Intended for research on news content: who is quoted, about what, how often; entity and source statistics.",
        "- All annotations are automatic. Sentence boundaries, entities and claims contain model errors; "
        "check them on your own sample before drawing conclusions.",
        "- The model was trained on English text; annotations of other languages are unreliable.",
        "- Article texts belong to their publishers; the licence below covers the annotations. "
        "Respect the publishers' terms when redistributing texts.", "",
        "## Distribution", "",
        f"- Licence: {meta['license'] or NOT_SPECIFIED}." + (f" DOI: [{meta['doi']}](https://doi.org/{meta['doi']})." if meta["doi"] else "")
        + (f" All versions: [{meta['concept_doi']}](https://doi.org/{meta['concept_doi']})." if meta["concept_doi"] else ""),
        "- Parquet tables (zstd) with Frictionless `datapackage.json` (sha256 per table), Croissant `croissant.json`, "
        "`CITATION.cff`, `.zenodo.json` and a visual `report.html`.",
        "- Load: `pandas.read_parquet(\"claims.parquet\")`, `datasets.load_dataset(\"<this folder>\", \"claims\")`, "
        "or `frictionless validate datapackage.json`.", "",
        "## Maintenance", "",
        "- Versions follow semantic versioning; each release is immutable and listed with its content hash in the "
        "dataset's `versions.json`. `CHANGELOG.md` says what changed since the previous version.",
        "- `presspack validate` checks a release (hashes, schemas, keys, offsets, and that it is unchanged since release).", "",
        "## Data dictionary", "",
    ]
    for r in tables:
        L += [f"### {r['name']}", "", _md(r.get("description", "")), "", "| column | type | description | constraints |", "|---|---|---|---|"]
        L += [f"| `{c['name']}` | {c['type']} | {_md(c['description'])} | {_md(c['constraints'])} |" for c in _dictionary(r)]
        L.append("")
    if quality is not None:  # "Measured accuracy", from presspack score --json
        L += [markdown(quality)]
    L += ["## Citation", "", "```bibtex", bibtex(release_dir).rstrip("\n"), "```", ""]
    return "\n".join(L)


def write_card(release_dir: str | Path, quality: dict[str, Any] | None = None) -> None:
    release_dir = Path(release_dir)
    (release_dir / "README.md").write_text(dataset_card(release_dir, quality), encoding="utf-8")
