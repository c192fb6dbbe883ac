"""Read a table row's label and a column's header as what a figure measures.

A figure's labels (its row label and its column header, as plain text) are read word by word
into *windows* (``YTD``, ``90d``, ``3 months``, ``2023``, ``2020-21``, ``Dec 2025``, two
dates), *dates* that end or start a window (``(Jan 15, 2026)``, ``to Jan 16, 2026``,
``since Oct 29, 2025``), *connectors* (``vs``), *metric words* (``return``, ``streak``…)
and *names* (link texts, then note names and aliases, then ticker symbols). Whatever is
left is reported as unread words, because a label saying ``EPS growth`` or ``equal weight``
is about something other than a price return, and vaultkit does not guess which.
The rules are listed in ``docs/audit.md``; this module is their one copy.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from vaultkit.parse.values import parse_cell

#: Words that say "this figure is a price return / a change" and nothing else.
RETURN_WORDS = frozenset({"return", "returns", "total", "move", "change", "performance",
                          "perf", "value", "gain", "price"})
#: Words that make a count of sessions a streak.
STREAK_WORDS = frozenset({"streak"})
CONNECTORS = frozenset({"vs", "vs.", "versus"})

_MON = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = (rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|{_MON}\.?[ ]\d{{1,2}},?[ ]\d{{4}}"
         rf"|\d{{1,2}}[ ]{_MON}\.?,?[ ]\d{{4}})")
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                "dec")
_UNITS = {"d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w",
          "m": "m", "month": "m", "months": "m", "mo": "m", "y": "y", "yr": "y", "year": "y",
          "years": "y", "s": "s", "session": "s", "sessions": "s"}

_UNIT_WORDS = r"days?|weeks?|months?|mo|years?|yr|sessions?|[dwmys]"
# Longest forms first: a range before the dates in it, a year range before its years.
_TOKENS = re.compile(
    rf"""
    (?P<range>(?P<r1>{_DATE})\s*(?:\.\.|–|—|-|\bto\b)\s*(?P<r2>{_DATE}))
  | (?P<since>\bsince\s+(?P<since_date>{_DATE}))
  | (?P<end>(?:\b(?:to|through|thru|until|as\ of)\s+|\(\s*)(?P<end_date>{_DATE})\s*\)?)
  | (?P<date>{_DATE})
  | (?P<years>\b(?P<y1>(?:19|20)\d\d)\s*[-–]\s*(?P<y2>(?:19|20)?\d\d)\b(?![-–/]))
  | (?P<month>\b(?P<mon>{_MON})\.?\ (?P<my>(?:19|20)\d\d)\b(?![-–]))
  | (?P<year>\b(?P<yy>(?:19|20)\d\d)\b(?![-–/.,]?\d|[A-Za-z]))
  | (?P<ytd>\b(?:ytd|year[- ]to[- ]date)\b)
  | (?P<span>\b(?P<n>[1-9]\d{{0,3}})[- ]?(?P<unit>{_UNIT_WORDS})\b)
  | (?P<week>\bweek\b)
  | (?P<word>[^\s,;:()/|*]+)
    """,
    re.VERBOSE | re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class WindowText:
    """A window as a label wrote it: ``spec`` is the analytics form (``ytd``, ``90d``,
    ``3m``, ``2023-01-01..2023-12-31``) or ``since:YYYY-MM-DD``; ``label`` is for people."""

    spec: str
    label: str


@dataclass(slots=True)
class Reading:
    """What one label says, in the order it says it."""

    windows: list[WindowText] = field(default_factory=list)
    ends: list[dt.date] = field(default_factory=list)
    loose_dates: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # entity keys, in order
    after_vs: list[bool] = field(default_factory=list)  # parallel to names
    words: set[str] = field(default_factory=set)  # metric words seen
    unread: list[str] = field(default_factory=list)


def read_label(text: str, links: list[tuple[str, str]],
               lookup: Callable[[str], str | None]) -> Reading:
    """Read one plain-text label.

    ``links`` are ``(shown text, entity key)`` of the wikilinks written in the label's cell;
    ``lookup`` maps a run of words to an entity key (a note path, or a ticker symbol the
    provider knows) or None. Names are read before windows, so ``Russell 2000`` is a name,
    not the year 2000.
    """
    reading = Reading()
    keys: list[str] = []
    rest = text
    for shown, key in links:
        at = rest.casefold().find(shown.casefold()) if shown else -1
        if at >= 0:
            rest = f"{rest[:at]} {_SLOT}{len(keys)} {rest[at + len(shown):]}"
            keys.append(key)
    words = rest.split()
    named: list[str] = []
    position = 0
    while position < len(words):
        for end in range(min(len(words), position + _LONGEST_NAME), position, -1):
            run = words[position:end]
            if any(_SLOT in word for word in run):
                continue
            found = lookup(" ".join(run).strip(_EDGES))
            if found is not None:
                named.append(f"{_SLOT}{len(keys)}")
                keys.append(found)
                position = end
                break
        else:
            named.append(words[position])
            position += 1
    vs = False
    for match in _TOKENS.finditer(" ".join(named)):
        word = match.group("word")
        if word is None:
            _token(match, reading)
            continue
        lowered = word.casefold().strip(_EDGES)
        if word.startswith(_SLOT) and word[1:].isdigit():
            reading.names.append(keys[int(word[1:])])
            reading.after_vs.append(vs)
            vs = False
        elif lowered in CONNECTORS:
            vs = True
        elif lowered in RETURN_WORDS or lowered in STREAK_WORDS:
            reading.words.add(lowered)
        elif lowered:
            reading.unread.append(word.strip(_EDGES))
    return reading


_SLOT = "\x01"
_EDGES = ".,;:()-–—*_'\"[]"
#: Longest run of words tried as one name (``Invesco S&P 500 Equal Weight ETF``).
_LONGEST_NAME = 6


def _token(match: re.Match[str], reading: Reading) -> None:
    g = match.groupdict()
    if g["range"]:
        first, last = _day(g["r1"]), _day(g["r2"])
        if first is None or last is None or last <= first:
            reading.unread.append(match.group(0))
        else:
            reading.windows.append(WindowText(f"{first}..{last}", match.group(0)))
    elif g["since"]:
        day = _day(g["since_date"])
        if day is None:
            reading.unread.append(match.group(0))
        else:
            reading.windows.append(WindowText(f"since:{day}", f"since {day}"))
    elif g["end"]:
        day = _day(g["end_date"])
        if day is None:
            reading.unread.append(match.group(0))
        else:
            reading.ends.append(day)
    elif g["date"]:
        reading.loose_dates.append(match.group(0))
    elif g["years"]:
        start = int(g["y1"])
        stop = int(g["y2"]) if len(g["y2"]) == 4 else start // 100 * 100 + int(g["y2"])
        if stop <= start:
            reading.unread.append(match.group(0))
        else:
            reading.windows.append(
                WindowText(f"{start}-01-01..{stop}-12-31", f"{start}-{stop}"))
    elif g["month"]:
        month = _month(g["mon"])
        if month is None:
            reading.unread.append(match.group(0))
        else:
            year = int(g["my"])
            opens = dt.date(year, month, 1)
            closes = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
            reading.windows.append(WindowText(f"{opens}..{closes}", f"{opens:%b} {year}"))
    elif g["year"]:
        reading.windows.append(WindowText(f"{g['yy']}-01-01..{g['yy']}-12-31", g["yy"]))
    elif g["ytd"]:
        reading.windows.append(WindowText("ytd", "YTD"))
    elif g["span"]:
        count, unit = int(g["n"]), _UNITS[g["unit"].lower()]
        if unit == "w":
            count, unit = count * 7, "d"
        reading.windows.append(WindowText(f"{count}{unit}", f"{count}{unit}"))
    elif g["week"]:
        reading.windows.append(WindowText("7d", "7d"))


def _day(text: str) -> dt.date | None:
    value = parse_cell(text).value
    return value if isinstance(value, dt.date) else None


def _month(name: str) -> int | None:
    key = name.casefold()[:3]
    if key in _MONTH_NAMES and name.casefold() in _MONTH_FULL[key]:
        return _MONTH_NAMES.index(key) + 1
    return None


_MONTH_FULL = {short: {short, full} for short, full in zip(_MONTH_NAMES, (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"), strict=True)}
_MONTH_FULL["sep"].add("sept")
