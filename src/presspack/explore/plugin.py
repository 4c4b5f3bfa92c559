"""The Datasette plugin of `presspack serve`: the explorer's own pages and the links
between them and Datasette's.

- `/`: the front page (presspack.explore.pages): the release's title and citation, one
  search box over claims, sentences and article titles, the top speakers, the tables
  with their row counts and the canned queries.
- `/speaker/{speaker_key}`: the claims of one resolved speaker by publication date,
  with their articles, claims per month and, when the claims schema has them, the
  speaker's type and role.
- `/quotation/{quotation_id}`: one quotation (presspack.explore.quotation): its mentions
  by date and outlet, each variant's changed words marked, the outlets it spread to, the
  short quotations that are fragments of it, and the quotation a fragment is part of.
- `/article/{article_id}`: the article's text with its sentences, entities and claims
  marked (presspack.explore.article), the claims listed below with links to them.
- Cells: a claim's content, an entity mention's text and a sentence's text link to
  their place in the article (`/article/{article_id}#{id}`), an article's title to its
  page, a claim's speaker_name to the speaker's page, a claim's quotation_id (every
  foreign key to quotations.quotation_id in schemas/: a quotation's fragment_of too) and
  a quotation's text to the quotation's page; in query results, `claim_id` and
  `article_id` columns do the same, `speaker_key` (and a `speaker_name` beside one) links
  to the speaker's page, `quotation_id` and `fragment_of` to the quotation's page and
  `entity_key` to the canned query about that entity.
- Table pages (templates/table.html) show the columns in reading order
  (presspack.explore.order: claims as speaker - cue - content first) and the column
  descriptions folded away; JSON and CSV keep the schema's order.

Registered by presspack.explore.serve (needs Datasette: the `presspack[explore]` extra).
It acts only on the database named in the metadata's plugin configuration.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote, urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from presspack.explore import pages, quotation
from presspack.explore.article import article_html
from presspack.explore.order import reorder
from presspack.package.schemas import available_tables, foreign_keys

PLUGIN = "presspack-explore"
TEMPLATE = "presspack_article.html"
HOME_TEMPLATE, SPEAKER_TEMPLATE, QUOTATION_TEMPLATE = "presspack_home.html", "presspack_speaker.html", "presspack_quotation.html"
# table -> (column that links to the article, column holding the anchor id; None: the page itself)
CELL_LINKS = {"claims": ("content_text", "claim_id"), "entities": ("text", "mention_id"),
              "sentences": ("text", "sentence_id"), "articles": ("title", None)}
# query result column -> (canned query, its parameter) that the column's values link to
KEY_QUERIES = {"entity_key": ("articles_mentioning", "entity")}
QUOTATION_ID = "quotation_id"
# (table, column) of the foreign keys to quotations.quotation_id in schemas/ (claims.quotation_id, quotations.fragment_of)
QUOTATION_REFS = {(t, fk["fields"][0]) for t in available_tables() for fk in foreign_keys(t)
                  if fk["reference"]["resource"] == "quotations" and fk["reference"]["fields"] == [QUOTATION_ID] and len(fk["fields"]) == 1}
QUOTATION_COLUMNS = {QUOTATION_ID} | {c for _, c in QUOTATION_REFS}  # query result columns that link to the quotation's page
# table -> the column of its rows that links to the quotation's page (claims.quotation_id, a foreign key: render_cell's first case)
QUOTATION_LINKS = {"quotations": "text"}
TABLE_ORDER = available_tables()  # the front page lists the tables in the schemas' order


def inline_code(text: str | None) -> Markup:
    """A schema description with its `code` spans as <code>, the rest escaped."""
    parts = str(escape(text or "")).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)) if len(parts) % 2 else "`".join(parts))


def database_name(datasette: Any) -> str | None:
    return (datasette.plugin_config(PLUGIN) or {}).get("database")


def article_url(datasette: Any, article_id: str, anchor: str | None = None) -> str:
    return datasette.urls.path(f"/article/{article_id}") + (f"#{anchor}" if anchor else "")


def speaker_url(datasette: Any, speaker_key: str) -> str:
    return datasette.urls.path("/speaker/" + quote(speaker_key, safe=":"))


def quotation_url(datasette: Any, quotation_id: str) -> str:
    return datasette.urls.path("/quotation/" + quote(quotation_id, safe=""))


def _quotation_link(datasette: Any, quotation_id: str, text: str) -> Markup:
    return Markup(f'<a class="pp-quotation-link" href="{escape(quotation_url(datasette, quotation_id))}">{escape(text)}</a>')


def _article_of(anchor_id: str) -> str:
    """The article id that every span id starts with (`<article_id>-c…`, `-m…`, `-s…`)."""
    return anchor_id.split("-", 1)[0]


def _plain(value: Any) -> Any:
    """A cell's value: table views hand foreign keys over as {"value": ..., "label": ...}."""
    return value["value"] if isinstance(value, dict) else value


