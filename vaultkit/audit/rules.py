"""The mapping rules: which computation a table figure states, or why none does.

A figure is checked when exactly one rule reads it; the rules, in the order they are
applied (the first that fails gives the reason, see ``docs/audit.md``):

1. ``text`` — the cell is a figure (:func:`vaultkit.parse.values.parse_cell`).
2. ``unit`` — ``percent`` is a return, ``pp`` a spread, a count of days or sessions a streak.
3. ``metric`` — the labels hold nothing but windows, dates, names, ``vs`` and return words;
   a streak's labels say ``streak``; a return is not written against another entity.
4. ``window`` — returns and spreads name exactly one window, streaks none; a date in a
   label ends the window (``to``/``as of``/``(…)``) or starts it (``since``).
5. ``entity`` — one entity for a return, two (``A vs B``) for a spread or streak, named in
   the labels; a return whose labels name none is about the table's subject (a linked
   heading, else the note).
6. ``ticker`` — every entity has a ticker (:mod:`vaultkit.audit.entities`).
7. ``date`` — a window still open (YTD, 90d, since…) needs the figure's date: a label's
   end date, else its dated update section, else the note's frontmatter ``date``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vaultkit.audit.entities import Entities
from vaultkit.audit.labels import STREAK_WORDS, Reading, WindowText
from vaultkit.parse.values import CellValue

METRIC_OF_UNIT = {"percent": "return", "pp": "spread"}
STREAK_NOUNS = frozenset({"day", "days", "session", "sessions"})
#: Reason codes, in the order the rules are applied.
CODES = ("text", "unit", "metric", "window", "entity", "ticker", "date", "data")
#: Each code in a few words, for summaries.
CODE_WORDS = {"text": "not a figure", "unit": "not a return, spread or streak unit",
              "metric": "labels name another metric", "window": "no single window",
              "entity": "no single entity", "ticker": "no ticker", "date": "undated",
              "data": "outside the data"}


_UNIT_NAMES = {"USD": "an amount in USD", "EUR": "an amount in EUR", "GBP": "an amount in GBP",
               "x": "a multiple", "ratio": "a ratio", "count": "a count", "date": "a date",
               "number": "a plain number"}


@dataclass(frozen=True, slots=True)
class Claim:
    """What a figure states, ready to be measured."""

    metric: str
    entity: str
    tickers: tuple[str, ...]
    window: WindowText | None
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Skip:
    """Why a figure is not checked: a code from :data:`CODES` and words for people."""

    code: str
    reason: str
    entity: str | None = None
    ticker: str | None = None
    metric: str | None = None
    window: str | None = None


def read_claim(fact: dict[str, Any], cell: CellValue, readings: tuple[Reading, Reading],
               subjects: list[str], entities: Entities) -> Claim | Skip:
    """Apply the rules to one fact (a ``facts`` record), its typed cell, the readings of its
    row label and column header, and the entity keys the table is about."""
    if cell.value is None:
        return Skip("text", "not a figure")
    metric = metric_of(cell)
    if metric is None:
        what = _UNIT_NAMES.get(str(cell.unit), str(cell.unit))
        noun = f" of {cell.noun}" if cell.noun else ""
        return Skip("unit", f"{what}{noun} is not a return, spread or streak")
    row, column = readings
    unread = [*row.unread, *column.unread]
    if unread:
        return Skip("metric", f"labels say more than a window and a name: "
                              f"{' '.join(unread)!r}", metric=metric)
    words = row.words | column.words
    vs = any(row.after_vs) or any(column.after_vs)
    if metric == "streak" and not words & STREAK_WORDS:
        return Skip("metric", "a count of days is a streak only under a label saying streak")
    if metric != "streak" and words & STREAK_WORDS:
        return Skip("metric", f"a {cell.unit} figure under a label saying streak")
    if metric == "return" and vs:
        return Skip("metric", "a percent figure written against another entity is not a "
                              "plain return", metric=metric)
    window = _window(metric, row, column)
    if isinstance(window, Skip):
        return window
    names = [*row.names, *column.names]
    after_vs = [*row.after_vs, *column.after_vs]
    keys = _entities(metric, names, after_vs, subjects)
    if isinstance(keys, Skip):
        return Skip(keys.code, keys.reason, metric=metric,
                    window=window.label if window else None)
    shown = " vs ".join(entities.name(k) for k in keys)
    tickers: list[str] = []
    for key in keys:
        ticker = entities.ticker(key)
        if ticker.symbol is None:
            return Skip("ticker", ticker.why, entity=shown, metric=metric,
                        window=window.label if window else None)
        if not entities.knows(ticker.symbol):
            return Skip("ticker", f"the provider has no closes for {ticker.symbol}",
                        entity=shown, ticker=ticker.symbol, metric=metric,
                        window=window.label if window else None)
        tickers.append(ticker.symbol)
    if len(set(tickers)) != len(tickers):
        return Skip("entity", f"both sides are {tickers[0]}", entity=shown)
    date = _date(fact, row, column)
    if isinstance(date, Skip):
        return Skip(date.code, date.reason, entity=shown, ticker=",".join(tickers),
                    metric=metric, window=window.label if window else None)
    return Claim(metric, shown, tuple(tickers), window, date)


def metric_of(cell: CellValue) -> str | None:
    """The metric a figure's unit allows: return, spread, streak, or None."""
    if cell.unit in METRIC_OF_UNIT:
        return METRIC_OF_UNIT[cell.unit]
    if cell.unit == "count" and cell.noun in STREAK_NOUNS:
        return "streak"
    return None


