"""A validation report: one Problem per finding (type, file, row, column, message),
warnings, the checks run and the rows per table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_PROBLEMS_PER_CHECK = 50



@dataclass
class Problem:
    type: str
    message: str
    file: str | None = None
    row: int | None = None  # 1-based data row (the header is not counted)
    column: str | None = None

    def line(self) -> str:
        where = ":".join(str(x) for x in (self.file, f"row {self.row}" if self.row else None, self.column) if x)
        return f"{where}: [{self.type}] {self.message}" if where else f"[{self.type}] {self.message}"



def manifest_schema_problems(validator: Any, instance: Any, *, whole: str, prefix: str = "", row: int | None = None,
                             limit: int = 200) -> list[Problem]:
    """One 'manifest-schema' Problem per JSON Schema error of `instance` (a part of
    manifest.json): the error's JSON path (`whole` for the instance itself) and message."""
    out = []
    for err in validator.iter_errors(instance):
        path = [str(x) for x in err.absolute_path]
        out.append(Problem("manifest-schema", f"{prefix}{'/'.join(path) or whole}: {err.message[:limit]}", file="manifest.json",
                           row=row, column=path[0] if path and row is not None else None))
    return out


@dataclass
class ValidationReport:
    release: str
    problems: list[Problem] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems

    def add(self, p: Problem) -> bool:
        """Record a problem unless this (type, file) already has MAX_PROBLEMS_PER_CHECK."""
        n = sum(1 for q in self.problems if q.type == p.type and q.file == p.file)
        if n >= MAX_PROBLEMS_PER_CHECK:
            return False
        self.problems.append(p)
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "release": self.release,
            "valid": self.valid,
            "rows": self.rows,
            "checks": self.checks,
            "warnings": self.warnings,
            "problems": [p.__dict__ for p in self.problems],
        }
