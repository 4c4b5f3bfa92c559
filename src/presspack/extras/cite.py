"""Citation metadata of a release: CITATION.cff, .zenodo.json, BibTeX and APA.

Everything derives from the release itself: manifest.json (the [dataset] configuration
the release was built with, presspack's version) and datapackage.json (version, date).
"""

from __future__ import annotations

import importlib.util
import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyarrow.parquet as pq

from presspack.config import NO_AUTHORS, UNTITLED, missing_citation_fields, not_specified_note
from presspack.errors import ConfigError
from presspack.package.jsonio import write_json
from presspack.package.manifest import read_manifest

CFF_VERSION = "1.2.0"
FORMATS = ("bibtex", "apa", "cff")
MAX_DERIVED_FROM = 100
_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}", re.I)
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def release_meta(release_dir: str | Path) -> dict[str, Any]:
    """The citation-relevant facts of a release, in one flat dict."""

    m = read_manifest(release_dir)
    prov = m.get("provenance", {})
    ds = dict(prov.get("config", {}).get("dataset", {}))
    return {
        "name": ds.get("name") or "dataset",
        "title": ds.get("title") or UNTITLED,
        "missing": missing_citation_fields(ds),  # of title, authors, license: said "not specified", never defaulted
        "description": ds.get("description") or "",
        "license": ds.get("license") or None,
        "authors": [dict(a) for a in ds.get("authors") or []],
        "keywords": list(ds.get("keywords") or []),
        "doi": _doi(ds.get("doi")),
        "concept_doi": _doi(ds.get("concept_doi")),
        "previous_doi": _doi(ds.get("previous_doi")),
        "homepage": ds.get("homepage"),
        "publisher": ds.get("publisher"),
        "sources": list(ds.get("sources") or []),
        "version": m.get("version"),
        "date": str(m.get("created")),
        "presspack": prov.get("presspack"),
    }


def _doi(value: Any) -> str | None:
    """A bare DOI (10.x/...), also from a https://doi.org/ URL."""
    if not value:
        return None
    s = str(value).strip().removeprefix("https://doi.org/").removeprefix("http://doi.org/").removeprefix("doi:")
    if not _DOI.fullmatch(s):
        raise ConfigError(f"[dataset] {value!r} is not a DOI (10.NNNN/...)")
    return s


def url_of(meta: dict[str, Any]) -> str | None:
    return f"https://doi.org/{meta['doi']}" if meta["doi"] else meta["homepage"]


def _person(a: dict[str, Any]) -> tuple[str | None, str | None]:
    """(given, family) for a person, (None, None) for an organisation or group.

    A person is an author with `family_names` (and `given_names`) or with an ORCID; an
    ORCID-only author's `name` is split at the last space.
    """
    fam = a.get("family_names") or a.get("family-names")
    giv = a.get("given_names") or a.get("given-names")
    if fam:
        return giv, fam
    if a.get("orcid") and a.get("name"):
        giv, _, fam = str(a["name"]).strip().rpartition(" ")
        return giv or None, fam
    return None, None


def _orcid(a: dict[str, Any]) -> str | None:
    o = a.get("orcid")
    return str(o).removeprefix("https://orcid.org/") if o else None


# -- CITATION.cff ------------------------------------------------------------------------


def _software_reference(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "software",
        "title": "presspack: news articles to a versioned, citable research dataset",
        "authors": [{"name": "The presspack developers"}],
        "version": str(meta["presspack"]),
        "license": "MIT",
        "abstract": "The toolkit that built this dataset (articles, sentences, named entities and claims from news articles).",
    }


