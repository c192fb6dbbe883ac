"""The typed values a query computes with: null, boolean, number, string, date, duration,
link, list and object, with one total order, truthiness and conversions to JSON and pandas.

Values are plain Python objects so that frontmatter, inline fields and query results need no
wrapping: ``None`` is null, ``bool``, ``int``/``float``, ``str``, ``datetime.date`` or
``datetime.datetime`` (both of type "date"), :class:`Duration`, :class:`Link`, ``list`` and
``dict``. The rules follow Dataview's ``src/data-model/value.ts``:

- :func:`compare` is a total order: null first, then values of different types by their type
  name (``array < boolean < date < duration < link < number < object < string``), then by
  value; strings compare as ``localeCompare`` does (case-insensitive first, lower case
  before upper case on a tie), links by the vault path they resolve to.
- :func:`truthy` is ``Values.isTruthy``: 0, "", empty lists and objects, null and a link with
  no path are false.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    import pandas as pd

#: A query value (see the module docstring for the Python type of each query type).
Value: TypeAlias = Any

# Luxon's casual conversion matrix (Duration.toMillis, used by Dataview's comparisons).
_UNIT_MS = {
    "years": 365 * 86_400_000, "months": 30 * 86_400_000, "weeks": 7 * 86_400_000,
    "days": 86_400_000, "hours": 3_600_000, "minutes": 60_000, "seconds": 1_000,
    "milliseconds": 1,
}
UNITS: tuple[str, ...] = tuple(_UNIT_MS)
# How many of each unit make the next larger one (Luxon's casual matrix, weeks per month 4).
_ROLL = (12, 4, 7, 24, 60, 60, 1000)
_ISO_DATE = (("years", "Y"), ("months", "M"), ("weeks", "W"), ("days", "D"))
_ISO_TIME = (("hours", "H"), ("minutes", "M"), ("seconds", "S"))


@dataclass(frozen=True, slots=True)
class Duration:
    """A length of time in calendar units, as Luxon keeps it (``dur(1 month)`` stays a month,
    so ``date + dur(1 month)`` lands on the same day of the next month)."""

    years: float = 0
    months: float = 0
    weeks: float = 0
    days: float = 0
    hours: float = 0
    minutes: float = 0
    seconds: float = 0
    milliseconds: float = 0

    def units(self) -> dict[str, float]:
        return {unit: getattr(self, unit) for unit in UNITS}

    def millis(self) -> float:
        """Length in milliseconds with a month of 30 days and a year of 365 (Luxon's
        casual matrix): what comparisons and sorting use."""
        return float(sum(getattr(self, u) * ms for u, ms in _UNIT_MS.items()))

    def __add__(self, other: Duration) -> Duration:
        return Duration(*(getattr(self, u) + getattr(other, u) for u in UNITS))

    def __neg__(self) -> Duration:
        return Duration(*(-getattr(self, u) for u in UNITS))

    def scaled(self, factor: float) -> Duration:
        return Duration(*(getattr(self, u) * factor for u in UNITS))

    def normalized(self) -> Duration:
        """Luxon's ``shiftToAll().normalize()`` with its casual matrix: fractions move down
        a unit, then each unit rolls into the next up (1000 ms, 60 s, 60 min, 24 h, 7 days a
        week, 4 weeks a month, 12 months a year: so 28 days is a month)."""
        sign = -1 if self.millis() < 0 else 1
        values = [abs(getattr(self, u)) for u in UNITS]
        if any(getattr(self, u) * sign < 0 for u in UNITS):
            # Mixed signs (1 day - 6 hours): collapse to milliseconds, then roll up.
            values = [0.0] * (len(UNITS) - 1) + [abs(self.millis())]
        for i in range(len(UNITS) - 1):  # fractions down
            whole = math.floor(values[i] + 1e-9)
            fraction = values[i] - whole
            if fraction > 1e-9:
                values[i] = whole
                if UNITS[i] == "months":
                    values[i + 2] += fraction * 30  # a month's fraction is days, not weeks
                else:
                    values[i + 1] += fraction * _ROLL[i]
        for i in range(len(UNITS) - 1, 0, -1):  # whole units up
            carry = math.floor(values[i] / _ROLL[i - 1] + 1e-9)
            if carry:
                values[i] -= carry * _ROLL[i - 1]
                values[i - 1] += carry
        return Duration(*(sign * _tidy(v) for v in values))

    def iso(self) -> str:
        """ISO 8601 as the fixtures write Dataview's durations: ``P3D``, ``PT1H30M``,
        weeks folded into days (``P14D``), ``PT0S`` for zero, ``-P5D`` when negative."""
        negative = self.millis() < 0

        def part(value: float) -> float:
            return -value if negative else value

        days = part(self.days + 7 * self.weeks)
        seconds = part(self.seconds + self.milliseconds / 1000)
        date = "".join(f"{_num(v)}{c}" for v, c in (
            (part(self.years), "Y"), (part(self.months), "M"), (days, "D")) if v)
        time = "".join(f"{_num(v)}{c}" for v, c in (
            (part(self.hours), "H"), (part(self.minutes), "M"), (seconds, "S")) if v)
        if not date and not time:
            return "PT0S"
        return ("-" if negative else "") + "P" + date + ("T" + time if time else "")

    def same_units(self, other: Duration) -> bool:
        """Luxon's ``equals``: unit by unit, so ``dur(7 days)`` is not ``dur(1 week)``."""
        return all(getattr(self, u) == getattr(other, u) for u in UNITS)

    def text(self) -> str:
        """Dataview's ``renderMinimalDuration``: ``3 days, 2 hours`` (normalised first, so
        90 minutes reads ``1 hour, 30 minutes`` and 14 days ``2 weeks``)."""
        parts = []
        normal = self.normalized()
        for unit in UNITS:
            value = getattr(normal, unit)
            if value:
                name = unit if value != 1 else unit[:-1]
                parts.append(f"{_num(value)} {name}")
        return ", ".join(parts) if parts else "0 seconds"

    def timedelta(self) -> dt.timedelta:
        return dt.timedelta(milliseconds=self.millis())


