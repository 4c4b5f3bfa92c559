"""presspack validate: files and hashes (`files`), schema, keys, enums and offsets as SQL
over the Parquet files (`tables`), the manifest (`manifest`), the report (`report`);
`run.validate` puts them together."""

from presspack.validate.report import Problem, ValidationReport
from presspack.validate.run import validate

__all__ = ["Problem", "ValidationReport", "validate"]
