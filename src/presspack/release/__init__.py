"""Stage 8: release() -- the next semantic version of a dataset (`publish`), and the
provenance `presspack info` prints (`provenance`)."""

from presspack.release.provenance import format_provenance, provenance, provenance_json
from presspack.release.publish import ReleaseResult, release

__all__ = ["ReleaseResult", "format_provenance", "provenance", "provenance_json", "release"]
