"""Calendar arithmetic on query values, as Luxon (Dataview's date library) does it:
date ± duration, date − date, a date's parts, Luxon format strings, ``date(today)``."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from vaultkit.lang.values import Duration, as_datetime, is_midnight


def add(date: dt.date, duration: Duration) -> dt.date:
    """``date + duration``: years and months move the calendar (the day clamped to the
    month's last), the other units add their length. A plain date stays a plain date
    while the result has no time of day."""
    moment = as_datetime(date)
    months = moment.month - 1 + int(duration.years * 12 + duration.months)
    year = moment.year + months // 12
    month = months % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    moment = moment.replace(year=year, month=month, day=day)
    rest = Duration(0, 0, duration.weeks, duration.days, duration.hours, duration.minutes,
                    duration.seconds, duration.milliseconds)
    moment = moment + dt.timedelta(milliseconds=rest.millis())
    if not isinstance(date, dt.datetime) and is_midnight(moment):
        return moment.date()
    return moment


def subtract(a: dt.date, b: dt.date) -> Duration:
    """``a - b`` as Luxon's ``diff`` in years, months, days and time, then normalised
    (``shiftToAll().normalize()``): 14 days is ``P2W``."""
    start, end = as_datetime(b), as_datetime(a)
    if start.tzinfo is not None and end.tzinfo is not None:
        end = end.astimezone(start.tzinfo)
    else:
        start, end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    sign = 1
    if end < start:
        start, end, sign = end, start, -1
    months = (end.year - start.year) * 12 + end.month - start.month
    if _shift_months(start, months) > end:
        months -= 1
    rest = end - _shift_months(start, months)
    total = Duration(months=months, milliseconds=rest / dt.timedelta(milliseconds=1))
    return total.normalized() if sign > 0 else (-total).normalized()


def _shift_months(moment: dt.datetime, months: int) -> dt.datetime:
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(year=year, month=month,
                          day=min(moment.day, calendar.monthrange(year, month)[1]))


def part(date: dt.date, unit: str) -> int | None:
    """``date.year`` and friends (Dataview's date indexing); null for an unknown unit."""
    moment = as_datetime(date)
    parts = {
        "year": moment.year, "month": moment.month, "day": moment.day,
        "weekyear": moment.isocalendar()[1], "week": moment.day // 7 + 1,
        "weekday": moment.isoweekday(), "hour": moment.hour, "minute": moment.minute,
        "second": moment.second, "millisecond": moment.microsecond // 1000,
    }
    return parts.get(unit)


_DURATION_UNITS = {"year": "years", "month": "months", "weeks": "weeks", "day": "days",
                   "hour": "hours", "minute": "minutes", "second": "seconds",
                   "millisecond": "milliseconds"}
# Luxon's casual matrix: how many of the smaller unit one larger unit holds (a year is 12
# months and 52 weeks and 365 days; a month 4 weeks and 30 days).
_DAY_MS = 86_400_000
_CASUAL: dict[str, dict[str, float]] = {
    "years": {"months": 12, "weeks": 52, "days": 365, "milliseconds": 365 * _DAY_MS},
    "months": {"weeks": 4, "days": 30, "milliseconds": 30 * _DAY_MS},
    "weeks": {"days": 7, "milliseconds": 7 * _DAY_MS},
    "days": {"milliseconds": _DAY_MS},
    "hours": {"milliseconds": 3_600_000}, "minutes": {"milliseconds": 60_000},
    "seconds": {"milliseconds": 1000}, "milliseconds": {"milliseconds": 1},
}


def _factor(unit: str, target: str) -> float:
    """How many ``target`` one ``unit`` is worth (Luxon's ``shiftTo``)."""
    if unit == target:
        return 1
    if target in _CASUAL[unit]:
        return _CASUAL[unit][target]
    if unit in _CASUAL[target]:
        return 1 / _CASUAL[target][unit]
    return _CASUAL[unit]["milliseconds"] / _CASUAL[target]["milliseconds"]


def in_unit(duration: Duration, unit: str) -> float | None:
    """``dur.days`` and friends: the whole duration in one unit (``shiftTo``), fractions
    kept: ``dur(36 hours).days`` is 1.5, ``dur(1 year).months`` 12."""
    name = _DURATION_UNITS.get(unit, unit if unit in _DURATION_UNITS.values() else "")
    if not name:
        return None
    value = sum(getattr(duration, u) * _factor(u, name) for u in _CASUAL)
    value = round(value, 9)
    return int(value) if float(value).is_integer() else value


def shorthand(name: str, now: dt.datetime) -> dt.date | None:
    """``date(today)``, ``date(now)``, ``date(sow)``…, relative to ``now``."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today - dt.timedelta(days=today.weekday())
    first = today.replace(day=1)
    last_day = calendar.monthrange(today.year, today.month)[1]
    end_of_day = dt.timedelta(days=1) - dt.timedelta(milliseconds=1)
    table: dict[str, dt.datetime] = {
        "now": now, "today": today, "yesterday": today - dt.timedelta(days=1),
        "tomorrow": today + dt.timedelta(days=1), "sow": monday, "start-of-week": monday,
        "eow": monday + dt.timedelta(days=6) + end_of_day,
        "end-of-week": monday + dt.timedelta(days=6) + end_of_day,
        "soy": today.replace(month=1, day=1), "start-of-year": today.replace(month=1, day=1),
        "eoy": today.replace(month=12, day=31) + end_of_day,
        "end-of-year": today.replace(month=12, day=31) + end_of_day,
        "som": first, "start-of-month": first,
        "eom": today.replace(day=last_day) + end_of_day,
        "end-of-month": today.replace(day=last_day) + end_of_day,
    }
    found = table.get(name)
    if found is None:
        return None
    return found.date() if is_midnight(found) and name != "now" else found


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TOKEN = re.compile(r"'[^']*'|yyyy|yy|y|MMMM|MMM|MM|M|LLLL|LLL|LL|L|dd|d|EEEE|EEE|E|cccc|ccc|"
                    r"HH|H|hh|h|mm|m|ss|s|SSS|S|a|kkkk|WW|W|ooo|o|q|DDDD|DDD|DD|D|.", re.S)


def format(date: dt.date, pattern: str) -> str:
    """``dateformat(date, "yyyy-MM-dd")``: Luxon's format tokens (English names)."""
    moment = as_datetime(date)
    hour12 = moment.hour % 12 or 12
    values = {
        "yyyy": f"{moment.year:04d}", "yy": f"{moment.year % 100:02d}", "y": str(moment.year),
        "MMMM": _MONTHS[moment.month - 1], "MMM": _MONTHS[moment.month - 1][:3],
        "MM": f"{moment.month:02d}", "M": str(moment.month),
        "LLLL": _MONTHS[moment.month - 1], "LLL": _MONTHS[moment.month - 1][:3],
        "LL": f"{moment.month:02d}", "L": str(moment.month),
        "dd": f"{moment.day:02d}", "d": str(moment.day),
        "EEEE": _DAYS[moment.weekday()], "EEE": _DAYS[moment.weekday()][:3],
        "cccc": _DAYS[moment.weekday()], "ccc": _DAYS[moment.weekday()][:3],
        "E": str(moment.isoweekday()),
        "HH": f"{moment.hour:02d}", "H": str(moment.hour), "hh": f"{hour12:02d}",
        "h": str(hour12), "mm": f"{moment.minute:02d}", "m": str(moment.minute),
        "ss": f"{moment.second:02d}", "s": str(moment.second),
        "SSS": f"{moment.microsecond // 1000:03d}", "S": str(moment.microsecond // 1000),
        "a": "AM" if moment.hour < 12 else "PM",
        "kkkk": f"{moment.isocalendar()[0]:04d}", "WW": f"{moment.isocalendar()[1]:02d}",
        "W": str(moment.isocalendar()[1]), "ooo": f"{moment.timetuple().tm_yday:03d}",
        "o": str(moment.timetuple().tm_yday), "q": str((moment.month - 1) // 3 + 1),
        "D": f"{moment.month}/{moment.day}/{moment.year}",
        "DD": f"{_MONTHS[moment.month - 1][:3]} {moment.day}, {moment.year}",
        "DDD": f"{_MONTHS[moment.month - 1]} {moment.day}, {moment.year}",
        "DDDD": f"{_DAYS[moment.weekday()]}, {_MONTHS[moment.month - 1]} {moment.day}, "
                f"{moment.year}",
    }
    out = []
    for token in _TOKEN.findall(pattern):
        if token.startswith("'") and len(token) > 1:
            out.append(token[1:-1] or "'")
        else:
            out.append(values.get(token, token))
    return "".join(out)


_PARSE = {
    "yyyy": r"(?P<year>\d{4})", "yy": r"(?P<yy>\d{2})", "MMMM": r"(?P<monthname>[A-Za-z]+)",
    "MMM": r"(?P<mon>[A-Za-z]{3})", "MM": r"(?P<month>\d{2})", "M": r"(?P<month>\d{1,2})",
    "dd": r"(?P<day>\d{2})", "d": r"(?P<day>\d{1,2})", "HH": r"(?P<hour>\d{2})",
    "H": r"(?P<hour>\d{1,2})", "mm": r"(?P<minute>\d{2})", "m": r"(?P<minute>\d{1,2})",
    "ss": r"(?P<second>\d{2})", "s": r"(?P<second>\d{1,2})",
}


def parse_format(text: str, pattern: str) -> dt.date | None:
    """``date(text, "yyyyMMdd")``: Luxon's ``fromFormat`` for the common tokens."""
    regex = []
    for token in _TOKEN.findall(pattern):
        if token.startswith("'") and len(token) > 1:
            regex.append(re.escape(token[1:-1]))
        else:
            regex.append(_PARSE.get(token, re.escape(token)))
    try:
        match = re.fullmatch("".join(regex), text)
    except re.error:
        return None
    if not match:
        return None
    got = match.groupdict()
    year = int(got["year"]) if got.get("year") else 2000 + int(got.get("yy") or 0)
    month = int(got.get("month") or 1)
    name = got.get("monthname") or got.get("mon")
    if name:
        names = [m.lower() for m in _MONTHS]
        found = [i for i, m in enumerate(names) if m.startswith(name.lower())]
        if not found:
            return None
        month = found[0] + 1
    try:
        moment = dt.datetime(year, month, int(got.get("day") or 1), int(got.get("hour") or 0),
                             int(got.get("minute") or 0), int(got.get("second") or 0))
    except ValueError:
        return None
    return moment.date() if is_midnight(moment) else moment