def citation_cff(release_dir: str | Path) -> dict[str, Any]:
    meta = release_meta(release_dir)
    authors = []
    for a in meta["authors"] or [{"name": meta["publisher"] or NO_AUTHORS}]:
        giv, fam = _person(a)
        if fam:
            p = {"family-names": fam}
            if giv:
                p["given-names"] = giv
        else:
            p = {"name": str(a.get("name") or NO_AUTHORS)}
        if _orcid(a):
            p["orcid"] = f"https://orcid.org/{_orcid(a)}"
        if a.get("affiliation"):
            p["affiliation"] = str(a["affiliation"])
        authors.append(p)
    cff: dict[str, Any] = {
        "cff-version": CFF_VERSION,
        "message": "If you use this dataset, please cite this version of it as below."
        + (f" {not_specified_note(meta['missing'])}" if meta["missing"] else ""),
        "type": "dataset",
        "title": meta["title"],
        "version": str(meta["version"]),
        "date-released": meta["date"],
        "authors": authors,
    }
    if meta["doi"]:
        cff["doi"] = meta["doi"]
    ids = []
    if meta["doi"]:
        ids.append({"type": "doi", "value": meta["doi"], "description": f"The DOI of version {meta['version']}."})
    if meta["concept_doi"]:
        ids.append({"type": "doi", "value": meta["concept_doi"], "description": "The concept DOI: all versions of this dataset."})
    if meta["homepage"]:
        ids.append({"type": "url", "value": meta["homepage"], "description": "The dataset's home page."})
    if ids:
        cff["identifiers"] = ids
    if meta["homepage"]:
        cff["url"] = meta["homepage"]
    if meta["license"]:
        cff["license"] = meta["license"]
    if meta["description"]:
        cff["abstract"] = meta["description"]
    if meta["keywords"]:
        cff["keywords"] = meta["keywords"]
    cff["references"] = [_software_reference(meta)]
    return cff


def dump_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


CFF_SCHEMA_INSTALL = "pip install --no-deps --require-hashes -r requirements-data.txt  (or: pip install --no-deps cffconvert==2.0.0)"


class CffSchemaMissing(ConfigError):
    """The CFF 1.2.0 JSON schema is not installed."""


@cache
def cff_schema() -> dict[str, Any]:
    """The CFF 1.2.0 JSON schema, read from the installed `cffconvert` distribution's data
    files (no network, and cffconvert itself is never imported)."""
    spec = importlib.util.find_spec("cffconvert")
    for base in (spec.submodule_search_locations or []) if spec else []:
        path = Path(base) / "schemas" / CFF_VERSION / "schema.json"
        if path.is_file():
            return json.loads(path.read_text(encoding="utf-8"))
    raise CffSchemaMissing(f"the CFF {CFF_VERSION} JSON schema is not installed; install it with: {CFF_SCHEMA_INSTALL}")


def validate_cff(text: str) -> list[str]:
    """Problems of a CITATION.cff text against the CFF 1.2.0 schema (empty when valid)."""
    import jsonschema
    import yaml

    data = json.loads(json.dumps(yaml.safe_load(text), default=str))  # YAML dates -> strings
    validator = jsonschema.Draft7Validator(cff_schema(), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}" for e in validator.iter_errors(data)]


# -- .zenodo.json -------------------------------------------------------------------------


def derived_from(release_dir: str | Path, meta: dict[str, Any]) -> list[str]:
    """What the articles derive from: configured [dataset] sources, else the sites of the
    articles (from their URLs, or a `source` that is a domain name)."""
    if meta["sources"]:
        return list(meta["sources"])
    release_dir = Path(release_dir)
    path = release_dir / "articles.parquet"
    if not path.is_file():
        return []
    pf = pq.ParquetFile(path)
    cols = [c for c in ("url", "source") if c in pf.schema_arrow.names]
    hosts: set[str] = set()
    for batch in pf.iter_batches(batch_size=65_536, columns=cols):
        d = batch.to_pydict()
        for url in d.get("url", []):
            if url:
                host = urlsplit(url).hostname
                if host:
                    hosts.add(host.lower())
        for src in d.get("source", []):
            if src and _DOMAIN.fullmatch(src.strip()):
                hosts.add(src.strip().lower())
    return [f"https://{h}/" for h in sorted(hosts)[:MAX_DERIVED_FROM]]


def previous_doi(meta: dict[str, Any], previous: str | Path | None) -> str | None:
    if meta["previous_doi"]:
        return meta["previous_doi"]
    if previous is None:
        return None
    prev = release_meta(previous)
    return prev["doi"] if prev["doi"] and prev["doi"] != meta["doi"] else None