def _tidy(value: float) -> float:
    return int(value) if float(value).is_integer() else round(value, 9)


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(value, 9))


@dataclass(frozen=True, slots=True, eq=False)
class Link:
    """A link to a note (or heading/block in it). ``path`` is the vault path it resolves
    to, else the target as written; two links are equal when their paths are (``[[XLE]]``
    and ``[[Funds/XLE|the fund]]`` name one file)."""

    path: str
    display: str | None = None
    subpath: str | None = None
    embed: bool = False
    kind: str = "file"  # "file" | "header" | "block"
    resolved: bool = False
    #: The target as written when it differs from ``path`` (``[[AAPL]]`` in a query keeps
    #: "AAPL" for ``meta()`` while comparing and serialising as ``Stocks/AAPL.md``).
    written: str | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Link) and _compare_links(self, other) == 0

    def __hash__(self) -> int:
        return hash((self.path, self.subpath))

    def markdown(self) -> str:
        """Dataview's ``Link.markdown()``: ``[[Funds/XLE.md|XLE]]`` — the path as stored and,
        without a display text, the file's title (``> heading`` for a subpath)."""
        target = self.path.replace("|", "\\|")
        if self.subpath:
            target += ("#^" if self.kind == "block" else "#") + self.subpath
        display = self.display
        if display is None:
            display = self.title()
            if self.subpath:
                display += " > " + self.subpath
        return ("!" if self.embed else "") + f"[[{target}|{display}]]"

    def title(self) -> str:
        """The file's name without folders or ``.md``."""
        name = self.path.rsplit("/", 1)[-1]
        return name[:-3] if name.endswith(".md") else name

    def wikilink(self) -> str:
        """The link as a person writes it in a note: ``[[Funds/XLE|XLE]]`` for a note in a
        folder, ``[[XLE]]`` at the top, ``[[target]]`` when it resolves nowhere."""
        target = self.path[:-3] if self.path.endswith(".md") else self.path
        if self.subpath:
            target += ("#^" if self.kind == "block" else "#") + self.subpath
        display = self.display
        if display is None and "/" in target and not self.subpath:
            display = target.rsplit("/", 1)[-1]
        shown = f"[[{target}|{display}]]" if display else f"[[{target}]]"
        return ("!" if self.embed else "") + shown


#: How null reads in text (Dataview's default ``renderNullAs``).
NULL_TEXT = "\\-"

