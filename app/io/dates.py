"""Bounce dates in the shapes reports use: Unix seconds or milliseconds, ISO 8601, RFC 2822,
'YYYY-MM-DD HH:MM:SS', and day-first or month-first numeric dates (decided per column)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})\b")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
_MIN_YEAR, _MAX_YEAR = 1995, 2100


def _plausible(day: dt.date) -> dt.date | None:
    return day if _MIN_YEAR <= day.year <= _MAX_YEAR else None


def day_first_column(values: Sequence[str]) -> bool:
    """True when a column's numeric dates are day/month/year (European), judged on its values."""
    day_first = month_first = 0
    for value in values[:2000]:
        m = _NUMERIC.match(value.strip())
        if m:
            a, b = int(m[1]), int(m[2])
            day_first += a > 12
            month_first += b > 12
    return day_first >= month_first


def parse_day(value: str, day_first: bool = True) -> dt.date | None:
    """The calendar day of a date cell, or None when the cell holds no recognisable date."""
    value = value.strip()
    if not value:
        return None
    try:
        if _EPOCH.fullmatch(value):
            seconds = float(value)
            if seconds > 1e11:  # milliseconds
                seconds /= 1000
            return _plausible(dt.datetime.fromtimestamp(seconds, dt.UTC).date())
        if m := _ISO.match(value):
            return _plausible(dt.date(int(m[1]), int(m[2]), int(m[3])))
        if m := _NUMERIC.match(value):
            a, b, year = int(m[1]), int(m[2]), int(m[3])
            year += 2000 if year < 100 else 0
            day, month = (a, b) if day_first else (b, a)
            return _plausible(dt.date(year, month, day))
        if any(ch.isalpha() for ch in value):
            return _plausible(parsedate_to_datetime(value).date())
    except (ValueError, TypeError, OverflowError, IndexError):
        return None
    return None
