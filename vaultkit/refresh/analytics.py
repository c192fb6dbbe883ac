"""Pure functions on daily close series: windows, returns, spreads, streaks, breadth.

Conventions (also printed in every generated region's footnote):

* The **as-of session** is the last session on or before the requested date on which every
  ticker involved has a close.
* A window ends at the as-of session and starts at a **base session**, the last session on
  or before the window's start date: ``90d`` counts calendar days back, ``63s`` sessions,
  ``1m``/``3m``/``1y`` calendar months/years, ``ytd`` starts from the previous year's last
  close, and ``2000-01-03..2002-12-31`` is a fixed range.
* Returns are fractions (``0.18`` is +18%); spreads are percentage points.

Series are pandas objects indexed by session date; functions take the sessions of the
aligned frame, so a holiday in one ticker's data shifts both tickers the same way.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_WINDOW = re.compile(r"^(?:(?P<n>[1-9]\d{0,3})(?P<unit>[dsmy])|ytd)$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_UNIT_WORDS = {"d": "calendar day", "s": "session", "m": "month", "y": "year"}


@dataclass(frozen=True, slots=True)
class Window:
    """A lookback as written in a region spec: ``90d``, ``63s``, ``3m``, ``1y``, ``ytd``
    or a fixed range ``YYYY-MM-DD..YYYY-MM-DD``."""

    label: str
    unit: str
    count: int = 0
    first: dt.date | None = None
    last: dt.date | None = None

    @property
    def title(self) -> str:
        """Column heading: ``90d``, ``YTD``, or ``Range`` (its dates are in the table)."""
        if self.unit == "ytd":
            return "YTD"
        if self.unit == "range":
            return "Range"
        return self.label

    def definition(self) -> str:
        """How the base session is chosen, for the region footnote."""
        if self.unit == "ytd":
            return "YTD = from the previous year's last close"
        if self.unit == "range":
            return f"range = from the last close on or before {self.first} to {self.last}"
        word = _UNIT_WORDS[self.unit] + ("s" if self.count > 1 else "")
        if self.unit == "s":
            return f"{self.label} = {self.count} {word} back"
        return f"{self.label} = from the last close on or before {self.count} {word} earlier"


def parse_window(text: str) -> Window:
    """Parse a window spec; raises ``ValueError`` with a readable message.

    >>> parse_window("90d").count
    90
    """
    text = text.strip()
    match = _WINDOW.fullmatch(text)
    if match:
        if text == "ytd":
            return Window("ytd", "ytd")
        return Window(text, match["unit"], int(match["n"]))
    match = _RANGE.fullmatch(text)
    if match:
        try:
            first, last = (dt.date.fromisoformat(g) for g in match.groups())
        except ValueError:
            raise ValueError(f"bad date in window {text!r}") from None
        if last <= first:
            raise ValueError(f"window {text!r} ends before it starts")
        return Window(text, "range", 0, first, last)
    raise ValueError(
        f"bad window {text!r} (expected e.g. 90d, 63s, 3m, 1y, ytd or 2000-01-03..2002-12-31)"
    )


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` months earlier, clamped to the month's end (Mar 31 → Feb 28)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window_start(window: Window, asof: dt.date) -> dt.date:
    """The calendar date a window reaches back to from ``asof`` (not for ``s`` windows)."""
    if window.unit == "d":
        return asof - dt.timedelta(days=window.count)
    if window.unit == "m":
        return months_back(asof, window.count)
    if window.unit == "y":
        return months_back(asof, 12 * window.count)
    if window.unit == "ytd":
        return dt.date(asof.year - 1, 12, 31)
    if window.unit == "range":
        assert window.first is not None
        return window.first
    raise ValueError(f"window {window.label} counts sessions, not days")


@dataclass(frozen=True, slots=True)
class Span:
    """The two sessions whose closes a window's return uses."""

    start: dt.date
    end: dt.date


def asof_session(closes: pd.DataFrame, asof: dt.date) -> dt.date:
    """The last session on or before ``asof`` on which every column has a close."""
    import pandas as pd

    complete = closes.loc[: pd.Timestamp(asof)].dropna(how="any")
    if complete.empty:
        names = ", ".join(str(c) for c in closes.columns)
        known = [pd.DatetimeIndex(s.dropna().index) for _, s in closes.items()]
        starts = [index[0].date() for index in known if len(index)]
        since = f"; data starts {max(starts)}" if starts else "; no data"
        raise ValueError(f"no session on or before {asof} with closes for all of {names}"
                         f"{since}")
    last: pd.Timestamp = complete.index[-1]
    return last.date()


def _last_on_or_before(sessions: pd.Index, day: dt.date, label: str) -> dt.date:
    import pandas as pd

    position = int(sessions.searchsorted(pd.Timestamp(day), side="right")) - 1
    if position < 0:
        first = sessions[0].date() if len(sessions) else "none"
        raise ValueError(f"window {label} needs a close on or before {day}; data starts {first}")
    found: pd.Timestamp = sessions[position]
    return found.date()


def resolve_window(sessions: pd.Index, window: Window, asof: dt.date) -> Span:
    """Base and end sessions of ``window`` among ``sessions`` (sorted), ending at ``asof``.

    ``asof`` must be one of ``sessions`` (see :func:`asof_session`).
    """
    import pandas as pd

    end = asof
    if window.unit == "range":
        assert window.last is not None
        end = _last_on_or_before(sessions, min(window.last, asof), window.label)
    if window.unit == "s":
        position = int(sessions.searchsorted(pd.Timestamp(asof))) - window.count
        if position < 0:
            raise ValueError(f"window {window.label} needs {window.count} sessions of history")
        start = sessions[position].date()
    else:
        start = _last_on_or_before(sessions, window_start(window, end), window.label)
    if start >= end:
        raise ValueError(f"window {window.label} has no sessions before {end}")
    return Span(start, end)


