"""RFC 3339 timestamps as ``metav1.Time`` reads them (kept apart so the oracle loads without pydantic)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

__all__ = ["is_rfc3339", "parse_time"]

_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT(\d\d):(\d\d):(\d\d)(?:\.\d+)?(?:Z|[+-](\d\d):(\d\d))", re.ASCII)


def is_rfc3339(text: str) -> bool:
    """Whether ``text`` is a date-time ``metav1.Time`` accepts: Go's ``time.RFC3339``, ``2026-11-23T10:06:00Z``.

    That is a date, ``T``, a time with optional fractional seconds, and ``Z`` or a ``±hh:mm``
    offset; every field in range (no 24:00, no leap second, no February 30). A date alone, a
    space for ``T``, or a missing offset are refused. So is a time Python cannot hold in UTC
    (year 1 with a positive offset, year 9999 with a negative one).
    """
    match = _RFC3339.fullmatch(text)
    if match is None:
        return False
    hour, minute, second, tz_hour, tz_minute = (int(g or 0) for g in match.groups())
    if hour > 23 or minute > 59 or second > 59 or tz_hour > 23 or tz_minute > 59:
        return False
    try:
        datetime.fromisoformat(text).astimezone(UTC)
    except (ValueError, OverflowError):
        return False
    return True


def parse_time(value: str | datetime) -> datetime:
    """An RFC 3339 timestamp (:func:`is_rfc3339`) as an aware datetime; a naive datetime is taken as
    UTC. Anything else, a date alone included, raises ``ValueError`` (``TypeError`` for a non-string)."""
    if isinstance(value, datetime):
        t = value
    elif not isinstance(value, str):
        raise TypeError(f"not a time: {type(value).__name__}")
    elif not is_rfc3339(value):
        raise ValueError(f"not an RFC 3339 date-time: {value!r}")
    else:
        t = datetime.fromisoformat(value)
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)
