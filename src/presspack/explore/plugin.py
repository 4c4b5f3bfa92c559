"""The Datasette plugin of `presspack serve`: the article page and the links to it.

- `/article/{article_id}`: the article's text with its sentences, entities and claims
  marked (presspack.explore.article), the claims listed below with links to them.
- Cells: a claim's content, an entity mention's text and a sentence's text link to
  their place in the article (`/article/{article_id}#{id}`), an article's title to its
  page; in query results, `claim_id` and `article_id` columns do the same, and
  `speaker_key` and `entity_key` link to the canned queries about that speaker or entity.

Registered by presspack.explore.serve (needs Datasette: the `presspack[explore]` extra).
It acts only on the database named in the metadata's plugin configuration.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from presspack.explore.article import article_html, claim_parts

PLUGIN = "presspack-explore"
TEMPLATE = "presspack_article.html"
# table -> (column that links to the article, column holding the anchor id; None: the page itself)
CELL_LINKS = {"claims": ("content_text", "claim_id"), "entities": ("text", "mention_id"),
              "sentences": ("text", "sentence_id"), "articles": ("title", None)}
# query result column -> (canned query, its parameter) that the column's values link to
KEY_QUERIES = {"speaker_key": ("claims_by_speaker", "speaker"), "entity_key": ("articles_mentioning", "entity"),
               "quotation_id": ("quotation_mentions", "quotation")}
FIRST_OFFSET = "min(" + ", ".join(f"coalesce({start}, content_start)" for _, start, _ in claim_parts()) + ")"


def database_name(datasette: Any) -> str | None:
    return (datasette.plugin_config(PLUGIN) or {}).get("database")


def article_url(datasette: Any, article_id: str, anchor: str | None = None) -> str:
    return datasette.urls.path(f"/article/{article_id}") + (f"#{anchor}" if anchor else "")


def _article_of(anchor_id: str) -> str:
    """The article id that every span id starts with (`<article_id>-c…`, `-m…`, `-s…`)."""
    return anchor_id.split("-", 1)[0]


def _plain(value: Any) -> Any:
    """A cell's value: table views hand foreign keys over as {"value": ..., "label": ...}."""
    return value["value"] if isinstance(value, dict) else value


def _link(href: str, text: str) -> Markup:
    return Markup(f'<a class="pp-place" href="{escape(href)}">{escape(text)}</a>')


def _query_cell(value: str, column: str, database: str, datasette: Any) -> Markup | None:
    if column == "claim_id":
        return _link(article_url(datasette, _article_of(value), value), value)
    if column == "article_id":
        return _link(article_url(datasette, value), value)
    if column in KEY_QUERIES:
        query, param = KEY_QUERIES[column]
        return _link(datasette.urls.database(database) + f"/{query}?{urlencode({param: value})}", value)
    return None


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if database != database_name(datasette) or not isinstance(value, str) or not value:
        return None
    if table is None:  # a query: link ids to the article page, keys to the canned queries about them
        return _query_cell(value, column, database, datasette)
    link = CELL_LINKS.get(table)
    if link is None or column != link[0]:
        return None
    try:
        article_id, anchor = _plain(row["article_id"]), _plain(row[link[1]]) if link[1] else None
    except (IndexError, KeyError):  # the row lacks the id columns (e.g. ?_col= chose others)
        return None
    target = article_url(datasette, article_id, anchor)
    return _link(target, value)


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
    claims = await _rows(db, f"select * from claims where article_id = ? order by {FIRST_OFFSET}, claim_id", article_id)
    context = {
        "database": name,
        "article": article,
        "body": Markup(article_html(article["text"], sentences, entities, claims)),
        "claims": claims,
        "counts": {"sentences": len(sentences), "entities": len(entities), "claims": len(claims)},
        "row_url": datasette.urls.table(name, "articles") + "/" + article_id,
    }
    return Response.html(await datasette.render_template(TEMPLATE, context, request=request))


@hookimpl
def register_routes(datasette: Any) -> list[tuple[str, Any]]:
    return [(r"^/article/(?P<article_id>[A-Za-z0-9_.-]+)$", article_view)]