def period_return(series: pd.Series, span: Span) -> float:
    """Close-to-close return from ``span.start`` to ``span.end`` as a fraction."""
    import pandas as pd

    return float(series[pd.Timestamp(span.end)] / series[pd.Timestamp(span.start)] - 1.0)


def spread_pp(a_return: float, b_return: float) -> float:
    """A's return minus B's, in percentage points (0.18 vs -0.25 → 43.0)."""
    return (a_return - b_return) * 100.0


def ratio_change(a: pd.Series, b: pd.Series, span: Span) -> float:
    """Change of the A/B price ratio over ``span`` (relative strength), as a fraction."""
    return (1.0 + period_return(a, span)) / (1.0 + period_return(b, span)) - 1.0


def rebased(series: pd.Series, span: Span) -> pd.Series:
    """``series`` over ``span`` scaled so its first close is 100."""
    import pandas as pd

    part = series.loc[pd.Timestamp(span.start) : pd.Timestamp(span.end)]
    result: pd.Series = part / part.iloc[0] * 100.0
    return result


@dataclass(frozen=True, slots=True)
class Streak:
    """Consecutive sessions up to ``end`` on which A's daily return beat B's.

    ``previous_end``/``previous_length`` describe the most recent earlier streak at least as
    long, so "the longest since ``previous_end``"; ``None`` when no earlier streak was as
    long since the data began at ``data_start``.
    """

    length: int
    start: dt.date | None
    end: dt.date
    previous_end: dt.date | None
    previous_length: int
    data_start: dt.date


def outperformance_streak(a: pd.Series, b: pd.Series, asof: dt.date) -> Streak:
    """The streak of sessions up to ``asof`` on which A's close-to-close return beat B's.

    Both series are aligned on the sessions where both have closes; a tie is not a win.
    """
    import pandas as pd

    both = pd.concat([a, b], axis=1).loc[: pd.Timestamp(asof)].dropna()
    if len(both) < 2:
        raise ValueError("a streak needs at least two common sessions")
    daily = both.pct_change().iloc[1:]
    wins = (daily.iloc[:, 0] > daily.iloc[:, 1]).tolist()
    dates = [d.date() for d in daily.index]
    length = 0
    while length < len(wins) and wins[-1 - length]:
        length += 1
    previous_end, previous_length, run = None, 0, 0
    # Walk back from before the current streak; runs are counted from their last session.
    for i in range(len(wins) - length - 1, -2, -1):
        if i >= 0 and wins[i]:
            run += 1
            continue
        if length and run >= length:
            previous_end, previous_length = dates[i + run], run
            break
        run = 0
    return Streak(
        length=length,
        start=dates[-length] if length else None,
        end=dates[-1],
        previous_end=previous_end,
        previous_length=previous_length,
        data_start=both.index[0].date(),
    )


@dataclass(frozen=True, slots=True)
class Breadth:
    """How many of a basket rose over a span."""

    up: int
    count: int
    returns: dict[str, float]

    @property
    def share(self) -> float:
        """Fraction of the basket that rose."""
        return self.up / self.count


def breadth(closes: pd.DataFrame, span: Span) -> Breadth:
    """Returns of every column over ``span`` and how many were positive."""
    returns = {str(name): period_return(closes[name], span) for name in closes.columns}
    return Breadth(sum(r > 0 for r in returns.values()), len(returns), returns)


@dataclass(frozen=True, slots=True)
class Signature:
    """A scenario of the seed note's rotation signature table and why it was chosen."""

    scenario: str
    interpretation: str
    reason: str


#: The seed note's table, keyed by (index up?, most of the basket up?).
SIGNATURES = {
    (False, False): ("Broad selloff", "Risk-off, reduce exposure"),
    (False, True): ("Rotation", "Leadership change, reposition"),
    (True, True): ("Healthy rally", "Broad participation"),
    (True, False): ("Narrow rally", "Fragile, concentration risk"),
}


def classify_signature(index_return: float, up: int, count: int) -> Signature:
    """Classify by the index's direction and whether most of the basket (more than half)
    rose. A flat index, or exactly half the basket up, fits no row of the table and is
    reported as such rather than forced into one.

    >>> classify_signature(-0.0053, 8, 11).scenario
    'Rotation'
    """
    direction = "up" if index_return > 0 else "down" if index_return < 0 else "flat"
    if direction == "flat":
        return Signature("Unclassified", "Index flat: no row of the table applies",
                         f"index unchanged; {up} of {count} up")
    if 2 * up == count:
        return Signature("Unclassified", "Breadth split evenly: no row of the table applies",
                         f"index {direction} {index_return * 100:+.2f}%; "
                         f"{up} of {count} up, exactly half")
    most_up = 2 * up > count
    scenario, meaning = SIGNATURES[(index_return > 0, most_up)]
    side = "most of the basket up" if most_up else (
        "few of the basket up" if index_return > 0 else "most of the basket down")
    return Signature(scenario, meaning, f"index {direction} {index_return * 100:+.2f}%; "
                                        f"{side} ({up} of {count})")
