"""Metadata normalization: publication dates and URLs."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
# Labels pages put before a date ("Updated: ...", "Posted on ...").
_DATE_LABEL = re.compile(r"^(?:(?:first |last )?(?:published|updated|posted|modified)(?: on| at)?|date)\s*:?\s*", re.I)
# Unambiguous time-zone abbreviations seen in page dates (hours from UTC).
_TZ_HOURS = {"EST": -5, "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
             "HST": -10, "BST": 1, "WET": 0, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "JST": 9, "KST": 9,
             "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13}


def parse_published(value: str) -> tuple[str | None, str | None]:
    """Parse a publication date to ISO 8601.

    Returns (value, note). A value with a time becomes UTC `YYYY-MM-DDTHH:MM:SSZ` (naive
    times are taken as UTC, with a note); a date-only value stays `YYYY-MM-DD`. An
    unparseable value gives (None, note).
    """
    from dateutil import parser

    s = _DATE_LABEL.sub("", str(value).strip())
    if not s:
        return None, None
    if _DATE_ONLY.fullmatch(s):
        try:
            return datetime.strptime(s, "%Y-%m-%d").date().isoformat(), None
        except ValueError:
            return None, f"published {s[:80]!r} is not a valid date: set to null"
    try:
        dt = parser.parse(s, default=datetime(1, 1, 1), tzinfos=tzinfos())  # noqa: DTZ001 (year 1 marks a missing part)
    except (ValueError, OverflowError, parser.ParserError):
        return None, f"published {s[:80]!r} could not be parsed as a date: set to null"
    if dt.year == 1 or not 1000 <= dt.year <= 9999:
        return None, f"published {s[:80]!r} has no plausible year: set to null"
    if not _HAS_TIME.search(s):
        return dt.date().isoformat(), None
    note = None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
        note = f"published {s[:80]!r} has no time zone: taken as UTC"
    try:
        return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), note
    except (OverflowError, ValueError):
        return None, f"published {s[:80]!r} is out of range in UTC: set to null"


def tzinfos() -> dict[str, int]:
    """Unambiguous time-zone abbreviations for dateutil, in seconds from UTC."""
    return {k: h * 3600 for k, h in _TZ_HOURS.items()}


_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|yclid|twclid|mc_cid|mc_eid|igshid|mkt_tok|_hsenc|_hsmi|at_medium|at_campaign"
    r"|guccounter|guce_referrer(_sig)?|sr_share|ito|cmp|ref|ref_src|cmpid|ocid|smid|_ga)$",
    re.I,
)


def canonical_url(url: str) -> str | None:
    """Canonical form of an http(s) URL: lowercase scheme and host, no fragment, no
    default port, tracking parameters removed, remaining parameters sorted."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    s = url.strip()
    try:
        parts = urlsplit(s)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if port and not ((parts.scheme.lower() == "http" and port == 80) or (parts.scheme.lower() == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k))
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(query), ""))