def zenodo_json(release_dir: str | Path, previous: str | Path | None = None) -> dict[str, Any]:
    meta = release_meta(release_dir)
    creators = []
    for a in meta["authors"] or [{"name": meta["publisher"] or NO_AUTHORS}]:
        giv, fam = _person(a)
        c: dict[str, Any] = {"name": f"{fam}, {giv}" if fam and giv else (fam or str(a.get("name") or NO_AUTHORS))}
        if _orcid(a):
            c["orcid"] = _orcid(a)
        if a.get("affiliation"):
            c["affiliation"] = str(a["affiliation"])
        creators.append(c)
    z: dict[str, Any] = {
        "upload_type": "dataset",
        "title": meta["title"],
        "version": str(meta["version"]),
        "publication_date": meta["date"],
        "description": meta["description"] or meta["title"],
        "creators": creators,
        "access_right": "open",
    }
    if meta["license"]:
        z["license"] = str(meta["license"]).lower()
    if meta["keywords"]:
        z["keywords"] = meta["keywords"]
    if meta["doi"]:
        z["doi"] = meta["doi"]
    related = []
    prev = previous_doi(meta, previous)
    if prev:
        related.append({"relation": "isNewVersionOf", "identifier": prev, "scheme": "doi", "resource_type": "dataset"})
    if meta["concept_doi"]:
        related.append({"relation": "isVersionOf", "identifier": meta["concept_doi"], "scheme": "doi", "resource_type": "dataset"})
    for s in derived_from(release_dir, meta):
        doi = _DOI.fullmatch(s.removeprefix("https://doi.org/"))
        related.append({"relation": "isDerivedFrom", "identifier": doi.group(0) if doi else s, "scheme": "doi" if doi else "url"})
    if related:
        z["related_identifiers"] = related
    z["notes"] = f"Built with presspack {meta['presspack']}."
    if meta["missing"]:  # Zenodo applies its own default licence to an upload without one: say so
        z["notes"] += f" {not_specified_note(meta['missing'])} Set a licence before publishing: Zenodo would otherwise apply its default."
    return z


def write_citation_files(release_dir: str | Path, previous: str | Path | None = None) -> None:
    release_dir = Path(release_dir)
    (release_dir / "CITATION.cff").write_text(dump_yaml(citation_cff(release_dir)), encoding="utf-8")
    write_json(release_dir / ".zenodo.json", zenodo_json(release_dir, previous))


# -- presspack cite -----------------------------------------------------------------------

_TEX = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
        "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex(s: str) -> str:
    return "".join(_TEX.get(ch, ch) for ch in s)


def bibtex(release_dir: str | Path) -> str:
    meta = release_meta(release_dir)
    names = []
    for a in meta["authors"]:
        giv, fam = _person(a)
        names.append(_tex(f"{fam}, {giv}" if fam and giv else fam) if fam else "{" + _tex(str(a.get("name") or "")) + "}")
    year = meta["date"][:4]
    key = re.sub(r"[^A-Za-z0-9]+", "_", f"{meta['name']}_{year}_v{meta['version']}").strip("_")
    fields: list[tuple[str, str]] = [
        ("author", " and ".join(names) or "{" + _tex(meta["publisher"] or NO_AUTHORS) + "}"),
        ("title", "{" + _tex(meta["title"]) + "}"),
        ("year", year),
        ("version", _tex(str(meta["version"]))),
    ]
    if meta["publisher"]:
        fields.append(("publisher", _tex(meta["publisher"])))
    if meta["doi"]:
        fields.append(("doi", meta["doi"]))
    if url_of(meta):
        fields.append(("url", url_of(meta) or ""))
    fields.append(("note", f"Dataset, version {_tex(str(meta['version']))}"))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def apa(release_dir: str | Path) -> str:
    """APA 7 reference for a data set."""
    meta = release_meta(release_dir)
    names = []
    for a in meta["authors"]:
        giv, fam = _person(a)
        if fam:
            initials = " ".join(f"{p[0]}." for p in re.split(r"[\s-]+", giv or "") if p)
            names.append(f"{fam}, {initials}" if initials else fam)
        else:
            names.append(str(a.get("name") or ""))
    if not names:
        names = [meta["publisher"] or NO_AUTHORS]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    parts = [f"{who}{'' if who.endswith('.') else '.'} ({meta['date'][:4]}).", f"{meta['title']} (Version {meta['version']}) [Data set]."]
    if meta["publisher"]:
        parts.append(f"{meta['publisher']}.")
    if url_of(meta):
        parts.append(str(url_of(meta)))
    return " ".join(parts) + "\n"


def cite(release_dir: str | Path, fmt: str = "bibtex") -> str:
    """A citation of the release in FORMAT (bibtex, apa or cff)."""
    release_dir = Path(release_dir)
    if fmt == "bibtex":
        return bibtex(release_dir)
    if fmt == "apa":
        return apa(release_dir)
    if fmt == "cff":
        path = release_dir / "CITATION.cff"
        return path.read_text(encoding="utf-8") if path.is_file() else dump_yaml(citation_cff(release_dir))
    raise ValueError(f"unknown citation format {fmt!r} (one of {', '.join(FORMATS)})")
