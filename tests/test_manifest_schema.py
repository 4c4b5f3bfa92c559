"""manifest.json has a JSON Schema in schemas/ (manifest.jsonschema.json): the sample
release's manifest conforms, and validate reports what breaks it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from presspack.package import schemas
from presspack.validate import validate

SAMPLE = Path(__file__).resolve().parent.parent / "dataset" / "1.0.0"


def test_the_schema_is_a_valid_json_schema_and_not_a_table():
    Draft202012Validator.check_schema(schemas.manifest_schema())
    assert "manifest" not in schemas.available_tables()


def test_the_sample_manifest_conforms():
    manifest = json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(schemas.manifest_schema()).iter_errors(manifest)) == []


def _broken(tmp_path: Path, change) -> Path:
    release = tmp_path / "1.0.0"
    shutil.copytree(SAMPLE, release)
    m = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    change(m)
    (release / "manifest.json").write_text(json.dumps(m, indent=2), encoding="utf-8")
    return release


@pytest.mark.parametrize(("change", "expected"), [
    (lambda m: m["provenance"].pop("inputs_sha256"), "provenance: 'inputs_sha256' is a required property"),
    (lambda m: m.update(presspack_manifest=2), "presspack_manifest: 1 was expected"),
    (lambda m: m["files"][0].update(bytes=-1), "file 'putin-rejects-truce.txt': bytes: -1 is less than the minimum of 0"),
    (lambda m: m["files"][0].update(status="rejected", reason=""), "file 'putin-rejects-truce.txt': reason: '' should be non-empty"),
])
def test_validate_reports_what_breaks_the_schema(tmp_path, change, expected):
    report = validate(_broken(tmp_path, change), frictionless=False)
    found = [p.message for p in report.problems if p.type == "manifest-schema"]
    assert found == [expected]
    assert not report.valid


def test_statuses_come_from_the_schema():
    assert schemas.manifest_statuses() == ("accepted", "partial", "rejected", "duplicate", "excluded", "metadata")
    assert schemas.manifest_statuses("record") == ("rejected", "duplicate")