def _link(href: str, text: str) -> Markup:
    return Markup(f'<a class="pp-place" href="{escape(href)}">{escape(text)}</a>')


def _speaker_link(datasette: Any, key: str, text: str) -> Markup:
    return Markup(f'<a class="pp-speaker-link" href="{escape(speaker_url(datasette, key))}">{escape(text)}</a>')


def _cell(row: Any, column: str) -> Any:
    """A column of the row, None when the row lacks it (e.g. ?_col= chose others)."""
    try:
        return _plain(row[column])
    except (IndexError, KeyError):
        return None


def _query_cell(row: Any, value: str, column: str, database: str, datasette: Any) -> Markup | None:
    if column == "claim_id":
        return _link(article_url(datasette, _article_of(value), value), value)
    if column == "article_id":
        return _link(article_url(datasette, value), value)
    if column == pages.SPEAKER_KEY:
        return _speaker_link(datasette, value, value)
    if column in QUOTATION_COLUMNS:
        return _quotation_link(datasette, value, value)
    if column == pages.SPEAKER_NAME and (key := _cell(row, pages.SPEAKER_KEY)):
        return _speaker_link(datasette, key, value)
    if column in KEY_QUERIES:
        query, param = KEY_QUERIES[column]
        return _link(datasette.urls.database(database) + f"/{query}?{urlencode({param: value})}", value)
    return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if database != database_name(datasette):
        return None
    if (table, column) in QUOTATION_REFS and isinstance(qid := _plain(value), str) and qid:
        return _quotation_link(datasette, qid, qid)  # a foreign key: Datasette would link the quotations row
    if not isinstance(value, str) or not value:
        return None
    if table is None:  # a query: link ids to the article page, keys to the pages about them
        return _query_cell(row, value, column, database, datasette)
    if table in ("claims", "quotations") and column == pages.SPEAKER_NAME:
        key = _cell(row, pages.SPEAKER_KEY)
        return _speaker_link(datasette, key, value) if key else None
    if QUOTATION_LINKS.get(table) == column:
        qid = _cell(row, QUOTATION_ID)
        return _quotation_link(datasette, qid, value) if qid else None
    link = CELL_LINKS.get(table)
    if link is None or column != link[0]:
        return None
    article_id, anchor = _cell(row, "article_id"), _cell(row, link[1]) if link[1] else None
    if article_id is None or (link[1] and anchor is None):
        return None
    return _link(article_url(datasette, article_id, anchor), value)


def _without_columns(metadata: dict[str, Any]) -> dict[str, Any]:
    """A table's metadata without its column descriptions (table.html shows them folded)."""
    return {k: v for k, v in (metadata or {}).items() if k != "columns"}


@hookimpl
def extra_template_vars(database: str | None, datasette: Any) -> dict[str, Any]:
    if database != database_name(datasette):
        return {}
    return {"presspack": {"reorder": reorder, "without_columns": _without_columns, "inline_code": inline_code,
                          "article_url": lambda aid, anchor=None: article_url(datasette, aid, anchor),
                          "speaker_url": lambda key: speaker_url(datasette, key),
                          "quotation_url": lambda qid: quotation_url(datasette, qid)}}


async def _rows(db: Any, sql: str, article_id: str) -> list[dict[str, Any]]:
    return [dict(r) for r in (await db.execute(sql, [article_id])).rows]


