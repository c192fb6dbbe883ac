"""Dates for Bases: parsing date text and duration text, calendar arithmetic, Moment.js
formats and ``relative()``."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from vaultkit.lang.values import Duration

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})"
                   r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
                   r"(Z|[+-]\d{2}:?\d{2})?")

#: Duration units as the syntax page lists them (``M`` is a month, ``m`` a minute).
_UNITS = {
    "y": "years", "year": "years", "years": "years",
    "M": "months", "month": "months", "months": "months",
    "w": "weeks", "week": "weeks", "weeks": "weeks",
    "d": "days", "day": "days", "days": "days",
    "h": "hours", "hour": "hours", "hours": "hours",
    "m": "minutes", "minute": "minutes", "minutes": "minutes",
    "s": "seconds", "second": "seconds", "seconds": "seconds",
    "ms": "milliseconds", "millisecond": "milliseconds", "milliseconds": "milliseconds",
}
_PART = re.compile(r"\s*([+-]?\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*,?")


@functools.lru_cache(maxsize=65_536)
@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> dt.date | None:
    """``2026-01-15`` as a date, ``2026-01-15 10:30[:00]`` or ``…T10:30:00`` as a datetime
    (local wall-clock time); None if ``text`` is not such a date."""
    match = _DATE.fullmatch(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, _zone = match.groups()
    try:
        if hour is None:
            return dt.date(int(year), int(month), int(day))
        micro = int((fraction or "0").ljust(6, "0"))
        return dt.datetime(int(year), int(month), int(day), int(hour), int(minute),
                           int(second or 0), micro)
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def parse_duration(text: str) -> Duration | None:
    """``"1 week"``, ``"2h"``, ``"1M"``, ``"1d 4h"`` as a :class:`Duration`; None if not one."""
    position, parts = 0, dict[str, float]()
    text = text.strip()
    if not text:
        return None
    while position < len(text):
        match = _PART.match(text, position)
        if not match:
            return None
        amount, unit = match.groups()
        # "M" (month) and "m" (minute) differ only by case; the other units ignore it.
        name = _UNITS[unit] if unit in ("M", "m") else _UNITS.get(unit.lower())
        if name is None:
            return None
        parts[name] = parts.get(name, 0) + float(amount)
        position = match.end()
    return Duration(**{k: int(v) if v.is_integer() else v for k, v in parts.items()})


def _add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return day.replace(year=year, month=month + 1, day=min(day.day, last))


def add(value: dt.date, duration: Duration, sign: int = 1) -> dt.date:
    """``value ± duration`` as Moment.js does it: years and months on the calendar (the
    day clipped to the month's length), the rest as elapsed time. A date gains a time only
    if the duration has one."""
    months = sign * (duration.years * 12 + duration.months)
    whole_months = int(months)
    rest = dt.timedelta(weeks=duration.weeks, days=duration.days, hours=duration.hours,
                        minutes=duration.minutes, seconds=duration.seconds,
                        milliseconds=duration.milliseconds) * sign
    result = _add_months(value, whole_months) if whole_months else value
    if months != whole_months:
        rest += dt.timedelta(days=30 * (months - whole_months))
    if not isinstance(result, dt.datetime) and rest % dt.timedelta(days=1):
        result = dt.datetime(result.year, result.month, result.day)
    return result + rest


_TOKENS = re.compile(r"\[[^\]]*\]|YYYY|YY|MMMM|MMM|MM|Mo|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|"
                     r"HH|H|hh|h|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x|Q|ww|w|E|e")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_date(value: dt.date, pattern: str) -> str:
    """``value`` written with a Moment.js format string (``YYYY-MM-DD``, ``MMM D, YYYY``,
    ``dddd``, ``HH:mm``, ``[Week] w``...)."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(
        value.year, value.month, value.day)

    def token(match: re.Match[str]) -> str:
        t = match.group(0)
        hour12 = moment.hour % 12 or 12
        table = {
            "YYYY": f"{moment.year:04d}", "YY": f"{moment.year % 100:02d}",
            "MMMM": _MONTHS[moment.month - 1], "MMM": _MONTHS[moment.month - 1][:3],
            "MM": f"{moment.month:02d}", "Mo": _ordinal(moment.month), "M": str(moment.month),
            "DDDD": f"{moment.timetuple().tm_yday:03d}", "DDD": str(moment.timetuple().tm_yday),
            "Do": _ordinal(moment.day), "DD": f"{moment.day:02d}", "D": str(moment.day),
            "dddd": _DAYS[moment.weekday()], "ddd": _DAYS[moment.weekday()][:3],
            "dd": _DAYS[moment.weekday()][:2], "d": str((moment.weekday() + 1) % 7),
            "E": str(moment.isoweekday()), "e": str((moment.weekday() + 1) % 7),
            "HH": f"{moment.hour:02d}", "H": str(moment.hour),
            "hh": f"{hour12:02d}", "h": str(hour12),
            "mm": f"{moment.minute:02d}", "m": str(moment.minute),
            "ss": f"{moment.second:02d}", "s": str(moment.second),
            "SSS": f"{moment.microsecond // 1000:03d}", "SS": f"{moment.microsecond // 10000:02d}",
            "S": str(moment.microsecond // 100000),
            "A": "AM" if moment.hour < 12 else "PM", "a": "am" if moment.hour < 12 else "pm",
            "ZZ": "+0000", "Z": "+00:00",
            "X": str(int((moment - dt.datetime(1970, 1, 1)).total_seconds())),
            "x": str(int((moment - dt.datetime(1970, 1, 1)).total_seconds() * 1000)),
            "Q": str((moment.month - 1) // 3 + 1),
            "ww": f"{moment.isocalendar()[1]:02d}", "w": str(moment.isocalendar()[1]),
        }
        return t[1:-1] if t.startswith("[") else table[t]

    return _TOKENS.sub(token, pattern)


def relative(value: dt.date, now: dt.datetime) -> str:
    """Moment.js ``fromNow()``: ``3 days ago``, ``in 2 hours``, ``a few seconds ago``."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(
        value.year, value.month, value.day)
    seconds = (now - moment.replace(tzinfo=None)).total_seconds()
    past = seconds >= 0
    seconds = abs(seconds)
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    months, years = days / 30.4375, days / 365.25
    if seconds < 45:
        text = "a few seconds"
    elif seconds < 90:
        text = "a minute"
    elif minutes < 45:
        text = f"{round(minutes)} minutes"
    elif minutes < 90:
        text = "an hour"
    elif hours < 22:
        text = f"{round(hours)} hours"
    elif hours < 36:
        text = "a day"
    elif days < 26:
        text = f"{round(days)} days"
    elif days < 46:
        text = "a month"
    elif days < 320:
        text = f"{round(months)} months"
    elif days < 548:
        text = "a year"
    else:
        text = f"{round(years)} years"
    return f"{text} ago" if past else f"in {text}"