#: Type names as ``typeof`` reports them (Dataview's literal types).
TYPE_NAMES = ("null", "boolean", "number", "string", "date", "duration", "link", "array",
              "object", "function")


def type_name(value: Value) -> str:
    """Dataview's ``typeof``: "null", "boolean", "number", "string", "date", "duration",
    "link", "array", "object" or "function"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, Duration):
        return "duration"
    if isinstance(value, Link):
        return "link"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    if callable(value):
        return "function"
    return "null"


def truthy(value: Value) -> bool:
    """Dataview's ``isTruthy``: whether a value counts as true in WHERE, and/or and ``!``."""
    kind = type_name(value)
    if kind == "null":
        return False
    if kind == "link":
        return bool(value.path)
    if kind == "date":
        return as_datetime(value).timestamp() != 0 if isinstance(value, dt.datetime) else True
    if kind == "duration":
        return bool(value.millis())
    if kind == "function":
        return True
    return bool(value)


def as_datetime(value: dt.date) -> dt.datetime:
    """A date as a datetime (midnight for a plain date) so dates and datetimes compare."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime(value.year, value.month, value.day)


def _comparable(value: dt.date) -> dt.datetime:
    moment = as_datetime(value)
    # A zoned and a floating datetime compare by wall-clock time, as Luxon's local zone would.
    return moment.replace(tzinfo=None) if moment.tzinfo is not None else moment


_FOLD = re.compile(r"[\u0300-\u036f]")


def _collation(text: str) -> tuple[str, str, tuple[bool, ...]]:
    """A sort key close to ``String.localeCompare`` in English (ICU root collation):
    letters before accents before case, lower case first on a tie."""
    base = _FOLD.sub("", unicodedata.normalize("NFD", text))
    return base.casefold(), text.casefold(), tuple(c.isupper() for c in text)


@functools.lru_cache(maxsize=65_536)
def collation_key(text: str) -> tuple[str, str, tuple[bool, ...]]:
    """:func:`_collation`, cached: sorting compares each string many times."""
    return _collation(text)


def _sign(a: Any, b: Any) -> int:
    return -1 if a < b else (1 if a > b else 0)


def _compare_links(a: Link, b: Link) -> int:
    order = _sign(collation_key(a.path), collation_key(b.path))
    if order:
        return order
    if (a.subpath is None) != (b.subpath is None):
        return 1 if a.subpath else -1
    return _sign(collation_key(a.subpath or ""), collation_key(b.subpath or ""))


_PLAIN = (int, float, str, dt.date)


def compare(a: Value, b: Value) -> int:
    """Dataview's ``compareValue``: -1, 0 or 1 under one total order over every value."""
    if a is None or b is None:
        return 0 if a is b else (-1 if a is None else 1)
    kind = type(a)
    if kind is type(b) and kind in _PLAIN:  # the common case, without the type dispatch
        if kind is str:
            return 0 if a == b else _sign(collation_key(a), collation_key(b))
        return _sign(a, b)
    ta, tb = type_name(a), type_name(b)
    if ta != tb:
        return _sign(ta, tb)
    if ta == "string":
        return 0 if a == b else _sign(collation_key(a), collation_key(b))
    if ta in ("number", "boolean"):
        return _sign(a, b)
    if ta == "date":
        return _sign(_comparable(a), _comparable(b))
    if ta == "duration":
        if a.millis() < b.millis():
            return -1
        return 0 if a.same_units(b) else 1
    if ta == "link":
        return _compare_links(a, b)
    if ta == "array":
        for x, y in zip(a, b, strict=False):
            order = compare(x, y)
            if order:
                return order
        return _sign(len(a), len(b))
    if ta == "object":
        keys_a, keys_b = sorted(a), sorted(b)
        order = compare(keys_a, keys_b)
        if order:
            return order
        for key in keys_a:
            order = compare(a[key], b[key])
            if order:
                return order
        return 0
    return 0


#: A sort key for :func:`compare`'s order: ``sorted(values, key=sort_key)``.
sort_key: Callable[[Value], Any] = functools.cmp_to_key(compare)


def equal(a: Value, b: Value) -> bool:
    """Dataview's ``=``: equal under :func:`compare` (so ``1 = 1.0``, links by path)."""
    return compare(a, b) == 0


