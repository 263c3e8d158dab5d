"""SLA targets as people write them: `15m`, `4h`, `1h30m`, `3d`.

A day (`d`) is 24 hours of the calendar's open time, like every other unit: on a 24/7
calendar `3d` is three days, on a 09:00-17:30 calendar it is 72 open hours (about eight and
a half working days). Write working days in hours (`25h30m` for three 8.5-hour days).
"""

from __future__ import annotations

import re
from datetime import timedelta

from rapport.errors import ConfigError

_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1)}
_UNITS |= {"m": timedelta(minutes=1), "s": timedelta(seconds=1)}
_WHOLE = re.compile(r"(?:\s*\d+(?:\.\d+)?\s*[wdhms])+\s*")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([wdhms])")
_HINT = "write it like '15m', '4h', '3d' or '1h30m' (units: w, d, h, m, s)"


def parse_duration(text: str) -> timedelta:
    """A positive duration; each unit at most once, so a typo like `1h1h` is not summed."""
    if not isinstance(text, str) or _WHOLE.fullmatch(text.lower()) is None:
        raise ConfigError(f"{text!r} is not a duration; {_HINT}")
    total = timedelta(0)
    seen: set[str] = set()
    for number, unit in _PART.findall(text.lower()):
        if unit in seen:
            raise ConfigError(f"{text!r} gives the unit {unit!r} twice; {_HINT}")
        seen.add(unit)
        total += float(number) * _UNITS[unit]
    if total <= timedelta(0):
        raise ConfigError(f"{text!r} is zero; an SLA target must be longer than that")
    return total


def format_duration(duration: timedelta) -> str:
    """The shortest `parse_duration` spelling, for messages and the built-in config."""
    if duration < timedelta(0):
        return "-" + format_duration(-duration)
    seconds = int(duration.total_seconds())
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
