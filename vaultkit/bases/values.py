"""Bases' own value rules on top of the shared typed values (:mod:`vaultkit.lang.values`).

A value is the shared plain Python object — ``None``, ``bool``, ``int``/``float``, ``str``,
``datetime.date`` (a date) or ``datetime.datetime`` (a date with a time), the shared
:class:`Duration` and :class:`Link`, ``list``, ``dict`` — or one of Bases' own: a
:class:`FileValue`, a :class:`Pattern` (``/re/g``), rendered :class:`Rendered` values
(``html()``, ``icon()``, ``image()``) and a cell :class:`ErrorValue`.

Where Bases differs from Dataview (so these rules are not the shared ones): a date keeps
whether it has a time even at midnight (``date("2026-01-15 00:00:00")`` stays a datetime);
``==`` is strict about types (``"4" != 4``); ordering compares only like with like; text
reads as JavaScript writes it (``String(4.0)`` is ``"4"``, null is ``"null"``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultkit.lang.values import Duration, Link
from vaultkit.lang.values import type_name as shared_type_name

if TYPE_CHECKING:
    from vaultkit.bases.files import FileRecord

Value = Any

__all__ = ["Duration", "ErrorValue", "FileValue", "Link", "Pattern", "Rendered", "Value"]


@dataclass(frozen=True, slots=True, eq=False)
class FileValue:
    """A file of the vault (``file``, ``this.file``, ``file("path")``, ``link.asFile()``)."""

    record: FileRecord

    @property
    def path(self) -> str:
        return self.record.path

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FileValue) and other.record.path == self.record.path

    def __hash__(self) -> int:
        return hash(self.record.path)


@dataclass(frozen=True, slots=True)
class Pattern:
    """A regular expression literal; ``global_`` is JavaScript's ``g`` flag."""

    regex: re.Pattern[str]
    global_: bool
    source: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """What ``html()``, ``icon()`` and ``image()`` return: rendered by Obsidian, kept here
    as their text (the HTML, the icon name, the image path or URL)."""

    kind: str  # "html" | "icon" | "image"
    text: str


@dataclass(frozen=True, slots=True)
class ErrorValue:
    """A cell whose formula failed at run time (``number("abc")``): Obsidian shows an error
    in that cell and goes on with the others."""

    function: str
    message: str = ""


def type_name(value: Value) -> str:
    """The name ``isType()`` tests against: Bases' own kinds, else the shared core's name
    (with Bases' "list" for Dataview's "array"; a function is no Bases value)."""
    if isinstance(value, FileValue):
        return "file"
    if isinstance(value, Pattern):
        return "regexp"
    if isinstance(value, Rendered):
        return value.kind
    if isinstance(value, ErrorValue):
        return "error"
    name = shared_type_name(value)
    return {"array": "list", "function": "null"}.get(name, name)


def truthy(value: Value) -> bool:
    """JavaScript truthiness, except that an empty list or object is false (as the filter
    editor's "is empty" treats them)."""
    if value is None or isinstance(value, ErrorValue):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0 and not math.isnan(value)
    if isinstance(value, (str, list, dict)):
        return len(value) > 0
    if isinstance(value, Duration):
        return value.millis() != 0
    return True


def is_empty(value: Value) -> bool:
    """No value: null, empty text, an empty list or object (``isEmpty()``, Empty/Filled)."""
    if value is None:
        return True
    if isinstance(value, (str, list, dict)):
        return len(value) == 0
    return False


def number_text(value: float) -> str:
    """A number as JavaScript's ``String(n)`` writes it (``4``, ``2.5``, ``1e+21``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{exponent.lstrip('+-').lstrip('0') or '0'}"
    return text


def date_text(value: dt.date) -> str:
    """A date as ISO 8601: ``2026-01-15``, ``2026-01-15T10:30:00`` with its time."""
    if isinstance(value, dt.datetime):
        text = value.replace(tzinfo=None).isoformat(timespec="milliseconds")
        return text[:-4] if text.endswith(".000") else text
    return value.isoformat()


def wikilink(link: Link) -> str:
    """``[[Entities/XLE|XLE]]``: the full path (never ambiguous), shown as the display
    text or the file's name; a URL stays a URL."""
    if not link.resolved and "://" in link.path:
        return f"[{link.display}]({link.path})" if link.display else link.path
    target = link.path[:-3] if link.path.endswith(".md") else link.path
    if link.subpath:
        target += ("#^" if link.kind == "block" else "#") + link.subpath
    shown = link.display or link.path.rsplit("/", 1)[-1].removesuffix(".md")
    return f"[[{target}]]" if shown == target else f"[[{target}|{shown}]]"