def is_midnight(value: dt.date) -> bool:
    """Whether a date has no time of day (Dataview renders it as a date, not a datetime)."""
    if not isinstance(value, dt.datetime):
        return True
    return value.time() == dt.time(0) and value.tzinfo is None


def to_json(value: Value) -> Any:
    """The JSON form every query result uses: a link as its vault path (the target text
    when unresolved), a date as ISO 8601 (``2026-01-15``, or with its time when it has
    one), a duration as ISO 8601 (``P3D``), lists as arrays, objects as objects."""
    kind = type_name(value)
    if kind == "link":
        if value.subpath:
            return f"{value.path}#{'^' if value.kind == 'block' else ''}{value.subpath}"
        return value.path
    if kind == "date":
        return iso_date(value)
    if kind == "duration":
        return value.normalized().iso()
    if kind == "number":
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        return int(value) if isinstance(value, float) and value.is_integer() else value
    if kind == "array":
        return [to_json(v) for v in value]
    if kind == "object":
        return {str(k): to_json(v) for k, v in value.items()}
    if kind == "function":
        return "<function>"
    return value


def iso_date(value: dt.date) -> str:
    """``YYYY-MM-DD`` at midnight, else ``YYYY-MM-DDTHH:MM:SS`` (``.mmm`` when the
    milliseconds are not zero, the offset when the date has a zone)."""
    if is_midnight(value):
        return value.isoformat()[:10]
    assert isinstance(value, dt.datetime)
    text = value.strftime("%Y-%m-%dT%H:%M:%S")
    if value.microsecond // 1000:
        text += f".{value.microsecond // 1000:03d}"
    offset = value.utcoffset()
    if offset is not None:
        total = int(offset.total_seconds() // 60)
        text += "Z" if not total else f"{'+' if total > 0 else '-'}{abs(total) // 60:02d}:" \
                                      f"{abs(total) % 60:02d}"
    return text


def to_cell(value: Value) -> Any:
    """A DataFrame cell: links as vault paths, dates as ``pandas.Timestamp``, durations as
    ``pandas.Timedelta``, lists and objects as JSON-like Python lists and dicts."""
    import pandas as pd

    kind = type_name(value)
    if kind == "date":
        return pd.Timestamp(as_datetime(value))
    if kind == "duration":
        return pd.Timedelta(value.timedelta())
    if kind in ("array", "object"):
        return to_json(value)
    return to_json(value)


def to_frame(columns: list[str], rows: list[list[Value]]) -> pd.DataFrame:
    """A query result as a DataFrame of :func:`to_cell` cells (duplicate headers kept)."""
    import pandas as pd

    frame = pd.DataFrame([[to_cell(v) for v in row] for row in rows], columns=range(len(columns)))
    frame.columns = pd.Index(columns)
    return frame


def to_text(value: Value, *, nested: bool = False) -> str:
    """Dataview's ``Values.toString``: how a value reads in text (``string(x)``,
    concatenation with a string, markdown output). Null reads as "-" (``renderNullAs``)."""
    kind = type_name(value)
    if kind == "null":
        return NULL_TEXT
    if kind == "string":
        return str(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        return _number_text(value)
    if kind == "link":
        return str(value.markdown())
    if kind == "date":
        return format_date(value)
    if kind == "duration":
        return str(value.text())
    if kind == "array":
        inner = ", ".join(to_text(v, nested=True) for v in value)
        return f"[{inner}]" if nested else inner
    if kind == "object":
        return "{ " + ", ".join(f"{k}: {to_text(v, nested=True)}" for k, v in value.items()) + " }"
    return "<function>"


def _number_text(value: float) -> str:
    """A number as JavaScript's ``String(n)`` writes it (``3``, ``2.5``, ``NaN``)."""
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    return str(value)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def format_date(value: dt.date) -> str:
    """Dataview's default rendering: ``MMMM dd, yyyy`` for a date (``January 15, 2026``),
    ``h:mm a - MMMM dd, yyyy`` for a datetime."""
    day = f"{_MONTHS[value.month - 1]} {value.day:02d}, {value.year}"
    if is_midnight(value):
        return day
    assert isinstance(value, dt.datetime)
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'AM' if value.hour < 12 else 'PM'} - {day}"