async def article_view(datasette: Any, request: Any) -> Response:
    name = database_name(datasette)
    article_id = request.url_vars["article_id"]
    db = datasette.get_database(name)
    found = await _rows(db, "select * from articles where article_id = ?", article_id)
    if not found:
        raise NotFound(f"no article {article_id}")
    article = found[0]
    sentences = await _rows(db, "select * from sentences where article_id = ? order by position", article_id)
    entities = await _rows(db, "select * from entities where article_id = ? order by start, \"end\"", article_id)
    claims = await _rows(db, f"select * from claims where article_id = ? order by {pages.first_offset()}, claim_id", article_id)
    context = {
        "database": name,
        "article": article,
        "body": Markup(article_html(article["text"], sentences, entities, claims)),
        "claims": claims,
        "counts": {"sentences": len(sentences), "entities": len(entities), "claims": len(claims)},
        "row_url": datasette.urls.table(name, "articles") + "/" + article_id,
    }
    return Response.html(await datasette.render_template(TEMPLATE, context, request=request))


def _search_links(datasette: Any, name: str, found: dict[str, Any]) -> dict[str, str]:
    """table -> the table page with the same search (all hits, facets, export)."""
    args = {"_search": found["query"], **({"_searchmode": "raw"} if found["mode"] == "raw" else {})}
    return {r["table"]: datasette.urls.table(name, r["table"]) + "?" + urlencode(args) for r in found.get("results", [])}


async def home_view(datasette: Any, request: Any) -> Response:
    name = database_name(datasette)
    db = datasette.get_database(name)
    shown = {t: m for t, m in (datasette.metadata("tables", database=name) or {}).items() if not m.get("hidden")}
    tables = {t: shown[t] for t in sorted(shown, key=lambda t: (t not in TABLE_ORDER, TABLE_ORDER.index(t) if t in TABLE_ORDER else 0, t))}
    q = request.args.get("q", "")

    def load(conn: Any) -> dict[str, Any]:
        return {"found": pages.search(conn, q), "counts": pages.table_counts(conn, list(tables)),
                "speakers": pages.rows(conn, pages.top_speakers_sql(pages.TOP_SPEAKERS))}

    data = await db.execute_fn(load)
    context = {"database": name, "tables": tables, "queries": datasette.metadata("queries", database=name) or {},
               "search_links": _search_links(datasette, name, data["found"]), **data,
               "metadata": datasette.metadata() or {}}
    return Response.html(await datasette.render_template(HOME_TEMPLATE, context, request=request))


async def speaker_view(datasette: Any, request: Any) -> Response:
    name = database_name(datasette)
    key = unquote(request.url_vars["speaker_key"])
    found = await datasette.get_database(name).execute_fn(lambda conn: pages.speaker(conn, key))
    if found is None:
        raise NotFound(f"no claim has the speaker {key}")
    context = {"database": name, "speaker": found, "limit": pages.SPEAKER_LIMIT,
               "claims_url": datasette.urls.table(name, "claims") + "?" + urlencode({pages.SPEAKER_KEY: key}),
               "entity_url": datasette.urls.row(name, "entity_index", tilde_encode(key))}
    return Response.html(await datasette.render_template(SPEAKER_TEMPLATE, context, request=request))


async def quotation_view(datasette: Any, request: Any) -> Response:
    name = database_name(datasette)
    qid = unquote(request.url_vars["quotation_id"])
    found = await datasette.get_database(name).execute_fn(lambda conn: quotation.quotation(conn, qid))
    if found is None:
        raise NotFound(f"no quotation {qid}")
    context = {"database": name, "found": found, "q": found["quotation"],
               "claims_url": datasette.urls.table(name, "claims") + "?" + urlencode({QUOTATION_ID: qid})}
    return Response.html(await datasette.render_template(QUOTATION_TEMPLATE, context, request=request))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/$", home_view), (r"^/speaker/(?P<speaker_key>[^/]+)$", speaker_view),
            (r"^/quotation/(?P<quotation_id>[A-Za-z0-9_.-]+)$", quotation_view),
            (r"^/article/(?P<article_id>[A-Za-z0-9_.-]+)$", article_view)]
