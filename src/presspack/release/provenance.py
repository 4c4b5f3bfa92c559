"""What `presspack info` shows: toolkit, library and model versions, configuration,
input hashes and counts, read from a release's manifest (its input files streamed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from presspack.package.jsonio import Spool, json_chunks
from presspack.package.manifest import manifest_files, read_manifest

MAX_INFO_FILES = 20  # input files listed by `presspack info` (all with --json)



def provenance(release_dir: str | Path) -> dict[str, Any]:
    """What `presspack info` shows: toolkit, libraries, model, configuration, inputs and counts.
    The input files' hashes are a package.Spool (a list past which memory does not grow):
    provenance_json writes the whole as JSON."""
    release_dir = Path(release_dir)
    m = read_manifest(release_dir)
    prov = m.get("provenance", {})
    by_status: dict[str, int] = {}
    by_format: dict[str, int] = {}
    hashes = Spool()  # one per input file: millions of files stay off the heap
    for f in manifest_files(release_dir, skip=("article_ids", "records", "notes")):
        by_status[f.get("status")] = by_status.get(f.get("status"), 0) + 1
        by_format[f.get("format")] = by_format.get(f.get("format"), 0) + 1
        hashes.append({"path": f.get("path"), "sha256": f.get("sha256"), "status": f.get("status")})
    return {
        "release": str(release_dir),
        "version": m.get("version"),
        "created": m.get("created"),
        "presspack": prov.get("presspack"),
        "python": prov.get("python"),
        "libraries": prov.get("libraries", {}),
        "model": prov.get("model", {}),
        **({"claims_model": prov["claims_model"]} if prov.get("claims_model") else {}),
        "config": prov.get("config", {}),
        "config_sha256": prov.get("config_sha256"),
        "inputs": {
            "sources": prov.get("sources", []),
            "inputs_sha256": prov.get("inputs_sha256"),
            "files": len(hashes),
            "by_status": dict(sorted(by_status.items(), key=lambda kv: str(kv[0]))),
            "by_format": dict(sorted(by_format.items(), key=lambda kv: str(kv[0]))),
            "hashes": hashes,
        },
        "counts": m.get("counts", {}),
    }



def provenance_json(p: dict[str, Any]) -> Iterator[str]:
    """json.dumps(p, indent=2) of provenance() in pieces, the input files' hashes one at a
    time (the same text as with a list there)."""
    return json_chunks(p, ensure_ascii=True)



def claims_model_line(cm: dict[str, Any]) -> str:
    """`presspack info`'s line about the claims model a release was built with."""
    t = cm.get("training") or {}
    dev = (t.get("dev") or {}).get("scores", {}).get("content", {})
    score = f", dev content F1 {dev['f1']:.3f}" if dev.get("f1") is not None else ""
    return (f"claims    model {cm.get('name')} (sha256 {str(cm.get('sha256'))[:16]}…), trained on {t.get('articles')} "
            f"annotated articles ({t.get('claims')} claims){score}")


def format_provenance(p: dict[str, Any]) -> str:
    model = p["model"]
    cfg = p["config"]
    cfile = cfg.get("config_file") or {}
    lines = [
        f"release   {p['release']} (version {p['version']}, created {p['created']})",
        f"toolkit   presspack {p['presspack']}, Python {p['python']}",
        "libraries " + ", ".join(f"{k} {v}" for k, v in p["libraries"].items()),
        f"model     {model.get('name')} {model.get('version')} (pipeline: {', '.join(model.get('pipeline', []))}; "
        f"sentences: {model.get('sentence_splitter')})",
        *([claims_model_line(p["claims_model"])] if p.get("claims_model") else []),
        f"config    profile={cfg.get('profile')} batch_size={cfg.get('batch_size')} model={cfg.get('model')} "
        f"file={cfile.get('name')} sha256={cfile.get('sha256')}; fingerprint {p['config_sha256']}",
        f"inputs    {p['inputs']['files']} file(s) from {', '.join(p['inputs']['sources'])}; sha256 {p['inputs']['inputs_sha256']}",
        "          status: " + ", ".join(f"{k} {v}" for k, v in p["inputs"]["by_status"].items())
        + "; format: " + ", ".join(f"{k} {v}" for k, v in p["inputs"]["by_format"].items()),
    ]
    hashes = p["inputs"]["hashes"]
    lines += [f"          {h['sha256']}  {h['path']} ({h['status']})" for h in hashes[:MAX_INFO_FILES]]
    if len(hashes) > MAX_INFO_FILES:
        lines.append(f"          … and {len(hashes) - MAX_INFO_FILES} more file(s) (--json lists all)")
    lines.append("counts    " + ", ".join(f"{k} {v}" for k, v in p["counts"].items()))
    return "\n".join(lines)
