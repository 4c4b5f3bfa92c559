"""presspack validate: files, hashes, schema, keys, enums, offsets and manifest consistency.

The table checks run in DuckDB straight over the Parquet files (columnar scans, hash
joins that spill to disk under a memory limit), so validation time and memory do not
grow with Python object counts. Every problem names the file, the 1-based data row and
the column. Frictionless runs too when asked.
"""

from __future__ import annotations

from pathlib import Path

from presspack.errors import NotARelease
from presspack.extras.finish import release_problems as _release_problems
from presspack.package import schemas
from presspack.package.seal import SEAL_NAME
from presspack.progress import NO_PROGRESS, Progress
from presspack.validate.files import check_files, check_schemas, read_json_checked, read_manifest_checked
from presspack.validate.manifest import check_manifest
from presspack.validate.report import MAX_PROBLEMS_PER_CHECK, Problem, ValidationReport
from presspack.validate.tables import (
    MEMORY_LIMIT,
    check_claim_targets,
    check_constraints,
    check_keys,
    check_offsets,
    connect_duckdb,
    sql_literal,
)

FRICTIONLESS_AUTO_ROWS = 50_000  # frictionless runs by default on releases of up to this many rows in all


def validate(release: str | Path, *, frictionless: bool | None = None, memory_limit: str | None = None,
             progress: Progress | None = None) -> ValidationReport:
    """Validate a release directory.

    frictionless=True also runs `frictionless validate` (slow: about 10,000 rows/s on
    Parquet); None runs it only on small releases (up to FRICTIONLESS_AUTO_ROWS rows in
    all); False never (presspack's own checks cover what it checks, plus hashes, offsets
    and the manifest). `progress` (presspack.progress.Progress) hears of each stage (files
    and hashes, tables, extras, frictionless). NotARelease when `release` is no directory, or one with none of a
    release's files (its problems would be nothing but extra files).
    """
    release = Path(release)
    if not release.is_dir():
        raise NotARelease(f"{release}: no such directory" if not release.exists() else f"{release} is a file, not a release directory")
    if not any((release / name).is_file() for name in (SEAL_NAME, "manifest.json", "datapackage.json")):
        raise NotARelease(f"{release} is not a release: it has no datapackage.json, manifest.json or {SEAL_NAME}")
    rep = ValidationReport(str(release))
    progress = progress or NO_PROGRESS
    progress.stage("files and hashes")
    dp = read_json_checked(rep, release, "datapackage.json")
    with schemas.published(dp):  # a release is checked against the schemas it was published with
        _check_tables(rep, release, dp, memory_limit, progress)
    progress.stage("extras")
    rep.checks += ["immutable", "citation", "croissant"]  # the release extras: extras.finish.release_problems
    for kind, file, msg in _release_problems(release):
        rep.add(Problem(kind, msg, file=file))
    if frictionless is None:  # auto: small releases only (frictionless reads about 10,000 rows/s)
        frictionless = sum(rep.rows.values()) <= FRICTIONLESS_AUTO_ROWS
    if frictionless and dp is not None:
        progress.stage("frictionless")
        rep.checks.append("frictionless")
        _frictionless(rep, release / "datapackage.json")
    return rep


def _check_tables(rep: ValidationReport, release: Path, dp: dict | None, memory_limit: str | None, progress: Progress) -> None:
    """Files, schemas, constraints, keys, offsets and the manifest of one release."""
    manifest = read_manifest_checked(rep, release)
    files = check_files(rep, release, dp, (manifest or {}).get("checksums"))
    tables = check_schemas(rep, files)
    if not tables:
        return
    checks = [check_constraints, check_keys, check_offsets, check_claim_targets]
    progress.stage("tables", len(checks) + (manifest is not None), "checks")
    with connect_duckdb(memory_limit or MEMORY_LIMIT) as con:
        for table, path in tables.items():
            con.execute(
                f'CREATE VIEW "{table}" AS SELECT *, file_row_number + 1 AS _row '
                f"FROM read_parquet({sql_literal(str(path))}, file_row_number = true)"
            )
        for check in checks:
            check(rep, con, tables)
            progress.advance()
        if manifest is not None:
            check_manifest(rep, con, tables, manifest, release, dp or {})
            progress.advance()


def _frictionless(rep: ValidationReport, dp_path: Path) -> None:
    import frictionless

    try:
        report = frictionless.validate(str(dp_path))
    except Exception as e:  # noqa: BLE001 - frictionless raises many kinds; report them as one problem
        rep.add(Problem("frictionless", f"frictionless could not run: {e}", file="datapackage.json"))
        return
    for task in report.tasks:
        for err in task.errors[:MAX_PROBLEMS_PER_CHECK]:
            rep.add(
                Problem(
                    "frictionless:" + err.type,
                    err.message,
                    file=Path(task.place).name if task.place else None,
                    row=(getattr(err, "row_number", None) or 1) - 1 or None,
                    column=getattr(err, "field_name", None),
                )
            )
    for err in report.errors[:MAX_PROBLEMS_PER_CHECK]:
        rep.add(Problem("frictionless:" + err.type, err.message, file="datapackage.json"))