def to_text(value: Value) -> str:
    """``toString()`` and what ``+`` makes of a value joined to text."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return number_text(value)
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, Duration):
        return number_text(value.millis())
    if isinstance(value, Link):
        return wikilink(value)
    if isinstance(value, FileValue):
        return value.path
    if isinstance(value, list):
        return ", ".join(to_text(v) for v in value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {to_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Pattern):
        return f"/{value.source}/" + ("g" if value.global_ else "")
    if isinstance(value, Rendered):
        return value.text
    if isinstance(value, ErrorValue):
        return f"Error: {value.function}"
    return str(value)


def to_json(value: Value) -> Any:
    """The JSON form of a cell: a link as the vault path it resolves to (its target text
    when unresolved), a file as its path, a date as ISO 8601, a duration in milliseconds,
    a failed cell as ``{"error": function}``."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
            return None
        return value
    if isinstance(value, dt.date):
        return date_text(value)
    if isinstance(value, Duration):
        return _whole(value.millis())
    if isinstance(value, Link):
        return value.path
    if isinstance(value, FileValue):
        return value.path
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, ErrorValue):
        return {"error": f"{value.function}: {value.message}" if value.message
                else value.function}
    return to_text(value)


def _whole(value: float) -> float:
    return int(value) if float(value).is_integer() else value


def as_datetime(value: dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime(value.year, value.month, value.day)


def millis(value: dt.date) -> float:
    """Milliseconds since the Unix epoch, local time read as UTC (what ``number(date)``
    gives for the wall-clock moment; the harness and the vault agree on one zone)."""
    delta = as_datetime(value) - dt.datetime(1970, 1, 1)
    return _whole(delta.total_seconds() * 1000)


def _link_key(value: Link | FileValue) -> str:
    return value.path


def equal(a: Value, b: Value) -> bool:
    """``==``: same type and value; a link equals another link or a file when both name the
    same file (or, unresolved, the same text); numbers by value; lists and objects deeply."""
    if isinstance(a, (Link, FileValue)) and isinstance(b, (Link, FileValue)):
        return _link_key(a) == _link_key(b)
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        return as_datetime(a) == as_datetime(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(equal(a[k], b[k]) for k in a)
    if isinstance(a, Duration) and isinstance(b, Duration):
        return a.millis() == b.millis()
    if type(a) is not type(b):
        return False
    return bool(a == b)


def order(a: Value, b: Value) -> int | None:
    """-1, 0 or 1 for ``<``/``>`` between like values (numbers, dates, text, durations,
    booleans); None when they cannot be ordered (then every comparison is false)."""
    if isinstance(a, bool) and isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return (a > b) - (a < b)
    if isinstance(a, dt.date) and isinstance(b, dt.date):
        x, y = as_datetime(a), as_datetime(b)
        return (x > y) - (x < y)
    if isinstance(a, str) and isinstance(b, str):
        return (a > b) - (a < b)
    if isinstance(a, Duration) and isinstance(b, Duration):
        p, q = a.millis(), b.millis()
        return (p > q) - (p < q)
    if isinstance(a, dt.date) and isinstance(b, (int, float)) and not isinstance(b, bool):
        ms = millis(a)
        return (ms > b) - (ms < b)
    return None


def sort_key(value: Value) -> tuple[Any, ...]:
    """The view comparator as a key: false before true, numbers by value, dates by instant,
    text ignoring case then by codepoint; values of different kinds by kind. Null is
    handled by :func:`_sorted` (always last)."""
    if isinstance(value, bool):
        return (0, value)
    if isinstance(value, (int, float)):
        return (1, value)
    if isinstance(value, dt.date):
        return (2, as_datetime(value))
    if isinstance(value, str):
        return (3, value.casefold(), value)
    if isinstance(value, Duration):
        return (4, value.millis())
    text = to_text(value)
    return (5, text.casefold(), text)
