"""Datasette metadata for a release: title, licence, source, citation, every table's and
column's description from schemas/, facets, label columns and canned queries."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from presspack.explore.pages import top_speakers_sql
from presspack.explore.sqlite import META_TABLE
from presspack.explore.tables import MONTH, MONTH_DESCRIPTION, MONTH_DESCRIPTIONS, MONTH_TABLES, release_tables
from presspack.extras.cite import apa, release_meta, url_of
from presspack.package.manifest import read_datapackage
from presspack.package.schemas import fields, table_schema

DB_NAME = "presspack"
PLUGIN = "presspack-explore"
# facets offered where the table has the column (speaker_type and method: once the claims schema has them)
FACETS = {
    "articles": ["source", "section", "language", MONTH],
    "claims": ["speaker_name", "speaker_type", "kind", "method", MONTH],
    "entities": ["label"],
    "entity_index": ["label"],
    "quotations": ["speaker_name", MONTH, "n_speakers", "first_source"],
}
LABEL_COLUMNS = {"articles": "title", "entity_index": "canonical", "quotations": "text"}

QUERIES: dict[str, dict[str, str]] = {
    "top_speakers": {
        "title": "Top speakers",
        "description": "Resolved speakers by number of claims, with the number of articles they are quoted in.",
        "sql": top_speakers_sql(100),
    },
    "claims_by_speaker": {
        "title": "Claims by a speaker over time",
        "description": "Every claim of one speaker (canonical name or entity key), by publication date; "
                       "each claim_id links to its place in the article.",
        "sql": """select a.published, c.month, c.claim_id, c.kind, c.cue_text, c.content_text, a.title
from claims c join articles a on a.article_id = c.article_id
where c.speaker_key = :speaker or c.speaker_name = :speaker collate nocase
order by a.published, c.claim_id""",
    },
    "articles_mentioning": {
        "title": "Articles mentioning an entity",
        "description": "Articles that mention one entity (canonical name or entity key), with the number of mentions.",
        "sql": """select a.article_id, a.title, a.published, a.source, count(*) as mentions
from entities e join articles a on a.article_id = e.article_id
where e.entity_key in (select entity_key from entity_index where entity_key = :entity or canonical = :entity collate nocase)
group by a.article_id
order by a.published, a.article_id""",
    },
    "repeated_quotes": {
        "title": "Quotes repeated across articles",
        "description": "Claim contents found word for word in more than one article.",
        "sql": """select content_text, count(distinct article_id) as articles, count(*) as claims,
  group_concat(distinct speaker_name) as speakers, min(claim_id) as claim_id
from claims
group by content_text
having count(distinct article_id) > 1
order by articles desc, claims desc, content_text
limit 200""",
    },
    "most_repeated_quotations": {
        "title": "Most repeated quotations",
        "description": "Quotations (merged across articles, docs/quotations.md) by the number of articles quoting them.",
        "sql": """select quotation_id, text, speaker_name, speakers, n_articles, n_sources, n_variants, first_source, first_published, last_published
from quotations
where n_articles > 1
order by n_articles desc, n_sources desc, quotation_id
limit 200""",
    },
    "quotation_mentions": {
        "title": "Mentions of a quotation",
        "description": "Every claim quoting one quotation (its quotation_id), by date and outlet, with how its words differ (variant); "
                       "the quotation's page (/quotation/QUOTATION_ID) shows the same with the changed words marked.",
        "sql": """select a.published, a.source, c.claim_id, c.speaker_name, c.quotation_variant, c.content_text, a.title
from claims c join articles a on a.article_id = c.article_id
where c.quotation_id = :quotation
order by a.published, a.source, c.claim_id""",
    },
}


def table_metadata(table: str) -> dict[str, Any]:
    """One table's entry: description and column descriptions from schemas/, facets,
    label column."""
    columns = {f["name"]: f.get("description", "") for f in fields(table)}
    if table in MONTH_TABLES:
        columns[MONTH] = MONTH_DESCRIPTIONS.get(table, MONTH_DESCRIPTION)
    out: dict[str, Any] = {"description": table_schema(table).get("description", ""), "columns": columns}
    facets = [c for c in FACETS.get(table, []) if c in columns]
    if facets:
        out["facets"] = facets
    if table in LABEL_COLUMNS:
        out["label_column"] = LABEL_COLUMNS[table]
    return out


def citation_html(release: str | Path) -> str:
    return f"<p><strong>Cite as:</strong> {html.escape(apa(release).strip())}</p>"


def datasette_metadata(release: str | Path, db_name: str = DB_NAME) -> dict[str, Any]:
    """The `--metadata` document of a release served by Datasette."""
    dp = read_datapackage(release)
    meta = release_meta(release)
    licence = (dp.get("licenses") or [{}])[0]
    sources = ", ".join(s.get("title", "") for s in dp.get("sources", []) if s.get("title"))
    title = f"{dp.get('title') or dp.get('name') or 'presspack release'} {dp.get('version', '')}".strip()
    description = html.escape(dp.get("description") or meta["description"] or "")
    tables = {t: table_metadata(t) for t in release_tables(release)}
    tables[META_TABLE] = {"hidden": True, "description": "The export's own record: release digest, export format."}
    out: dict[str, Any] = {
        "title": title,
        "description_html": f"<p>{description}</p>{citation_html(release)}",
        "license": licence.get("name") or licence.get("title") or "",
        "license_url": licence.get("path") or "",
        "source": f"{sources or 'sources'} (built with presspack {meta.get('presspack') or ''})".replace(" )", ")"),
        "source_url": url_of(meta) or "",
        "databases": {db_name: {"tables": tables, "queries": QUERIES}},
        "plugins": {PLUGIN: {"database": db_name}},
    }
    return {k: v for k, v in out.items() if v != ""}
