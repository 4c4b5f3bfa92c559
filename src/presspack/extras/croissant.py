"""croissant.json: Croissant 1.1 (MLCommons) metadata of a release.

One FileObject per Parquet table (with its sha256), one RecordSet per table with typed
fields read from the release's own Table Schemas, primary keys as `key` and foreign keys
as `references` (except a table's references to itself, quotations.fragment_of, which
mlcroissant cannot load). Written after the tables, whose hashes it embeds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from presspack.config import not_specified_note
from presspack.extras.cite import bibtex, release_meta, url_of
from presspack.package.hashing import sha256_file
from presspack.package.jsonio import write_json

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
PARQUET = "application/x-parquet"
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "datetime": "sc:DateTime",
    "any": "sc:Text",
}
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "sc": "https://schema.org/",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "dct": "http://purl.org/dc/terms/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _ref(table: str, column: str) -> dict[str, str]:
    return {"@id": f"{table}/{column}"}


def _first(x: str | list[str]) -> str:
    return x if isinstance(x, str) else x[0]


def record_set(resource: dict[str, Any]) -> dict[str, Any]:
    """A RecordSet for one Data Package table resource."""
    table = resource["name"]
    schema = resource.get("schema", {})
    refs = {}
    # mlcroissant joins a record set only on its first referencing field, and only with a
    # record set read straight from a file: schemas keep article_id (-> articles) first.
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        if (ref.get("resource") or table) == table:  # a table referring to itself (quotations.fragment_of): a cycle to mlcroissant
            continue
        refs[_first(fk["fields"])] = _ref(ref.get("resource") or table, _first(ref["fields"]))
    fields = []
    for f in schema.get("fields", []):
        field: dict[str, Any] = {
            "@type": "cr:Field",
            "@id": f"{table}/{f['name']}",
            "name": f["name"],
            "description": f.get("description", ""),
            "dataType": DATA_TYPES.get(f.get("type", "any"), "sc:Text"),
            "source": {"fileObject": {"@id": resource["path"]}, "extract": {"column": f["name"]}},
        }
        if f["name"] in refs:
            field["references"] = {"field": refs[f["name"]]}
        fields.append(field)
    rs: dict[str, Any] = {
        "@type": "cr:RecordSet",
        "@id": table,
        "name": table,
        "description": resource.get("description", ""),
        "field": fields,
    }
    pk = schema.get("primaryKey")
    if pk:
        rs["key"] = [_ref(table, c) for c in ([pk] if isinstance(pk, str) else pk)]
    return rs


def croissant_metadata(release_dir: str | Path) -> dict[str, Any]:

    release_dir = Path(release_dir)
    dp = json.loads((release_dir / "datapackage.json").read_text(encoding="utf-8"))
    meta = release_meta(release_dir)
    tables = [r for r in dp.get("resources", []) if r.get("format") == "parquet"]
    creators = [
        {"@type": "sc:Person" if a.get("orcid") or a.get("family_names") else "sc:Organization", "name": str(a.get("name") or "")}
        | ({"url": f"https://orcid.org/{a['orcid']}"} if a.get("orcid") else {})
        for a in meta["authors"]
    ]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": meta["name"],
        "alternateName": meta["title"],
        "description": " ".join([meta["description"] or meta["title"], *([not_specified_note(meta["missing"])] if meta["missing"] else [])]),
        "version": str(meta["version"]),
        "datePublished": meta["date"],
        "keywords": meta["keywords"],
        "citeAs": bibtex(release_dir),
        "creator": creators,
        "isAccessibleForFree": True,
    }
    if not creators:  # authors not specified: none invented
        del doc["creator"]
    if meta["license"]:
        doc["license"] = f"https://spdx.org/licenses/{meta['license']}.html"
    if url_of(meta):
        doc["url"] = url_of(meta)
    if meta["doi"]:
        doc["identifier"] = f"https://doi.org/{meta['doi']}"
    if meta["publisher"]:
        doc["publisher"] = {"@type": "sc:Organization", "name": meta["publisher"]}
    doc["distribution"] = [
        {
            "@type": "cr:FileObject",
            "@id": r["path"],
            "name": r["path"],
            "description": r.get("title", r["name"]),
            "contentUrl": r["path"],
            "encodingFormat": PARQUET,
            "sha256": sha256_file(release_dir / r["path"]),
        }
        for r in tables
    ]
    doc["recordSet"] = [record_set(r) for r in tables]
    return doc


def write_croissant(release_dir: str | Path) -> None:
    release_dir = Path(release_dir)
    write_json(release_dir / "croissant.json", croissant_metadata(release_dir))
