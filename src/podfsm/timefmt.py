"""RFC 3339 timestamps as ``metav1.Time`` reads them (kept apart so the oracle loads without pydantic)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

__all__ = ["is_rfc3339", "parse_time"]

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:Z|[+-](\d\d):(\d\d))", re.ASCII)


def is_rfc3339(text: str) -> bool:
    """Whether ``text`` is a date-time ``metav1.Time`` accepts: Go's ``time.RFC3339``, ``2026-11-23T10:06:00Z``.

    That is a date, ``T``, a time with optional fractional seconds, and ``Z`` or a ``±hh:mm``
    offset; every field in range (no 24:00, no leap second, no February 30). A date alone, a
    space for ``T``, or a missing offset are refused. So is a time Python cannot hold in UTC
    (year 1 with a positive offset, year 9999 with a negative one).
    """
    return _parse_text(text) is not None


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> datetime | None:
    """``text`` as an aware datetime, or None when it is not RFC 3339 (memoized: a status repeats
    the same few times, and ``--now`` is read once per pod)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        return None
    hour, minute, second, tz_hour, tz_minute = (int(g or 0) for g in match.groups())
    if hour > 23 or minute > 59 or second > 59 or tz_hour > 23 or tz_minute > 59:
        return None
    try:
        t = datetime.fromisoformat(text)
        t.astimezone(UTC)
    except (ValueError, OverflowError):
        return None
    return t


def parse_time(value: str | datetime) -> datetime:
    """An RFC 3339 timestamp (:func:`is_rfc3339`) as an aware datetime; a naive datetime is taken as
    UTC. Anything else, a date alone included, raises ``ValueError`` (``TypeError`` for a non-string)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        raise TypeError(f"not a time: {type(value).__name__}")
    t = _parse_text(value)
    if t is None:
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    return t
