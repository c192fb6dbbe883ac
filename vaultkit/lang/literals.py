"""Typing the text of a field: how Dataview reads ``due:: 2026-01-15`` as a date,
``hold:: 3 days`` as a duration, ``peer:: [[XLE]]`` as a link and ``a, b`` as a list.

Follows ``EXPRESSION.inlineField`` and ``parseFrontmatter`` in Dataview's
``src/expression/parse.ts`` and ``src/data-import/markdown-file.ts``: the whole text must be
one literal (or a comma-separated list of them) or it stays a string.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from vaultkit.lang.values import Duration, Link, Value

#: Unit words a duration may use, longest first so ``mins`` wins over ``m``.
DURATION_UNITS: dict[str, str] = {
    **dict.fromkeys(("year", "years", "yr", "yrs"), "years"),
    **dict.fromkeys(("month", "months", "mo", "mos"), "months"),
    **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), "weeks"),
    **dict.fromkeys(("day", "days", "d"), "days"),
    **dict.fromkeys(("hour", "hours", "hr", "hrs", "h"), "hours"),
    **dict.fromkeys(("minute", "minutes", "min", "mins", "m"), "minutes"),
    **dict.fromkeys(("second", "seconds", "sec", "secs", "s"), "seconds"),
}
_UNIT = "|".join(sorted(map(re.escape, DURATION_UNITS), key=len, reverse=True))
_DUR_PART = re.compile(rf"(-?[0-9]+(?:\.[0-9]+)?)\s*({_UNIT})")
_DUR_SEP = re.compile(r"\s*,\s*|\s*")
_DATE = re.compile(
    r"(\d{4})-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{3}))?)?)?)?)?"
    r"(Z|[+-]\d{1,2}(?::\d{2})?|\[[0-9A-Za-z+\-/_]+\])?")
_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_LINK = re.compile(r"(!?)\[\[([^\[\]]*?)\]\]")
_TAG = re.compile(r"#[^\u2000-\u206F\u2E00-\u2E7F'!\"#$%&()*+,.:;<=>?@^`{|}~\[\]\\\s]*")
_STRING = re.compile(r'"((?:\\.|[^"\\])*)"')


def parse_date(text: str, pos: int = 0) -> tuple[dt.date, int] | None:
    """A date written ``YYYY-MM[-DD[THH[:mm[:ss[.SSS]]]]][Z|±hh:mm]`` at ``pos``: the value
    and where it ends. A date alone is a ``datetime.date``; with a time, a datetime."""
    match = _DATE.match(text, pos)
    if not match:
        return None
    year, month, day, hour, minute, second, milli, zone = match.groups()
    try:
        if hour is None and zone is None:
            return dt.date(int(year), int(month), int(day or 1)), match.end()
        tz = _zone(zone)
        value = dt.datetime(int(year), int(month), int(day or 1), int(hour or 0),
                            int(minute or 0), int(second or 0), int(milli or 0) * 1000, tz)
    except ValueError:
        return None
    return value, match.end()


def _zone(zone: str | None) -> dt.tzinfo | None:
    if zone is None or zone.startswith("["):
        return None
    if zone == "Z":
        return dt.UTC
    sign = -1 if zone[0] == "-" else 1
    hours, _, minutes = zone[1:].partition(":")
    return dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes or 0)))


def parse_duration(text: str, pos: int = 0) -> tuple[Duration, int] | None:
    """A duration such as ``3 days``, ``1h 30m``, ``4hr2min`` or ``1 year, 2 months``."""
    units: dict[str, float] = {}
    end = pos
    match = _DUR_PART.match(text, pos)
    while match:
        unit = DURATION_UNITS[match.group(2)]
        units[unit] = units.get(unit, 0) + _number(match.group(1))
        end = match.end()
        separator = _DUR_SEP.match(text, end)
        after = separator.end() if separator else end
        match = _DUR_PART.match(text, after)
    if not units:
        return None
    return Duration(**units), end


def _number(text: str) -> float:
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def parse_link(inner: str, embed: bool = False,
               resolve: Callable[[str], str | None] | None = None) -> Link:
    """The inside of ``[[…]]``: target, ``#heading`` or ``#^block`` subpath, ``|display``.
    ``resolve`` maps the target to a vault path when it names a file."""
    pipe = re.search(r"(?<!\\)\|", inner)
    target, display = (inner[:pipe.start()], inner[pipe.end():]) if pipe else (inner, None)
    target = target.replace("\\|", "|").strip()
    subpath, kind = None, "file"
    if "#" in target:
        target, _, subpath = target.partition("#")
        kind = "header"
        if subpath.startswith("^"):
            subpath, kind = subpath[1:], "block"
    path = resolve(target) if resolve and target else None
    written = target if path is not None and path != target else None
    return Link(path or target, display, subpath, embed, kind, path is not None, written)


def parse_atom(text: str, pos: int,
               resolve: Callable[[str], str | None] | None) -> tuple[Value, int] | None:
    """One inline-field literal at ``pos``, in Dataview's order: date, duration, string,
    tag, link, boolean, number, null."""
    date = parse_date(text, pos)
    if date:
        return date
    duration = parse_duration(text, pos)
    if duration:
        return duration[0].normalized(), duration[1]
    for pattern, build in (
        (_STRING, lambda m: _unescape(m.group(1))),
        (_TAG, lambda m: m.group(0)),
        (_LINK, lambda m: parse_link(m.group(2), bool(m.group(1)), resolve)),
    ):
        match = pattern.match(text, pos)
        if match and (pattern is not _TAG or match.end() > pos):
            return build(match), match.end()
    for word, value in (("true", True), ("false", False), ("True", True), ("False", False)):
        if text.startswith(word, pos):
            return value, pos + len(word)
    match = _NUMBER.match(text, pos)
    if match:
        return _number(match.group(0)), match.end()
    if text.startswith("null", pos):
        return None, pos + 4
    return None


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", lambda m: m.group(1) if m.group(1) in '"\\' else m.group(0), body)


_COMMA = re.compile(r"\s*,\s*")


def parse_inline_value(text: str,
                       resolve: Callable[[str], str | None] | None = None) -> Value:
    """The typed value of an inline field's text (``parseInlineValue``): empty is null; one
    literal covering the whole text is that literal; literals separated by commas are a
    list; anything else is the text itself."""
    if not text.strip():
        return None
    items: list[Value] = []
    pos = 0
    while True:
        atom = parse_atom(text, pos, resolve)
        if atom is None:
            return text
        items.append(atom[0])
        pos = atom[1]
        if pos == len(text):
            break
        comma = _COMMA.match(text, pos)
        if comma is None or comma.end() == pos:
            return text
        pos = comma.end()
    return items[0] if len(items) == 1 else items


def parse_frontmatter_value(value: object,
                            resolve: Callable[[str], str | None] | None = None) -> Value:
    """A frontmatter value as Dataview types it (``parseFrontmatter``): a string that is
    entirely a date, a duration or a link becomes one; lists and objects recursively."""
    if isinstance(value, list):
        return [parse_frontmatter_value(v, resolve) for v in value]
    if isinstance(value, dict):
        return {str(k): parse_frontmatter_value(v, resolve) for k, v in value.items()}
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        for parse in (parse_date, parse_duration):
            found = parse(value, 0)
            if found and found[1] == len(value):
                return found[0]
        link = _LINK.fullmatch(value)
        if link:
            return parse_link(link.group(2), bool(link.group(1)), resolve)
        return value
    if isinstance(value, (bool, int, float)) or value is None:
        return value
    return None