def _window(metric: str, row: Reading, column: Reading) -> WindowText | Skip | None:
    loose = [*row.loose_dates, *column.loose_dates]
    if loose:
        return Skip("window", f"the date {loose[0]} neither ends a window (to, as of, "
                              "(date)) nor starts one (since)", metric=metric)
    found: dict[str, WindowText] = {}
    for window in (*row.windows, *column.windows):
        found.setdefault(window.spec, window)
    windows = list(found.values())
    # "2026 YTD" is the YTD of 2026: the year says which YTD, not a second window.
    specs = {w.spec for w in windows}
    if "ytd" in specs and len(windows) == 2:
        year = next(w for w in windows if w.spec != "ytd")
        if year.spec.endswith("-01-01.." + year.spec[:4] + "-12-31"):
            windows = [WindowText("ytd", f"YTD {year.label}")]
    if metric == "streak":
        if windows:
            return Skip("window", f"a streak is counted to its date, not over "
                                  f"{windows[0].label}", metric=metric)
        return None
    if not windows:
        return Skip("window", "no window (YTD, 90d, 3m, 1y, a year, a range…) in the "
                              "row or column label", metric=metric)
    if len(windows) > 1:
        both = " and ".join(w.label for w in windows)
        return Skip("window", f"two windows: {both}", metric=metric)
    return windows[0]


def _entities(metric: str, names: list[str], after_vs: list[bool],
              subjects: list[str]) -> tuple[str, ...] | Skip:
    unique = list(dict.fromkeys(names))
    if metric == "return":
        if len(unique) > 1:
            return Skip("entity", f"{len(unique)} entities named in the labels")
        if unique:
            return (unique[0],)
        if subjects:
            return (subjects[0],)
        return Skip("entity", "no entity named in the labels and the table has no subject")
    if len(unique) == 2:
        return (unique[0], unique[1])
    if len(unique) == 1 and after_vs[names.index(unique[0])] and subjects \
            and subjects[0] != unique[0]:
        return (subjects[0], unique[0])
    return Skip("entity", f"a {metric} needs two entities (A vs B); the labels name "
                          f"{len(unique)}")


def _date(fact: dict[str, Any], row: Reading, column: Reading) -> dt.date | Skip | None:
    ends = sorted({*row.ends, *column.ends})
    if len(ends) > 1:
        return Skip("window", f"two end dates: {ends[0]} and {ends[1]}")
    if ends:
        return ends[0]
    if fact["date"]:
        return dt.date.fromisoformat(fact["date"])
    return None
